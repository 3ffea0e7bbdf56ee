"""Stage 9: related coverage: articles outside a cluster that retell its members' facts in
their own words. The stage is ``related_candidates`` (whole-article TF-IDF, within the day
window) followed by ``retold_pairs`` (the sentence test); ``analyze`` runs the two with the
clustered and related articles prepared again in between. tests/test_pipeline.py's
``test_related_pairs_on_workers_are_those_one_loop_over_the_pairs_finds`` ties the batched
test to a plain loop over the pairs.

Whole-article TF-IDF cannot tell the same story from the same topic (both score about 0.3
on the seeds); retold sentences can: an independent rewrite restates several of the copy's
sentences, an article on another story restates none.

Only articles published at most ``window_days`` apart are compared (None: all of them; an
undated article, or one whose date is not ISO, with every article): the same story is
covered within days, and the window keeps the search from growing with the square of a
corpus that spans months (``window``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from scipy.sparse import csr_matrix

from .align import sentence_words
from .boilerplate import LabelledBlock
from .load import Article
from .parallel import map_ordered
from .signatures import Features
from .similar import DIRECT_PAIRS, rows_matched
from .vocabulary import SAME_STORY
from .window import RELATED_WINDOW_DAYS, UNDATED, day_numbers, within_window

if TYPE_CHECKING:  # imported at run time by .verify, which keeps pandas out of it
    from sklearn.feature_extraction.text import TfidfVectorizer

__all__ = [
    "RELATED_MIN_COSINE",
    "RELATED_MIN_SHARE",
    "RELATED_PER_ARTICLE",
    "RELATED_SENTENCE_COSINE",
    "RELATED_WINDOW_DAYS",
    "UNDATED",
    "Related",
    "day_numbers",
    "related_candidates",
    "related_chunk_rows",
    "related_needed",
    "retold_pairs",
    "within_window",
]

RELATED_MIN_COSINE = 0.2  # whole-article TF-IDF cosine to consider a pair at all
RELATED_SENTENCE_COSINE = 0.4  # a sentence retelling a sentence of the other article
RELATED_MIN_SHARE = 0.1  # share of one article's sentences retold in the other
RELATED_PER_ARTICLE = 10


@dataclass(frozen=True)
class Related:
    """Two articles that report the same story without sharing copy."""

    a: int
    b: int
    kind: str
    score: float


def related_candidates(
    clusters: Sequence[Sequence[int]],
    articles: Sequence[Article],
    doc_tfidf: csr_matrix,
    jobs: int = 1,
    on_done: Callable[[int], None] | None = None,
    window_days: int | None = RELATED_WINDOW_DAYS,
) -> dict[int, list[int]]:
    """Per cluster member: the articles outside its cluster and within its window most
    similar to it as whole articles (the stage's first step)."""
    cluster_of = {i: k for k, members in enumerate(clusters) for i in members}
    members = sorted(cluster_of)
    if not members:
        return {}
    days = day_numbers([a.date for a in articles])
    if window_days is None:
        days[:] = UNDATED  # every article against every other
    chunks = _related_chunks(members, days, window_days or 0)
    # Undated members compare with the whole corpus: transposed once, before forking,
    # so the workers share it.
    corpus_t = doc_tfidf.T.tocsr() if any(c is None for _, c in chunks) else None
    finished = 0

    def chunks_done(n: int) -> None:
        nonlocal finished
        if on_done is not None:
            on_done(sum(len(c) for c, _ in chunks[finished : finished + n]))
        finished += n

    wanted: dict[int, list[int]] = {}
    # The member-by-window product is the stage's cost: chunks of members on every core,
    # each result the same whichever process computes it.
    shared = _CandidateInput(doc_tfidf, corpus_t, days, cluster_of, window_days or 0)
    for part in map_ordered(_related_candidates, chunks, shared, jobs, chunks_done,
                            min_per_worker=2):
        wanted.update(part)
    return wanted


def related_needed(wanted: dict[int, list[int]]) -> list[int]:
    """The articles whose sentences the test of ``wanted`` pairs compares."""
    return sorted(set(wanted) | {b for bs in wanted.values() for b in bs})


def retold_pairs(
    wanted: dict[int, list[int]],
    articles: Sequence[Article],
    features: Mapping[int, Features] | Sequence[Features],
    blocks: Mapping[int, list[LabelledBlock]] | Sequence[list[LabelledBlock]],
    vectorizer: TfidfVectorizer,
    jobs: int = 1,
) -> list[Related]:
    """The sentence test of ``related_candidates``'s pairs: those that retell each other.
    ``features`` and ``blocks`` need only hold the ``related_needed`` articles.

    Each member's pairs are tested on a worker, from the member's side; a pair is kept
    the first time it passes, members in ``wanted``'s order (so a pair that fails from
    one side may still pass from the other, as one process finds it)."""
    needed = related_needed(wanted)
    matrix, rows = _sentence_matrix(needed, articles, features, blocks, vectorizer, jobs)
    members = list(wanted)
    items = [members[lo : lo + RETOLD_ITEM] for lo in range(0, len(members), RETOLD_ITEM)]
    found: dict[tuple[int, int], Related] = {}
    tested = (t for part in map_ordered(_retold_tests, items, _RetoldInput(wanted, matrix, rows),
                                        jobs, min_per_worker=2) for t in part)
    for a, shares in zip(members, tested, strict=True):
        for b, share in shares:
            key = (min(a, b), max(a, b))
            if share is not None and key not in found:
                found[key] = Related(key[0], key[1], SAME_STORY, share)
    return [found[k] for k in sorted(found)]


RETOLD_ITEM = 64  # members whose pairs one work item tests


class _RetoldInput(NamedTuple):
    wanted: dict[int, list[int]]  # each member's candidates (``related_candidates``)
    matrix: csr_matrix  # TF-IDF rows of the needed articles' sentences
    rows: dict[int, tuple[int, int]]  # each article's rows of ``matrix``


def _retold_tests(shared: _RetoldInput, members: list[int]
                  ) -> list[list[tuple[int, float | None]]]:
    """For each member a: (b, share, or None if the pair fails) for each of its pairs."""
    wanted, matrix, rows = shared.wanted, shared.matrix, shared.rows
    out: list[list[tuple[int, float | None]]] = []
    for a in members:
        bs = wanted[a]
        va = matrix[rows[a][0] : rows[a][1]]
        if not bs or not va.shape[0]:
            out.append([])
            continue
        shares: list[tuple[int, float | None]] = []
        kept = [b for b in bs if rows[b][1] > rows[b][0]]
        stacked = [np.arange(*rows[b]) for b in kept]
        # Articles of ordinary length: one product with all of a's pairs (each entry sums
        # over a's row in its order, so a column holds what a product with b alone holds).
        block = ((va @ matrix[np.concatenate(stacked)].T).toarray()
                 if stacked and va.shape[0] * sum(map(len, stacked)) <= DIRECT_PAIRS else None)
        offset = 0
        for b, idx in zip(kept, stacked, strict=True):
            if block is not None:
                s = block[:, offset : offset + len(idx)]
                offset += len(idx)
                a_retold = s.max(axis=1) >= RELATED_SENTENCE_COSINE
                b_retold = s.max(axis=0) >= RELATED_SENTENCE_COSINE
            else:
                # Only the sentence pairs that may reach the threshold are scored
                # (``similar``): every pair of two long articles would cost the product of
                # their lengths.
                a_retold, b_retold = rows_matched(va, matrix[rows[b][0] : rows[b][1]],
                                                  RELATED_SENTENCE_COSINE)
            share = max(a_retold.mean(), b_retold.mean())
            retold = max(int(a_retold.sum()), int(b_retold.sum()))
            passed = share >= RELATED_MIN_SHARE and retold >= 2
            shares.append((b, round(float(share), 4) if passed else None))
        out.append(shares)
    return out


RELATED_CHUNK = 256  # member rows per sparse product, at most
# Members per work item: each item transposes its window once, so items are not made
# small; but a day of news is one window, and several items share the cores.
RELATED_ITEM = 1024
# Entries of one member-by-window similarity block, at most (about 12 bytes each, twice
# over while scipy builds it). A member's row against the corpus is nearly dense (common
# words), so a fixed number of rows grows with the window (benchmarks/README.md); fewer
# rows cost no more per row.
RELATED_BLOCK_ENTRIES = 8_000_000


def related_chunk_rows(corpus_rows: int) -> int:
    """Member rows per similarity product against ``corpus_rows`` articles."""
    return max(1, min(RELATED_CHUNK, RELATED_BLOCK_ENTRIES // max(1, corpus_rows)))


def _related_chunks(members: Sequence[int], days: np.ndarray, window_days: int
                   ) -> list[tuple[list[int], np.ndarray | None]]:
    """The related search's work items: (members, the articles to compare them with).

    Dated members go in order of day, an item spanning at most ``window_days`` days,
    against the articles dated within the window of any of them plus every undated
    article; undated members against every article (None). Columns are in article
    order, and a member's cosines and ranking do not depend on its item.
    """
    dated = np.flatnonzero(days != UNDATED)
    by_day = dated[np.argsort(days[dated], kind="stable")]
    sorted_days = days[by_day]
    undated = np.flatnonzero(days == UNDATED)
    member_days = days[np.asarray(members, np.int64)]
    order = np.lexsort((np.asarray(members, np.int64), member_days))
    ordered = [members[k] for k in order.tolist()]
    ordered_days = member_days[order]
    chunks: list[tuple[list[int], np.ndarray | None]] = []
    lo = 0
    while lo < len(ordered):
        first = int(ordered_days[lo])
        if first == UNDATED:
            end = int(np.searchsorted(ordered_days, UNDATED, side="right"))
            columns = None
        else:
            end = int(np.searchsorted(ordered_days, first + window_days, side="right"))
            last = int(ordered_days[end - 1])
            left = np.searchsorted(sorted_days, first - window_days, side="left")
            right = np.searchsorted(sorted_days, last + window_days, side="right")
            columns = np.sort(np.concatenate([by_day[left:right], undated]))
        # A day of news can be one window: split it, so that every core gets a share.
        for start in range(lo, end, RELATED_ITEM):
            chunks.append((ordered[start : min(end, start + RELATED_ITEM)], columns))
        lo = end
    return chunks


class _CandidateInput(NamedTuple):
    doc_tfidf: csr_matrix  # whole-article rows of the corpus
    corpus_t: csr_matrix | None  # its transpose, if an undated member needs it
    days: np.ndarray  # day number of each article (``window.day_numbers``)
    cluster_of: dict[int, int]  # cluster of each member
    window_days: int


def _related_candidates(shared: _CandidateInput, chunk: tuple[list[int], np.ndarray | None]
                        ) -> dict[int, list[int]]:
    """For each member of the chunk: the articles outside its cluster and within its
    window most similar to it (cosine at least RELATED_MIN_COSINE, best first, ties by
    index), at most RELATED_PER_ARTICLE. Each entry of a sparse product is summed over
    the member's own row in its order, so the cosines do not depend on the chunking."""
    doc_tfidf, days, cluster_of = shared.doc_tfidf, shared.days, shared.cluster_of
    members, columns = chunk
    if columns is None:
        columns = np.arange(doc_tfidf.shape[0], dtype=np.int64)
        window_t = shared.corpus_t
    else:
        window_t = doc_tfidf[columns].T.tocsr()
    wanted: dict[int, list[int]] = {}
    step = related_chunk_rows(len(columns))
    for lo in range(0, len(members), step):
        rows = members[lo : lo + step]
        sims = (doc_tfidf[rows] @ window_t).tocsr()
        for row, a in enumerate(rows):
            start, end = sims.indptr[row], sims.indptr[row + 1]
            cols, vals = columns[sims.indices[start:end]], sims.data[start:end]
            keep = (vals >= RELATED_MIN_COSINE) & (cols != a)
            if days[a] != UNDATED:
                keep &= within_window(days[a], days[cols], shared.window_days)
            cols, vals = cols[keep], vals[keep]
            picked = [int(b) for b in cols[np.lexsort((cols, -vals))]
                      if cluster_of.get(int(b)) != cluster_of[a]][:RELATED_PER_ARTICLE]
            if picked:
                wanted[a] = picked
    return wanted


def _sentence_matrix(
    indices: Sequence[int],
    articles: Sequence[Article],
    features: Mapping[int, Features] | Sequence[Features],
    blocks: Mapping[int, list[LabelledBlock]] | Sequence[list[LabelledBlock]],
    vectorizer: TfidfVectorizer,
    jobs: int = 1,
) -> tuple[csr_matrix, dict[int, tuple[int, int]]]:
    """TF-IDF rows of the sentences of several articles, a transform per work item (a
    row depends on its sentence alone, so the rows are those of one transform)."""
    items = [list(indices[lo : lo + SENTENCE_ITEM])
             for lo in range(0, len(indices), SENTENCE_ITEM)]
    parts = map_ordered(_sentence_rows, items,
                        _SentenceInput(articles, features, blocks, vectorizer), jobs,
                        min_per_worker=2)
    rows: dict[int, tuple[int, int]] = {}
    at = 0
    for item, (counts, _) in zip(items, parts, strict=True):
        for i, count in zip(item, counts, strict=True):
            rows[i] = (at, at + count)
            at += count
    matrices = [m for _, m in parts if m is not None]
    del parts
    if not matrices:
        return csr_matrix((0, max(1, len(vectorizer.vocabulary_)))), rows
    return _stacked_rows(matrices), rows


def _stacked_rows(matrices: list[csr_matrix]) -> csr_matrix:
    """``vstack`` of CSR matrices, each let go as it is copied (``matrices`` is emptied):
    the sentences of a large corpus's related articles are not held twice."""
    nnz = sum(m.nnz for m in matrices)
    index_type = np.int32 if nnz <= np.iinfo(np.int32).max else np.int64
    data = np.empty(nnz, matrices[0].dtype)
    indices = np.empty(nnz, index_type)
    indptr = np.zeros(sum(m.shape[0] for m in matrices) + 1, index_type)
    width = matrices[0].shape[1]
    row = at = 0
    while matrices:
        m = matrices.pop(0)
        data[at : at + m.nnz] = m.data
        indices[at : at + m.nnz] = m.indices
        indptr[row + 1 : row + m.shape[0] + 1] = m.indptr[1:] + at
        row += m.shape[0]
        at += m.nnz
    return csr_matrix((data, indices, indptr), shape=(row, width))


SENTENCE_ITEM = 256  # articles whose sentences one work item weighs


class _SentenceInput(NamedTuple):
    articles: Sequence[Article]
    features: Mapping[int, Features] | Sequence[Features]
    blocks: Mapping[int, list[LabelledBlock]] | Sequence[list[LabelledBlock]]
    vectorizer: Any  # the corpus's TfidfVectorizer


def _sentence_rows(shared: _SentenceInput, indices: list[int]
                   ) -> tuple[list[int], csr_matrix | None]:
    articles, features, blocks = shared.articles, shared.features, shared.blocks
    words: list[list[str]] = []
    counts = []
    for i in indices:
        per_sentence = sentence_words(i, articles[i], features[i], blocks[i])
        counts.append(len(per_sentence))
        words.extend(per_sentence)
    return counts, shared.vectorizer.transform(words).tocsr() if words else None
