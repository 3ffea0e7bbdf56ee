"""The seeds, end to end through the library: clusters, sources, related coverage."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from dedup import pipeline
from dedup.load import Article, ArticleStore
from dedup.packing import Terms
from dedup.pipeline import Analysis, Settings, analyze
from dedup.report import render_json
from tests.helpers import BUSINESS_STANDARD, INDIAVISION, NEW_ARAB, REWRITE_2016, SOLVE_ISRAEL


def _clusters(analysis: Analysis) -> list[set[str]]:
    ids = [a.id for a in analysis.articles]
    return [{ids[m.index] for m in c.members} for c in analysis.clusters]


def test_seeds_form_exactly_the_two_agency_clusters(seed_analysis: Analysis) -> None:
    clusters = _clusters(seed_analysis)
    expected = [{SOLVE_ISRAEL, NEW_ARAB}, {INDIAVISION, BUSINESS_STANDARD}]
    assert sorted(clusters, key=sorted) == expected


def test_independent_rewrite_is_related_not_clustered(seed_analysis: Analysis) -> None:
    ids = [a.id for a in seed_analysis.articles]
    assert all(REWRITE_2016 not in c for c in _clusters(seed_analysis))
    related = {(ids[r.a], ids[r.b]) for r in seed_analysis.related}
    assert (REWRITE_2016, SOLVE_ISRAEL) in related
    # Same topic (Iran and the US), different story: not related.
    assert not any(INDIAVISION in pair or BUSINESS_STANDARD in pair for pair in related)


def test_earliest_dated_member_is_the_source(seed_analysis: Analysis) -> None:
    ids = [a.id for a in seed_analysis.articles]
    sources = {ids[c.source] for c in seed_analysis.clusters}
    # 004 is dated 2014-09-15; 003's date is the page's 2022 timestamp.
    assert BUSINESS_STANDARD in sources


def test_same_input_gives_byte_identical_json(seed_articles: list[Article]) -> None:
    first = render_json(analyze(seed_articles))
    second = render_json(analyze(list(seed_articles)))
    assert first == second


def test_input_order_does_not_change_clusters(seed_articles: list[Article]) -> None:
    forward = _clusters(analyze(seed_articles))
    backward = _clusters(analyze(list(reversed(seed_articles))))
    assert sorted(map(sorted, forward)) == sorted(map(sorted, backward))


def test_shared_quotes_alone_do_not_make_a_copy() -> None:
    quote = (
        '"We will not bow to pressure from anyone, and our position on the border talks '
        'remains exactly what it was last year," the minister said.'
    )
    a = Article("a", "Officials in the capital met on Tuesday to review the trade figures. "
                f"{quote} Exports fell sharply in March, the statistics office reported.")
    b = Article("b", "A crowd gathered outside parliament as lawmakers debated the budget. "
                f"{quote} Opposition leaders called for a vote of no confidence next week.")
    assert analyze([a, b]).clusters == []


def test_empty_and_tiny_articles_do_not_break_the_pipeline() -> None:
    analysis = analyze([Article("x", ""), Article("y", "Short."), Article("z", "Three words here")])
    assert analysis.clusters == []
    assert [a.id for a in analysis.articles] == ["x", "y", "z"]


def test_worker_processes_do_not_change_the_report(
    seed_articles: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Enough articles that the work is really split across forked workers; and alignment
    # forked for even one cluster per worker, since these copies make only a few clusters.
    monkeypatch.setattr(pipeline, "MIN_CLUSTERS_PER_WORKER", 1)
    many = [
        Article(f"{a.id}-{k}", a.text, a.title, a.outlet, a.date)
        for k in range(30) for a in seed_articles
    ]
    one = render_json(analyze(many, Settings(jobs=1)))
    two = render_json(analyze(many, Settings(jobs=2)))
    assert one == two
    assert '"C1"' in one
    # Texts read back from an ArticleStore's file, in this process and in the workers.
    store = ArticleStore()
    for a in many:
        store.append(a)
    with store:
        assert render_json(analyze(store, Settings(jobs=2))) == one


def test_focus_aligns_only_the_clusters_of_the_focused_articles(
    seed_articles: list[Article], seed_analysis: Analysis
) -> None:
    """A CI check focuses on its new articles: their clusters come back aligned exactly as
    in a full analysis, other clusters and related stories are skipped."""
    ids = [a.id for a in seed_articles]
    focused = analyze(seed_articles, focus=[ids.index(NEW_ARAB)])
    assert _clusters(focused) == [c for c in _clusters(seed_analysis) if NEW_ARAB in c]
    assert focused.related == []
    full = next(c for c in seed_analysis.clusters
                if any(seed_articles[m.index].id == NEW_ARAB for m in c.members))
    assert focused.clusters[0].members == full.members
    assert analyze(seed_articles, focus=[]).clusters == []


def test_related_coverage_does_not_depend_on_the_similarity_block_size(
    seed_articles: list[Article], seed_analysis: Analysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Against a large corpus each product takes fewer member rows (memory stays bounded);
    # one row at a time must find the same related pairs with the same scores.
    import dedup.related as related

    assert related.related_chunk_rows(1_000) == related.RELATED_CHUNK
    assert related.related_chunk_rows(1_000_000) == related.RELATED_BLOCK_ENTRIES // 1_000_000
    assert related.related_chunk_rows(10**9) == 1
    monkeypatch.setattr(related, "RELATED_BLOCK_ENTRIES", 1)
    assert analyze(seed_articles).related == seed_analysis.related


# --- related coverage within a window of days -------------------------------------------


def _dated(articles: list[Article], article_id: str, date: str | None) -> list[Article]:
    return [dataclasses.replace(a, date=date) if a.id == article_id else a for a in articles]


def test_related_coverage_compares_articles_published_within_the_window(
    seed_articles: list[Article]
) -> None:
    # The rewrite (undated in the seeds) is compared with every article; dated a month
    # after the story it retells, it is outside a week's window, inside a 60-day one.
    def related_to_solve_israel(articles: list[Article], days: int | None) -> bool:
        analysis = analyze(articles, Settings(related_days=days))
        ids = [a.id for a in analysis.articles]
        return (REWRITE_2016, SOLVE_ISRAEL) in {(ids[r.a], ids[r.b]) for r in analysis.related}

    assert related_to_solve_israel(seed_articles, 7)
    month_later = _dated(seed_articles, REWRITE_2016, "2016-08-03")
    assert not related_to_solve_israel(month_later, 7)
    assert related_to_solve_israel(month_later, 60)
    assert related_to_solve_israel(month_later, None)
    week_later = _dated(seed_articles, REWRITE_2016, "2016-07-10T09:30:00Z")
    assert related_to_solve_israel(week_later, 7)


@pytest.fixture(scope="module")
def dated_corpus() -> list[Article]:
    from benchmarks.generate import generate_corpus
    from benchmarks.synthetic import synthetic_base

    records, _ = generate_corpus(synthetic_base(), n_stories=12, seed=8)
    return [Article(r["id"], r["text"], r.get("title"), r.get("outlet"), r.get("date"),
                    r.get("url")) for r in records]


def test_articles_the_counts_hold_already_are_not_counted_again(
    dated_corpus: list[Article]
) -> None:
    """A check's stored candidates are in the index's recurrence counts: ``counted`` tells
    analyze so, which is the same as counting them out first and letting analyze count
    them back in."""
    from dedup.boilerplate import RecurringBlocks, block_keys
    from dedup.normalize import blocks

    stored = range(len(dated_corpus) // 2, len(dated_corpus))

    def index_counts() -> RecurringBlocks:
        counts = RecurringBlocks()
        for i in stored:
            a = dated_corpus[i]
            counts.add_keys(block_keys(a.text, blocks(a.text)), a.outlet)
        return counts

    out_and_in = index_counts()
    for i in stored:
        a = dated_corpus[i]
        out_and_in.remove_keys(block_keys(a.text, blocks(a.text)), a.outlet)
    expected = analyze(dated_corpus, recurring=out_and_in)
    told = index_counts()
    got = analyze(dated_corpus, recurring=told, counted=stored)
    assert render_json(got) == render_json(expected) and got.clusters
    assert +told.doc_counts == +out_and_in.doc_counts  # unary +: without the zero counts
    assert +told.outlet_counts == +out_and_in.outlet_counts
    assert told.doc_counts.total() > index_counts().doc_counts.total()  # the new ones on top
    untold = index_counts()
    analyze(dated_corpus, recurring=untold)
    assert +untold.doc_counts != +told.doc_counts  # the stored ones counted twice


def test_related_window_gives_the_same_pairs_whatever_the_work_items(
    dated_corpus: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    import dedup.related as related

    days = related.day_numbers([a.date for a in dated_corpus])
    assert (days == related.UNDATED).any() and len(set(days.tolist())) > 10  # both kinds
    expected = analyze(dated_corpus, Settings(jobs=1)).related
    assert len(expected) > 50
    for r in expected:  # every pair within the window, or one side undated
        assert related.within_window(int(days[r.a]), int(days[r.b]), 7)
    assert analyze(dated_corpus, Settings(jobs=2)).related == expected
    # One member per work item, one row per product: the same pairs, the same scores.
    monkeypatch.setattr(related, "RELATED_ITEM", 1)
    monkeypatch.setattr(related, "RELATED_BLOCK_ENTRIES", 1)
    assert analyze(dated_corpus, Settings(jobs=1)).related == expected
    # A wider window finds pairs a week's window leaves out.
    wider = {(r.a, r.b) for r in analyze(dated_corpus, Settings(related_days=None)).related}
    assert wider - {(r.a, r.b) for r in expected}


def test_day_numbers_read_iso_dates_and_leave_others_undated() -> None:
    from dedup.related import UNDATED, day_numbers

    days = day_numbers(["2016-07-03", "2016-07-10T09:30:00Z", None, "3 July 2016", "2016-13-01"])
    assert days[1] - days[0] == 7
    assert days[2:].tolist() == [UNDATED] * 3


def test_blocks_and_features_are_kept_for_clustered_and_related_articles_only(
    dated_corpus: list[Article]
) -> None:
    analysis = analyze(dated_corpus)
    clustered = {m.index for c in analysis.clusters for m in c.members}
    related = {i for r in analysis.related for pair in [(r.a, r.b)] for i in pair}
    kept = set(analysis.features)
    assert clustered | related <= kept and set(analysis.blocks) == kept
    assert len(kept) < len(dated_corpus)  # the rest were not held past their digest


def _take_batch(terms: Terms, docs: list[list[str]]) -> None:
    flat = [w for d in docs for w in d]
    distinct = list(dict.fromkeys(flat))
    terms.take_batch(distinct, np.array([distinct.index(w) for w in flat], np.uint32),
                     np.cumsum([len(d) for d in docs]))


def _terms_of(docs: list[list[str]], before: list[str] | None = None) -> Terms:
    """``Terms`` given ``docs`` as one batch, after a batch of one document ``before``."""
    terms = Terms()
    if before is not None:
        _take_batch(terms, [before])
    _take_batch(terms, docs)
    return terms


def test_digest_words_kept_as_ids_come_back_as_the_same_words() -> None:
    docs = [["the", "bank", "said"], [], ["bank", "rates", "the", "the"], ["état", "bank"], []]
    terms = _terms_of(docs)
    assert len(terms) == len(docs)
    assert [[terms.words[i] for i in d.tolist()] for d in terms.documents] == docs
    # Ids number the words by first occurrence, as scikit-learn does while it counts.
    assert terms.words == ["the", "bank", "said", "rates", "état"]
    # Words known from an earlier batch keep their ids; new ones come after.
    later = _terms_of(docs, before=["zero", "the"])
    assert later.words == ["zero", "the", "bank", "said", "rates", "état"]
    assert later.documents[1].tolist() == [1, 2, 3]
    assert [[later.words[i] for i in d.tolist()] for d in later.documents[1:]] == docs


@pytest.mark.parametrize("jobs", [1, 2])
def test_features_kept_from_the_signature_stage_or_made_again_give_the_same_report(
    dated_corpus: list[Article], monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    # Batches of 3 articles, so that clustered articles come from many batches and some
    # batches have articles without content (the corpus has singletons and briefs).
    monkeypatch.setattr(pipeline, "DIGEST_BATCH", 3)
    monkeypatch.setattr(pipeline, "MIN_ITEMS_PER_WORKER", 3)
    kept = analyze(dated_corpus, Settings(jobs=jobs))
    monkeypatch.setattr(pipeline, "KEEP_PREPARED_UP_TO", 0)
    again = analyze(dated_corpus, Settings(jobs=jobs))
    assert render_json(kept) == render_json(again)
    assert kept.clusters and kept.related
    assert set(kept.features) == set(again.features)
    for i, f in kept.features.items():
        g = again.features[i]
        assert f.tokens.words == g.tokens.words and kept.blocks[i] == again.blocks[i]
        for a, b in ((f.tokens.starts, g.tokens.starts), (f.tokens.ends, g.tokens.ends),
                     (f.quoted, g.quoted), (f.shingles, g.shingles), (f.figures, g.figures)):
            assert a.dtype == b.dtype and np.array_equal(a, b)


def test_related_sentence_test_on_workers_finds_the_same_pairs(
    dated_corpus: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    import dedup.related as related

    one = analyze(dated_corpus, Settings(jobs=1, related_days=None))
    # A work item per member and per article: every item on a forked worker.
    monkeypatch.setattr(related, "RETOLD_ITEM", 1)
    monkeypatch.setattr(related, "SENTENCE_ITEM", 1)
    two = analyze(dated_corpus, Settings(jobs=2, related_days=None))
    assert one.related and one.related == two.related
    assert render_json(one) == render_json(two)


def test_related_pairs_on_workers_are_those_one_loop_over_the_pairs_finds(
    dated_corpus: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sentence test run a member at a time on workers, each member's pairs in one
    product, keeps what a plain loop over the pairs in ``wanted``'s order keeps."""
    import dedup.related as related
    from dedup.boilerplate import RecurringBlocks, classify_blocks
    from dedup.signatures import featurize
    from dedup.verify import tfidf_matrix

    recurring = RecurringBlocks()
    for a in dated_corpus:
        recurring.add(a.text, a.outlet)
    blocks = [classify_blocks(a.text, a.title, a.outlet, recurring) for a in dated_corpus]
    features = [featurize(a, b) for a, b in zip(dated_corpus, blocks, strict=True)]
    tfidf, vectorizer = tfidf_matrix(features)
    clusters = [[m.index for m in c.members]
                for c in analyze(dated_corpus, Settings(related_days=None)).clusters]
    wanted = related.related_candidates(clusters, dated_corpus, tfidf, window_days=None)
    words: list[list[str]] = []
    rows = {}
    for i in related.related_needed(wanted):
        sentences = related.sentence_words(i, dated_corpus[i], features[i], blocks[i])
        rows[i] = slice(len(words), len(words) + len(sentences))
        words.extend(sentences)
    matrix = vectorizer.transform(words).tocsr()
    expected: dict[tuple[int, int], float] = {}
    for a, bs in wanted.items():
        for b in bs:
            key = (min(a, b), max(a, b))
            if key in expected or not matrix[rows[a]].shape[0] or not matrix[rows[b]].shape[0]:
                continue
            s = (matrix[rows[a]] @ matrix[rows[b]].T).toarray()
            a_retold = s.max(axis=1) >= related.RELATED_SENTENCE_COSINE
            b_retold = s.max(axis=0) >= related.RELATED_SENTENCE_COSINE
            share = max(a_retold.mean(), b_retold.mean())
            if share >= related.RELATED_MIN_SHARE and max(a_retold.sum(), b_retold.sum()) >= 2:
                expected[key] = round(float(share), 4)
    monkeypatch.setattr(related, "RETOLD_ITEM", 1)
    monkeypatch.setattr(related, "SENTENCE_ITEM", 1)
    found = related.retold_pairs(wanted, dated_corpus, features, blocks, vectorizer, jobs=2)
    assert expected
    assert [(r.a, r.b, r.score) for r in found] == sorted((*k, v) for k, v in expected.items())


# --- exact copies of short articles (issue 19, item 7) ---------------------------------------

SHORT = "The harbour authority closed the northern pier after a storm damaged its railings."


def _article(article_id: str, text: str, outlet: str) -> Article:
    return Article(article_id, text, None, outlet, "2020-01-02")


def test_exact_copies_of_a_thirteen_word_article_are_one_cluster() -> None:
    other = "A village fete awarded its prize for the largest marrow to a retired teacher."
    # Case, spacing and quote style are folded by normalization: still exact copies.
    analysis = analyze([_article("a", SHORT, "x"), _article("b", SHORT, "y"),
                        _article("c", SHORT.upper().replace(" ", "  "), "z"),
                        _article("d", other, "w")], Settings(jobs=1))
    assert _clusters(analysis) == [{"a", "b", "c"}]
    members = analysis.clusters[0].members
    assert [m.shared_fraction for m in members] == [1.0, 1.0, 1.0]
    assert [m.relation for m in members] == ["source", "copy", "copy"]
    assert not any(m.cut or m.changed for m in members)


def test_exact_copies_under_five_words_are_one_cluster() -> None:
    analysis = analyze([_article("a", "Storm closes pier.", "x"),
                        _article("b", "Storm closes pier.", "y"),
                        _article("c", "Storm closes bridge.", "y")], Settings(jobs=1))
    assert _clusters(analysis) == [{"a", "b"}]
    assert [m.relation for m in analysis.clusters[0].members] == ["source", "copy"]


def test_tables_whose_only_content_line_is_the_same_are_not_exact_copies() -> None:
    # The figures lines are short non-sentence blocks (chrome); the texts differ there.
    table = "Period ended December 31.\n    Shr {} cts vs 20 cts\n    Net {} vs 703,000\n Reuter"
    analysis = analyze([_article("a", table.format(25, "801,000"), "x"),
                        _article("b", table.format(11, "224,271"), "x")], Settings(jobs=1))
    assert analysis.clusters == []
