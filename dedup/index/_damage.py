"""Damage and SQLite failures, as one line for the user: what ``dedup index verify`` runs
(``damage``) and how an error in the middle of a command is told (``sqlite_error``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from ..load import InputError
from ._codec import _short

__all__ = ["damage", "damaged", "sqlite_error", "sqlite_errors"]

_SQLITE_CORRUPT = 11


def sqlite_error(path: str, error: sqlite3.Error) -> InputError:
    """One line for the user: locked/unwritable (operational), damaged, or not a database."""
    if _is_corrupt(error):
        return damaged(path, str(error))
    if isinstance(error, sqlite3.OperationalError):
        return InputError(path, f"cannot use index: {error}")
    return InputError(path, f"not a dedup index ({error})")


def _is_corrupt(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF == _SQLITE_CORRUPT  # and its extended codes
    return "malformed" in str(error)


def damaged(path: str, problem: str) -> InputError:
    """Damage, with the ways out: see it in full, or build the index again."""
    return InputError(
        path, f"damaged index ({_short(problem, 80)}); see the damage with 'dedup index"
        f" verify --index {path}', rebuild with 'dedup index add CORPUS --index NEW'",
    )


def damage(conn: sqlite3.Connection, full: bool = False, limit: int = 100) -> list[str]:
    """What SQLite's own check finds wrong: [] when nothing.

    ``quick_check`` reads every page and checks each b-tree's structure; ``integrity_check``
    also checks that every index agrees with its table (slower: see docs/ci.md)."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        found = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}({int(limit)})")]
    except sqlite3.DatabaseError as error:
        if isinstance(error, sqlite3.OperationalError) and not _is_corrupt(error):
            raise
        return [str(error)]
    return [] if found == ["ok"] else found


@contextmanager
def sqlite_errors(path: str) -> Iterator[None]:
    """Turn SQLite failures in the middle of a command into InputError (one line, exit 2)."""
    try:
        yield
    except sqlite3.Error as error:
        raise sqlite_error(path, error) from None
