"""Reading the index for ``dedup check``: which articles it already holds, the recurrence
counts of some blocks, the indexed articles sharing a band with new ones, stored articles.

Lookups fill a temporary table of keys and join it with the index (``_probe``): one query
whatever the number of keys. ``Index`` calls these on its connection."""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..boilerplate import RecurringBlocks
from ..load import Article
from ._codec import _U64, _array, _as_signed, _inflate, _text
from ._keys import BlockEntry, Prepared, text_sha256

__all__ = ["Known", "Stored"]


@dataclass(frozen=True)
class Stored:
    """An indexed article as read back."""

    pk: int
    article: Article
    blocks: BlockEntry


@dataclass(frozen=True)
class Known:
    """What the index holds under an article's id (or, for a renamed article, its old id)."""

    pk: int
    same_text: bool
    id: str | None = None  # the indexed id when it is the article's old one (a rename)

    @property
    def same_id(self) -> bool:
        return self.id is None


def _known(conn: sqlite3.Connection, articles: Sequence[Article]) -> dict[str, Known]:
    found: dict[str, Known] = {}
    for article in articles:
        row = conn.execute(
            "SELECT article, sha256 FROM articles WHERE id = ?", (article.id,)
        ).fetchone()
        if row is not None:
            same = isinstance(row[1], bytes) and row[1] == text_sha256(article.text)
            found[article.id] = Known(int(row[0]), same)
    return found


def _counts(conn: sqlite3.Connection, entries: Iterable[BlockEntry]) -> RecurringBlocks:
    keys: set[int] = set()
    pairs: set[tuple[str, int]] = set()
    for entry in entries:
        signed = _as_signed(entry.keys)
        keys.update(signed)
        if entry.outlet:
            pairs.update((entry.outlet, k) for k in signed)
    recurring = RecurringBlocks()
    _probe(conn, "probe_keys", "key INTEGER PRIMARY KEY", ((k,) for k in keys))
    for key, docs in conn.execute(
        "SELECT c.key, c.docs FROM probe_keys p CROSS JOIN block_counts c ON c.key = p.key"
    ):
        recurring.doc_counts[key % (1 << 64)] = int(docs)
    _probe(conn, "probe_outlet_keys", "outlet TEXT, key INTEGER, PRIMARY KEY (outlet, key)",
           pairs)
    for outlet, key, docs in conn.execute(
        "SELECT c.outlet, c.key, c.docs FROM probe_outlet_keys p"
        " CROSS JOIN outlet_block_counts c"
        " ON c.outlet = p.outlet AND c.key = p.key"
    ):
        recurring.outlet_counts[(str(outlet), key % (1 << 64))] = int(docs)
    return recurring


def _entries(conn: sqlite3.Connection, path: str, pks: Iterable[int]) -> list[BlockEntry]:
    out = []
    for pk in pks:
        outlet, blob = conn.execute(
            "SELECT outlet, block_keys FROM articles WHERE article = ?", (pk,)
        ).fetchone()
        out.append(BlockEntry(_text(outlet), _array(path, blob, _U64, "block keys")))
    return out


def _candidates(conn: sqlite3.Connection, prepared: Sequence[Prepared], exclude: Iterable[int],
                limit: int) -> list[int]:
    excluded = set(exclude)
    new_per_key = Counter(tuple(row) for p in prepared for row in p.bands.tolist())
    _probe(conn, "probe_bands", "band_table INTEGER, key INTEGER, PRIMARY KEY (band_table, key)",
           new_per_key)
    bucket: dict[tuple[int, int], list[int]] = defaultdict(list)
    # CROSS JOIN fixes the loop order (probe keys outside, the band index inside): left
    # to itself the planner scans the whole band table. The bucket size is counted only
    # up to the limit, so a template shared by half the corpus costs no more than that.
    for table, key, pk in conn.execute(
        "SELECT p.band_table, p.key, b.article FROM probe_bands p"
        " CROSS JOIN bands b ON b.band_table = p.band_table AND b.key = p.key"
        " WHERE (SELECT COUNT(*) FROM (SELECT 1 FROM bands c"
        "        WHERE c.band_table = p.band_table AND c.key = p.key LIMIT ?)) <= ?",
        (limit + 1, limit),
    ):
        if pk not in excluded:
            bucket[(table, key)].append(int(pk))
    found: set[int] = set()
    for band, members in bucket.items():
        if len(members) + new_per_key[band] <= limit:
            found.update(members)
    return sorted(found)


def _load(conn: sqlite3.Connection, path: str, pks: Iterable[int]) -> list[Stored]:
    out = []
    for pk in pks:
        row = conn.execute(
            "SELECT id, title, outlet, date, url, origin, text, block_keys FROM articles"
            " WHERE article = ?",
            (pk,),
        ).fetchone()
        if row is None:
            continue
        # Typed again on the way out: a crafted index may hold numbers in text columns.
        article_id, title, outlet, date, url, origin = (_text(v) for v in row[:6])
        article = Article(str(article_id), _inflate(path, row[6], str(article_id)), title,
                          outlet, date, url, origin or "")
        keys = _array(path, row[7], _U64, "block keys")
        out.append(Stored(pk, article, BlockEntry(outlet, keys)))
    return out


def _probe(conn: sqlite3.Connection, table: str, columns: str, rows: Iterable[tuple]) -> None:
    """Fill a temporary (connection-private) table with lookup keys, to join on."""
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({columns}) WITHOUT ROWID")
    conn.execute(f"DELETE FROM {table}")
    rows = list(rows)
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        conn.executemany(f"INSERT OR IGNORE INTO temp.{table} VALUES ({marks})", rows)
