"""What an article contributes to the index: the SHA-256 of its text, the keys of its blocks
(recurrence counts) and its LSH band keys (candidates), computed on forked workers.

The stage is ``prepare``; ``Index.prepare`` calls it with the index's parameters and hashers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from tqdm import tqdm

from ..boilerplate import RecurringBlocks, block_keys, classify_blocks
from ..load import Article
from ..normalize import Block, blocks
from ..parallel import map_ordered
from ._codec import _I64, _U64
from ._format import IndexParams

if TYPE_CHECKING:  # datasketch imports SciPy: loaded where used, not by 'dedup --help'
    from ..signatures import MinHasher

__all__ = [
    "BlockEntry",
    "Prepared",
    "article_block_keys",
    "band_keys",
    "count_out",
    "prepare",
    "text_sha256",
]


@dataclass(frozen=True)
class BlockEntry:
    """The blocks one article contributes to the recurrence counts."""

    outlet: str | None
    keys: np.ndarray  # uint64, unique


@dataclass(frozen=True)
class Prepared:
    """An article analysed for the index, ready to be written or looked up."""

    article: Article
    sha256: bytes
    blocks: BlockEntry
    bands: np.ndarray  # int64 (n, 2): band table, key


def text_sha256(text: str) -> bytes:
    # Cryptographic on purpose: with a weak hash a pull request could craft a changed text
    # that passes as "unchanged" and skips the check.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def article_block_keys(text: str, spans: Sequence[Block] | None = None) -> np.ndarray:
    """Keys of the article's blocks, exactly as ``RecurringBlocks.add`` counts them."""
    spans = blocks(text) if spans is None else spans
    return np.array(sorted(block_keys(text, spans)), dtype=_U64)


def band_keys(signatures: np.ndarray, bands: int, rows: int, first_table: int) -> np.ndarray:
    """(band table, key) for every band of every signature (one signature per row): an
    int64 array of shape (n, 2), each row once. The key is ``candidates.band_hashes``'s,
    the one band hash of the in-memory search and Spark (format version 2; version 1 stored
    xxh3 of the band's bytes)."""
    from ..candidates import band_hashes  # candidates loads datasketch, as MinHasher has here

    keys = band_hashes(np.ascontiguousarray(signatures, dtype=np.uint32), bands, rows)
    keys = keys.reshape(-1).view(_I64)  # SQLite integers are signed
    tables = first_table + np.arange(len(keys), dtype=_I64) % bands
    return np.stack([tables, keys], axis=1)


def _unique_rows(rows: np.ndarray) -> np.ndarray:
    """The distinct (table, key) rows, sorted."""
    if len(rows) < 2:
        return rows
    rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
    keep = np.r_[True, np.any(rows[1:] != rows[:-1], axis=1)]
    return rows[keep]


def count_out(recurring: RecurringBlocks, entries: Iterable[BlockEntry]) -> None:
    """Count ``entries`` out of ``recurring``: ``RecurringBlocks.add_keys`` undone."""
    for entry in entries:
        recurring.remove_keys(entry.keys.tolist(), entry.outlet)


def prepare(articles: Sequence[Article], params: IndexParams, doc_hasher: MinHasher,
            passage_hasher: MinHasher, jobs: int, progress: bool = False) -> list[Prepared]:
    """Block keys and band keys of ``articles``, on ``jobs`` forked processes (see
    ``parallel``). Band keys come from the blocks chrome by its look alone, not by
    recurrence counts, which change as articles come and go: the same articles give the
    same index however they were batched."""
    split = map_ordered(_split, range(len(articles)), articles, jobs)
    spans = [s for s, _ in split]
    entries = [BlockEntry(a.outlet, keys) for a, (_, keys) in zip(articles, split,
                                                                    strict=True)]
    shared = _Shared(articles, spans, params, doc_hasher, passage_hasher)
    with tqdm(total=len(articles), desc="index", unit="doc", leave=False,
              disable=None if progress else True) as bar:
        done = map_ordered(_prepare_one, range(len(articles)), shared, jobs, bar.update)
    return [
        Prepared(a, sha, entry, bands)
        for a, entry, (sha, bands) in zip(articles, entries, done, strict=True)
    ]


# Per-article work, module-level so forked workers can run it (see parallel.py).


class _Shared(NamedTuple):
    """What every worker of ``_prepare_one`` reads."""

    articles: Sequence[Article]
    spans: list[list[Block]]
    params: IndexParams
    doc_hasher: MinHasher
    passage_hasher: MinHasher


def _split(articles: Sequence[Article], i: int) -> tuple[list[Block], np.ndarray]:
    text = articles[i].text
    spans = blocks(text)
    return spans, article_block_keys(text, spans)


def _prepare_one(shared: _Shared, i: int) -> tuple[bytes, np.ndarray]:
    """SHA-256 and band keys of one article: the same steps as analyze() and
    find_candidates(), so stored keys collide with the keys of a copy checked later."""
    from ..signatures import featurize

    article = shared.articles[i]
    p = shared.params
    # Chrome by its look only, not by recurrence: counts change as articles are added, and
    # keys stored under older counts made an index depend on how it was batched (issue 19).
    labelled = classify_blocks(article.text, article.title, article.outlet, None,
                               shared.spans[i])
    shingles = featurize(article, labelled).shingles
    keys = [np.empty((0, 2), dtype=_I64)]
    if len(shingles):
        doc = shared.doc_hasher.signature(np.unique(shingles))
        keys.append(band_keys(doc[None, :], p.doc_bands, p.doc_rows, 0))
        _, passages = shared.passage_hasher.passage_signatures(
            shingles, p.passage_window, p.passage_stride
        )
        keys.append(band_keys(passages, p.passage_bands, p.passage_rows, p.doc_bands))
    return text_sha256(article.text), _unique_rows(np.concatenate(keys))
