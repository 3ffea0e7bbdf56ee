"""The open index: ``open_index`` and ``Index``, whose reads share one snapshot and whose
writes are one transaction each."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..boilerplate import RecurringBlocks
from ..load import Article
from ..parallel import default_jobs
from ._codec import _text
from ._damage import damage
from ._format import FORMAT_VERSION, IndexParams
from ._keys import BlockEntry, Prepared, prepare
from ._open import _close, _connect
from ._query import Known, Stored, _candidates, _counts, _entries, _known, _load
from ._write import AddResult, RemoveResult, _delete, _insert, _Plan

if TYPE_CHECKING:  # datasketch imports SciPy: loaded where used, not by 'dedup --help'
    from ..candidates import CandidateSettings

__all__ = ["Index", "IndexStats", "open_index"]


@dataclass(frozen=True)
class IndexStats:
    path: str
    format_version: int
    articles: int
    outlets: int
    band_rows: int
    block_keys: int
    file_bytes: int
    params: IndexParams


def open_index(
    path: str, settings: CandidateSettings | None = None, create: bool = False,
    readonly: bool = False, check: bool = True,
) -> Index:
    """Open (or with ``create``, create) the index at ``path``; InputError if it is not one,
    or if it is damaged (opened for writing: SQLite's ``quick_check``, unless ``check`` is
    false; read-only: SQLite's errors on the pages read, told as damage by ``sqlite_errors``).

    ``readonly``: for commands that only read. The file is opened read-only (it may belong to
    someone else, or be a cache restored read-only), and nothing is left beside it.

    >>> with open_index(":memory:", create=True) as index:
    ...     len(index)
    0
    """
    from ..candidates import CandidateSettings

    settings = settings or CandidateSettings()
    params = IndexParams.from_settings(settings)
    conn, tidy = _connect(path, params, create, readonly, check)
    return Index(conn, path, params, settings, tidy)


class Index:
    """An open index. Use as a context manager, or call ``close``."""

    def __init__(
        self, conn: sqlite3.Connection, path: str, params: IndexParams, settings: CandidateSettings,
        tidy: bool = False,
    ) -> None:
        self.path = path
        self._tidy = tidy  # opened read-only: remove the -wal and -shm that leaves on close
        self.params = params
        self.settings = settings
        self._conn = conn
        self.jobs = default_jobs()  # processes for the per-article work of prepare()
        from ..candidates import hashers

        # The hashers of find_candidates, so stored keys collide with a later copy's keys.
        self._doc_hasher, self._passage_hasher = hashers(settings)

    def close(self) -> None:
        _close(self._conn, self.path, self._tidy)

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self._one("SELECT COUNT(*) FROM articles")

    def _one(self, sql: str) -> int:
        return int(self._conn.execute(sql).fetchone()[0])

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read transaction: every read inside sees the same committed state."""
        with self._transaction(""):
            yield

    @contextmanager
    def _transaction(self, mode: str) -> Iterator[None]:
        self._conn.execute(f"BEGIN {mode}")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # --- reading (see _query) ---------------------------------------------------------------

    def known(self, articles: Sequence[Article]) -> dict[str, Known]:
        """Indexed ids among ``articles``: primary key, and whether the text is the same."""
        return _known(self._conn, articles)

    def known_versions(
        self, articles: Sequence[Article], renamed: Mapping[str, str]
    ) -> dict[str, Known]:
        """``known``, and for an article not indexed under its own id but renamed (new id ->
        old id), what the index holds under its old id."""
        found = self.known(articles)
        for article in articles:
            old_id = renamed.get(article.id)
            if article.id in found or old_id is None:
                continue
            old = self.known([replace(article, id=old_id)]).get(old_id)
            if old is not None:
                found[article.id] = Known(old.pk, old.same_text, old_id)
        return found

    def counts(self, entries: Iterable[BlockEntry]) -> RecurringBlocks:
        """The index's recurrence counts for the blocks in ``entries`` (for no others:
        ``is_chrome`` is only ever asked about blocks of the articles being classified)."""
        return _counts(self._conn, entries)

    def entries(self, pks: Iterable[int]) -> list[BlockEntry]:
        """The stored block entries of these articles (to count them out)."""
        return _entries(self._conn, self.path, pks)

    def prepare(self, articles: Sequence[Article], progress: bool = False) -> list[Prepared]:
        """Block keys and band keys of ``articles`` (``_keys.prepare``), on ``self.jobs``
        forked processes."""
        return prepare(articles, self.params, self._doc_hasher, self._passage_hasher,
                       self.jobs, progress)

    def candidates(self, prepared: Sequence[Prepared], exclude: Iterable[int] = ()) -> list[int]:
        """Primary keys of indexed articles that share a band with any of ``prepared``.

        Like ``find_candidates``, a bucket holding more than ``max_bucket`` articles (the
        indexed ones plus the new ones) is templated text, not a copy, and is skipped.
        """
        return _candidates(self._conn, prepared, exclude, self.settings.max_bucket)

    def load(self, pks: Iterable[int]) -> list[Stored]:
        """The stored articles, text inflated and checked."""
        return _load(self._conn, self.path, pks)

    # --- writing (see _write) ---------------------------------------------------------------

    def add(self, articles: Sequence[Article], progress: bool = False,
            renamed: Mapping[str, str] | None = None) -> AddResult:
        """Add ``articles`` in one transaction: new ids are added, changed texts replaced,
        same id and text left alone. ``renamed`` (new id -> old id, from git): a renamed
        article replaces its old version, or, with the same text, title and outlet (all its
        keys depend on), is moved to its new id."""
        ids = [a.id for a in articles]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate article ids in one add")
        renamed = renamed or {}
        with self.snapshot():
            version = self._data_version()
            plan = self._plan(articles, progress, renamed)
        with self._transaction("IMMEDIATE"):
            if self._data_version() != version:
                # Another writer committed while we computed: redo against its result.
                plan = self._plan(articles, progress, renamed)
            for pk in plan.replaced.values():
                _delete(self._conn, self.path, pk)
            for new_id, pk in sorted(plan.moved.items()):
                a = plan.articles[new_id]
                self._conn.execute(
                    "UPDATE articles SET id = ?, date = ?, url = ?, origin = ? WHERE article = ?",
                    (a.id, a.date, a.url, a.origin, pk),
                )
            _insert(self._conn, plan.prepared)
            total = len(self)
        replaced = set(plan.replaced)
        return AddResult(
            added=[p.article.id for p in plan.prepared if p.article.id not in replaced],
            replaced=sorted(replaced),
            unchanged=plan.unchanged,
            total=total,
            moved=sorted(plan.moved),
        )

    def remove(self, ids: Sequence[str]) -> RemoveResult:
        """Remove the articles with these ids, in one transaction."""
        removed, missing = [], []
        with self._transaction("IMMEDIATE"):
            for article_id in dict.fromkeys(ids):
                row = self._conn.execute(
                    "SELECT article FROM articles WHERE id = ?", (article_id,)
                ).fetchone()
                if row is None:
                    missing.append(article_id)
                else:
                    _delete(self._conn, self.path, int(row[0]))
                    removed.append(article_id)
            total = len(self)
        return RemoveResult(removed, missing, total)

    def _data_version(self) -> int:
        # Changes whenever another connection commits to the database file.
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _plan(self, articles: Sequence[Article], progress: bool,
              renamed: Mapping[str, str]) -> _Plan:
        known = self.known_versions(articles, renamed)
        unchanged = [a.id for a in articles
                     if a.id in known and known[a.id].same_id and known[a.id].same_text]
        moved = {a.id: a for a in articles if a.id in known and not known[a.id].same_id
                 and known[a.id].same_text and self._same_keys(known[a.id].pk, a)}
        todo = [a for a in articles if a.id not in moved
                and not (a.id in known and known[a.id].same_id and known[a.id].same_text)]
        replaced = {a.id: known[a.id].pk for a in todo if a.id in known}
        return _Plan(unchanged, replaced, self.prepare(todo, progress),
                     {i: known[i].pk for i in moved}, moved)

    def _same_keys(self, pk: int, article: Article) -> bool:
        """Whether the stored row's title and outlet, which its keys depend on, are these."""
        row = self._conn.execute("SELECT title, outlet FROM articles WHERE article = ?",
                                 (pk,)).fetchone()
        return row is not None and (_text(row[0]), _text(row[1])) == (article.title,
                                                                       article.outlet)

    # --- summary ----------------------------------------------------------------------------

    def damage(self, full: bool = True) -> list[str]:
        """What SQLite finds wrong with the file ([] if nothing); see ``damage``."""
        return damage(self._conn, full)

    def stats(self) -> IndexStats:
        with self.snapshot():
            articles = self._one("SELECT COUNT(*) FROM articles")
            outlets = self._one("SELECT COUNT(DISTINCT outlet) FROM articles")
            band_rows = self._one("SELECT COUNT(*) FROM bands")
            blocks = self._one("SELECT COUNT(*) FROM block_counts")
            pages = self._one("PRAGMA page_count") * self._one("PRAGMA page_size")
        return IndexStats(self.path, FORMAT_VERSION, articles, outlets, band_rows, blocks, pages,
                          self.params)
