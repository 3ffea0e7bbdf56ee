"""Set operations on sorted arrays of hashes, shared by clustering, verification and
alignment."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["held_by_several", "in_sorted"]


def in_sorted(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """``np.isin(values, pool)`` for a sorted ``pool``: a binary search per value instead
    of sorting both arrays again (alignment and clustering ask this thousands of times
    per cluster)."""
    if not len(pool):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(pool, values)
    at[at == len(pool)] = 0
    return pool[at] == values


def held_by_several(pools: Sequence[np.ndarray]) -> np.ndarray:
    """Sorted values found in two or more of ``pools`` (each pool distinct): what a member
    of a cluster shares with the others is its pool's part of this, one count for the
    whole cluster instead of one union of the others per member."""
    if not pools:
        return np.empty(0, np.uint64)
    values, counts = np.unique(np.concatenate(pools), return_counts=True)
    return values[counts >= 2]
