"""The seeds, end to end through the library: clusters, sources, related coverage."""

from __future__ import annotations

import pytest
from conftest import BUSINESS_STANDARD, INDIAVISION, NEW_ARAB, REWRITE_2016, SOLVE_ISRAEL

from dedup import pipeline
from dedup.load import Article
from dedup.pipeline import Analysis, Settings, analyze
from dedup.report import render_json


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
    import dedup.align as align

    assert align.related_chunk_rows(1_000) == align.RELATED_CHUNK
    assert align.related_chunk_rows(1_000_000) == align.RELATED_BLOCK_ENTRIES // 1_000_000
    assert align.related_chunk_rows(10**9) == 1
    monkeypatch.setattr(align, "RELATED_BLOCK_ENTRIES", 1)
    assert analyze(seed_articles).related == seed_analysis.related
