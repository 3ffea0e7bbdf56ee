"""A persistent corpus index: one SQLite file, grown article by article, for ``dedup check``.

What the file holds (format version 1):

* ``meta``: the format name and version, and every parameter the band keys depend on. An
  index built with other parameters would silently miss candidates, so it is refused.
* ``articles``: metadata, zlib-compressed text (alignment needs the exact text for its
  offsets), a SHA-256 of the text (same id and same text: nothing to do), and two
  little-endian arrays: the article's block keys and its LSH band keys. With them an
  article is removed without re-analysing its text.
* ``block_counts`` / ``outlet_block_counts``: how many articles (of each outlet) contain
  each block, kept up to date on add and remove, so boilerplate recurrence is known
  without reading the corpus again.
* ``bands``: (band_table, key) -> article, for the whole-article and the passage MinHash
  signatures. (b, r) are datasketch's for the same threshold and num_perm; a band's key is
  the xxh3 hash of its bytes.

Nothing is pickled: an index may come from an untrusted pull request. Every value is an
integer, text, or a blob of little-endian numbers whose length is checked when read.

Damage (a bad disk, a cache restored half-way) is looked for before every use: SQLite's
``quick_check`` when the index is opened, which reads every page (about 0.6-1.1 s for the
19k-article Reuters index, 106 MB); ``dedup index verify`` runs the full ``integrity_check``,
which also checks every index against its table (0.9-1.4 s there; docs/ci.md has figures).

Writes are atomic: one ``BEGIN IMMEDIATE`` transaction per add or remove, in WAL mode with
a busy timeout so concurrent writers queue. The expensive part of an add (boilerplate,
shingles, signatures) is computed before the write lock is taken, on a read snapshot and on
forked worker processes (``Index.jobs``, every core by default; the rows written are the
same with any number); if another writer committed meanwhile, it is recomputed under the
lock. The rows of an add are written with ``executemany``, in key order.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING
from urllib.parse import quote

import numpy as np
import xxhash
from tqdm import tqdm

from .boilerplate import RecurringBlocks, block_keys, classify_blocks
from .load import Article, InputError
from .normalize import Block, blocks
from .parallel import default_jobs, map_ordered

if TYPE_CHECKING:  # datasketch imports SciPy: loaded where used, not by 'dedup --help'
    from .candidates import CandidateSettings
    from .signatures import MinHasher

FORMAT_NAME = "dedup-index"
FORMAT_VERSION = 1
DEFAULT_INDEX_PATH = os.path.join(".dedup", "index.sqlite")
BUSY_TIMEOUT_MS = 60_000  # a second writer waits this long for the first one
MAX_TEXT_BYTES = 256 << 20  # a stored text inflating past this is corrupt (or a zip bomb)
MEMORY = ":memory:"

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
_ROWS_PER_CALL = 100_000  # band rows per executemany
_U64 = np.dtype("<u8")
_I64 = np.dtype("<i8")


# --- parameters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexParams:
    """Everything the stored band keys depend on; recorded in ``meta``."""

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
        from .candidates import lsh_shape
        from .signatures import SHINGLE_SIZE

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


# --- results --------------------------------------------------------------------------------


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


@dataclass
class _Plan:
    unchanged: list[str]
    replaced: dict[str, int]  # id -> primary key of the old version
    prepared: list[Prepared]
    moved: dict[str, int] = field(default_factory=dict)  # new id -> its row (same text)
    articles: dict[str, Article] = field(default_factory=dict)  # the moved ones, by new id


# --- keys -----------------------------------------------------------------------------------


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
    int64 array of shape (n, 2), each row once."""
    data = np.ascontiguousarray(signatures[:, : bands * rows], dtype="<u4").tobytes()
    width = rows * 4
    view = memoryview(data)
    digest = xxhash.xxh3_64_intdigest
    count = len(data) // width
    keys = np.fromiter((digest(view[o : o + width]) for o in range(0, len(data), width)),
                       dtype=_U64, count=count).view(_I64)  # SQLite integers are signed
    tables = first_table + np.arange(count, dtype=_I64) % bands
    return np.stack([tables, keys], axis=1)


def _unique_rows(rows: np.ndarray) -> np.ndarray:
    """The distinct (table, key) rows, sorted."""
    if len(rows) < 2:
        return rows
    rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
    keep = np.r_[True, np.any(rows[1:] != rows[:-1], axis=1)]
    return rows[keep]


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _deflate(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8", "surrogatepass"))


def _as_signed(keys: np.ndarray) -> list[int]:
    return keys.astype(_U64).view(_I64).tolist()


def shift(recurring: RecurringBlocks, entries: Iterable[BlockEntry], sign: int) -> None:
    """Count ``entries`` in (+1) or out (-1), as ``RecurringBlocks.add`` would."""
    for entry in entries:
        keys = entry.keys.tolist()
        if sign > 0:
            recurring.add_keys(set(keys), entry.outlet)
            continue
        recurring.doc_counts.subtract(keys)
        if entry.outlet:
            recurring.outlet_counts.subtract((entry.outlet, k) for k in keys)


# Per-article work, module-level so forked workers can run it (see parallel.py).


def _split(articles: Sequence[Article], i: int) -> tuple[list[Block], np.ndarray]:
    text = articles[i].text
    spans = blocks(text)
    return spans, article_block_keys(text, spans)


def _prepare_one(
    shared: tuple[Sequence[Article], list[list[Block]], IndexParams,
                  MinHasher, MinHasher],
    i: int,
) -> tuple[bytes, np.ndarray]:
    """SHA-256 and band keys of one article: the same steps as analyze() and
    find_candidates(), so stored keys collide with the keys of a copy checked later."""
    from .signatures import featurize

    articles, spans, p, doc_hasher, passage_hasher = shared
    article = articles[i]
    # Chrome by its look only, not by recurrence: counts change as articles are added, and
    # keys stored under older counts made an index depend on how it was batched (issue 19).
    labelled = classify_blocks(article.text, article.title, article.outlet, None, spans[i])
    shingles = featurize(article, labelled).shingles
    keys = [np.empty((0, 2), dtype=_I64)]
    if len(shingles):
        doc = doc_hasher.signature(np.unique(shingles))
        keys.append(band_keys(doc[None, :], p.doc_bands, p.doc_rows, 0))
        _, passages = passage_hasher.passage_signatures(
            shingles, p.passage_window, p.passage_stride
        )
        keys.append(band_keys(passages, p.passage_bands, p.passage_rows, p.doc_bands))
    return text_sha256(article.text), _unique_rows(np.concatenate(keys))


# --- opening --------------------------------------------------------------------------------


def open_index(
    path: str, settings: CandidateSettings | None = None, create: bool = False,
    readonly: bool = False, check: bool = True,
) -> Index:
    """Open (or with ``create``, create) the index at ``path``; InputError if it is not one,
    or if it is damaged (SQLite's ``quick_check``, unless ``check`` is false).

    ``readonly``: for commands that only read. The file is opened read-only (it may belong to
    someone else, or be a cache restored read-only), and nothing is left beside it."""
    from .candidates import CandidateSettings

    settings = settings or CandidateSettings()
    params = IndexParams.from_settings(settings)
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
        _prepare(conn, path, params, create, readonly)
        problems = damage(conn) if check and path != MEMORY else []
        if problems:
            raise damaged(path, problems[0])
    except sqlite3.DatabaseError as error:
        _close(conn, path, tidy)
        raise sqlite_error(path, error) from None
    except BaseException:
        _close(conn, path, tidy)
        raise
    return Index(conn, path, params, settings, tidy)


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


def sqlite_error(path: str, error: sqlite3.Error) -> InputError:
    """One line for the user: locked/unwritable (operational), damaged, or not a database."""
    if _is_corrupt(error):
        return damaged(path, str(error))
    if isinstance(error, sqlite3.OperationalError):
        return InputError(path, f"cannot use index: {error}")
    return InputError(path, f"not a dedup index ({error})")


_SQLITE_CORRUPT = 11


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


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _prepare(conn: sqlite3.Connection, path: str, params: IndexParams, create: bool,
             readonly: bool = False) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA temp_store = MEMORY")  # lookups fill temporary tables
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
            path, f"not a dedup index (format version {shown}, this dedup reads {FORMAT_VERSION})"
        )
    diffs = [
        f"{name} {_short(meta.get(name))} (expected {value})"
        for name, value in params.as_meta().items()
        if meta.get(name) != value
    ]
    if diffs:
        raise InputError(path, f"not a dedup index (other parameters: {', '.join(diffs)})")


def _short(value: str | None, width: int = 40) -> str:
    # Values come from an untrusted file and end up in a one-line message.
    if value is None:
        return "missing"
    shown = repr(value)
    return shown if len(shown) <= width else shown[: width - 3] + "..."


# --- the index ------------------------------------------------------------------------------


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
        from .candidates import hashers

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

    # --- reading ----------------------------------------------------------------------------

    def known(self, articles: Sequence[Article]) -> dict[str, Known]:
        """Indexed ids among ``articles``: primary key, and whether the text is the same."""
        found: dict[str, Known] = {}
        for article in articles:
            row = self._conn.execute(
                "SELECT article, sha256 FROM articles WHERE id = ?", (article.id,)
            ).fetchone()
            if row is not None:
                same = isinstance(row[1], bytes) and row[1] == text_sha256(article.text)
                found[article.id] = Known(int(row[0]), same)
        return found

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
        keys: set[int] = set()
        pairs: set[tuple[str, int]] = set()
        for entry in entries:
            signed = _as_signed(entry.keys)
            keys.update(signed)
            if entry.outlet:
                pairs.update((entry.outlet, k) for k in signed)
        recurring = RecurringBlocks()
        self._probe("probe_keys", "key INTEGER PRIMARY KEY", ((k,) for k in keys))
        for key, docs in self._conn.execute(
            "SELECT c.key, c.docs FROM probe_keys p CROSS JOIN block_counts c ON c.key = p.key"
        ):
            recurring.doc_counts[key % (1 << 64)] = int(docs)
        self._probe("probe_outlet_keys", "outlet TEXT, key INTEGER, PRIMARY KEY (outlet, key)",
                    pairs)
        for outlet, key, docs in self._conn.execute(
            "SELECT c.outlet, c.key, c.docs FROM probe_outlet_keys p"
            " CROSS JOIN outlet_block_counts c"
            " ON c.outlet = p.outlet AND c.key = p.key"
        ):
            recurring.outlet_counts[(str(outlet), key % (1 << 64))] = int(docs)
        return recurring

    def entries(self, pks: Iterable[int]) -> list[BlockEntry]:
        """The stored block entries of these articles (to count them out)."""
        out = []
        for pk in pks:
            outlet, blob = self._conn.execute(
                "SELECT outlet, block_keys FROM articles WHERE article = ?", (pk,)
            ).fetchone()
            out.append(BlockEntry(_text(outlet), self._array(blob, _U64, "block keys")))
        return out

    def prepare(self, articles: Sequence[Article], progress: bool = False) -> list[Prepared]:
        """Block keys and band keys of ``articles``. Band keys come from the blocks chrome
        by its look alone, not by recurrence counts, which change as articles come and go:
        the same articles give the same index however they were batched.

        The per-article work runs on ``self.jobs`` forked processes (see ``parallel``)."""
        split = map_ordered(_split, range(len(articles)), articles, self.jobs)
        spans = [s for s, _ in split]
        entries = [BlockEntry(a.outlet, keys) for a, (_, keys) in zip(articles, split,
                                                                        strict=True)]
        shared = (articles, spans, self.params, self._doc_hasher, self._passage_hasher)
        with tqdm(total=len(articles), desc="index", unit="doc", leave=False,
                  disable=None if progress else True) as bar:
            done = map_ordered(_prepare_one, range(len(articles)), shared, self.jobs, bar.update)
        return [
            Prepared(a, sha, entry, bands)
            for a, entry, (sha, bands) in zip(articles, entries, done, strict=True)
        ]

    def candidates(self, prepared: Sequence[Prepared], exclude: Iterable[int] = ()) -> list[int]:
        """Primary keys of indexed articles that share a band with any of ``prepared``.

        Like ``find_candidates``, a bucket holding more than ``max_bucket`` articles (the
        indexed ones plus the new ones) is templated text, not a copy, and is skipped.
        """
        excluded = set(exclude)
        new_per_key = Counter(tuple(row) for p in prepared for row in p.bands.tolist())
        limit = self.settings.max_bucket
        self._probe("probe_bands", "band_table INTEGER, key INTEGER, PRIMARY KEY (band_table, key)",
                    new_per_key)
        bucket: dict[tuple[int, int], list[int]] = defaultdict(list)
        # CROSS JOIN fixes the loop order (probe keys outside, the band index inside): left
        # to itself the planner scans the whole band table. The bucket size is counted only
        # up to the limit, so a template shared by half the corpus costs no more than that.
        for table, key, pk in self._conn.execute(
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

    def load(self, pks: Iterable[int]) -> list[Stored]:
        """The stored articles, text inflated and checked."""
        out = []
        for pk in pks:
            row = self._conn.execute(
                "SELECT id, title, outlet, date, url, origin, text, block_keys FROM articles"
                " WHERE article = ?",
                (pk,),
            ).fetchone()
            if row is None:
                continue
            # Typed again on the way out: a crafted index may hold numbers in text columns.
            article_id, title, outlet, date, url, origin = (_text(v) for v in row[:6])
            article = Article(str(article_id), self._inflate(row[6], str(article_id)), title,
                              outlet, date, url, origin or "")
            keys = self._array(row[7], _U64, "block keys")
            out.append(Stored(pk, article, BlockEntry(outlet, keys)))
        return out

    def _inflate(self, blob: object, article_id: str) -> str:
        where = f"the text of {_short(str(article_id))}"
        if not isinstance(blob, bytes):
            raise InputError(self.path, f"corrupt index ({where} is not a blob)")
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(blob, MAX_TEXT_BYTES)
            if inflater.unconsumed_tail or not inflater.eof:
                raise InputError(self.path, f"corrupt index ({where} is truncated or too large)")
            return data.decode("utf-8")
        except (zlib.error, UnicodeDecodeError) as error:
            raise InputError(self.path, f"corrupt index ({where}: {error})") from None

    def _array(self, blob: object, dtype: np.dtype, what: str) -> np.ndarray:
        if not isinstance(blob, bytes) or len(blob) % dtype.itemsize:
            raise InputError(self.path, f"corrupt index ({what} are not a whole number array)")
        return np.frombuffer(blob, dtype=dtype)

    def _probe(self, table: str, columns: str, rows: Iterable[tuple]) -> None:
        """Fill a temporary (connection-private) table with lookup keys, to join on."""
        self._conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({columns}) WITHOUT ROWID")
        self._conn.execute(f"DELETE FROM {table}")
        rows = list(rows)
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            self._conn.executemany(f"INSERT OR IGNORE INTO temp.{table} VALUES ({marks})", rows)

    # --- writing ----------------------------------------------------------------------------

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
                self._delete(pk)
            for new_id, pk in sorted(plan.moved.items()):
                a = plan.articles[new_id]
                self._conn.execute(
                    "UPDATE articles SET id = ?, date = ?, url = ?, origin = ? WHERE article = ?",
                    (a.id, a.date, a.url, a.origin, pk),
                )
            self._insert(plan.prepared)
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
                    self._delete(int(row[0]))
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

    def _insert(self, prepared: Sequence[Prepared]) -> None:
        if not prepared:
            return
        # Primary keys assigned here (the write lock is held), as SQLite would assign them:
        # then every table is filled with one executemany.
        first = self._one("SELECT COALESCE(MAX(article), 0) FROM articles") + 1
        pks = range(first, first + len(prepared))
        self._conn.executemany(
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
            self._conn.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?, ?)",
                                   band_rows[start : start + _ROWS_PER_CALL].tolist())
        self._conn.executemany(
            "INSERT INTO block_counts (key, docs) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET docs = docs + excluded.docs",
            sorted(doc_counts.items()),
        )
        self._conn.executemany(
            "INSERT INTO outlet_block_counts (outlet, key, docs) VALUES (?, ?, ?)"
            " ON CONFLICT (outlet, key) DO UPDATE SET docs = docs + excluded.docs",
            sorted((o, k, n) for (o, k), n in outlet_counts.items()),
        )

    def _delete(self, pk: int) -> None:
        outlet, blocks_blob, bands_blob = self._conn.execute(
            "SELECT outlet, block_keys, band_keys FROM articles WHERE article = ?", (pk,)
        ).fetchone()
        keys = [(k,) for k in _as_signed(self._array(blocks_blob, _U64, "block keys"))]
        self._conn.executemany("UPDATE block_counts SET docs = docs - 1 WHERE key = ?", keys)
        self._conn.executemany("DELETE FROM block_counts WHERE key = ? AND docs <= 0", keys)
        if outlet:
            pairs = [(outlet, k) for (k,) in keys]
            self._conn.executemany(
                "UPDATE outlet_block_counts SET docs = docs - 1 WHERE outlet = ? AND key = ?", pairs
            )
            self._conn.executemany(
                "DELETE FROM outlet_block_counts WHERE outlet = ? AND key = ? AND docs <= 0", pairs
            )
        bands = self._array(bands_blob, _I64, "band keys").reshape(-1, 2).tolist()
        self._conn.executemany(
            "DELETE FROM bands WHERE band_table = ? AND key = ? AND article = ?",
            [(t, k, pk) for t, k in bands],
        )
        self._conn.execute("DELETE FROM articles WHERE article = ?", (pk,))

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
