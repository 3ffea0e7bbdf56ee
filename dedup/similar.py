"""Pairs of TF-IDF rows whose cosine reaches a threshold, without scoring every pair.

Sentence-level judgements (a reworded sentence, a retold one) look for sentences of one
article close to sentences of another. Scoring every pair costs the product of their
sentence counts: a live blog or transcript of 50,000 sentences against an excerpt of
10,000 is half a billion cosines, and a dense block of them is gigabytes.

Prefix filtering (Bayardo et al., "Scaling up all pairs similarity search", 2007) finds
the same pairs exactly. Order the columns once for both sides (rarest first); a row's
prefix is its entries up to where the rest of the row has a norm below the threshold.
Two unit rows whose prefixes share no column have a cosine below the threshold: every
column they share lies in the suffix of the one whose prefix ends first, and a dot
product with a suffix is at most that suffix's norm. So only pairs that share a prefix
column are scored, and their cosines are those of the full product (an entry of a sparse
product sums over the query row in its own order, whatever the other columns are).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy.sparse import csr_matrix

# Suffix norms are kept below this share of the threshold: rows are unit vectors only up
# to float32 rounding, and a pair just above the threshold must not be missed.
_MARGIN = 0.999
ROWS_PER_BLOCK = 64  # query rows scored together against the union of their candidates
# Up to this many pairs, every pair is scored in one product: for two news articles (tens
# of sentences each) that costs less than finding the candidates.
DIRECT_PAIRS = 1 << 16


def _distinct_rows(matrix: csr_matrix) -> np.ndarray:
    """Index of the first row equal to each row (the same columns and values): repeated
    sentences (a sign-off, a standing line) are searched and offered once."""
    first: dict[bytes, int] = {}
    out = np.empty(matrix.shape[0], np.int64)
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    for r in range(matrix.shape[0]):
        lo, hi = indptr[r], indptr[r + 1]
        key = indices[lo:hi].tobytes() + b"|" + data[lo:hi].tobytes()
        out[r] = first.setdefault(key, r)
    return out


def _prefix(matrix: csr_matrix, rank: np.ndarray, threshold: float) -> csr_matrix:
    """0/1 matrix of each row's prefix entries under the column order ``rank``."""
    counts = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(matrix.shape[0]), counts)
    # Within a row, rarest last: a running sum from a row's start is then the squared
    # norm of the entries from this one to the row's rarest, its suffix taken backwards.
    order = np.lexsort((-rank[matrix.indices], rows))
    squares = matrix.data[order].astype(np.float64) ** 2
    running = np.cumsum(squares)
    before = np.concatenate(([0.0], running))[matrix.indptr[:-1]]
    suffix = running - np.repeat(before, counts)
    keep = order[suffix >= (threshold * _MARGIN) ** 2]
    return csr_matrix((np.ones(len(keep), np.int32), (rows[keep], matrix.indices[keep])),
                      shape=matrix.shape)


def candidate_pairs(query: csr_matrix, targets: csr_matrix, threshold: float) -> csr_matrix:
    """Sparse (query rows x target rows) whose entries are the pairs that may reach
    ``threshold``: every pair that does is among them."""
    both = np.concatenate((query.indices, targets.indices))
    frequency = np.bincount(both, minlength=query.shape[1])
    rank = np.empty(query.shape[1], np.int64)
    rank[np.lexsort((np.arange(query.shape[1]), frequency))] = np.arange(query.shape[1])
    return (_prefix(query, rank, threshold) @ _prefix(targets, rank, threshold).T).tocsr()


def similar_blocks(query: csr_matrix, targets: csr_matrix, threshold: float
                   ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Blocks (query rows, target rows in order, their cosines as a dense array) that
    together hold every pair of a query row and a target row with a cosine of at least
    ``threshold``, each valued as in ``query @ targets.T``. A row repeated in ``query``
    is scored once, as its first occurrence (its cosines are the same); a target row
    repeated in ``targets`` is offered only as its first occurrence (it ties with it),
    so a first best match found in a block is that of the full product."""
    query, targets = csr_matrix(query), csr_matrix(targets)
    if not query.shape[0] or not targets.shape[0]:
        return
    if query.shape[0] * targets.shape[0] <= DIRECT_PAIRS:
        yield (np.arange(query.shape[0]), np.arange(targets.shape[0]),
               (query @ targets.T).toarray())
        return
    q_first, t_first = _distinct_rows(query), _distinct_rows(targets)
    q_rows = np.flatnonzero(q_first == np.arange(len(q_first)))
    t_rows = np.flatnonzero(t_first == np.arange(len(t_first)))
    # The rows repeating each distinct query row (itself first), grouped by it.
    by_first = np.argsort(q_first, kind="stable")
    group_ends = np.cumsum(np.bincount(q_first, minlength=len(q_first))[q_rows])
    pairs = candidate_pairs(query[q_rows], targets[t_rows], threshold)
    has = np.flatnonzero(np.diff(pairs.indptr))
    for lo in range(0, len(has), ROWS_PER_BLOCK):
        local = has[lo : lo + ROWS_PER_BLOCK]
        columns = np.unique(np.concatenate([pairs.indices[pairs.indptr[r] : pairs.indptr[r + 1]]
                                            for r in local.tolist()]))
        sims = (query[q_rows[local]] @ targets[t_rows[columns]].T).toarray()
        starts = np.where(local > 0, group_ends[local - 1], 0)
        sizes = group_ends[local] - starts
        rows = by_first[np.concatenate([np.arange(a, b) for a, b in
                                        zip(starts.tolist(), group_ends[local].tolist(),
                                            strict=True)])]
        yield rows, t_rows[columns], sims[np.repeat(np.arange(len(local)), sizes)]


def best_matches(query: csr_matrix, targets: csr_matrix, threshold: float
                 ) -> tuple[np.ndarray, np.ndarray]:
    """For each query row, the first target row of highest cosine and that cosine, where
    it reaches ``threshold``; -1 and 0.0 elsewhere (``argmax`` of the full product)."""
    best = np.full(query.shape[0], -1, np.int64)
    score = np.zeros(query.shape[0], np.float64)
    for rows, columns, sims in similar_blocks(query, targets, threshold):
        at = sims.argmax(axis=1)
        values = sims[np.arange(len(rows)), at]
        found = values >= threshold
        best[rows[found]] = columns[at[found]]
        score[rows[found]] = values[found]
    return best, score


def rows_matched(query: csr_matrix, targets: csr_matrix, threshold: float
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Which query rows, and which target rows, have a cosine of at least ``threshold``
    with some row of the other side."""
    query_hit = np.zeros(query.shape[0], bool)
    target_hit = np.zeros(targets.shape[0], bool)
    t_first = _distinct_rows(csr_matrix(targets)) if targets.shape[0] else np.empty(0, np.int64)
    for rows, columns, sims in similar_blocks(query, targets, threshold):
        close = sims >= threshold
        query_hit[rows[close.any(axis=1)]] = True
        target_hit[columns[close.any(axis=0)]] = True
    # A repeated target row matches whatever its first occurrence matches.
    target_hit |= target_hit[t_first]
    return query_hit, target_hit
