"""The whole pipeline, stage by stage: the library's main entry point.

    articles -> boilerplate -> features -> candidates -> verify -> cluster -> align

``analyze(articles)`` returns an ``Analysis`` that the report module renders.

Memory: the per-word data of an article (offsets, quotation marks, shingles in order) and
its labelled blocks are what alignment needs, and only clustered articles are aligned. So
past ``KEEP_PREPARED_UP_TO`` articles the signature stage keeps of every article only what
matching needs (a ``DigestBatch`` per batch of articles: words, distinct shingles, band
hashes, figures), and the clustered articles, with those whose sentences the
related-coverage test reads, are prepared again in full afterwards (the same
deterministic functions on the same input, so the same blocks and features). Up to it,
the batches keep everything, which costs less than preparing again. The words are turned
into 4-byte ids as they arrive (``_Terms``), and the band hashes dropped once candidates
are found. Articles may come as an ``ArticleStore``, whose texts stay on disk until a
stage reads them.
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from tqdm import tqdm

from ._accel import core
from .align import ALIGN_REFERENCES, MemberAlignment, align_clusters
from .boilerplate import (
    BOILERPLATE,
    CONTENT,
    HEADLINE,
    LabelledBlock,
    RecurringBlocks,
    block_key,
    classify_blocks,
)
from .candidates import (
    BandRows,
    CandidateSettings,
    CandidateStats,
    band_count,
    batch_article_bands,
    candidates_from_rows,
    hashers,
    with_exact_pairs,
)
from .cluster import Cluster, build_clusters, components
from .load import Article
from .normalize import Block, Tokens, join_words, joined_words, tokenize
from .normalize import blocks as split_blocks
from .parallel import (
    MIN_ITEMS_PER_WORKER,
    default_jobs,
    imap_ordered,
    map_ordered,
    work_chunks,
)
from .related import RELATED_WINDOW_DAYS, Related, related_candidates, related_needed, retold_pairs
from .rewording import confirm_rewrites, find_rewrites
from .signatures import Features, featurize, featurize_many
from .slots import drop_template_pairs
from .verify import (
    Fingerprints,
    PairEvidence,
    VerifySettings,
    fingerprints_from_flat,
    pair_evidence,
    quoted_shingles,
    text_key,
    tfidf_from_ids,
    verify_pairs,
)

# A cluster's alignment costs 10-20 times an article's features: fork for fewer of them.
MIN_CLUSTERS_PER_WORKER = 8
# Up to this many articles, the signature stage keeps every article's labelled blocks and
# features for alignment instead of making them again for the clustered ones (Reuters'
# 19k: 1.5 s of 12 saved, ~150 MB more); past it, memory comes first (see above).
KEEP_PREPARED_UP_TO = 50_000
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
    # Light rewrites (rewording) and the template-series test (slots); the Spark engine
    # has neither yet, and its parity tests turn them off here.
    light_rewording: bool = True
    template_series: bool = True


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


def _bar(total: int, desc: str, show: bool, unit: str = "doc") -> tqdm:
    # disable=None lets tqdm hide itself when stderr is not a terminal (CI logs, pipes).
    return tqdm(total=total, desc=desc, unit=unit, disable=None if show else True, leave=False)


def _staged(func: Any, items: Sequence[Any], shared: Any, jobs: int, desc: str,
            progress: bool, min_per_worker: int = MIN_ITEMS_PER_WORKER) -> list[Any]:
    with _bar(len(items), desc, progress) as bar:
        return map_ordered(func, items, shared, jobs, bar.update, min_per_worker)


# Per-item work, module-level so forked workers can run it (see parallel.py).

def _paragraphs(articles: Sequence[Article], i: int) -> tuple[np.ndarray, np.ndarray]:
    """Each block's (start, end, key) as a row, and the article's distinct block keys."""
    text = articles[i].text
    spans = split_blocks(text)
    # Kept for the signature stage as rows of one array: a list of Block objects took
    # 0.7 GB at the 1M scale-up, this a third of it. The key (uint64, ``block_key``) is
    # stored as int64 beside the bounds, so the chrome rules need not hash a block again.
    rows = np.empty((len(spans), 3), np.int64)
    rows[:, 0] = [b.start for b in spans]
    rows[:, 1] = [b.end for b in spans]
    rows[:, 2] = np.array([block_key(text[b.start : b.end]) for b in spans],
                          np.uint64).view(np.int64)
    return rows, np.unique(rows[:, 2].view(np.uint64))  # 8 bytes a key


_KINDS = (CONTENT, BOILERPLATE, HEADLINE)  # LabelledBlock.kind as a byte


@dataclass
class DigestBatch:
    """What matching needs of a batch of consecutive articles past the signature stage.

    Each field is one array for the whole batch, cut per article by its ``*_ends``
    (cumulative counts, one per article): the parent unpickles what the workers send on its
    own, about 5 us an array, and nine arrays an article were 0.8 s of Reuters' 19k.
    """

    __slots__ = ("distinct", "distinct_ends", "doc_bands", "doc_owner", "exact", "figure_ends",
                 "figures", "kept", "passage_bands", "passage_counts", "quoted", "quoted_ends",
                 "word_ends", "word_ids", "words")
    # Content words, for TF-IDF: the batch's distinct words in order of first occurrence,
    # and each token as an index into them. The worker maps the words; the parent, which
    # does all of that alone, then maps a batch's distinct words, not every token.
    words: list[str]
    word_ids: np.ndarray  # uint32 per token
    word_ends: np.ndarray  # per article; its content tokens are its words
    figures: np.ndarray  # Features.figures of each
    figure_ends: np.ndarray
    distinct: np.ndarray  # sorted distinct shingles of each
    distinct_ends: np.ndarray
    quoted: np.ndarray  # verify.quoted_shingles of each
    quoted_ends: np.ndarray
    doc_bands: np.ndarray  # candidates.BandRows: a row per article with shingles
    doc_owner: np.ndarray  # the article of each row, within the batch
    passage_bands: np.ndarray
    passage_counts: np.ndarray  # passage rows of each article (BandRows.passage_counts)
    kept: KeptBatch | None  # labelled blocks and features, if kept
    exact: np.ndarray  # verify.text_key of each (uint64)

    def __len__(self) -> int:
        return len(self.word_ends)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Words as one string (see Tokens.__reduce__).
        joined = join_words(self.words)
        fields = tuple(getattr(self, name) for name in self.__slots__ if name != "words")
        if joined is None:
            return (_digest_batch, (None, self.words, fields))
        return (_digest_batch, (joined, len(self.words), fields))

    def article_words(self, k: int) -> list[str]:
        return list(map(self.words.__getitem__, _cut(self.word_ids, self.word_ends, k).tolist()))


def _digest_batch(joined: str | None, words: Any, fields: tuple[Any, ...]) -> DigestBatch:
    batch = DigestBatch.__new__(DigestBatch)
    batch.words = words if joined is None else joined_words(joined, words)
    for name, value in zip([n for n in DigestBatch.__slots__ if n != "words"], fields,
                           strict=True):
        setattr(batch, name, value)
    return batch


@dataclass
class KeptBatch:
    """The rest of a batch's labelled blocks and features, as flat arrays like the
    batch's (the words are the batch's)."""

    starts: np.ndarray  # Tokens.starts of each article, cut by the batch's word_ends
    ends: np.ndarray
    quoted_mask: np.ndarray  # Features.quoted
    shingles: np.ndarray  # Features.shingles, in order
    shingle_ends: np.ndarray
    blocks: np.ndarray  # (n, 3) int64: start, end, kind (index into _KINDS)
    block_ends: np.ndarray


def _cut(values: np.ndarray, ends: np.ndarray, k: int) -> np.ndarray:
    return values[ends[k - 1] if k else 0 : ends[k]]


def _ends(arrays: Sequence[Any]) -> np.ndarray:
    return np.cumsum(np.fromiter(map(len, arrays), np.int64, len(arrays)))


def _flat(arrays: Sequence[np.ndarray], dtype: Any) -> np.ndarray:
    return np.concatenate(arrays) if len(arrays) else np.empty(0, dtype)


def _pack(features: list[Features], labelled: list[list[LabelledBlock]], bands: BandRows,
          keep: bool, exact: np.ndarray) -> DigestBatch:
    tokens = [w for f in features for w in f.tokens.words]
    index: dict[str, int] = {}  # distinct words in order of first occurrence
    word_ids = (core.word_ids(tokens, index) if core is not None else
                np.fromiter((index.setdefault(w, len(index)) for w in tokens), np.uint32,
                            len(tokens)))
    distinct = [_distinct(f.shingles) for f in features]
    # Without a quoted word there is no quoted shingle (a tenth of the stage's time else).
    quoted = [quoted_shingles(f) if f.quoted.any() else _NO_SHINGLES for f in features]
    figures = [f.figures for f in features]
    kept = None
    if keep:
        kept = KeptBatch(
            _flat([f.tokens.starts for f in features], np.int32),
            _flat([f.tokens.ends for f in features], np.int32),
            _flat([f.quoted for f in features], bool),
            _flat([f.shingles for f in features], np.uint64), _ends([f.shingles for f in features]),
            np.array([(b.start, b.end, _KINDS.index(b.kind)) for bs in labelled for b in bs],
                     np.int64).reshape(-1, 3),
            _ends(labelled))
    return DigestBatch(
        list(index), word_ids, _ends([f.tokens.words for f in features]),
        _flat(figures, np.uint64), _ends(figures),
        _flat(distinct, np.uint64), _ends(distinct),
        _flat(quoted, np.uint64), _ends(quoted),
        bands.docs, bands.doc_owner, bands.passages, bands.passage_counts, kept, exact)


def _unpack_prepared(batch: DigestBatch, k: int) -> tuple[list[LabelledBlock], Features]:
    """Article ``k`` of a batch with kept features: its labelled blocks and features."""
    kept = batch.kept
    assert kept is not None
    labelled = [LabelledBlock(start, end, _KINDS[kind])
                for start, end, kind in _cut(kept.blocks, kept.block_ends, k).tolist()]
    tokens = Tokens(batch.article_words(k), _cut(kept.starts, batch.word_ends, k),
                    _cut(kept.ends, batch.word_ends, k))
    return labelled, Features(tokens, _cut(kept.quoted_mask, batch.word_ends, k),
                              _cut(kept.shingles, kept.shingle_ends, k),
                              _cut(batch.figures, batch.figure_ends, k))


def _labelled_features(a: Article, recurring: RecurringBlocks,
                       spans: list[Block]) -> tuple[list[LabelledBlock], Features]:
    labelled = classify_blocks(a.text, a.title, a.outlet, recurring, spans)
    return labelled, featurize(a, labelled)


def _prepare(shared: tuple[Sequence[Article], RecurringBlocks],
             i: int) -> tuple[list[LabelledBlock], Features]:
    articles, recurring = shared
    return _labelled_features(articles[i], recurring, split_blocks(articles[i].text))


def _digests(shared: tuple[Sequence[Article], list[np.ndarray], RecurringBlocks,
                           CandidateSettings, bool], bounds: tuple[int, int]) -> DigestBatch:
    """The digest of articles lo..hi-1: labelled one by one, hashed as one batch; with
    their labelled blocks and features if asked to keep them (``KEEP_PREPARED_UP_TO``)."""
    articles, spans, recurring, candidates, keep = shared
    batch = [articles[i] for i in range(*bounds)]
    labelled = [classify_blocks(a.text, a.title, a.outlet, recurring,
                                [Block(start, end) for start, end, _ in spans[i].tolist()],
                                spans[i][:, 2].view(np.uint64).tolist())
                for i, a in zip(range(*bounds), batch, strict=True)]
    every = [tokenize(a.text) for a in batch]
    features, shingles, offsets = featurize_many(batch, labelled, every)
    # Exact copies by their whole text; an article without content has nothing to align.
    exact = np.fromiter((text_key(t.words) if len(f.tokens) else 0
                         for t, f in zip(every, features, strict=True)), np.uint64, len(every))
    del every
    bands = batch_article_bands(shingles, offsets, candidates, *hashers(candidates))
    return _pack(features, labelled, bands, keep, exact)


def _distinct(values: np.ndarray) -> np.ndarray:
    # np.unique without its checks and options: it runs once per article.
    ordered = np.sort(values)
    if not len(ordered):
        return ordered
    first = np.empty(len(ordered), bool)  # np.r_ took longer than the sort
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


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


def _align(shared: tuple[Any, ...], clusters: Sequence[Cluster]) -> list[list[MemberAlignment]]:
    articles, features, blocks = shared
    return align_clusters([(c.members, c.source) for c in clusters], articles, features, blocks)


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
    batches: list[DigestBatch] = []
    keep = len(indices) <= KEEP_PREPARED_UP_TO
    with _bar(len(indices), "signatures", progress) as bar:
        for batch in imap_ordered(
                _digests, [(lo, min(lo + DIGEST_BATCH, len(indices)))
                           for lo in range(0, len(indices), DIGEST_BATCH)],
                (articles, spans, recurring, settings.candidates, keep), jobs,
                min_per_worker=max(1, MIN_ITEMS_PER_WORKER // DIGEST_BATCH)):
            bar.update(len(batch))
            terms.take_batch(batch.words, batch.word_ids, batch.word_ends)
            if batch.kept is None:
                batch.words, batch.word_ids = _NO_WORDS, _NO_IDS
            batches.append(batch)
    del spans
    clock.lap("boilerplate+signatures")
    with _bar(band_count(settings.candidates), "candidates", progress, "band") as bar:
        pairs, stats = candidates_from_rows(_band_rows(batches), len(indices), settings.candidates,
                                            bar.update)
    exact = _flat([b.exact for b in batches], np.uint64)
    pairs = with_exact_pairs(pairs, exact, settings.candidates.max_bucket, stats)
    clock.lap("candidates")
    quoted = [q for b in batches for q in np.split(b.quoted, b.quoted_ends[:-1])]
    figures = [f for b in batches for f in np.split(b.figures, b.figure_ends[:-1])]
    sizes = [int(n) for b in batches for n in np.diff(b.word_ends, prepend=0)]
    fingerprints = fingerprints_from_flat(*_take_distinct(batches), quoted, figures,
                                          settings.verify)
    fingerprints.exact = exact
    del quoted, figures
    tfidf, vectorizer = tfidf_from_ids(terms.documents, terms.words)
    slices = [(lo, min(lo + VERIFY_SLICE, len(pairs))) for lo in range(0, len(pairs), VERIFY_SLICE)]
    with _bar(len(pairs), "verify", progress) as bar:
        judged = map_ordered(_verify, slices, (pairs, fingerprints, tfidf, settings.verify), jobs,
                             lambda n: bar.update(min(n * VERIFY_SLICE, bar.total - bar.n)), 2)
    copies = [e for part in judged for e in part]
    del judged
    clock.lap("verify")
    reworded = (_rewrites(copies, terms, tfidf, vectorizer, fingerprints)
                if settings.light_rewording else [])
    copies += reworded
    del terms
    clock.lap("rewrites")
    if focus is not None:  # a check reports only the clusters of its new articles
        copies = _touching(copies, focus, len(articles))
    # The articles of copy pairs are the ones clustered: their blocks and features serve
    # the template test now and alignment later.
    blocks: dict[int, list[LabelledBlock]] = {}
    features: dict[int, Features] = {}
    _prepare_again(sorted({i for e in copies for i in (e.a, e.b)}), articles, recurring,
                   blocks, features, jobs, progress, batches)
    text_of = _text_of(articles)
    found_by_bigrams = {(e.a, e.b) for e in reworded}
    if found_by_bigrams:  # pairs verified by shingles are never among them
        held = {(e.a, e.b) for e in confirm_rewrites(
            [e for e in copies if (e.a, e.b) in found_by_bigrams], text_of, features)}
        failed = found_by_bigrams - held
        copies = [e for e in copies if (e.a, e.b) not in failed]
    if settings.template_series:
        copies = drop_template_pairs(copies, text_of, features)
    clock.lap("templates")
    dates = [a.date for a in articles]
    clusters = build_clusters(len(articles), copies, fingerprints, dates, sizes)
    del fingerprints, pairs  # per-article shingle sets: not needed past clustering
    if focus is not None:
        wanted = set(focus)
        clusters = [c for c in clusters if wanted.intersection(c.members)]
    clock.lap("cluster")
    # Work items of several clusters, sized by their cost: one transform of sentences each.
    align_jobs = max(1, min(jobs, len(clusters) // MIN_CLUSTERS_PER_WORKER))
    aligned: list[list[MemberAlignment]] = []
    with _bar(len(clusters), "align", progress) as bar:
        for part in imap_ordered(_align, work_chunks(clusters, align_jobs, _cluster_cost),
                                 (articles, features, blocks), align_jobs,
                                 min_per_worker=1):
            aligned.extend(part)
            bar.update(len(part))
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
                       progress, batches)
        related = retold_pairs(candidates, articles, features, blocks, vectorizer, jobs)
    del batches
    clock.lap("related")
    return Analysis(articles, blocks, features, results, copies, related, stats, clock.laps)


def _text_of(articles: Sequence[Article]) -> Callable[[int], str]:
    return lambda i: articles[i].text


def _touching(copies: list[PairEvidence], focus: Collection[int], n: int
              ) -> list[PairEvidence]:
    """The pairs of the connected components that hold an article of ``focus``: dropping
    pairs only splits components, so the others cannot change the focused clusters."""
    wanted = set(focus)
    keep = {i for group in components(n, [(e.a, e.b) for e in copies])
            if wanted.intersection(group) for i in group}
    return [e for e in copies if e.a in keep]


def _rewrites(copies: list[PairEvidence], terms: _Terms, tfidf: csr_matrix,
              vectorizer: Any, fingerprints: Fingerprints) -> list[PairEvidence]:
    """Light rewrites (``rewording``) among the pairs the shingles did not verify."""
    vocabulary = vectorizer.vocabulary_
    idf = vectorizer.idf_[np.fromiter((vocabulary[w] for w in terms.words), np.int64,
                                      len(terms.words))] if terms.words else np.zeros(0)
    known = {(min(e.a, e.b), max(e.a, e.b)) for e in copies}
    found = find_rewrites(tfidf, terms.documents, idf, fingerprints.figures, known)
    return [pair_evidence(fingerprints, tfidf, a, b) for a, b in found]


def _band_rows(batches: list[DigestBatch]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Every batch's whole-article band rows with their articles, then its passage rows:
    each kind made only when asked for, and let go by the batches as it is copied (the
    corpus's band hashes are not held twice)."""
    owner = _flat([k * DIGEST_BATCH + b.doc_owner for k, b in enumerate(batches)], np.int64)
    yield _take_stacked(batches, "doc_bands"), owner
    owner = _flat([np.repeat(k * DIGEST_BATCH + np.arange(len(b)), b.passage_counts)
                   for k, b in enumerate(batches)], np.int64)
    yield _take_stacked(batches, "passage_bands"), owner


def _take_stacked(batches: list[DigestBatch], name: str) -> np.ndarray:
    """Every batch's array ``name`` stacked into one, in batch order; each batch's array
    is replaced by an empty one as it is copied, so nothing is held twice."""
    parts = [getattr(b, name) for b in batches]
    filled = [p for p in parts if len(p)]
    tail, dtype = (filled[0].shape[1:], filled[0].dtype) if filled else ((), np.uint64)
    del filled
    out = np.empty((sum(map(len, parts)), *tail), dtype)
    del parts
    at = 0
    for batch in batches:
        part = getattr(batch, name)
        if len(part):
            out[at : at + len(part)] = part
            at += len(part)
        setattr(batch, name, np.empty((0, *part.shape[1:]), part.dtype))
    return out


_NO_SHINGLES = np.empty(0, np.uint64)
_NO_WORDS: list[str] = []  # shared by every digest whose words were taken (never changed)
_NO_IDS = np.empty(0, np.uint32)


class _Terms:
    """Every article's content words, as 4-byte ids into one table of the corpus's words:
    a list of words costs 8 bytes a word (a pointer), 1.1 GB at the 1M scale-up."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._words: list[str] = []
        self._documents: list[np.ndarray] = []

    def take_batch(self, words: list[str], word_ids: np.ndarray, word_ends: np.ndarray
                   ) -> None:
        """Add the articles of a batch as the next documents, given as the batch's distinct
        words in order of first occurrence, each token's index into them and each
        article's end (``DigestBatch``). New words get the next ids in that order: the
        corpus's words numbered by first occurrence, document by document."""
        new = [w for w in words if w not in self._ids]
        self._ids.update(zip(new, range(len(self._words), len(self._words) + len(new)),
                             strict=True))
        self._words.extend(new)
        ids = np.fromiter(map(self._ids.__getitem__, words), np.uint32, len(words))[word_ids]
        self._documents.extend(np.split(ids, word_ends[:-1]) if len(word_ends) else [])

    def __len__(self) -> int:
        return len(self._documents)

    @property
    def documents(self) -> list[np.ndarray]:
        """Each document's words as ids: the corpus's words numbered in order of first
        occurrence, as scikit-learn numbers them while it counts (``tfidf_from_ids``)."""
        return self._documents

    @property
    def words(self) -> list[str]:
        """The word of each id."""
        return self._words


def _take_distinct(batches: list[DigestBatch]) -> tuple[np.ndarray, np.ndarray]:
    """Every article's distinct shingles in one array, and how many each has."""
    lengths = _flat([np.diff(b.distinct_ends, prepend=0) for b in batches], np.int64)
    return _take_stacked(batches, "distinct"), lengths


def _prepare_again(indices: Sequence[int], articles: Sequence[Article],
                   recurring: RecurringBlocks, blocks: dict[int, list[LabelledBlock]],
                   features: dict[int, Features], jobs: int, progress: bool,
                   batches: list[DigestBatch]) -> None:
    """Labelled blocks and features of the ``indices`` not in ``blocks`` yet: from the
    signature stage's batches if they kept them, else made again."""
    missing = [i for i in indices if i not in blocks]
    if batches and batches[0].kept is not None:
        for i in missing:
            blocks[i], features[i] = _unpack_prepared(batches[i // DIGEST_BATCH],
                                                      i % DIGEST_BATCH)
        return
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
