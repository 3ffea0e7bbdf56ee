"""Writing prepared articles in and taking stored ones out: the article row, its band rows
and its share of the recurrence counts, in one transaction held by ``Index.add`` or
``Index.remove``."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..load import Article
from ._codec import _I64, _U64, _array, _as_signed, _deflate
from ._keys import Prepared

__all__ = ["AddResult", "RemoveResult"]

_ROWS_PER_CALL = 100_000  # band rows per executemany


@dataclass(frozen=True)
class AddResult:
    added: list[str]
    replaced: list[str]
    unchanged: list[str]
    total: int  # articles in the index afterwards
    moved: list[str] = field(default_factory=list)  # renamed, same text: moved to the new id


@dataclass(frozen=True)
class RemoveResult:
    removed: list[str]
    missing: list[str]
    total: int


@dataclass
class _Plan:
    unchanged: list[str]
    replaced: dict[str, int]  # id -> primary key of the old version
    prepared: list[Prepared]
    moved: dict[str, int] = field(default_factory=dict)  # new id -> its row (same text)
    articles: dict[str, Article] = field(default_factory=dict)  # the moved ones, by new id


def _insert(conn: sqlite3.Connection, prepared: Sequence[Prepared]) -> None:
    if not prepared:
        return
    # Primary keys assigned here (the write lock is held), as SQLite would assign them:
    # then every table is filled with one executemany.
    first = int(conn.execute("SELECT COALESCE(MAX(article), 0) FROM articles").fetchone()[0]) + 1
    pks = range(first, first + len(prepared))
    conn.executemany(
        "INSERT INTO articles (article, id, sha256, title, outlet, date, url, origin, text,"
        " block_keys, band_keys) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((pk, p.article.id, p.sha256, p.article.title, p.article.outlet, p.article.date,
          p.article.url, p.article.origin, _deflate(p.article.text),
          p.blocks.keys.astype(_U64).tobytes(), p.bands.astype(_I64).tobytes())
         for pk, p in zip(pks, prepared, strict=True)),
    )
    doc_counts: Counter[int] = Counter()
    outlet_counts: Counter[tuple[str, int]] = Counter()
    for p in prepared:
        signed = _as_signed(p.blocks.keys)
        doc_counts.update(signed)
        if p.article.outlet:
            outlet = p.article.outlet
            outlet_counts.update((outlet, k) for k in signed)
    bands = np.concatenate([p.bands.reshape(-1, 2) for p in prepared]).astype(_I64)
    owner = np.repeat(np.asarray(pks, dtype=_I64), [len(p.bands) for p in prepared])
    order = np.lexsort((owner, bands[:, 1], bands[:, 0]))
    band_rows = np.column_stack([bands[order], owner[order]])
    # In key order: B-tree pages are filled, not revisited. In slices, so that a large
    # add never holds all its rows as Python objects at once.
    for start in range(0, len(band_rows), _ROWS_PER_CALL):
        conn.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?, ?)",
                         band_rows[start : start + _ROWS_PER_CALL].tolist())
    conn.executemany(
        "INSERT INTO block_counts (key, docs) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET docs = docs + excluded.docs",
        sorted(doc_counts.items()),
    )
    conn.executemany(
        "INSERT INTO outlet_block_counts (outlet, key, docs) VALUES (?, ?, ?)"
        " ON CONFLICT (outlet, key) DO UPDATE SET docs = docs + excluded.docs",
        sorted((o, k, n) for (o, k), n in outlet_counts.items()),
    )


def _delete(conn: sqlite3.Connection, path: str, pk: int) -> None:
    outlet, blocks_blob, bands_blob = conn.execute(
        "SELECT outlet, block_keys, band_keys FROM articles WHERE article = ?", (pk,)
    ).fetchone()
    keys = [(k,) for k in _as_signed(_array(path, blocks_blob, _U64, "block keys"))]
    conn.executemany("UPDATE block_counts SET docs = docs - 1 WHERE key = ?", keys)
    conn.executemany("DELETE FROM block_counts WHERE key = ? AND docs <= 0", keys)
    if outlet:
        pairs = [(outlet, k) for (k,) in keys]
        conn.executemany(
            "UPDATE outlet_block_counts SET docs = docs - 1 WHERE outlet = ? AND key = ?", pairs
        )
        conn.executemany(
            "DELETE FROM outlet_block_counts WHERE outlet = ? AND key = ? AND docs <= 0", pairs
        )
    bands = _array(path, bands_blob, _I64, "band keys").reshape(-1, 2).tolist()
    conn.executemany(
        "DELETE FROM bands WHERE band_table = ? AND key = ? AND article = ?",
        [(t, k, pk) for t, k in bands],
    )
    conn.execute("DELETE FROM articles WHERE article = ?", (pk,))
