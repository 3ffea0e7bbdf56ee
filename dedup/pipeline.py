"""The whole pipeline, stage by stage: the library's main entry point.

    articles -> boilerplate -> features -> candidates -> verify -> cluster -> align

``analyze(articles)`` returns an ``Analysis`` that the report module renders.

Memory: the per-word data of an article (offsets, quotation marks, shingles in order) and
its labelled blocks are what alignment needs, and only clustered articles are aligned. So
the signature stage keeps of every article only what matching needs (a ``Digest``: words,
distinct shingles, band hashes, figures), and the clustered articles, with those whose
sentences the related-coverage test reads, are prepared again in full afterwards (the
same deterministic functions on the same input, so the same blocks and features).
"""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from tqdm import tqdm

from .align import (
    RELATED_WINDOW_DAYS,
    MemberAlignment,
    Related,
    align_cluster,
    related_candidates,
    related_needed,
    retold_pairs,
)
from .boilerplate import LabelledBlock, RecurringBlocks, block_keys, classify_blocks
from .candidates import (
    CandidateSettings,
    CandidateStats,
    article_bands,
    candidates_from_bands,
    hashers,
)
from .cluster import Cluster, build_clusters
from .load import Article
from .normalize import Block, join_words, joined_words
from .normalize import blocks as split_blocks
from .parallel import MIN_ITEMS_PER_WORKER, default_jobs, map_ordered
from .signatures import Features, featurize
from .verify import (
    Fingerprints,
    PairEvidence,
    VerifySettings,
    fingerprints_from,
    quoted_shingles,
    tfidf_from_words,
    verify_pairs,
)

# A cluster's alignment costs 10-20 times an article's features: fork for fewer of them.
MIN_CLUSTERS_PER_WORKER = 8
# Candidate pairs judged per work item (about 30 us a pair): the 1M scale-up has millions.
VERIFY_SLICE = 4096


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
    articles: Sequence[Article]
    # Labelled blocks and features of the clustered articles (and of those the related
    # test read), by index into ``articles``: the others' were not kept (see above).
    blocks: dict[int, list[LabelledBlock]]
    features: dict[int, Features]
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


@dataclass
class Digest:
    """What matching needs of one article past the signature stage."""

    __slots__ = ("distinct", "doc_bands", "figures", "passage_bands", "quoted", "size",
                 "words")
    words: list[str]  # content words, for TF-IDF
    size: int  # content tokens
    figures: np.ndarray  # Features.figures
    distinct: np.ndarray  # sorted distinct shingles
    quoted: np.ndarray  # verify.quoted_shingles
    doc_bands: np.ndarray  # candidates.article_bands
    passage_bands: np.ndarray

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Digests travel from workers by pickle: words as one string (see Tokens).
        joined = join_words(self.words)
        fields = (self.size, self.figures, self.distinct, self.quoted, self.doc_bands,
                  self.passage_bands)
        if joined is None:
            return (Digest, (self.words, *fields))
        return (_joined_digest, (joined, len(self.words), *fields))


def _joined_digest(joined: str, count: int, *fields: Any) -> Digest:
    return Digest(joined_words(joined, count), *fields)


def _labelled_features(a: Article, recurring: RecurringBlocks,
                       spans: list[Block]) -> tuple[list[LabelledBlock], Features]:
    labelled = classify_blocks(a.text, a.title, a.outlet, recurring, spans)
    return labelled, featurize(a, labelled)


def _prepare(shared: tuple[Sequence[Article], RecurringBlocks],
             i: int) -> tuple[list[LabelledBlock], Features]:
    articles, recurring = shared
    return _labelled_features(articles[i], recurring, split_blocks(articles[i].text))


def _digest(shared: tuple[Sequence[Article], list[list[Block]], RecurringBlocks,
                          CandidateSettings], i: int) -> Digest:
    articles, spans, recurring, candidates = shared
    _, features = _labelled_features(articles[i], recurring, spans[i])
    doc_bands, passage_bands = article_bands(features.shingles, candidates,
                                             *hashers(candidates))
    return Digest(features.tokens.words, features.size, features.figures,
                  np.unique(features.shingles), quoted_shingles(features), doc_bands,
                  passage_bands)


def _verify(shared: tuple[np.ndarray, Fingerprints, Any, VerifySettings],
            bounds: tuple[int, int]) -> list[PairEvidence]:
    pairs, fingerprints, tfidf, settings = shared
    lo, hi = bounds
    copies, _ = verify_pairs(pairs[lo:hi], fingerprints, tfidf, settings, keep_rejected=False)
    return copies


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
    # A Sequence is used as it is (an ArticleStore stays on disk); anything else is listed.
    articles = articles if isinstance(articles, Sequence) else list(articles)
    indices = range(len(articles))
    recurring = recurring if recurring is not None else RecurringBlocks()
    split = _staged(_paragraphs, indices, articles, jobs, "paragraphs", progress)
    recurring.add_corpus([keys for _, keys in split], [a.outlet for a in articles])
    spans = [s for s, _ in split]
    del split
    clock.lap("paragraphs")
    digests = _staged(_digest, indices, (articles, spans, recurring, settings.candidates),
                      jobs, "signatures", progress)
    del spans
    clock.lap("boilerplate+signatures")
    with _bar(1, "candidates", progress) as bar:
        pairs, stats = candidates_from_bands([(d.doc_bands, d.passage_bands) for d in digests],
                                             settings.candidates)
        bar.update(1)
    for d in digests:  # the band hashes are done with: the largest part of a digest
        d.doc_bands = d.passage_bands = _EMPTY_BANDS
    clock.lap("candidates")
    fingerprints = fingerprints_from(_take_distinct(digests), [d.quoted for d in digests],
                                     [d.figures for d in digests], settings.verify)
    tfidf, vectorizer = tfidf_from_words([d.words for d in digests])
    sizes = [d.size for d in digests]
    del digests
    slices = [(lo, min(lo + VERIFY_SLICE, len(pairs))) for lo in range(0, len(pairs), VERIFY_SLICE)]
    with _bar(len(pairs), "verify", progress) as bar:
        judged = map_ordered(_verify, slices, (pairs, fingerprints, tfidf, settings.verify), jobs,
                             lambda n: bar.update(min(n * VERIFY_SLICE, bar.total - bar.n)), 2)
    copies = [e for part in judged for e in part]
    del judged
    clock.lap("verify")
    dates = [a.date for a in articles]
    clusters = build_clusters(len(articles), copies, fingerprints, dates, sizes)
    del fingerprints, pairs  # per-article shingle sets: not needed past clustering
    if focus is not None:
        wanted = set(focus)
        clusters = [c for c in clusters if wanted.intersection(c.members)]
    clock.lap("cluster")
    blocks: dict[int, list[LabelledBlock]] = {}
    features: dict[int, Features] = {}
    _prepare_again(sorted({i for c in clusters for i in c.members}), articles, recurring,
                   blocks, features, jobs, progress)
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
            candidates = related_candidates([c.members for c in clusters], articles, tfidf,
                                            jobs, bar.update, settings.related_days)
        _prepare_again(related_needed(candidates), articles, recurring, blocks, features, jobs,
                       progress)
        related = retold_pairs(candidates, articles, features, blocks, vectorizer)
    clock.lap("related")
    return Analysis(articles, blocks, features, results, copies, related, stats, clock.laps)


_EMPTY_BANDS = np.empty((0, 0), np.uint64)


def _take_distinct(digests: list[Digest]) -> list[np.ndarray]:
    # Handed over, not shared: fingerprints_from lets each array go once it is copied.
    taken = [d.distinct for d in digests]
    for d in digests:
        d.distinct = _EMPTY_SHINGLES
    return taken


_EMPTY_SHINGLES = np.empty(0, np.uint64)


def _prepare_again(indices: Sequence[int], articles: Sequence[Article],
                   recurring: RecurringBlocks, blocks: dict[int, list[LabelledBlock]],
                   features: dict[int, Features], jobs: int, progress: bool) -> None:
    """Labelled blocks and features of the ``indices`` not in ``blocks`` yet."""
    missing = [i for i in indices if i not in blocks]
    prepared = _staged(_prepare, missing, (articles, recurring), jobs, "prepare", progress)
    for i, (labelled, feats) in zip(missing, prepared, strict=True):
        blocks[i] = labelled
        features[i] = feats


class _Clock:
    """Wall time per stage, for the benchmark's per-stage table."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = round(now - self._last, 4)
        self._last = now
