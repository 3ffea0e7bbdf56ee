"""A persistent corpus index: one SQLite file, grown article by article, for ``dedup check``.

What the file holds (format version 2, ``_format``):

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
  ``candidates.band_hashes``'s, the one the in-memory search and Spark bucket by.

Nothing is pickled: an index may come from an untrusted pull request. Every value is an
integer, text, or a blob of little-endian numbers whose length is checked when read
(``_codec``).

Damage (a bad disk, a cache restored half-way) is looked for before a write: SQLite's
``quick_check``, which reads every page (``_open``); a read relies on SQLite's checks of each
page it reads. ``dedup index verify`` runs the full ``integrity_check``, which also checks
every index against its table (``_damage``; docs/ci.md has what is checked when, and the
time each takes).

Writes are atomic: one ``BEGIN IMMEDIATE`` transaction per add or remove, in WAL mode with
a busy timeout so concurrent writers queue. The expensive part of an add (boilerplate,
shingles, signatures: ``_keys.prepare``) is computed before the write lock is taken, on a
read snapshot and on forked worker processes (``Index.jobs``, every core by default; the
rows written are the same with any number); if another writer committed meanwhile, it is
recomputed under the lock. The rows of an add are written with ``executemany``, in key
order (``_write``). ``dedup check`` reads through ``_query``.

The entry point is ``open_index``, which returns an ``Index`` (``_index``).
"""

from __future__ import annotations

from ._codec import MAX_TEXT_BYTES
from ._damage import damage, damaged, sqlite_error, sqlite_errors
from ._format import FORMAT_NAME, FORMAT_VERSION, IndexParams
from ._index import Index, IndexStats, open_index
from ._keys import BlockEntry, Prepared, article_block_keys, band_keys, count_out, text_sha256
from ._open import BUSY_TIMEOUT_MS, DEFAULT_INDEX_PATH, MEMORY
from ._query import Known, Stored
from ._write import AddResult, RemoveResult

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DEFAULT_INDEX_PATH",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_TEXT_BYTES",
    "MEMORY",
    "AddResult",
    "BlockEntry",
    "Index",
    "IndexParams",
    "IndexStats",
    "Known",
    "Prepared",
    "RemoveResult",
    "Stored",
    "article_block_keys",
    "band_keys",
    "count_out",
    "damage",
    "damaged",
    "open_index",
    "sqlite_error",
    "sqlite_errors",
    "text_sha256",
]
