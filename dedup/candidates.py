"""Stage 5: candidate pairs from MinHash LSH, over whole articles and over passages.

Whole-article LSH finds copies that kept most of the text. Copies that were trimmed to
two paragraphs, or buried under commentary and chrome, share too little of the whole to
collide, but one of their passages still collides with a passage of the original: so
overlapping windows of each article are indexed too.

Both indexes are datasketch's ``MinHashLSH`` in what they compute: the same signatures
(``MinHash``, affine32), the same (b, r) split (datasketch's optimum for the threshold),
a bucket per equal band, so the same candidate pairs (a test compares them with
``MinHashLSH`` itself). Only the bucketing is done differently: datasketch inserts one key
at a time in Python (about 150 us per article here, and a dict entry per band), so the
bands of all signatures are hashed at once in numpy and grouped by sorting. Buckets are
read directly (every pair that shares a bucket is a candidate), and oversized buckets,
which only templated text produces, are skipped.

The stage is ``candidates_from_rows`` over the band rows ``batch_article_bands`` makes
(the pipeline makes them batch by batch on its workers, then adds ``with_exact_pairs``).
``find_candidates`` is those two calls on a list of ``Features`` (the index's and
verify's tests compare with it); ``article_bands`` is one article's rows (Spark):
tests/test_candidates.py's ``test_batch_article_bands_equal_each_articles_own`` ties it
to the batch, and ``test_banded_pairs_equal_datasketch_minhashlsh_query_results`` ties
the banding (``lsh_pairs``, the test's way in) to datasketch's ``MinHashLSH``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ._accel import core
from .signatures import Features, MinHasher

__all__ = [
    "BAND_ROWS_PER_STEP",
    "KNOWN_SHAPES",
    "BandRows",
    "CandidateSettings",
    "CandidateStats",
    "article_bands",
    "band_count",
    "band_hashes",
    "batch_article_bands",
    "candidates_from_rows",
    "find_candidates",
    "hashers",
    "lsh_pairs",
    "lsh_shape",
    "with_exact_pairs",
]


@dataclass(frozen=True)
class CandidateSettings:
    doc_perm: int = 128
    doc_threshold: float = 0.5
    passage_perm: int = 64
    passage_threshold: float = 0.4
    passage_window: int = 40  # shingles per passage
    passage_stride: int = 20
    max_bucket: int = 200  # buckets larger than this hold templates, not copies
    seed: int = 1


@dataclass
class CandidateStats:
    documents: int = 0
    passages: int = 0
    pairs: int = 0
    skipped_buckets: int = 0


# datasketch's split for the default (threshold, num_perm) of documents and passages;
# tests/test_candidates.py ties each entry to MinHashLSH's own.
KNOWN_SHAPES: dict[tuple[float, int], tuple[int, int]] = {(0.5, 128): (25, 5), (0.4, 64): (16, 4)}


@lru_cache(maxsize=32)
def lsh_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows): datasketch's own optimal split for ``threshold`` and ``num_perm``.

    The in-memory index here and the persistent index both band with it, so a key stored
    in one collides with the key computed in the other. Cached: datasketch finds the split
    by numerical integration, a tenth of a second that a CI check pays on every call.
    The default settings' splits are known (``KNOWN_SHAPES``): no datasketch nor SciPy.
    """
    known = KNOWN_SHAPES.get((threshold, num_perm))
    if known is not None:
        return known
    from datasketch import MinHashLSH  # loads SciPy: only for settings other than the default

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


@lru_cache(maxsize=8)
def hashers(settings: CandidateSettings) -> tuple[MinHasher, MinHasher]:
    """The whole-article and the passage MinHashers (distinct seeds: independent hashes).
    Cached: datasketch draws the permutations anew for each (0.17 ms a MinHasher here),
    and the signature stage asks once per article."""
    return (MinHasher(settings.doc_perm, settings.seed),
            MinHasher(settings.passage_perm, settings.seed + 1))


BAND_ROWS_PER_STEP = 1 << 16  # signatures widened to uint64 at a time


def band_hashes(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n, bands) uint64 hashes of each band of each signature row: the one band key, which
    the in-memory search, Spark and the persistent index (format version 2) all bucket by.

    A slice of rows at a time: each row is widened to 8 bytes per permutation, which for
    every passage of a large corpus at once is the size of the corpus's signatures, twice."""
    if core is not None and signatures.dtype == np.uint32 and signatures.ndim == 2:
        return core.band_hashes(signatures, bands, rows)  # type: ignore[no-any-return]
    n = signatures.shape[0]
    out = np.empty((n, bands), dtype=np.uint64)
    for lo in range(0, n, BAND_ROWS_PER_STEP):
        part = signatures[lo : lo + BAND_ROWS_PER_STEP, : bands * rows]
        sig = part.astype(np.uint64).reshape(len(part), bands, rows)
        acc = np.zeros((len(part), bands), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for k in range(rows):
                acc = (acc ^ sig[:, :, k]) * np.uint64(0x100000001B3)  # FNV-style chaining
                acc ^= acc >> np.uint64(29)
        out[lo : lo + len(part)] = acc
    return out


def _banded_codes(hashes: np.ndarray, owner: np.ndarray, max_bucket: int, n: int,
                  stats: CandidateStats, band_done: Callable[[], None] | None = None
                  ) -> np.ndarray:
    """Sorted distinct codes ``a * n + b`` of the pairs a < b of distinct owners whose rows
    share a band hash, band by band. In numpy throughout: a million articles' buckets make
    millions of pairs, and a set of Python tuples of them took gigabytes."""
    found = np.empty(0, np.int64)
    for band in range(hashes.shape[1]):
        column = hashes[:, band]
        # Rows come in owner order, so a stable sort by hash leaves each bucket's owners
        # sorted (and numpy sorts integers stably by radix).
        order = np.argsort(column, kind="stable")
        bucket, docs = column[order], owner[order]
        first = np.r_[True, (bucket[1:] != bucket[:-1]) | (docs[1:] != docs[:-1])]
        bucket, docs = bucket[first], docs[first]  # one row per owner and bucket
        starts = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
        sizes = np.diff(np.r_[starts, len(bucket)])
        stats.skipped_buckets += int((sizes > max_bucket).sum())
        usable = (sizes >= 2) & (sizes <= max_bucket)
        starts, sizes = starts[usable], sizes[usable]
        codes = [found]
        for size in np.unique(sizes).tolist():  # all buckets of one size at once
            left, right = np.triu_indices(size, 1)
            at = starts[sizes == size][:, None]
            codes.append((docs[at + left] * n + docs[at + right]).ravel())
        found = np.unique(np.concatenate(codes))
        if band_done is not None:
            band_done()
    return found


def _pairs_of(codes: np.ndarray, n: int) -> np.ndarray:
    return np.stack([codes // max(n, 1), codes % max(n, 1)], axis=1)


def lsh_pairs(signatures: np.ndarray, owner: np.ndarray, shape: tuple[int, int],
              max_bucket: int, pairs: set[tuple[int, int]], stats: CandidateStats) -> None:
    """Add to ``pairs`` every pair of owners whose signatures share a band: what querying a
    ``MinHashLSH`` of shape (bands, rows) with each signature finds."""
    n = int(owner.max()) + 1 if len(owner) else 0
    codes = _banded_codes(band_hashes(signatures, *shape), owner, max_bucket, n, stats)
    pairs.update(map(tuple, _pairs_of(codes, n).tolist()))


def article_bands(shingles: np.ndarray, settings: CandidateSettings,
                  doc_hasher: MinHasher, passage_hasher: MinHasher
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The LSH band hashes of one article: (1, bands) for the whole article and
    (windows, bands) for its passages; both empty for an article without shingles.

    Each row's hashes depend on that row only, so articles can be banded apart (in
    worker processes, as their signatures are computed) and the buckets are the same.
    """
    if not len(shingles):
        empty = np.empty((0, 0), np.uint64)
        return empty, empty
    doc = band_hashes(doc_hasher.signature(shingles)[None, :],
                      *lsh_shape(settings.doc_threshold, settings.doc_perm))
    _, sigs = passage_hasher.passage_signatures(
        shingles, settings.passage_window, settings.passage_stride
    )
    passages = band_hashes(sigs, *lsh_shape(settings.passage_threshold, settings.passage_perm))
    return doc, passages


@dataclass
class BandRows:
    """The LSH band hashes of a batch of articles, stacked: ``article_bands`` of each,
    as the candidate search reads them (rows with the article of each)."""

    docs: np.ndarray  # (articles with shingles, bands): one whole-article row each
    doc_owner: np.ndarray  # the article of each row, within the batch
    passages: np.ndarray  # (passages, bands), article by article
    passage_counts: np.ndarray  # passages of each article (0 without shingles)

    @property
    def passage_owner(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.passage_counts), dtype=np.int64),
                         self.passage_counts)


def batch_article_bands(shingles: np.ndarray, offsets: np.ndarray,
                        settings: CandidateSettings, doc_hasher: MinHasher,
                        passage_hasher: MinHasher) -> BandRows:
    """``article_bands`` of each ``shingles[offsets[k]:offsets[k + 1]]`` (see
    ``signatures.batch_shingle_hashes``): the same rows, hashed for the whole batch."""
    filled = np.flatnonzero(np.diff(offsets) > 0)
    docs = band_hashes(doc_hasher.batch_signatures(shingles, offsets)[filled],
                       *lsh_shape(settings.doc_threshold, settings.doc_perm))
    sigs, rows = passage_hasher.batch_passage_signatures(
        shingles, offsets, settings.passage_window, settings.passage_stride)
    passages = band_hashes(sigs, *lsh_shape(settings.passage_threshold, settings.passage_perm))
    return BandRows(docs, filled.astype(np.int64), passages, rows)


def find_candidates(
    features: Sequence[Features],
    settings: CandidateSettings = CandidateSettings(),
) -> tuple[list[tuple[int, int]], CandidateStats]:
    """Sorted candidate pairs ``(i, j)``, ``i < j``, as indices into ``features``."""
    shingles = [f.shingles for f in features]
    offsets = np.r_[0, np.cumsum([len(s) for s in shingles])].astype(np.int64)
    flat = np.concatenate(shingles) if shingles else np.empty(0, np.uint64)
    bands = batch_article_bands(flat, offsets, settings, *hashers(settings))
    pairs, stats = candidates_from_rows(
        [(bands.docs, bands.doc_owner), (bands.passages, bands.passage_owner)], len(features),
        settings)
    return [(a, b) for a, b in pairs.tolist()], stats


def with_exact_pairs(pairs: np.ndarray, keys: np.ndarray, max_bucket: int,
                     stats: CandidateStats) -> np.ndarray:
    """``pairs`` (sorted, as ``candidates_from_rows`` returns them) with every pair of
    articles whose ``verify.text_key`` is the same non-zero value: exact copies are
    candidates whatever their length (an article under five words has no shingle to
    band). A group larger than ``max_bucket`` is skipped like an oversized bucket."""
    n = len(keys)
    filled = np.flatnonzero(keys != 0)
    order = filled[np.argsort(keys[filled], kind="stable")]  # by key, then by article
    ordered = keys[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(order) else order
    sizes = np.diff(np.r_[starts, len(order)])
    stats.skipped_buckets += int((sizes > max_bucket).sum())
    codes = [pairs[:, 0] * max(n, 1) + pairs[:, 1]]
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= max_bucket)]).tolist():
        left, right = np.triu_indices(size, 1)
        at = starts[sizes == size][:, None]
        codes.append((order[at + left] * n + order[at + right]).ravel())
    if len(codes) == 1:
        return pairs
    found = np.unique(np.concatenate(codes))
    stats.pairs = len(found)
    return _pairs_of(found, n)


def band_count(settings: CandidateSettings) -> int:
    """Bands of the whole-article LSH and of the passage LSH together."""
    return (lsh_shape(settings.doc_threshold, settings.doc_perm)[0]
            + lsh_shape(settings.passage_threshold, settings.passage_perm)[0])


def candidates_from_rows(
    kinds: Iterable[tuple[np.ndarray, np.ndarray]], n: int,
    settings: CandidateSettings = CandidateSettings(),
    band_done: Callable[[], None] | None = None,
) -> tuple[np.ndarray, CandidateStats]:
    """Sorted candidate pairs (an (n, 2) int64 array) of ``n`` articles from their band
    rows stacked: the whole-article rows with the article of each, then the passage rows
    with theirs (an iterator, so that the second may be made after the first is let go).

    ``band_done`` is called after each band of either kind (``band_count`` in all): on a
    million articles this stage runs for minutes, and a progress bar needs steps."""
    stats = CandidateStats(documents=n)
    found = np.empty(0, np.int64)
    for kind, (hashes, owner) in enumerate(kinds):
        if kind == 1:
            stats.passages = len(owner)
        if len(owner):
            found = np.union1d(found, _banded_codes(hashes, owner, settings.max_bucket, n,
                                                    stats, band_done))
        del hashes, owner
    stats.pairs = len(found)
    return _pairs_of(found, n), stats
