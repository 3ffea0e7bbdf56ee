"""Clusters from verified pairs: chaining through round-ups and stock passages."""

from __future__ import annotations

import numpy as np
import pytest

from dedup import cluster
from dedup.cluster import build_clusters, cut_bridging_links
from dedup.verify import Fingerprints, PairEvidence


def _fingerprints(pools: list[range | list[int]]) -> Fingerprints:
    distinct = [np.unique(np.asarray(list(p), dtype=np.uint64)) for p in pools]
    return Fingerprints(distinct, [np.empty(0, np.uint64) for _ in pools], np.empty(0, np.uint64),
                        [np.empty(0, np.uint64) for _ in pools])


def _pairs(fp: Fingerprints, links: list[tuple[int, int]]) -> list[PairEvidence]:
    return [PairEvidence(a, b, len(np.intersect1d(fp.distinct[a], fp.distinct[b])), 0,
                         0.5, 0.5, 0.5) for a, b in links]


STORY_A = range(0, 100)
STORY_B = range(1000, 1100)
STOCK = range(5000, 5030)  # a stock paragraph two unrelated stories' copies carry


def _two_stories_and_a_stock_paragraph() -> tuple[Fingerprints, list[PairEvidence]]:
    # 0: story A's source, 1: a copy of A with the stock paragraph, 2: another copy of A;
    # 3: story B's source, 4: a copy of B with the same stock paragraph.
    fp = _fingerprints([STORY_A, [*STORY_A, *STOCK], STORY_A[:60], STORY_B,
                        [*STORY_B[:80], *STOCK]])
    return fp, _pairs(fp, [(0, 1), (0, 2), (1, 2), (3, 4), (1, 4)])


DATES = ["1986-01-01", "1986-01-02", "1986-01-02", "1986-01-05", "1986-01-06"]


@pytest.mark.parametrize("limit", [500, 3])
def test_a_stock_paragraph_does_not_chain_two_stories(monkeypatch: pytest.MonkeyPatch,
                                                      limit: int) -> None:
    # 500: the whole-component split; 3: the local cut that runs past the limit.
    monkeypatch.setattr(cluster, "MAX_SPLIT_COMPONENT", limit)
    fp, copies = _two_stories_and_a_stock_paragraph()
    clusters = build_clusters(5, copies, fp, DATES, [100, 130, 60, 100, 110])
    assert [(c.members, c.source) for c in clusters] == [([0, 1, 2], 0), ([3, 4], 3)]


def test_without_the_cut_the_stock_paragraph_chains(monkeypatch: pytest.MonkeyPatch) -> None:
    # What the guard prevents: the 1M scale-up had one component of 227,550 articles.
    monkeypatch.setattr(cluster, "MAX_SPLIT_COMPONENT", 3)
    monkeypatch.setattr(cluster, "cut_bridging_links", lambda *args: set())
    fp, copies = _two_stories_and_a_stock_paragraph()
    clusters = build_clusters(5, copies, fp, DATES, [100, 130, 60, 100, 110])
    assert [c.members for c in clusters] == [[0, 1, 2, 3, 4]]


def test_cut_links_are_those_matching_the_minor_part() -> None:
    fp, copies = _two_stories_and_a_stock_paragraph()
    adjacency: dict[int, set[int]] = {k: set() for k in range(5)}
    for e in copies:
        adjacency[e.a].add(e.b)
        adjacency[e.b].add(e.a)
    assert cut_bridging_links(list(range(5)), adjacency, fp) == {(1, 4)}


def test_a_widely_copied_story_stays_one_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every copy keeps a different stretch of the story; at the source all links match
    # parts of the same story, so they are one group and none is cut.
    monkeypatch.setattr(cluster, "MAX_SPLIT_COMPONENT", 3)
    copies_of = [range(k * 5, k * 5 + 40) for k in range(12)]
    fp = _fingerprints([range(0, 100), *copies_of])
    links = [(0, k) for k in range(1, 13)] + [(k, k + 1) for k in range(1, 12)]
    clusters = build_clusters(13, _pairs(fp, links), fp, ["1986-01-01"] * 13, [100] + [40] * 12)
    assert [(c.members, c.source) for c in clusters] == [(list(range(13)), 0)]
