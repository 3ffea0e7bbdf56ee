"""The whole pipeline, stage by stage: the library's main entry point.

    paragraphs -> boilerplate+signatures -> candidates -> verify -> rewrites -> templates
    -> cluster -> align -> related

``analyze(articles)`` runs the stages of ``_STAGES`` in order, each a function of the
analysis so far (``_Run``), and returns an ``Analysis`` that the report module renders.

Memory: the per-word data of an article (offsets, quotation marks, shingles in order) and
its labelled blocks are what alignment needs, and only clustered articles are aligned. So
past ``KEEP_PREPARED_UP_TO`` articles the signature stage keeps of every article only what
matching needs (a ``packing.DigestBatch`` per batch of articles), and the clustered
articles, with those whose sentences the related-coverage test reads, are prepared again
in full afterwards (the same deterministic functions on the same input, so the same blocks
and features). Up to it, the batches keep everything, which costs less than preparing
again. Articles may come as an ``ArticleStore``, whose texts stay on disk until a stage
reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from scipy.sparse import csr_matrix
from tqdm import tqdm

from .align import ALIGN_REFERENCES, MemberAlignment, align_clusters
from .boilerplate import (
    LabelledBlock,
    RecurringBlocks,
    block_key,
    classify_blocks,
)
from .candidates import (
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
from .normalize import Block, tokenize
from .normalize import blocks as split_blocks
from .packing import (
    NO_IDS,
    NO_WORDS,
    DigestBatch,
    Terms,
    flat,
    pack,
    take_distinct,
    take_stacked,
    unpack_prepared,
)
from .parallel import (
    MIN_ITEMS_PER_WORKER,
    Clock,
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
    text_key,
    tfidf_from_ids,
    verify_pairs,
)

__all__ = [
    "DIGEST_BATCH",
    "KEEP_PREPARED_UP_TO",
    "MIN_CLUSTERS_PER_WORKER",
    "VERIFY_SLICE",
    "Analysis",
    "ClusterResult",
    "Settings",
    "analyze",
]

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


def analyze(
    articles: Sequence[Article],
    settings: Settings | None = None,
    progress: bool = False,
    recurring: RecurringBlocks | None = None,
    focus: Collection[int] | None = None,
    counted: Collection[int] = (),
) -> Analysis:
    """Find copy clusters in ``articles`` and align their members.

    ``recurring`` carries block recurrence counts from a larger corpus (a persistent
    index): the articles given here are counted on top of it, except those in ``counted``
    (indices into ``articles``) which it counts already, so chrome learned from the whole
    corpus is recognised in a small batch too.

    ``focus`` (indices into ``articles``) is for a CI check, which only reports on its new
    articles: clusters without one of them are found but neither aligned nor returned, and
    related stories are not searched. The clusters returned are aligned exactly as without
    ``focus``; their ids count only the returned clusters.
    """
    settings = settings or Settings()
    # A Sequence is used as it is (an ArticleStore stays on disk); anything else is listed.
    articles = articles if isinstance(articles, Sequence) else list(articles)
    run = _Run(articles, settings, settings.jobs or default_jobs(), progress,
               recurring if recurring is not None else RecurringBlocks(), focus, set(counted))
    clock = Clock()
    for name, stage in _STAGES:
        stage(run)
        clock.lap(name)
    return Analysis(articles, run.blocks, run.features, run.results, run.copies, run.related,
                    run.stats, clock.laps)


@dataclass
class _Run:
    """One analysis as it goes through the stages: each stage reads what the ones before
    it left here and lets go of what no later stage reads."""

    articles: Sequence[Article]
    settings: Settings
    jobs: int
    progress: bool
    recurring: RecurringBlocks
    focus: Collection[int] | None
    counted: set[int]
    spans: list[np.ndarray] = field(default_factory=list)  # paragraphs -> signatures
    batches: list[DigestBatch] = field(default_factory=list)  # signatures -> related
    terms: Terms = field(default_factory=Terms)  # signatures -> rewrites
    pairs: np.ndarray | None = None  # candidates -> cluster
    exact: np.ndarray | None = None  # candidates -> verify
    stats: CandidateStats = field(default_factory=CandidateStats)
    fingerprints: Fingerprints | None = None  # verify -> cluster
    sizes: list[int] = field(default_factory=list)  # content words of each
    tfidf: Any = None  # verify -> related
    vectorizer: Any = None
    copies: list[PairEvidence] = field(default_factory=list)
    reworded: list[PairEvidence] = field(default_factory=list)  # rewrites -> templates
    # Labelled blocks and features of the clustered articles (templates -> align) and of
    # those the related test reads (related).
    blocks: dict[int, list[LabelledBlock]] = field(default_factory=dict)
    features: dict[int, Features] = field(default_factory=dict)
    clusters: list[Cluster] = field(default_factory=list)  # cluster -> related
    results: list[ClusterResult] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)


def _split_paragraphs(run: _Run) -> None:
    """Paragraphs of every article, counted into ``run.recurring`` (the chrome rules)."""
    articles = run.articles
    split = _staged(_paragraphs, range(len(articles)), articles, run.jobs, "paragraphs",
                    run.progress)
    new = [i for i in range(len(articles)) if i not in run.counted]
    run.recurring.add_corpus([split[i][1] for i in new], [articles[i].outlet for i in new])
    run.spans = [s for s, _ in split]


def _sign(run: _Run) -> None:
    """Blocks labelled, features and band hashes of every article, packed into digests."""
    n = len(run.articles)
    keep = n <= KEEP_PREPARED_UP_TO
    shared = _DigestInput(run.articles, run.spans, run.recurring, run.settings.candidates, keep)
    with _bar(n, "signatures", run.progress) as bar:
        for batch in imap_ordered(
                _digests, [(lo, min(lo + DIGEST_BATCH, n)) for lo in range(0, n, DIGEST_BATCH)],
                shared, run.jobs, min_per_worker=max(1, MIN_ITEMS_PER_WORKER // DIGEST_BATCH)):
            bar.update(len(batch))
            run.terms.take_batch(batch.words, batch.word_ids, batch.word_ends)
            if batch.kept is None:
                batch.words, batch.word_ids = NO_WORDS, NO_IDS
            run.batches.append(batch)
    run.spans = []


def _find_candidates(run: _Run) -> None:
    """Candidate pairs by LSH bands, and the exact copies by their whole text."""
    settings = run.settings.candidates
    with _bar(band_count(settings), "candidates", run.progress, "band") as bar:
        pairs, run.stats = candidates_from_rows(_band_rows(run.batches), len(run.articles),
                                                settings, bar.update)
    run.exact = flat([b.exact for b in run.batches], np.uint64)
    run.pairs = with_exact_pairs(pairs, run.exact, settings.max_bucket, run.stats)


def _verify_candidates(run: _Run) -> None:
    """The candidate pairs that share enough unquoted text: the copy pairs."""
    batches, pairs = run.batches, run.pairs
    assert pairs is not None
    quoted = [q for b in batches for q in np.split(b.quoted, b.quoted_ends[:-1])]
    figures = [f for b in batches for f in np.split(b.figures, b.figure_ends[:-1])]
    run.sizes = [int(n) for b in batches for n in np.diff(b.word_ends, prepend=0)]
    fingerprints = fingerprints_from_flat(*take_distinct(batches), quoted, figures,
                                          run.settings.verify)
    fingerprints.exact, run.exact = run.exact, None
    del quoted, figures
    run.fingerprints = fingerprints
    run.tfidf, run.vectorizer = tfidf_from_ids(run.terms.documents, run.terms.words)
    slices = [(lo, min(lo + VERIFY_SLICE, len(pairs))) for lo in range(0, len(pairs), VERIFY_SLICE)]
    with _bar(len(pairs), "verify", run.progress) as bar:
        judged = map_ordered(_verify, slices,
                             _VerifyInput(pairs, fingerprints, run.tfidf, run.settings.verify),
                             run.jobs,
                             lambda n: bar.update(min(n * VERIFY_SLICE, bar.total - bar.n)), 2)
    run.copies = [e for part in judged for e in part]


def _find_rewrites(run: _Run) -> None:
    """Light rewrites (``rewording``) among the pairs the shingles did not verify."""
    if run.settings.light_rewording:
        assert run.fingerprints is not None
        run.reworded = _rewrites(run.copies, run.terms, run.tfidf, run.vectorizer,
                                 run.fingerprints)
    run.copies += run.reworded
    run.terms = Terms()


def _drop_templates(run: _Run) -> None:
    """Rewrites whose wording does not hold and pairs written to one template dropped."""
    if run.focus is not None:  # a check reports only the clusters of its new articles
        run.copies = _touching(run.copies, run.focus, len(run.articles))
    # The articles of copy pairs are the ones clustered: their blocks and features serve
    # the template test now and alignment later.
    _prepare_again(run, sorted({i for e in run.copies for i in (e.a, e.b)}))
    text_of = _text_of(run.articles)
    found_by_bigrams = {(e.a, e.b) for e in run.reworded}
    if found_by_bigrams:  # pairs verified by shingles are never among them
        held = {(e.a, e.b) for e in confirm_rewrites(
            [e for e in run.copies if (e.a, e.b) in found_by_bigrams], text_of, run.features)}
        failed = found_by_bigrams - held
        run.copies = [e for e in run.copies if (e.a, e.b) not in failed]
    if run.settings.template_series:
        run.copies = drop_template_pairs(run.copies, text_of, run.features)


def _cluster(run: _Run) -> None:
    """Copy pairs into clusters, each with its source."""
    dates = [a.date for a in run.articles]
    clusters = build_clusters(len(run.articles), run.copies, run.fingerprints, dates, run.sizes)
    run.fingerprints = run.pairs = None  # per-article shingle sets: not needed past clustering
    if run.focus is not None:
        wanted = set(run.focus)
        clusters = [c for c in clusters if wanted.intersection(c.members)]
    run.clusters = clusters


def _align_clusters(run: _Run) -> None:
    """What each member kept, cut, changed and added (``align``)."""
    clusters = run.clusters
    # Work items of several clusters, sized by their cost: one transform of sentences each.
    align_jobs = max(1, min(run.jobs, len(clusters) // MIN_CLUSTERS_PER_WORKER))
    aligned: list[list[MemberAlignment]] = []
    with _bar(len(clusters), "align", run.progress) as bar:
        for part in imap_ordered(_align, work_chunks(clusters, align_jobs, _cluster_cost),
                                 _AlignInput(run.articles, run.features, run.blocks),
                                 align_jobs, min_per_worker=1):
            aligned.extend(part)
            bar.update(len(part))
    run.results = [
        ClusterResult(f"C{k}", c.source, members)
        for k, (c, members) in enumerate(zip(clusters, aligned, strict=True), start=1)
    ]


def _find_related(run: _Run) -> None:
    """Stories retold in other words (``related``); not searched by a check."""
    if run.focus is None:
        clusters = run.clusters
        with _bar(sum(len(c.members) for c in clusters), "related", run.progress) as bar:
            candidates = related_candidates([c.members for c in clusters], run.articles,
                                            run.tfidf, run.jobs, bar.update,
                                            run.settings.related_days)
        _prepare_again(run, related_needed(candidates))
        run.related = retold_pairs(candidates, run.articles, run.features, run.blocks,
                                   run.vectorizer, run.jobs)
    run.batches = []


# The stages in order, each timed under its name (Analysis.timings).
_STAGES: tuple[tuple[str, Callable[[_Run], None]], ...] = (
    ("paragraphs", _split_paragraphs),
    ("boilerplate+signatures", _sign),
    ("candidates", _find_candidates),
    ("verify", _verify_candidates),
    ("rewrites", _find_rewrites),
    ("templates", _drop_templates),
    ("cluster", _cluster),
    ("align", _align_clusters),
    ("related", _find_related),
)


def _bar(total: int, desc: str, show: bool, unit: str = "doc") -> tqdm:
    # disable=None lets tqdm hide itself when stderr is not a terminal (CI logs, pipes).
    return tqdm(total=total, desc=desc, unit=unit, disable=None if show else True, leave=False)


def _staged(func: Any, items: Sequence[Any], shared: Any, jobs: int, desc: str,
            progress: bool, min_per_worker: int = MIN_ITEMS_PER_WORKER) -> list[Any]:
    with _bar(len(items), desc, progress) as bar:
        return map_ordered(func, items, shared, jobs, bar.update, min_per_worker)


# Per-item work, module-level so forked workers can run it (see parallel.py); what every
# item of a stage reads comes as one named tuple.

class _PrepareInput(NamedTuple):
    articles: Sequence[Article]
    recurring: RecurringBlocks


class _DigestInput(NamedTuple):
    articles: Sequence[Article]
    spans: list[np.ndarray]  # each article's blocks (``_paragraphs``)
    recurring: RecurringBlocks
    candidates: CandidateSettings
    keep: bool  # labelled blocks and features kept in the digest (KEEP_PREPARED_UP_TO)


class _VerifyInput(NamedTuple):
    pairs: np.ndarray
    fingerprints: Fingerprints
    tfidf: Any
    settings: VerifySettings


class _AlignInput(NamedTuple):
    articles: Sequence[Article]
    features: dict[int, Features]
    blocks: dict[int, list[LabelledBlock]]


def _paragraphs(articles: Sequence[Article], i: int) -> tuple[np.ndarray, np.ndarray]:
    """Each block's (start, end, key) as a row, and the article's distinct block keys."""
    text = articles[i].text
    spans = split_blocks(text)
    # Rows of one array, not Block objects (a third of the memory). The key (uint64,
    # ``block_key``) is kept as int64 beside the bounds: the chrome rules need not hash
    # a block again.
    rows = np.empty((len(spans), 3), np.int64)
    rows[:, 0] = [b.start for b in spans]
    rows[:, 1] = [b.end for b in spans]
    rows[:, 2] = np.array([block_key(text[b.start : b.end]) for b in spans],
                          np.uint64).view(np.int64)
    return rows, np.unique(rows[:, 2].view(np.uint64))  # 8 bytes a key


def _labelled_features(a: Article, recurring: RecurringBlocks,
                       spans: list[Block]) -> tuple[list[LabelledBlock], Features]:
    labelled = classify_blocks(a.text, a.title, a.outlet, recurring, spans)
    return labelled, featurize(a, labelled)


def _prepare(shared: _PrepareInput, i: int) -> tuple[list[LabelledBlock], Features]:
    article = shared.articles[i]
    return _labelled_features(article, shared.recurring, split_blocks(article.text))


def _digests(shared: _DigestInput, bounds: tuple[int, int]) -> DigestBatch:
    """The digest of articles lo..hi-1: labelled one by one, hashed as one batch; with
    their labelled blocks and features if asked to keep them (``KEEP_PREPARED_UP_TO``)."""
    spans, recurring = shared.spans, shared.recurring
    batch = [shared.articles[i] for i in range(*bounds)]
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
    bands = batch_article_bands(shingles, offsets, shared.candidates,
                                *hashers(shared.candidates))
    return pack(features, labelled, bands, shared.keep, exact)


def _verify(shared: _VerifyInput, bounds: tuple[int, int]) -> list[PairEvidence]:
    lo, hi = bounds
    copies, _ = verify_pairs(shared.pairs[lo:hi], shared.fingerprints, shared.tfidf,
                             shared.settings, keep_rejected=False)
    return copies


def _cluster_cost(cluster: Cluster) -> int:
    # Each member's sentences are compared with those of up to ALIGN_REFERENCES members.
    n = len(cluster.members)
    return n * min(n, ALIGN_REFERENCES)


def _align(shared: _AlignInput, clusters: Sequence[Cluster]) -> list[list[MemberAlignment]]:
    return align_clusters([(c.members, c.source) for c in clusters], shared.articles,
                          shared.features, shared.blocks)


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


def _rewrites(copies: list[PairEvidence], terms: Terms, tfidf: csr_matrix,
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
    owner = flat([k * DIGEST_BATCH + b.doc_owner for k, b in enumerate(batches)], np.int64)
    yield take_stacked(batches, "doc_bands"), owner
    owner = flat([np.repeat(k * DIGEST_BATCH + np.arange(len(b)), b.passage_counts)
                  for k, b in enumerate(batches)], np.int64)
    yield take_stacked(batches, "passage_bands"), owner


def _prepare_again(run: _Run, indices: Sequence[int]) -> None:
    """Labelled blocks and features of the ``indices`` not in ``run.blocks`` yet: from the
    signature stage's batches if they kept them, else made again."""
    blocks, features, batches = run.blocks, run.features, run.batches
    missing = [i for i in indices if i not in blocks]
    if batches and batches[0].kept is not None:
        for i in missing:
            blocks[i], features[i] = unpack_prepared(batches[i // DIGEST_BATCH],
                                                     i % DIGEST_BATCH)
        return
    prepared = _staged(_prepare, missing, _PrepareInput(run.articles, run.recurring), run.jobs,
                       "prepare", run.progress)
    for i, (labelled, feats) in zip(missing, prepared, strict=True):
        blocks[i] = labelled
        features[i] = feats
