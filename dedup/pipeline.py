"""The whole pipeline, stage by stage: the library's main entry point.

    articles -> boilerplate -> features -> candidates -> verify -> cluster -> align

``analyze(articles)`` returns an ``Analysis`` that the report module renders.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from tqdm import tqdm

from .align import RELATED_WINDOW_DAYS, MemberAlignment, Related, align_cluster, find_related
from .boilerplate import LabelledBlock, RecurringBlocks, block_keys, classify_blocks
from .candidates import CandidateSettings, CandidateStats, find_candidates
from .cluster import Cluster, build_clusters
from .load import Article
from .normalize import Block
from .normalize import blocks as split_blocks
from .parallel import MIN_ITEMS_PER_WORKER, default_jobs, map_ordered
from .signatures import Features, featurize
from .verify import PairEvidence, VerifySettings, build_fingerprints, tfidf_matrix, verify_pairs

# A cluster's alignment costs 10-20 times an article's features: fork for fewer of them.
MIN_CLUSTERS_PER_WORKER = 8


@dataclass(frozen=True)
class Settings:
    candidates: CandidateSettings = field(default_factory=CandidateSettings)
    verify: VerifySettings = field(default_factory=VerifySettings)
    jobs: int = 0  # worker processes; 0 = every core this process may use
    # Related coverage compares articles published at most this many days apart
    # (None: whatever their dates).
    related_days: int | None = RELATED_WINDOW_DAYS


@dataclass
class ClusterResult:
    id: str  # "C1", "C2" ... in report order
    source: int  # index into Analysis.articles
    members: list[MemberAlignment]  # source first


@dataclass
class Analysis:
    articles: list[Article]
    blocks: list[list[LabelledBlock]]
    features: list[Features]
    clusters: list[ClusterResult]
    copy_pairs: list[PairEvidence]
    related: list[Related]
    candidate_stats: CandidateStats
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds per stage


def _bar(total: int, desc: str, show: bool) -> tqdm:
    # disable=None lets tqdm hide itself when stderr is not a terminal (CI logs, pipes).
    return tqdm(total=total, desc=desc, unit="doc", disable=None if show else True, leave=False)


def _staged(func: Any, items: Sequence[Any], shared: Any, jobs: int, desc: str,
            progress: bool, min_per_worker: int = MIN_ITEMS_PER_WORKER) -> list[Any]:
    with _bar(len(items), desc, progress) as bar:
        return map_ordered(func, items, shared, jobs, bar.update, min_per_worker)


# Per-item work, module-level so forked workers can run it (see parallel.py).

def _paragraphs(articles: Sequence[Article], i: int) -> tuple[list[Block], np.ndarray]:
    spans = split_blocks(articles[i].text)
    keys = block_keys(articles[i].text, spans)
    return spans, np.fromiter(keys, dtype=np.uint64, count=len(keys))  # 8 bytes a key


def _prepare(shared: tuple[Sequence[Article], list[list[Block]], RecurringBlocks],
             i: int) -> tuple[list[LabelledBlock], Features]:
    articles, spans, recurring = shared
    a = articles[i]
    labelled = classify_blocks(a.text, a.title, a.outlet, recurring, spans[i])
    return labelled, featurize(a, labelled)


def _align(shared: tuple[Any, ...], cluster: Cluster) -> list[MemberAlignment]:
    articles, features, blocks, vectorizer = shared
    return align_cluster(cluster.members, cluster.source, articles, features, blocks, vectorizer)


def analyze(
    articles: Sequence[Article],
    settings: Settings | None = None,
    progress: bool = False,
    recurring: RecurringBlocks | None = None,
    focus: Collection[int] | None = None,
) -> Analysis:
    """Find copy clusters in ``articles`` and align their members.

    ``recurring`` carries block recurrence counts from a larger corpus (a persistent
    index): the articles given here are counted on top of it, so chrome learned from
    the whole corpus is recognised in a small batch too.

    ``focus`` (indices into ``articles``) is for a CI check, which only reports on its new
    articles: clusters without one of them are found but neither aligned nor returned, and
    related stories are not searched. The clusters returned are aligned exactly as without
    ``focus``; their ids count only the returned clusters.
    """
    settings = settings or Settings()
    jobs = settings.jobs or default_jobs()
    clock = _Clock()
    articles = list(articles)
    indices = range(len(articles))
    recurring = recurring if recurring is not None else RecurringBlocks()
    split = _staged(_paragraphs, indices, articles, jobs, "paragraphs", progress)
    recurring.add_corpus([keys for _, keys in split], [a.outlet for a in articles])
    spans = [s for s, _ in split]
    del split
    clock.lap("paragraphs")
    prepared = _staged(_prepare, indices, (articles, spans, recurring), jobs, "signatures",
                       progress)
    del spans
    blocks = [b for b, _ in prepared]
    features = [f for _, f in prepared]
    del prepared
    clock.lap("boilerplate+signatures")
    with _bar(len(features), "candidates", progress) as bar:
        pairs, stats = find_candidates(features, settings.candidates, _ticking(bar, indices))
    clock.lap("candidates")
    fingerprints = build_fingerprints(features, settings.verify)
    tfidf, vectorizer = tfidf_matrix(features)
    with _bar(len(pairs), "verify", progress) as bar:
        copies, _rejected = verify_pairs(pairs, fingerprints, tfidf, settings.verify,
                                         bar.update)
    clock.lap("verify")
    dates = [a.date for a in articles]
    sizes = [f.size for f in features]
    clusters = build_clusters(len(articles), copies, fingerprints, dates, sizes)
    del fingerprints, pairs  # per-article shingle sets: not needed past clustering
    if focus is not None:
        wanted = set(focus)
        clusters = [c for c in clusters if wanted.intersection(c.members)]
    clock.lap("cluster")
    aligned = _staged(_align, clusters, (articles, features, blocks, vectorizer), jobs, "align",
                      progress, MIN_CLUSTERS_PER_WORKER)
    results = [
        ClusterResult(f"C{k}", c.source, members)
        for k, (c, members) in enumerate(zip(clusters, aligned, strict=True), start=1)
    ]
    clock.lap("align")
    related: list[Related] = []
    if focus is None:
        with _bar(sum(len(c.members) for c in clusters), "related", progress) as bar:
            related = find_related([c.members for c in clusters], articles, features, blocks,
                                   tfidf, vectorizer, jobs, bar.update, settings.related_days)
    clock.lap("related")
    return Analysis(articles, blocks, features, results, copies, related, stats, clock.laps)


class _Clock:
    """Wall time per stage, for the benchmark's per-stage table."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = round(now - self._last, 4)
        self._last = now


def _ticking(bar: tqdm, items: Sequence[int]) -> Iterator[int]:
    for item in items:
        yield item
        bar.update(1)
