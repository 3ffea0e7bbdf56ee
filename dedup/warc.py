"""Web archives: articles from the HTML pages captured in .warc and .warc.gz files.

Only ``response`` records of HTTP captures with status 200 and an HTML content type become
articles; every other record is skipped and counted. The same URL captured more than once
(in one file or across the files of one load) keeps its latest capture (by WARC-Date, then
input order). Reading is record by record: memory grows with the number of URLs (one small
entry each, for the choice of captures), not with the file's size or its pages' sizes.

A record whose block digest does not match (cut short or damaged) is a warning naming the
file and the record's offset. When the reader cannot go on (a damaged gzip member, a bad
header), reading resumes at the next record boundary found in the raw bytes: the next gzip
member that starts with a WARC header, or the next ``WARC/1.x`` line in an uncompressed file.
A whole-file gzip (not one member per record) has no such boundaries: the rest of it is lost,
and the warning says so.

The text and title come from the page as for a ``.html`` file (``load.extract_html``); the
date from the page's markup (not guessed from its text: that can take seconds a page), else
the capture's WARC-Date (its day); the outlet is the page's site name, else the URL's
registered domain (from the Public Suffix List that ships with the ``tld``
package, offline).
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .load import Article, InputError, LoadReport, decode_html, extract_html

if TYPE_CHECKING:
    from fastwarc.warc import WarcRecord

MISSING_LIBRARY = "reading WARC files needs FastWARC: pip install 'news-dedup[warc]'"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
UNREADABLE_HTTP = "responses whose HTTP header or content encoding cannot be read"
_SCAN_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."


@dataclass(frozen=True)
class Capture:
    """Where the page kept for one URL is: the file (its index in the load) and the record's
    number in it (not its offset: in a whole-file gzip, records share offsets)."""

    file: int
    record: int
    date: str


@dataclass
class _FileTally:
    """What one file held besides the pages that became articles (for LoadReport)."""

    skipped: Counter[str]
    warnings: list[str]


def _iterator_class() -> Any:
    try:
        from fastwarc.warc import ArchiveIterator
    except ImportError:
        return None
    return ArchiveIterator


# --- records --------------------------------------------------------------------------------


def _records(path: str, warnings: list[str]) -> Iterator[tuple[int, WarcRecord]]:
    """(number from 0, record) of every record of ``path``, resuming after damage at the
    next record boundary."""
    archive_iterator = _iterator_class()
    if archive_iterator is None:
        raise InputError(path, MISSING_LIBRARY)
    start = number = 0
    with open(path, "rb") as handle:
        while True:
            handle.seek(start)
            last = broken = None
            try:
                for record in archive_iterator(handle, parse_http=False):
                    if str(record.record_type) == "response":
                        # Read the block now, so that damage in it is met here.
                        broken = record.stream_pos
                        record.freeze()
                        broken = None
                    last = record.stream_pos
                    yield number, record
                    number += 1
                return
            except OSError as error:
                # A boundary after the last good record may be the damaged one: try it
                # first, and only skip past it if nothing can be read from there.
                failed = broken if broken is not None else start if last is None else None
                resume = _next_boundary(handle, (last if failed is None else failed) + 1)
                where = "no record boundary after it: the rest of the file is lost"
                if resume is not None:
                    where = f"reading on from offset {resume}"
                if failed is not None:
                    warnings.append(f"{path}: record at offset {failed}: unreadable "
                                    f"({_reason(error)}); {where}")
                elif resume is None:
                    warnings.append(f"{path}: unreadable data after the record at offset "
                                    f"{last} ({_reason(error)}); {where}")
                if resume is None:
                    return
                start = resume


def _reason(error: OSError) -> str:
    return str(error).strip() or type(error).__name__


def _next_boundary(handle: Any, position: int) -> int | None:
    """Offset of the next record start at or after ``position``: a gzip member that
    decompresses to a WARC header, or a ``WARC/1.`` line; None at the end of the file."""
    while True:
        handle.seek(position)
        chunk = handle.read(_SCAN_CHUNK + 16)
        if not chunk:
            return None
        found = [i for i in (chunk.find(_GZIP_MAGIC), _warc_line(chunk)) if i >= 0]
        if found:
            offset = position + min(found)
            if _is_record_start(handle, offset):
                return offset
            position = offset + 1
            continue
        if len(chunk) <= _SCAN_CHUNK:
            return None
        position += _SCAN_CHUNK


def _warc_line(chunk: bytes) -> int:
    at = chunk.find(b"\n" + _WARC_MAGIC)
    return at + 1 if at >= 0 else -1


def _is_record_start(handle: Any, offset: int) -> bool:
    handle.seek(offset)
    head = handle.read(4096)
    if head.startswith(_WARC_MAGIC):
        return True
    try:
        return zlib.decompressobj(wbits=31).decompress(head, 16).startswith(_WARC_MAGIC)
    except zlib.error:
        return False


def _digest_ok(record: WarcRecord) -> bool:
    """False if the record states a block digest that its bytes do not match (cut short or
    damaged). The block stays readable for parse_http (consume=False)."""
    if not record.headers.get("WARC-Block-Digest"):
        return True
    return bool(record.verify_block_digest(consume=False))


def _classify(record: WarcRecord) -> str | None:
    """Why a record is not an HTML page (a LoadReport reason), None if it is one."""
    kind = str(record.record_type)
    if kind != "response":
        return f"{kind} records"
    uri = record.headers.get("WARC-Target-URI") or ""
    if not uri.lower().startswith(("http://", "https://")):
        return "responses to non-HTTP requests"
    try:
        record.parse_http(auto_decode="all")  # also undoes chunking and gzip/br encoding
    except (OSError, ValueError):
        return UNREADABLE_HTTP
    if record.http_headers is None:
        return UNREADABLE_HTTP
    status = record.http_headers.status_code
    if status != 200:
        kind = "redirects" if 300 <= status < 400 else "responses"
        return f"{kind} with status {status}"
    content_type = (record.http_content_type or "").strip().lower()
    if content_type not in HTML_TYPES:
        return f"non-HTML responses ({content_type or 'no Content-Type'})"
    return None


def _pages(path: str, tally: _FileTally) -> Iterator[tuple[int, WarcRecord]]:
    """The intact HTML pages (status 200) of ``path``; everything else goes in ``tally``."""
    for number, record in _records(path, tally.warnings):
        if str(record.record_type) == "response" and not _digest_ok(record):
            tally.warnings.append(f"{path}: record at offset {record.stream_pos}: cut short "
                                  "or damaged (block digest does not match); skipped")
            continue
        reason = _classify(record)
        if reason is None:
            yield number, record
        else:
            tally.skipped[reason] += 1


def _capture_day(record: WarcRecord) -> str:
    return (record.headers.get("WARC-Date") or "").strip()


# --- choosing captures ----------------------------------------------------------------------


def latest_captures(paths: Sequence[str], report: LoadReport) -> dict[str, set[int]]:
    """First pass over ``paths``: the numbers of the records to read in each file, one page
    per URL, its latest capture. Skipped records and damage are recorded in ``report``."""
    latest: dict[str, Capture] = {}
    superseded: Counter[int] = Counter()
    tallies = []
    for number, path in enumerate(paths):
        tally = _FileTally(Counter(), [])
        tallies.append(tally)
        try:
            for record_number, record in _pages(path, tally):
                uri = record.headers.get("WARC-Target-URI") or ""
                capture = Capture(number, record_number, _capture_day(record))
                previous = latest.get(uri)
                if previous is not None:
                    # ISO 8601 dates in UTC sort as strings; a tie goes to the later one.
                    older, capture = sorted((previous, capture), key=lambda c: c.date)
                    superseded[older.file] += 1
                latest[uri] = capture
        except OSError as error:  # the file itself (permissions, I/O), not its records
            report.skipped.append((path, f"unreadable: {error.strerror or error}"))
    chosen: dict[str, set[int]] = {path: set() for path in paths}
    for capture in latest.values():
        chosen[paths[capture.file]].add(capture.record)
    for number, (path, tally) in enumerate(zip(paths, tallies, strict=True)):
        report.warnings.extend(tally.warnings)
        if superseded[number]:
            tally.skipped["earlier captures of a URL captured again (the latest is kept)"] = (
                superseded[number])
        report.skipped.extend((path, f"{count} {reason}")
                              for reason, count in sorted(tally.skipped.items()))
    return chosen


# --- articles -------------------------------------------------------------------------------


NO_TEXT = "HTML pages without article text"


def iter_warc(path: str, report: LoadReport, keep: set[int] | None = None) -> Iterator[Article]:
    """Articles of one WARC file, in file order: the records numbered in ``keep`` (from
    ``latest_captures`` over every WARC file of the load), else this file's own latest
    capture of each URL."""
    if keep is None:
        keep = latest_captures([path], report)[path]
    if not keep:
        return
    missed: Counter[str] = Counter()
    for number, record in _records(path, []):  # damage was reported by latest_captures
        if number not in keep:
            continue
        try:
            record.parse_http(auto_decode="all")
            payload = record.reader.read()
        except (OSError, ValueError):  # met in the first pass already: not expected here
            missed[UNREADABLE_HTTP] += 1
            continue
        article = _article(record, payload, path)
        if article is None:
            missed[NO_TEXT] += 1
        else:
            yield article
    report.skipped.extend((path, f"{count} {reason}") for reason, count in sorted(missed.items()))


def _article(record: WarcRecord, payload: bytes, path: str) -> Article | None:
    uri = record.headers.get("WARC-Target-URI") or ""
    html, _ = decode_html(payload, record.http_charset)
    if not html.strip():  # trafilatura logs an error for an empty document
        return None
    page = extract_html(html, date_from_text=False)
    if page is None:
        return None
    date = page.date or _capture_day(record)[:10] or None
    return Article(id=uri, text=page.text, title=page.title, outlet=page.sitename or
                   registered_domain(uri), date=date, url=uri, origin=path)


def registered_domain(url: str) -> str | None:
    """The registered domain of ``url`` ("www.bbc.co.uk" -> "bbc.co.uk"), offline."""
    from courlan import extract_domain

    return extract_domain(url)
