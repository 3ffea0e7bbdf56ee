"""The file format: its name and version, the tables, and the parameters the band keys
depend on (recorded in ``meta``; an index built with other ones is refused)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from ..load import InputError
from ._codec import _short

if TYPE_CHECKING:  # datasketch imports SciPy: loaded where used, not by 'dedup --help'
    from ..candidates import CandidateSettings

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "IndexParams"]

FORMAT_NAME = "dedup-index"
FORMAT_VERSION = 2  # 2: band keys are candidates.band_hashes (1: xxh3 of the band's bytes)

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS articles (
        article INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        sha256 BLOB NOT NULL,
        title TEXT, outlet TEXT, date TEXT, url TEXT,
        origin TEXT NOT NULL,
        text BLOB NOT NULL,
        block_keys BLOB NOT NULL,
        band_keys BLOB NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS bands (
        band_table INTEGER NOT NULL, key INTEGER NOT NULL, article INTEGER NOT NULL,
        PRIMARY KEY (band_table, key, article)) WITHOUT ROWID""",
    "CREATE TABLE IF NOT EXISTS block_counts (key INTEGER PRIMARY KEY, docs INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS outlet_block_counts (
        outlet TEXT NOT NULL, key INTEGER NOT NULL, docs INTEGER NOT NULL,
        PRIMARY KEY (outlet, key)) WITHOUT ROWID""",
)


@dataclass(frozen=True)
class IndexParams:
    """Everything the stored band keys depend on; recorded in ``meta``.

    >>> from dedup.candidates import CandidateSettings
    >>> IndexParams.from_settings(CandidateSettings()).as_meta()["doc_bands"]
    '25'
    """

    shingle_size: int
    doc_perm: int
    doc_threshold: float
    doc_bands: int
    doc_rows: int
    passage_perm: int
    passage_threshold: float
    passage_bands: int
    passage_rows: int
    passage_window: int
    passage_stride: int
    seed: int

    @classmethod
    def from_settings(cls, settings: CandidateSettings) -> IndexParams:
        from ..candidates import lsh_shape
        from ..signatures import SHINGLE_SIZE

        # The band split is datasketch's own choice for (threshold, num_perm), so the index
        # finds what the in-memory MinHashLSH of ``find_candidates`` finds.
        doc_bands, doc_rows = lsh_shape(settings.doc_threshold, settings.doc_perm)
        passage_bands, passage_rows = lsh_shape(settings.passage_threshold,
                                                settings.passage_perm)
        return cls(
            SHINGLE_SIZE,
            settings.doc_perm, settings.doc_threshold, doc_bands, doc_rows,
            settings.passage_perm, settings.passage_threshold, passage_bands, passage_rows,
            settings.passage_window, settings.passage_stride, settings.seed,
        )

    def as_meta(self) -> dict[str, str]:
        return {f.name: repr(getattr(self, f.name)) for f in fields(self)}


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _create(conn: sqlite3.Connection, params: IndexParams) -> None:
    conn.execute("PRAGMA journal_mode = WAL")  # cannot change inside a transaction
    conn.execute("BEGIN IMMEDIATE")
    try:
        if "meta" not in _tables(conn):  # another process may have created it meanwhile
            for statement in _SCHEMA:
                conn.execute(statement)
            rows = [("format", FORMAT_NAME), ("format_version", str(FORMAT_VERSION)),
                    *params.as_meta().items()]
            conn.executemany("INSERT INTO meta VALUES (?, ?)", rows)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _check_meta(conn: sqlite3.Connection, path: str, params: IndexParams) -> None:
    try:
        meta = {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM meta")}
    except sqlite3.DatabaseError:
        raise InputError(path, "not a dedup index (unreadable meta table)") from None
    if meta.get("format") != FORMAT_NAME:
        raise InputError(path, "not a dedup index (no dedup format marker in meta)")
    version = meta.get("format_version")
    if version != str(FORMAT_VERSION):
        shown = _short(version)
        raise InputError(
            path, f"not a dedup index (format version {shown}, this dedup reads "
            f"{FORMAT_VERSION}): rebuild it with 'dedup index add CORPUS --index NEW'"
        )
    diffs = [
        f"{name} {_short(meta.get(name))} (expected {value})"
        for name, value in params.as_meta().items()
        if meta.get(name) != value
    ]
    if diffs:
        raise InputError(path, f"not a dedup index (other parameters: {', '.join(diffs)})")
