"""Prefix-filtered similarity search finds what scoring every pair finds."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix, vstack
from scipy.sparse import random as sparse_random

from dedup import similar
from dedup.similar import best_matches, candidate_pairs, rows_matched


def _unit_rows(rng: np.random.Generator, rows: int, width: int) -> csr_matrix:
    m = sparse_random(rows, width, density=rng.uniform(0.05, 0.5),
                      random_state=int(rng.integers(1 << 30)), dtype=np.float32).tocsr()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    m = csr_matrix(m.multiply(1 / np.where(norms > 0, norms, 1)[:, None]), dtype=np.float32)
    m.sort_indices()
    return m


@pytest.mark.parametrize("threshold", [0.3, 0.4, 0.5, 0.7])
def test_matches_are_those_of_the_full_product(threshold: float,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(similar, "DIRECT_PAIRS", 0)  # small inputs take the filtered path too
    rng = np.random.default_rng(int(threshold * 10))
    for _ in range(50):
        width = int(rng.integers(3, 30))
        query = _unit_rows(rng, int(rng.integers(1, 40)), width)
        targets = _unit_rows(rng, int(rng.integers(1, 40)), width)
        # Repeated rows on both sides: a repeated target ties with its first occurrence.
        query = csr_matrix(vstack([query, query[: query.shape[0] // 2]]))
        targets = csr_matrix(vstack([targets, targets[: targets.shape[0] // 3]]))
        full = (query @ targets.T).toarray()
        best, score = best_matches(query, targets, threshold)
        first = full.argmax(axis=1)
        top = full[np.arange(len(first)), first]
        assert best.tolist() == np.where(top >= threshold, first, -1).tolist()
        assert score[top >= threshold].tolist() == top[top >= threshold].tolist()
        query_hit, target_hit = rows_matched(query, targets, threshold)
        assert query_hit.tolist() == (full >= threshold).any(axis=1).tolist()
        assert target_hit.tolist() == (full >= threshold).any(axis=0).tolist()


def test_rows_sharing_only_common_columns_are_not_candidates() -> None:
    # Column 0 is in every row and weighs little: no pair can reach 0.5 through it alone.
    rows = [[0.1, 1.0, 0, 0], [0.1, 0, 1.0, 0], [0.1, 0, 0, 1.0]]
    m = csr_matrix(np.asarray(rows, np.float32))
    m = csr_matrix(m.multiply(1 / np.sqrt(m.multiply(m).sum(axis=1))))
    assert candidate_pairs(m, m, 0.5).nnz == 3  # each row with itself only
