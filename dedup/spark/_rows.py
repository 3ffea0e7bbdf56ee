"""What the stages hand each other besides DataFrame columns: Articles rebuilt from rows,
hashes as Spark longs, and pickled blobs (``PICKLE``), a fingerprint among them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from scipy.sparse import csr_matrix

from ..load import Article

__all__ = ["PICKLE"]


PICKLE = 5  # in-flight blobs only: nothing pickled is ever written out


def _text(value: Any) -> str | None:
    # pandas may hand a null string over as NaN rather than None.
    return value if isinstance(value, str) else None


def _article(row: Any) -> Article:
    return Article(id=row.id, text=row.text, title=_text(row.title),
                   outlet=_text(row.outlet), date=_text(row.date), url=_text(row.url))


def _signed(values: np.ndarray) -> list[int]:
    """uint64 hashes as Spark longs (same bits)."""
    return values.astype(np.uint64).view(np.int64).tolist()


class _Fingerprint(NamedTuple):
    """One article's fingerprint as the verify and related stages read it (pickled)."""

    distinct: np.ndarray  # sorted unique shingles, templates removed
    quoted: np.ndarray  # sorted unique shingles found only with a quoted word
    indices: np.ndarray  # int32 TF-IDF columns, in the vocabulary's fit order
    values: np.ndarray  # float32 TF-IDF weights of those columns
    figures: np.ndarray  # Features.figures


def _rows_matrix(fps: Sequence[_Fingerprint], width: int) -> csr_matrix:
    """The TF-IDF rows of several fingerprints as one matrix, entries in stored order."""
    lengths = [len(f.indices) for f in fps]
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    data = np.concatenate([f.values for f in fps]) if fps else np.empty(0, np.float32)
    indices = np.concatenate([f.indices for f in fps]) if fps else np.empty(0, np.int32)
    return csr_matrix((data.astype(np.float32), indices, indptr), shape=(len(fps), width))
