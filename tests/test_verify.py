"""Verification: what makes a candidate pair a copy pair, and what does not."""

from __future__ import annotations

import pytest

from dedup.load import Article
from dedup.pipeline import Settings, analyze
from dedup.signatures import content_tokens, figure_hashes, word_hashes
from dedup.verify import PairEvidence, VerifySettings, facts_agree
from tests.helpers import DAYS, templated_report


def _cluster_ids(articles: list[Article]) -> list[set[str]]:
    analysis = analyze(articles, Settings(jobs=1))
    return [{articles[m.index].id for m in c.members} for c in analysis.clusters]


def test_figures_are_read_as_written_not_as_the_tokenizer_splits_them() -> None:
    text = "Rates of 9-7/8 pct on 1.143 billion and 7,500 shares in 1987, 12 13 4th"
    tokens = content_tokens(text, [(0, len(text))])
    expected = ["9-7/8", "1.143", "7,500", "1987", "12", "13", "4th"]
    assert figure_hashes(text, tokens).tolist() == sorted(word_hashes(expected).tolist())


def test_templated_reports_of_different_days_are_not_copies() -> None:
    articles = [Article(f"day{k}", templated_report(day)) for k, day in enumerate(DAYS)]
    assert _cluster_ids(articles) == []


def test_a_trimmed_copy_with_the_same_figures_is_a_copy() -> None:
    wire = templated_report(DAYS[0])
    trimmed = "Markets desk\n\n" + wire.rsplit("\n\n", 1)[0] + "\n\nShare this story"
    articles = [Article("wire", wire), Article("outlet", trimmed),
                *(Article(f"day{k}", templated_report(day)) for k, day in enumerate(DAYS[1:]))]
    assert _cluster_ids(articles) == [{"wire", "outlet"}]


def test_the_fact_check_only_judges_pairs_that_share_little_and_have_figures() -> None:
    settings = VerifySettings()
    low = PairEvidence(0, 1, 40, 40, 0.5, 0.5, 0.6, facts=6, facts_shared=1)
    assert not facts_agree(low, settings)
    # Most of the text shared: a copy whatever its figures (a write-through updates them).
    assert facts_agree(PairEvidence(0, 1, 40, 40, 0.9, 0.9, 0.9, facts=6, facts_shared=1),
                       settings)
    # Too few figures to judge.
    assert facts_agree(PairEvidence(0, 1, 40, 40, 0.5, 0.5, 0.6, facts=2, facts_shared=0),
                       settings)
    assert facts_agree(PairEvidence(0, 1, 40, 40, 0.5, 0.5, 0.6, facts=6, facts_shared=3),
                       settings)


def test_scikit_learn_is_loaded_without_pandas_which_stays_importable() -> None:
    # pandas costs 0.4-0.6 s of every CLI run when sklearn pulls it in; it must still work
    # afterwards for whoever needs it (the Spark engine).
    import subprocess
    import sys

    code = ("import sys, dedup.verify\n"
            "assert 'sklearn' not in sys.modules, 'sklearn imported before use'\n"
            "dedup.verify._import_tfidf()\n"
            "assert 'sklearn.feature_extraction.text' in sys.modules\n"
            "assert 'pandas' not in sys.modules, 'pandas imported'\n"
            "import pandas\n"
            "print(pandas.DataFrame({'a': [1]}).shape)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "(1, 1)"


def test_template_shingles_are_removed_from_every_article_and_nothing_else() -> None:
    """A 5-gram in more articles than the template limit is dropped from each article's
    distinct shingles; every other shingle stays, in order, article by article."""
    import numpy as np

    from dedup.normalize import Tokens
    from dedup.signatures import Features
    from dedup.verify import build_fingerprints

    rng = np.random.default_rng(5)
    template = np.array([3, 1_000_003], dtype=np.uint64)  # in every article
    own = [rng.integers(10, 2**62, size=k, dtype=np.uint64) for k in [0, 7, 1, 30] * 20]
    features = []
    for k, mine in enumerate(own):
        shingles = mine if k % 4 == 0 else np.concatenate([mine, template])
        features.append(Features(Tokens([], np.empty(0, np.int32), np.empty(0, np.int32)),
                                 np.zeros(len(shingles) + 4, bool), shingles,
                                 np.empty(0, np.uint64)))
    fp = build_fingerprints(features, VerifySettings(common_df_floor=10))
    assert fp.common.tolist() == sorted(template.tolist())
    assert [d.tolist() for d in fp.distinct] == [np.unique(m).tolist() for m in own]


def test_template_shingles_are_those_in_more_articles_than_the_limit() -> None:
    """The template rule read from sorted shingles (no counts array) is the rule itself:
    a shingle in more than ``limit`` articles, counted exactly, at and around the limit."""
    import numpy as np

    from dedup.verify import fingerprints_from

    rng = np.random.default_rng(17)
    pool = rng.integers(0, 2**63, size=400, dtype=np.uint64)
    weights = 1.0 / np.arange(1, len(pool) + 1)  # a few shingles common, most rare
    for limit in (1, 3, 10):
        distinct = [np.unique(rng.choice(pool, size=int(rng.integers(0, 25)),
                                         p=weights / weights.sum())) for _ in range(30)]
        values, counts = np.unique(np.concatenate(distinct), return_counts=True)
        expected_common = values[counts > limit]
        expected = [np.setdiff1d(d, expected_common) for d in distinct]
        settings = VerifySettings(common_df_floor=limit, common_df_fraction=0.0)
        fp = fingerprints_from(list(distinct), [], [], settings)
        assert fp.common.tolist() == expected_common.tolist()
        assert 0 < len(expected_common) < len(values)  # both sides of the limit occur
        assert [d.tolist() for d in fp.distinct] == [e.tolist() for e in expected]


def test_verification_in_slices_and_without_rejected_pairs_judges_alike(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pair cosines are computed a slice of pairs at a time, and the pipeline does not
    keep rejected pairs: neither may change a cosine or a copy pair."""
    import numpy as np

    import dedup.verify as verify
    from dedup.boilerplate import RecurringBlocks, classify_blocks
    from dedup.candidates import find_candidates
    from dedup.normalize import blocks as split_blocks
    from dedup.signatures import featurize

    wire = templated_report(DAYS[0])
    articles = [Article("wire", wire), Article("copy", "Desk\n\n" + wire),
                *(Article(f"day{k}", templated_report(day)) for k, day in enumerate(DAYS[1:]))]
    features = [featurize(a, classify_blocks(a.text, a.title, a.outlet, RecurringBlocks(),
                                             split_blocks(a.text))) for a in articles]
    pairs, _ = find_candidates(features)
    fp = verify.build_fingerprints(features, VerifySettings())
    tfidf, _ = verify.tfidf_matrix(features)
    whole = verify.pair_cosines(tfidf, pairs)
    copies, rejected = verify.verify_pairs(pairs, fp, tfidf, VerifySettings())
    assert len(pairs) >= 3 and copies and rejected
    monkeypatch.setattr(verify, "PAIR_COSINE_STEP", 2)
    assert np.array_equal(verify.pair_cosines(tfidf, pairs), whole)
    assert verify.verify_pairs(pairs, fp, tfidf, VerifySettings(),
                               keep_rejected=False) == (copies, [])


def test_unquoted_shared_shingles_are_those_outside_quotes_in_either_article() -> None:
    # Fingerprints keep only the shingles each article has inside quotes alone; the count
    # must be what it says: shared shingles that one of the two has outside quotes.
    import numpy as np

    import dedup.verify as verify
    from dedup.boilerplate import RecurringBlocks, classify_blocks
    from dedup.normalize import blocks as split_blocks
    from dedup.signatures import SHINGLE_SIZE, featurize

    quote = '"We will not raise rates this year, whatever the markets expect of us,"'
    speech = f"{quote} the governor said on Tuesday."
    wire = ("The central bank held its key rate at 4.5 pct on Tuesday, as economists had "
            f"expected, and signalled no change before the autumn. {speech} Traders said "
            "the decision was priced in and bond yields barely moved after the statement.")
    articles = [Article("wire", wire),
                Article("copy", wire.replace("Traders said", "Dealers in London said")),
                Article("speech", f"In a speech to bankers in Frankfurt: {quote} he told "
                        'them, adding "the outlook is uncertain" before he left.'),
                Article("reworded", speech.replace('"', "") + " Markets were calm.")]
    features = [featurize(a, classify_blocks(a.text, a.title, a.outlet, RecurringBlocks(),
                                             split_blocks(a.text))) for a in articles]

    def outside(f: verify.Features) -> set[int]:
        window = np.convolve(f.quoted.astype(int), np.ones(SHINGLE_SIZE, int), "valid")
        return set(f.shingles[window[: len(f.shingles)] == 0].tolist())

    fp = verify.build_fingerprints(features, VerifySettings())
    counts = []
    for a in range(len(articles)):
        for b in range(a + 1, len(articles)):
            shared = set(fp.distinct[a].tolist()) & set(fp.distinct[b].tolist())
            expected = len(shared & (outside(features[a]) | outside(features[b])))
            evidence = verify.pair_evidence(fp, verify.tfidf_matrix(features)[0], a, b)
            assert (evidence.shared, evidence.unquoted) == (len(shared), expected)
            counts.append((evidence.shared, evidence.unquoted))
    # The cases are all there: all outside, quoted in both, quoted in one only.
    assert any(s == u > 0 for s, u in counts) and any(s > u == 0 for s, u in counts)
    assert any(s > u > 0 for s, u in counts)


@pytest.mark.parametrize("kind", ["seeds", "seeds summed in order", "edges", "empty"])
def test_tfidf_from_ids_is_bit_for_bit_the_vectorizers(
    kind: str, seed_articles, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np

    import dedup.verify as verify
    from dedup.boilerplate import RecurringBlocks, classify_blocks
    from dedup.packing import Terms

    if kind == "seeds summed in order":  # the path of rows whose norm is past exact sums
        monkeypatch.setattr(verify, "EXACT_SUM_LIMIT", 0.0)
    if kind.startswith("seeds"):
        recurring = RecurringBlocks()
        docs = [content_tokens(a.text, [(b.start, b.end) for b in classify_blocks(
            a.text, a.title, a.outlet, recurring) if b.kind == "content"]).words
            for a in seed_articles]
    elif kind == "edges":  # repeats, empty rows, non-ASCII order, one-word documents
        docs = [["zeta", "alpha", "zeta"], [], ["état", "Zulu", "alpha", "ß"], ["alpha"], [],
                ["b"] * 7 + ["a"]]
    else:
        docs = [[], []]
    monkeypatch.setattr(verify, "TFIDF_STEP", 2)  # documents counted a few at a time
    terms = Terms()
    for words in docs:  # a batch an article
        distinct = list(dict.fromkeys(words))
        terms.take_batch(distinct, np.array([distinct.index(w) for w in words], np.uint32),
                         np.array([len(words)]))
    expected, fitted = verify.tfidf_from_words(docs)
    matrix, vectorizer = verify.tfidf_from_ids(terms.documents, terms.words)
    assert type(matrix) is type(expected) and matrix.shape == expected.shape
    for name in ("indices", "indptr"):
        assert getattr(matrix, name).dtype == getattr(expected, name).dtype
        assert np.array_equal(getattr(matrix, name), getattr(expected, name))
    assert matrix.dtype == expected.dtype
    assert matrix.data.tobytes() == expected.data.tobytes()  # bit for bit, not close
    assert dict(vectorizer.vocabulary_) == dict(fitted.vocabulary_)
    assert vectorizer.idf_.tobytes() == fitted.idf_.tobytes()
    sentences = [docs[0][:5], ["unknown", *docs[0][:2]], []]
    assert vectorizer.transform(sentences).data.tobytes() == \
        fitted.transform(sentences).data.tobytes()
