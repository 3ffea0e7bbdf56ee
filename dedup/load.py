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
"""

from __future__ import annotations

import csv
import json
import os
import posixpath
import re
import sys
import tempfile
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import BinaryIO, TextIO


class InputError(Exception):
    """Bad input that stops the run: reported as one line, exit code 2.

    ``str(error)`` is ``"<file>:<line>: <problem>"`` (line omitted when unknown).
    """

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Article:
    """One article as loaded. ``text`` is never modified after loading."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    url: str | None = None
    origin: str = ""  # "path" or "path:line" it was read from, for messages


@dataclass
class LoadReport:
    """What happened while loading: skipped inputs and warnings, all counted."""

    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    warnings: list[str] = field(default_factory=list)


# --- public API -----------------------------------------------------------------------------

STDIN_PATH = "-"
STDIN_ORIGIN = "<stdin>"

# Extension (lower case) -> format name. Anything else is ignored in a directory walk and
# rejected when named on the command line.
FORMATS: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".jsonl": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".parquet": "parquet",
}
# Extensions of two parts: matched before the last one alone.
_COMPOUND_EXTENSIONS = (".warc.gz", ".arc.gz")
# FastWARC reads WARC only; warcio converts the older ARC format.
_ARC_HINT = "ARC is not read: convert it with 'warcio recompress FILE.arc.gz FILE.warc.gz'"
# Formats whose article id comes from the file's path (one article per file); the others
# carry their own ids, one per record.
_PATH_ID_FORMATS = frozenset({"text", "markdown", "html"})
MANIFEST_NAME = "manifest.csv"

# Reasons recorded in LoadReport.skipped.
EMPTY_FILE = "empty file"
EMPTY_INPUT = "empty input"
BINARY_FILE = "binary file (NUL byte in the first 8 KiB)"
EMPTY_TEXT = "empty text"
NO_ARTICLES = "no articles"
NO_HTML_TEXT = "no article text found in the HTML"

_BINARY_SNIFF_BYTES = 8192
_BOM = "\ufeff"
_METADATA_FIELDS = ("title", "outlet", "date", "url")


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
            yield from _iter_file(path, FORMATS[_extension(path)], _stem(path), report,
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
            files += [full for rel, full in walks[path]
                      if FORMATS.get(_extension(rel)) == "warc"]
        elif FORMATS[_extension(path)] == "warc":
            files.append(path)
    if not files:
        return {}
    from . import warc

    return warc.latest_captures(files, report)


def load_articles(
    paths: Sequence[str], stdin: TextIO | None = None
) -> tuple[list[Article], LoadReport]:
    """Load every article in ``paths``; raise InputError if two articles share an id."""
    report = LoadReport()
    return list(_unique_articles(paths, report, stdin)), report


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
        for article in _unique_articles(paths, report, stdin):
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
    return _unique_articles(paths, report, stdin)


def _unique_articles(paths: Sequence[str], report: LoadReport,
                     stdin: TextIO | None) -> Iterator[Article]:
    first_seen: dict[str, str] = {}  # id -> origin of its first article
    for article in iter_articles(paths, report, stdin):
        if article.id in first_seen:
            path, line = _split_origin(article.origin)
            problem = f"duplicate id {article.id!r} (first seen at {first_seen[article.id]})"
            raise InputError(path, problem, line)
        first_seen[article.id] = article.origin
        yield article


_Metadata = tuple[str, "str | None", "str | None", "str | None", "str | None", str]


RECENT_ARTICLES = 4  # articles an ArticleStore keeps after reading them (see __init__)


class ArticleStore(Sequence[Article]):
    """Articles as loaded, their texts kept in a temporary file instead of in memory.

    A million articles' texts are over a gigabyte as Python strings, and each stage reads
    an article's text only a few times. ``store[i]`` reads it back (one ``pread``, safe in
    forked workers, which share the file but not a file position) and returns the same
    ``Article`` as loaded. The file is unlinked when made: it goes when the store is
    closed or the process ends.
    """

    def __init__(self, directory: str | None = None) -> None:
        # Open as long as the store is: closed by close() or with the process. Unbuffered:
        # a write buffer would be copied into forked workers and written by each.
        self._file = tempfile.TemporaryFile(buffering=0, dir=directory)  # noqa: SIM115
        self._ends = array("q")  # byte offset where each text ends
        self._meta: list[_Metadata] = []  # every field of an Article but its text
        self._lengths = array("q")  # text length in characters
        self._shared: dict[str, str] = {}  # one string per outlet or date, not one each
        # The last few articles read: a report reads a member's text once per span it
        # shows, which for a long article read anew each time grows with its square.
        self._recent: OrderedDict[int, Article] = OrderedDict()

    def append(self, article: Article) -> None:
        # surrogatepass: a JSON string may hold a lone surrogate ("\ud800"); it must come
        # back as it was.
        data = article.text.encode("utf-8", "surrogatepass")
        view = memoryview(data)
        while view:  # a write may take less than it was given
            view = view[os.write(self._file.fileno(), view) :]
        self._ends.append((self._ends[-1] if self._ends else 0) + len(data))
        self._lengths.append(len(article.text))
        outlet, date = (None if v is None else self._shared.setdefault(v, v)
                        for v in (article.outlet, article.date))
        self._meta.append((article.id, article.title, outlet, date, article.url,
                           article.origin))

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> ArticleStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def text_length(self, index: int) -> int:
        return self._lengths[index]

    def described(self, index: int) -> tuple[str, str | None, str | None, str | None, int]:
        """(id, outlet, title, date, text length) of an article, without reading its text:
        what a report lists of every article."""
        article_id, title, outlet, date, _, _ = self._meta[index]
        return article_id, outlet, title, date, self._lengths[index]

    def __len__(self) -> int:
        return len(self._meta)

    def __getitem__(self, index: int) -> Article:  # type: ignore[override]
        if not isinstance(index, int):
            raise TypeError("ArticleStore takes one index at a time")
        article_id, title, outlet, date, url, origin = self._meta[index]
        if index < 0:
            index += len(self._meta)
        recent = self._recent.get(index)
        if recent is not None:
            self._recent.move_to_end(index)
            return recent
        start = self._ends[index - 1] if index else 0
        data = os.pread(self._file.fileno(), self._ends[index] - start, start)
        article = Article(article_id, data.decode("utf-8", "surrogatepass"), title, outlet, date,
                          url, origin)
        self._recent[index] = article
        if len(self._recent) > RECENT_ARTICLES:
            self._recent.popitem(last=False)
        return article

    def __iter__(self) -> Iterator[Article]:
        return map(self.__getitem__, range(len(self._meta)))


# --- arguments ------------------------------------------------------------------------------


def _check_argument(path: str) -> None:
    if path == STDIN_PATH:
        return
    if not os.path.exists(path):
        raise InputError(path, "no such file or directory")
    if os.path.isdir(path):
        return
    if _is_manifest(path):
        # Loading it as articles would fail on the missing 'text' column; say what it is.
        raise InputError(path, f"{MANIFEST_NAME} holds metadata, not articles: pass its directory")
    extension = _extension(path)
    if extension not in FORMATS:
        shown = f"'{extension}'" if extension else "(no extension)"
        expected = ", ".join(FORMATS)
        hint = f"; {_ARC_HINT}" if extension in (".arc", ".arc.gz") else ""
        raise InputError(path, f"unsupported file type {shown} (expected {expected}){hint}")


def _extension(path: str) -> str:
    lower = path.lower()
    for compound in _COMPOUND_EXTENSIONS:
        if lower.endswith(compound):
            return compound
    return os.path.splitext(lower)[1]


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def _is_manifest(path: str) -> bool:
    return os.path.basename(path).lower() == MANIFEST_NAME


def _split_origin(origin: str) -> tuple[str, int | None]:
    """Undo the ``"path:line"`` of record origins (file origins end in an extension)."""
    match = re.fullmatch(r"(.*):(\d+)", origin, flags=re.DOTALL)
    if match is None:
        return origin, None
    return match.group(1), int(match.group(2))


# --- directories and manifests --------------------------------------------------------------


@dataclass(frozen=True)
class _ManifestEntry:
    line: int
    outlet: str | None
    date: str | None
    url: str | None


@dataclass
class _Manifest:
    path: str
    entries: dict[str, _ManifestEntry]
    matched: set[str] = field(default_factory=set)


def _iter_directory(root: str, report: LoadReport,
                    warc_keep: dict[str, set[int]] | None = None,
                    files: list[tuple[str, str]] | None = None) -> Iterator[Article]:
    if files is None:
        files = _walk(root, report)
    # Manifests are small and must be known before the first article of their subtree.
    manifests = {
        posixpath.dirname(rel): manifest
        for rel, full in files
        if _is_manifest(rel) and (manifest := _load_manifest(full, report)) is not None
    }
    for rel, full in files:
        fmt = FORMATS.get(_extension(rel))
        if fmt is None or _is_manifest(rel):
            continue
        article_id = posixpath.splitext(rel)[0]
        for article in _iter_file(full, fmt, article_id, report, warc_keep):
            yield _apply_manifests(article, rel, fmt in _PATH_ID_FORMATS, manifests)
    for _, manifest in sorted(manifests.items()):
        for manifest_id, entry in manifest.entries.items():
            if manifest_id not in manifest.matched:
                problem = f"manifest id {manifest_id!r} matches no article"
                report.warnings.append(f"{manifest.path}:{entry.line}: {problem}")


def _walk(root: str, report: LoadReport) -> list[tuple[str, str]]:
    """(relative '/'-separated path, full path) of every visible file, sorted.

    Only names are collected, never contents. Hidden files and directories (leading '.')
    are skipped. Symlinks to directories are not followed (os.walk's default), which also
    rules out cycles.
    """

    def unreadable(error: OSError) -> None:
        # os.walk silently drops directories it cannot list unless told otherwise.
        report.skipped.append((error.filename or root, f"unreadable: {_os_reason(error)}"))

    found: list[tuple[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        for name in filenames:
            if name.startswith("."):
                continue
            full = os.path.join(dirpath, name)
            found.append((os.path.relpath(full, root).replace(os.sep, "/"), full))
    found.sort()
    return found


def _load_manifest(path: str, report: LoadReport) -> _Manifest | None:
    try:
        with open(path, "rb") as handle:
            if _looks_binary(handle):
                report.skipped.append((path, BINARY_FILE))
                return None
            rows = _csv_rows(_decoded_lines(handle, path, report), path)
            header = next(rows, None)
            if header is None:
                report.skipped.append((path, EMPTY_FILE))
                return None
            columns = _csv_columns(header, path, required=("id",))
            entries: dict[str, _ManifestEntry] = {}
            for line, row in rows:
                record = _csv_record(row, columns, path, line)
                # Manifests are typed by people: surrounding spaces are never meaningful.
                manifest_id = (record.get("id") or "").strip()
                if not manifest_id:
                    raise InputError(path, "missing field 'id'", line)
                if manifest_id in entries:
                    first = entries[manifest_id].line
                    raise InputError(
                        path, f"duplicate id {manifest_id!r} (first at line {first})", line
                    )
                entries[manifest_id] = _ManifestEntry(
                    line=line,
                    outlet=_blank_to_none(record.get("outlet")),
                    date=_blank_to_none(record.get("date")),
                    url=_blank_to_none(record.get("url")),
                )
    except OSError as error:
        report.skipped.append((path, f"unreadable: {_os_reason(error)}"))
        return None
    return _Manifest(path=path, entries=entries)


def _apply_manifests(
    article: Article, rel: str, path_id: bool, manifests: dict[str, _Manifest]
) -> Article:
    """Fill the article's unknown outlet/date/url from the manifests above it.

    Field by field: the article's own value wins, then the nearest manifest, then the ones
    further up. A file's id is matched relative to each manifest's directory; a record
    (JSONL/JSON/CSV) keeps its own id wherever the manifest is.
    """
    if not manifests:
        return article
    known = {"outlet": article.outlet, "date": article.date, "url": article.url}
    directory = posixpath.dirname(rel)
    while True:
        manifest = manifests.get(directory)
        if manifest is not None:
            key = _id_below(article.id, directory) if path_id else article.id
            entry = manifest.entries.get(key)
            if entry is not None:
                manifest.matched.add(key)
                for name, value in known.items():
                    if value is None:
                        known[name] = getattr(entry, name)
        if not directory:
            break
        directory = posixpath.dirname(directory)
    return replace(article, **known)


def _id_below(article_id: str, directory: str) -> str:
    """The path-derived id as it would be computed from ``directory`` ('' = the root)."""
    return article_id[len(directory) + 1 :] if directory else article_id


# --- one file -------------------------------------------------------------------------------


def _iter_file(path: str, fmt: str, article_id: str, report: LoadReport,
               warc_keep: dict[str, set[int]] | None = None) -> Iterator[Article]:
    """Articles of one file; a file that cannot be read is skipped, not fatal."""
    try:
        if fmt == "warc":
            from .warc import iter_warc

            yield from iter_warc(path, report, (warc_keep or {}).get(path))
            return
        if fmt == "parquet":
            yield from _load_parquet(path, report)
            return
        if fmt in ("text", "markdown"):
            yield from _load_text(path, article_id, fmt == "markdown", report)
        elif fmt == "html":
            yield from _load_html(path, article_id, report)
        elif fmt == "jsonl":
            yield from _load_jsonl(path, report)
        elif fmt == "json":
            yield from _load_json(path, report)
        else:
            yield from _load_csv(path, report)
    except OSError as error:
        report.skipped.append((path, f"unreadable: {_os_reason(error)}"))


def _os_reason(error: OSError) -> str:
    return error.strerror or str(error)


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _looks_binary(handle: BinaryIO) -> bool:
    """NUL in the first 8 KiB, the usual heuristic (git, grep). Rewinds the handle."""
    head = handle.read(_BINARY_SNIFF_BYTES)
    handle.seek(0)
    return b"\0" in head


def _decode_document(data: bytes, path: str, report: LoadReport) -> str | None:
    """Whole-file text, or None if the file was skipped (the reason is in ``report``).

    A leading UTF-8 BOM is not part of the text. Nothing else is touched: no newline
    translation, no stripping, because offsets index this exact string.
    """
    if b"\0" in data[:_BINARY_SNIFF_BYTES]:
        report.skipped.append((path, BINARY_FILE))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        # Keep the article: one bad byte should not cost a whole story.
        text = data.decode("utf-8", errors="replace")
        line = data.count(b"\n", 0, error.start) + 1
        report.warnings.append(f"{path}:{line}: {_INVALID_UTF8}")
    text = text.removeprefix(_BOM)
    if not text.strip():
        report.skipped.append((path, EMPTY_FILE))
        return None
    return text


_INVALID_UTF8 = "invalid UTF-8 (first occurrence); undecodable bytes replaced with U+FFFD"


def _decoded_lines(
    lines: Iterable[bytes], path: str, report: LoadReport
) -> Iterator[tuple[int, str]]:
    """(line number, line with its ending) decoded as UTF-8, for line-by-line formats.

    Splitting bytes on b"\\n" is safe: that byte never occurs inside a multi-byte UTF-8
    sequence. Invalid bytes are replaced and warned about once per file.
    """
    warned = False
    for number, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("utf-8", errors="replace")
            if not warned:
                report.warnings.append(f"{path}:{number}: {_INVALID_UTF8}")
                warned = True
        if number == 1:
            line = line.removeprefix(_BOM)
        yield number, line


# --- .txt / .md -----------------------------------------------------------------------------


def _load_text(path: str, article_id: str, markdown: bool, report: LoadReport) -> Iterator[Article]:
    text = _decode_document(_read_bytes(path), path, report)
    if text is not None:
        yield Article(id=article_id, text=text, title=_title_from_text(text, markdown), origin=path)


_LINE = re.compile(r"[^\r\n]+")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+|\s+#+$")


def _title_from_text(text: str, markdown: bool) -> str | None:
    """First non-empty line that is not just a date/time stamp, else the first non-empty line.

    Scraped pages often start with the page's timestamp ("8:01 am - Thursday August 18,
    2022"), which says nothing about the story.
    """
    first: str | None = None
    for match in _LINE.finditer(text):
        line = match.group().strip()
        if markdown:
            line = _MARKDOWN_HEADING.sub("", line).strip()
        if not line:
            continue
        if first is None:
            first = line
        if not is_timestamp_line(line):
            return line
    return first


_MONTHS = frozenset(
    {
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
    }
)
_WEEKDAYS = frozenset(
    {
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"),
    }
)
# Words that may surround a stamp without making it a headline: am/pm (also "a.m."),
# ordinal suffixes, ISO 'T'/'Z', "Last Updated :"-style labels and time zones.
_STAMP_WORDS = frozenset(
    {
        *("am", "pm", "a", "p", "m", "st", "nd", "rd", "th", "t", "z"),
        *("at", "on", "updated", "last", "published", "posted"),
        *("utc", "gmt", "ist", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "bst"),
        *("cet", "cest", "eet", "eest", "msk", "jst", "kst", "hkt", "sgt", "aest", "aedt"),
    }
)
_STAMP_TOKEN = re.compile(r"[^\W\d_]+|\d+|\S")
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_NUMERIC_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")


def is_timestamp_line(line: str) -> bool:
    """True if ``line`` is only a date and/or time, e.g. "03 July, 2016" or "8:01 am".

    Every word must be a month, weekday or stamp word, numbers have at most 4 digits, and
    there must be a number plus something that makes it a date or time (a month or weekday
    name, a clock time, or a numeric date), so "2 min read" or "1984" are not stamps.
    """
    has_number = has_anchor = False
    for token in _STAMP_TOKEN.findall(line):
        word = token.lower()
        if token.isdigit():
            if len(token) > 4:
                return False
            has_number = True
        elif word in _MONTHS or word in _WEEKDAYS:
            has_anchor = True
        elif token.isalpha() and word not in _STAMP_WORDS:
            return False
    if not has_number:
        return False
    return has_anchor or bool(_CLOCK.search(line) or _NUMERIC_DATE.search(line))


# --- .html / .htm ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HtmlPage:
    """What trafilatura found in an HTML page: the text (what offsets index) and metadata."""

    text: str
    title: str | None
    date: str | None
    url: str | None
    sitename: str | None


def extract_html(html: str, date_from_text: bool = True) -> HtmlPage | None:
    """The article text and metadata of an HTML page; None if it has no article text.

    ``date_from_text=False``: the date only from the page's markup (meta tags, structured
    data, time elements), not guessed from its text, which can take seconds a page (the
    WARC reader has the capture's date to fall back on).
    """
    # Imported here: trafilatura takes a noticeable time to import and most runs read text.
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_recall=True
    )
    if not text or not text.strip():
        return None
    metadata = trafilatura.extract_metadata(html, extensive=date_from_text)
    if metadata is None:
        return HtmlPage(text, None, None, None, None)
    # extract_metadata already falls back to <title> when there is no better title.
    return HtmlPage(text, _blank_to_none(metadata.title), _blank_to_none(metadata.date),
                    _blank_to_none(metadata.url), _blank_to_none(metadata.sitename))


def _load_html(path: str, article_id: str, report: LoadReport) -> Iterator[Article]:
    from trafilatura.utils import decode_file

    data = _read_bytes(path)
    if b"\0" in data[:_BINARY_SNIFF_BYTES]:
        report.skipped.append((path, BINARY_FILE))
        return
    try:
        html = data.decode("utf-8")
    except UnicodeDecodeError:
        # Older news pages are often windows-1252 etc.; the page's charset (or a guess)
        # beats replacement characters. Offsets index the extracted text, not the page.
        html = decode_file(data)
        report.warnings.append(f"{path}: not valid UTF-8; decoded with the detected charset")
    html = html.removeprefix(_BOM)
    if not html.strip():
        report.skipped.append((path, EMPTY_FILE))
        return
    page = extract_html(html)
    if page is None:
        report.skipped.append((path, NO_HTML_TEXT))
        return
    yield Article(id=article_id, text=page.text, title=page.title, date=page.date,
                  url=page.url, origin=path)


# --- .parquet -------------------------------------------------------------------------------

PARQUET_BATCH_ROWS = 1024
MISSING_PYARROW = "reading Parquet needs pyarrow: pip install 'news-dedup[parquet]'"


def _load_parquet(path: str, report: LoadReport) -> Iterator[Article]:
    """Rows of a Parquet file, as records (the columns the Spark engine reads: id, text,
    title, outlet, date, url); read a batch at a time. Row numbers (from 1) stand for
    line numbers in messages."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(path, MISSING_PYARROW) from None
    import pyarrow as pa

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, ValueError) as error:
        raise InputError(path, f"not a readable Parquet file: {error}") from None
    names = set(parquet.schema_arrow.names)
    for required in ("id", "text"):
        if required not in names:
            raise InputError(path, f"missing column {required!r}")
    columns = ["id", "text", *(c for c in _METADATA_FIELDS if c in names)]
    row = 0
    try:
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns):
            for record in batch.to_pylist():
                row += 1
                article = _article_from_record(record, path, row, report)
                if article is not None:
                    yield article
    except (pa.ArrowException, ValueError) as error:
        raise InputError(path, f"cannot read Parquet: {error}", row + 1) from None
    if row == 0:
        report.skipped.append((path, NO_ARTICLES))


# --- records: .jsonl / .json / .csv / stdin -------------------------------------------------


def _article_from_record(
    record: object, path: str, line: int, report: LoadReport
) -> Article | None:
    """Validate one record (a JSON object, or a CSV row as a dict); None if skipped."""
    if not isinstance(record, dict):
        raise InputError(path, f"expected an object, got {_json_type(record)}", line)
    article_id = _record_id(record, path, line)
    if record.get("text") is None:
        raise InputError(path, "missing field 'text'", line)
    text = record["text"]
    if not isinstance(text, str):
        raise InputError(path, f"field 'text' must be a string, got {_json_type(text)}", line)
    origin = f"{path}:{line}"
    if not text.strip():
        report.skipped.append((origin, EMPTY_TEXT))
        return None
    metadata = {name: _optional_string(record, name, path, line) for name in _METADATA_FIELDS}
    return Article(id=article_id, text=text, origin=origin, **metadata)


def _record_id(record: dict[str, object], path: str, line: int) -> str:
    value = record.get("id")
    if value is None:
        raise InputError(path, "missing field 'id'", line)
    # bool is an int subclass, but True is no more an id than 1.5 is.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise InputError(
            path, f"field 'id' must be a string or integer, got {_json_type(value)}", line
        )
    if not value.strip():
        raise InputError(path, "empty field 'id'", line)
    return value  # kept as given: ids are compared exactly


def _optional_string(record: dict[str, object], name: str, path: str, line: int) -> str | None:
    value = record.get(name)
    if value is None or isinstance(value, str):
        return _blank_to_none(value)
    raise InputError(
        path, f"field {name!r} must be a string or null, got {_json_type(value)}", line
    )


def _blank_to_none(value: str | None) -> str | None:
    """Metadata is not offset-indexed, so tidy it: "" and "  " mean unknown."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _invalid_json(path: str, error: json.JSONDecodeError, line: int | None = None) -> InputError:
    return InputError(
        path, f"invalid JSON: {error.msg} (column {error.colno})", line or error.lineno
    )


def _articles_from_jsonl(
    lines: Iterable[tuple[int, str]], path: str, report: LoadReport, empty_reason: str
) -> Iterator[Article]:
    saw_record = False
    for number, line in lines:
        if not line.strip():
            continue
        saw_record = True
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise _invalid_json(path, error, number) from None
        article = _article_from_record(record, path, number, report)
        if article is not None:
            yield article
    if not saw_record:
        report.skipped.append((path, empty_reason))


def _load_jsonl(path: str, report: LoadReport) -> Iterator[Article]:
    with open(path, "rb") as handle:
        if _looks_binary(handle):
            report.skipped.append((path, BINARY_FILE))
            return
        lines = _decoded_lines(handle, path, report)
        yield from _articles_from_jsonl(lines, path, report, EMPTY_FILE)


def _iter_stdin(stdin: TextIO | None, report: LoadReport) -> Iterator[Article]:
    if stdin is None:
        if sys.stdin is None:
            raise InputError(STDIN_PATH, "no standard input to read")
        buffer = getattr(sys.stdin, "buffer", None)
        if buffer is not None:
            # The real stdin: read bytes so decoding is UTF-8 whatever the locale says.
            lines = _decoded_lines(buffer, STDIN_ORIGIN, report)
            yield from _articles_from_jsonl(lines, STDIN_ORIGIN, report, EMPTY_INPUT)
            return
        stdin = sys.stdin
    yield from _articles_from_jsonl(_text_lines(stdin), STDIN_ORIGIN, report, EMPTY_INPUT)


def _text_lines(stream: TextIO) -> Iterator[tuple[int, str]]:
    """Lines of an already-decoded stream; its decoding errors become InputErrors.

    No line number on a decoding error: text streams decode whole chunks ahead of the
    line being read, so any number would be a guess.
    """
    try:
        for number, line in enumerate(stream, start=1):
            yield number, line.removeprefix(_BOM) if number == 1 else line
    except UnicodeDecodeError as error:
        problem = f"cannot decode input ({error.encoding}): {error.reason}"
        raise InputError(STDIN_ORIGIN, problem) from None


def _load_json(path: str, report: LoadReport) -> Iterator[Article]:
    document = _decode_document(_read_bytes(path), path, report)
    if document is None:
        return
    try:
        parsed = json.loads(document)
    except json.JSONDecodeError as error:
        raise _invalid_json(path, error) from None
    records, start = _json_article_list(parsed, document, path)
    if not records:
        report.skipped.append((path, NO_ARTICLES))
        return
    # Line numbers from a second, position-aware pass: json.loads does not report them.
    line, position = 1, 0
    for record, offset in zip(records, _array_element_offsets(document, start), strict=True):
        line += document.count("\n", position, offset)
        position = offset
        article = _article_from_record(record, path, line, report)
        if article is not None:
            yield article


def _json_article_list(parsed: object, document: str, path: str) -> tuple[list[object], int]:
    """The list of article records and the offset of its '[' in ``document``."""
    if isinstance(parsed, list):
        return parsed, _skip_json_space(document, 0)
    if isinstance(parsed, dict) and "articles" in parsed:
        articles = parsed["articles"]
        start = _member_value_offset(document, _skip_json_space(document, 0), "articles")
        if not isinstance(articles, list):
            line = document.count("\n", 0, start) + 1
            raise InputError(path, f"'articles' must be an array, got {_json_type(articles)}", line)
        return articles, start
    raise InputError(path, "expected an array of articles or an object with an 'articles' array", 1)


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_DECODER = json.JSONDecoder()


def _skip_json_space(document: str, position: int) -> int:
    match = _JSON_SPACE.match(document, position)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _array_element_offsets(document: str, start: int) -> Iterator[int]:
    """Offsets where the elements of the array at ``start`` begin (``document`` is valid)."""
    position = _skip_json_space(document, start + 1)
    if document[position] == "]":
        return
    while True:
        yield position
        _, position = _JSON_DECODER.raw_decode(document, position)
        position = _skip_json_space(document, position)
        if document[position] == "]":
            return
        position = _skip_json_space(document, position + 1)  # past ','


def _member_value_offset(document: str, start: int, key: str) -> int:
    """Offset of the value of ``key`` in the object at ``start`` (the last one, like json)."""
    found = -1
    position = _skip_json_space(document, start + 1)
    while document[position] != "}":
        name, position = _JSON_DECODER.raw_decode(document, position)
        position = _skip_json_space(document, _skip_json_space(document, position) + 1)
        if name == key:
            found = position
        _, position = _JSON_DECODER.raw_decode(document, position)
        position = _skip_json_space(document, position)
        if document[position] == ",":
            position = _skip_json_space(document, position + 1)
    return found


def _load_csv(path: str, report: LoadReport) -> Iterator[Article]:
    with open(path, "rb") as handle:
        if _looks_binary(handle):
            report.skipped.append((path, BINARY_FILE))
            return
        rows = _csv_rows(_decoded_lines(handle, path, report), path)
        header = next(rows, None)
        if header is None:
            report.skipped.append((path, EMPTY_FILE))
            return
        columns = _csv_columns(header, path, required=("id", "text"))
        saw_record = False
        for line, row in rows:
            saw_record = True
            record = _csv_record(row, columns, path, line)
            article = _article_from_record(record, path, line, report)
            if article is not None:
                yield article
        if not saw_record:
            report.skipped.append((path, NO_ARTICLES))


# Articles can be far longer than csv's default 128 KiB field limit. C long may be 32 bits.
_CSV_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


def _csv_rows(lines: Iterable[tuple[int, str]], path: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, cells); rows with only blank cells are dropped.

    Lines keep their endings, so a quoted multi-line field keeps its '\\r\\n' exactly.
    ``strict`` turns a stray quote into an error instead of a field that silently
    swallows the rest of the file.
    """
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    reader = csv.reader((line for _, line in lines), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputError(path, f"malformed CSV: {error}", start) from None
        if any(cell.strip() for cell in row):
            yield start, row


def _csv_columns(
    header: tuple[int, list[str]], path: str, required: tuple[str, ...]
) -> dict[str, int]:
    """Column name (stripped, lower case) -> index; checks required and duplicate names."""
    line, cells = header
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = cell.strip().lower()
        if name in columns:
            raise InputError(path, f"duplicate column {name!r}", line)
        columns[name] = index
    for name in required:
        if name not in columns:
            found = ", ".join(repr(name) for name in columns)
            raise InputError(path, f"missing column {name!r} (header has {found})", line)
    return columns


def _csv_record(row: list[str], columns: dict[str, int], path: str, line: int) -> dict[str, object]:
    """A row as a record; a short row lacks its last cells, a long one is an error."""
    if len(row) > len(columns):
        raise InputError(path, f"row has {len(row)} fields but the header has {len(columns)}", line)
    return {name: row[index] for name, index in columns.items() if index < len(row)}
