"""Opening the file: a missing index (created, or refused), someone else's database, a
read-only one (nothing left beside it), a damaged one.

Damage is looked for by what is about to happen. Before a write, SQLite's ``quick_check``
(every page: never write into a damaged file). Before a read, only the meta table; a damaged
page the read then meets, or a file cut short, is SQLite's own error, told as damage
(``_damage.sqlite_error``). ``dedup index verify`` runs the full ``integrity_check``.
docs/ci.md has the times."""

from __future__ import annotations

import os
import sqlite3
from urllib.parse import quote

from ..load import InputError
from ._damage import damage, damaged, sqlite_error
from ._format import IndexParams, _check_meta, _create, _tables

__all__ = ["BUSY_TIMEOUT_MS", "DEFAULT_INDEX_PATH", "MEMORY"]

DEFAULT_INDEX_PATH = os.path.join(".dedup", "index.sqlite")
BUSY_TIMEOUT_MS = 60_000  # a second writer waits this long for the first one
MEMORY = ":memory:"


def _connect(path: str, params: IndexParams, create: bool, readonly: bool,
             check: bool) -> tuple[sqlite3.Connection, bool]:
    """A connection to the index at ``path``, checked and configured, and whether to tidy
    up after it (see ``_readonly_uri``); InputError if it is not one, or damaged."""
    readonly = readonly and path != MEMORY  # an empty index in memory is made, then read
    create = create and not readonly
    if path != MEMORY:
        _check_path(path, create)
    tidy = False
    try:
        if readonly:
            uri, tidy = _readonly_uri(path)
            conn = sqlite3.connect(uri, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   uri=True)
        else:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as error:
        raise InputError(path, f"cannot open index: {error}") from None
    try:
        _configure(conn, path, params, create, readonly)
        # Never write into a damaged file: a writer looks at every page first. A reader does
        # not pay for that; SQLite raises on a damaged page it reads (a cut file: at once).
        problems = damage(conn) if check and not readonly and path != MEMORY else []
        if problems:
            raise damaged(path, problems[0])
    except sqlite3.DatabaseError as error:
        _close(conn, path, tidy)
        raise sqlite_error(path, error) from None
    except BaseException:
        _close(conn, path, tidy)
        raise
    return conn, tidy


def _readonly_uri(path: str) -> tuple[str, bool]:
    """The URI to read ``path`` with, and whether to tidy up after.

    A read-only connection to a WAL database creates -wal and -shm files and cannot remove
    them. If this process may write the file and its directory, a read-write connection
    opened and closed after the read-only one removes them, as SQLite does at every last
    close. If not, and no -wal file is there (no writer has the index open), the file is read
    as immutable: no -wal, -shm or locks. A -wal already there is left as it was found.
    """
    absolute = os.path.abspath(path)
    base = "file:" + quote(absolute) + "?mode=ro"
    if os.path.exists(absolute + "-wal") or os.path.exists(absolute + "-shm"):
        return base, False
    if os.access(absolute, os.W_OK) and os.access(os.path.dirname(absolute), os.W_OK):
        return base, True
    return base + "&immutable=1", False


def _close(conn: sqlite3.Connection, path: str, tidy: bool) -> None:
    conn.close()
    if not tidy:
        return
    try:
        # The first statement opens the file; the close of the last connection checkpoints
        # and removes -wal and -shm (only when no other connection has the index open).
        rw = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            rw.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        finally:
            rw.close()
    except sqlite3.Error:
        pass  # leftovers are harmless: the next writer's close removes them


def _check_path(path: str, create: bool) -> None:
    if os.path.isdir(path):
        raise InputError(path, "not a dedup index (a directory)")
    if os.path.exists(path):
        return
    if not create:
        raise InputError(path, "no such index (create one with 'dedup index add')")
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    except OSError as error:
        raise InputError(path, f"cannot create index: {error.strerror or error}") from None


def _configure(conn: sqlite3.Connection, path: str, params: IndexParams, create: bool,
               readonly: bool = False) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA temp_store = MEMORY")  # lookups fill temporary tables
    # Each page's cells checked as it is read: a damaged page is an error, not a wrong row.
    conn.execute("PRAGMA cell_size_check = ON")
    tables = _tables(conn)  # the first read: fails here if the file is not SQLite at all
    if "meta" not in tables:
        # Never write into a database that is someone else's.
        if tables or not create:
            raise InputError(path, "not a dedup index (no meta table)")
        _create(conn, params)
    _check_meta(conn, path, params)
    # Bulk adds touch random pages of the band table: a larger cache saves re-reads.
    conn.execute("PRAGMA cache_size = -32768")
    if readonly:
        return
    conn.execute("PRAGMA journal_mode = WAL")
    # Without a limit the WAL keeps the size of the largest transaction ever written.
    conn.execute("PRAGMA journal_size_limit = 67108864")
