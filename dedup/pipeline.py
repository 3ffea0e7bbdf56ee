"""The whole pipeline, stage by stage: the library's main entry point.

    articles -> boilerplate -> features -> candidates -> verify -> cluster -> align

``analyze(articles)`` returns an ``Analysis`` that the report module renders.

Memory: the per-word data of an article (offsets, quotation marks, shingles in order) and
its labelled blocks are what alignment needs, and only clustered articles are aligned. So
the signature stage keeps of every article only what matching needs (a ``Digest``: words,
distinct shingles, band hashes, figures), and the clustered articles, with those whose
sentences the related-coverage test reads, are prepared again in full afterwards (the
same deterministic functions on the same input, so the same blocks and features). The
digests' words are turned into 4-byte ids as they arrive (``_Terms``), and their band
hashes dropped once candidates are found. Articles may come as an ``ArticleStore``, whose
texts stay on disk until a stage reads them.
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from tqdm import tqdm

from .align import (
    ALIGN_REFERENCES,
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
    batch_article_bands,
    candidates_from_bands,
    hashers,
)
from .cluster import Cluster, build_clusters
from .load import Article
from .normalize import Block, join_words, joined_words
from .normalize import blocks as split_blocks
from .parallel import MIN_ITEMS_PER_WORKER, default_jobs, imap_ordered, map_ordered
from .signatures import Features, featurize, featurize_many
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
# Articles hashed as one batch per work item: numpy's per-call overhead, paid once a batch.
DIGEST_BATCH = 64
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
            progress: bool, min_per_worker: int = MIN_ITEMS_PER_WORKER,
            cost: Callable[[Any], int] | None = None) -> list[Any]:
    with _bar(len(items), desc, progress) as bar:
        return map_ordered(func, items, shared, jobs, bar.update, min_per_worker, cost)


# Per-item work, module-level so forked workers can run it (see parallel.py).

def _paragraphs(articles: Sequence[Article], i: int) -> tuple[np.ndarray, np.ndarray]:
    spans = split_blocks(articles[i].text)
    keys = block_keys(articles[i].text, spans)
    # Kept for the signature stage as (start, end) rows: a list of Block objects took
    # 0.7 GB at the 1M scale-up, this a third of it.
    bounds = np.array([(b.start, b.end) for b in spans], dtype=np.int64).reshape(-1, 2)
    return bounds, np.fromiter(keys, dtype=np.uint64, count=len(keys))  # 8 bytes a key


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


def _digests(shared: tuple[Sequence[Article], list[np.ndarray], RecurringBlocks,
                           CandidateSettings], bounds: tuple[int, int]) -> list[Digest]:
    """Digests of articles lo..hi-1: labelled one by one, hashed as one batch."""
    articles, spans, recurring, candidates = shared
    batch = [articles[i] for i in range(*bounds)]
    labelled = [classify_blocks(a.text, a.title, a.outlet, recurring,
                                [Block(start, end) for start, end in spans[i].tolist()])
                for i, a in zip(range(*bounds), batch, strict=True)]
    features, shingles, offsets = featurize_many(batch, labelled)
    bands = batch_article_bands(shingles, offsets, candidates, *hashers(candidates))
    return [Digest(f.tokens.words, f.size, f.figures, _distinct(f.shingles), quoted_shingles(f),
                   doc_bands, passage_bands)
            for f, (doc_bands, passage_bands) in zip(features, bands, strict=True)]


def _distinct(values: np.ndarray) -> np.ndarray:
    # np.unique without its checks and options: it runs once per article.
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def _verify(shared: tuple[np.ndarray, Fingerprints, Any, VerifySettings],
            bounds: tuple[int, int]) -> list[PairEvidence]:
    pairs, fingerprints, tfidf, settings = shared
    lo, hi = bounds
    copies, _ = verify_pairs(pairs[lo:hi], fingerprints, tfidf, settings, keep_rejected=False)
    return copies


def _cluster_cost(cluster: Cluster) -> int:
    # Each member's sentences are compared with those of up to ALIGN_REFERENCES members.
    n = len(cluster.members)
    return n * min(n, ALIGN_REFERENCES)


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
    terms = _Terms()
    digests = []
    batches = [(lo, min(lo + DIGEST_BATCH, len(indices)))
               for lo in range(0, len(indices), DIGEST_BATCH)]
    with _bar(len(indices), "signatures", progress) as bar:
        for batch in imap_ordered(_digests, batches,
                                  (articles, spans, recurring, settings.candidates), jobs,
                                  lambda n: bar.update(min(n * DIGEST_BATCH, bar.total - bar.n)),
                                  max(1, MIN_ITEMS_PER_WORKER // DIGEST_BATCH)):
            for digest in batch:
                terms.take_words(digest)
                digests.append(digest)
    del spans
    clock.lap("boilerplate+signatures")
    with _bar(1, "candidates", progress) as bar:
        # Handed over, not shared: candidates_from_bands lets each array go once copied.
        bands = [(d.doc_bands, d.passage_bands) for d in digests]
        for d in digests:
            d.doc_bands = d.passage_bands = _EMPTY_BANDS
        pairs, stats = candidates_from_bands(bands, settings.candidates)
        del bands
        bar.update(1)
    clock.lap("candidates")
    fingerprints = fingerprints_from(_take_distinct(digests), [d.quoted for d in digests],
                                     [d.figures for d in digests], settings.verify)
    tfidf, vectorizer = tfidf_from_words(terms)
    del terms
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
                      progress, MIN_CLUSTERS_PER_WORKER, _cluster_cost)
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


_NO_WORDS: list[str] = []  # shared by every digest whose words were taken (never changed)


class _Terms:
    """Every article's content words, as 4-byte ids into one table of the corpus's words:
    a list of words costs 8 bytes a word (a pointer), 1.1 GB at the 1M scale-up."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._words: list[str] = []
        self._documents: list[np.ndarray] = []

    def take_words(self, digest: Digest) -> None:
        """Add the digest's words as the next document, and let its list go."""
        words, digest.words = digest.words, _NO_WORDS
        new = [w for w in dict.fromkeys(words) if w not in self._ids]
        self._ids.update(zip(new, range(len(self._words), len(self._words) + len(new)),
                             strict=True))
        self._words.extend(new)
        self._documents.append(np.fromiter(map(self._ids.__getitem__, words), np.uint32,
                                           len(words)))

    def __len__(self) -> int:
        return len(self._documents)

    def __iter__(self) -> Iterator[list[str]]:
        """Each document's words again, made one at a time as TF-IDF fitting reads them."""
        lookup = self._words.__getitem__
        for ids in self._documents:
            yield list(map(lookup, ids.tolist()))


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
        _return_freed_memory()  # between stages: what one let go is not the next one's
        now = time.perf_counter()
        self.laps[stage] = round(now - self._last, 4)
        self._last = now


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc: nothing to call
        return None


def _return_freed_memory() -> None:
    """Give the free pages inside the C heap back to the system (glibc's malloc_trim).

    A stage frees millions of small arrays (a digest's band hashes, its word lists); glibc
    keeps their pages for reuse, so resident memory stays at its high-water mark: at the
    100k scale-up, 773 MB resident after clustering without this, 398 MB with it.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
