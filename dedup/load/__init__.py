"""Stage 1: read articles from files, directories and stdin.

Every article keeps its text exactly as decoded from disk: all offsets reported
anywhere in dedup index into ``Article.text``. The one exception is a leading UTF-8 BOM,
which is an encoding marker, not part of the text: it is dropped before anything else.

What happens to bad input:

* input that would make the result wrong (malformed JSON/CSV, a missing ``id`` or
  ``text``, duplicate ids, a path that does not exist) raises ``InputError``;
* input that cannot be used (empty, binary or unreadable files, records with empty text,
  HTML without article text) is skipped and recorded in ``LoadReport.skipped`` as
  ``(path or "path:line", reason)``; the CLI prints these as warnings;
* problems with input that is still used (invalid UTF-8, manifest ids that match no
  article) are recorded in ``LoadReport.warnings``.

Nothing here prints: the caller decides what to show.

The stage is ``iter_articles`` (``load_articles`` and ``load_store`` collect what it
yields, refusing duplicate ids). The parts: articles and errors (``_article``), bytes to
text (``_decode``), a file in its format (``_files``: text and Markdown ``_text``, HTML
``_html``, records ``_records``), directories and manifests (``_walk``), the on-disk store
(``_store``); the entry points (``iter_articles``, ``load_articles``, ``load_store``, and
``load_under`` for a few files read as a walk of their root would read them) are here.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from typing import TextIO

from ._article import (
    BINARY_FILE,
    EMPTY_FILE,
    EMPTY_INPUT,
    EMPTY_TEXT,
    NO_ARTICLES,
    NO_HTML_TEXT,
    Article,
    InputError,
    LoadReport,
)
from ._decode import _os_reason
from ._files import (
    INPUT_FORMATS,
    MANIFEST_NAME,
    PATH_ID_FORMATS,
    _check_argument,
    _extension,
    _iter_file,
    _stem,
    split_origin,
)
from ._html import HtmlPage, decode_html, extract_html
from ._records import MISSING_PYARROW, PARQUET_BATCH_ROWS, STDIN_ORIGIN, STDIN_PATH, _iter_stdin
from ._store import RECENT_ARTICLES, ArticleStore
from ._text import MONTH_NAMES, WEEKDAY_NAMES, is_timestamp_line
from ._walk import FilesUnder, _iter_directory, _under_root, _walk, is_article_file

__all__ = [
    "BINARY_FILE",
    "EMPTY_FILE",
    "EMPTY_INPUT",
    "EMPTY_TEXT",
    "INPUT_FORMATS",
    "MANIFEST_NAME",
    "MISSING_PYARROW",
    "MONTH_NAMES",
    "NO_ARTICLES",
    "NO_HTML_TEXT",
    "PARQUET_BATCH_ROWS",
    "PATH_ID_FORMATS",
    "RECENT_ARTICLES",
    "STDIN_ORIGIN",
    "STDIN_PATH",
    "WEEKDAY_NAMES",
    "Article",
    "ArticleStore",
    "FilesUnder",
    "HtmlPage",
    "InputError",
    "LoadReport",
    "decode_html",
    "extract_html",
    "is_article_file",
    "is_timestamp_line",
    "iter_articles",
    "iter_under",
    "iter_unique_articles",
    "load_articles",
    "load_store",
    "load_under",
    "split_origin",
]


def iter_articles(
    paths: Sequence[str], report: LoadReport, stdin: TextIO | None = None
) -> Iterator[Article]:
    """Yield the articles found in ``paths``, one file (or one JSONL/CSV record) at a time.

    Order is deterministic: arguments in the order given; inside a directory, files sorted by
    their '/'-separated path relative to that directory. All arguments are checked (exist,
    supported type) before the first article is read, so a typo in the last argument fails
    before any work is done. Inputs that are skipped, and warnings, are added to ``report``.
    """
    for path in paths:
        _check_argument(path)
    # Walked once, before reading: the WARC files among them are read as one crawl.
    walks = {path: _walk(path, report) for path in paths
             if path != STDIN_PATH and os.path.isdir(path)}
    warc_keep = _choose_warc_captures(paths, walks, report)
    for path in paths:
        if path == STDIN_PATH:
            yield from _iter_stdin(stdin, report)
        elif os.path.isdir(path):
            yield from _iter_directory(path, report, warc_keep, walks[path])
        else:
            yield from _iter_file(path, INPUT_FORMATS[_extension(path)], _stem(path), report,
                                  warc_keep)


def _choose_warc_captures(paths: Sequence[str], walks: dict[str, list[tuple[str, str]]],
                          report: LoadReport) -> dict[str, set[int]]:
    """Which page to read for each URL of all the WARC files in ``paths`` (its latest
    capture): a first pass over them, before the first article is read."""
    files = []
    for path in paths:
        if path == STDIN_PATH:
            continue
        if path in walks:
            files += _warc_files(walks[path])
        elif INPUT_FORMATS[_extension(path)] == "warc":
            files.append(path)
    return _latest_captures(files, report)


def _warc_files(walked: list[tuple[str, str]]) -> list[str]:
    return [full for rel, full in walked if INPUT_FORMATS.get(_extension(rel)) == "warc"]


def _latest_captures(files: list[str], report: LoadReport) -> dict[str, set[int]]:
    if not files:
        return {}
    from .. import warc

    return warc.latest_captures(files, report)


def load_articles(
    paths: Sequence[str], stdin: TextIO | None = None
) -> tuple[list[Article], LoadReport]:
    """Load every article in ``paths``; raise InputError if two articles share an id."""
    report = LoadReport()
    return list(_unique(iter_articles(paths, report, stdin))), report


def iter_under(selections: Sequence[FilesUnder], report: LoadReport) -> Iterator[Article]:
    """The articles of a few files under each root, read as ``iter_articles`` reads them
    when it walks the root: the same ids (paths relative to the root), the manifests above
    them applied, their WARC captures chosen together; messages name the files as a walk
    does. No warning of manifest ids that match no article: a manifest lists its whole
    directory, not the selected files."""
    walks = [_under_root(s) for s in selections]
    warc_keep = _latest_captures([f for walked in walks for f in _warc_files(walked)], report)
    for selection, walked in zip(selections, walks, strict=True):
        yield from _iter_directory(selection.root, report, warc_keep, walked,
                                   warn_unmatched=False)


def load_under(selections: Sequence[FilesUnder]) -> tuple[list[Article], LoadReport]:
    """``iter_under``'s articles; raise InputError if two share an id."""
    report = LoadReport()
    return list(_unique(iter_under(selections, report))), report


def load_store(
    paths: Sequence[str], stdin: TextIO | None = None, directory: str | None = None
) -> tuple[ArticleStore, LoadReport]:
    """``load_articles`` into an ``ArticleStore``: the texts wait on disk (in a temporary
    file in ``directory``, by default the system's), the rest in memory."""
    report = LoadReport()
    where = directory or tempfile.gettempdir()
    try:
        store = ArticleStore(directory)
    except OSError as error:
        raise InputError(where, f"cannot keep the article texts there: {_os_reason(error)}"
                         ) from None
    try:
        for article in _unique(iter_articles(paths, report, stdin)):
            try:
                store.append(article)
            except OSError as error:  # a full disk, a quota: not the input's fault
                raise InputError(where, "cannot keep the article texts there: "
                                 f"{_os_reason(error)}") from None
    except BaseException:
        store.close()
        raise
    return store, report


def iter_unique_articles(paths: Sequence[str], report: LoadReport,
                         stdin: TextIO | None = None) -> Iterator[Article]:
    """``iter_articles``, raising InputError if two articles share an id (only the ids
    are held, not the articles)."""
    return _unique(iter_articles(paths, report, stdin))


def _unique(articles: Iterator[Article]) -> Iterator[Article]:
    first_seen: dict[str, str] = {}  # id -> origin of its first article
    for article in articles:
        if article.id in first_seen:
            path, line = split_origin(article.origin)
            problem = f"duplicate id {article.id!r} (first seen at {first_seen[article.id]})"
            raise InputError(path, problem, line)
        first_seen[article.id] = article.origin
        yield article
