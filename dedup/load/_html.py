"""HTML pages: the article text and metadata trafilatura extracts (offsets index the
extracted text, not the page)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ._article import (
    BINARY_FILE,
    EMPTY_FILE,
    NO_HTML_TEXT,
    Article,
    LoadReport,
    _blank_to_none,
)
from ._decode import BINARY_SNIFF_BYTES, BOM, _read_bytes

__all__ = ["HtmlPage", "decode_html", "extract_html"]


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


def decode_html(data: bytes, charset: str | None = None) -> tuple[str, bool]:
    """A page's HTML, and whether it was UTF-8: UTF-8 if it is; else ``charset`` (a WARC
    record's HTTP charset) if Python knows it; else the charset the page declares, or
    trafilatura's guess. Older news pages are often windows-1252 etc., and their charset
    beats replacement characters. A leading BOM is dropped."""
    try:
        return data.decode("utf-8").removeprefix(BOM), True
    except UnicodeDecodeError:
        pass
    if charset:
        try:
            return data.decode(charset, errors="replace").removeprefix(BOM), False
        except LookupError:
            pass
    from trafilatura.utils import decode_file

    return decode_file(data).removeprefix(BOM), False


def _load_html(path: str, article_id: str, report: LoadReport) -> Iterator[Article]:
    data = _read_bytes(path)
    if b"\0" in data[:BINARY_SNIFF_BYTES]:
        report.skipped.append((path, BINARY_FILE))
        return
    html, utf8 = decode_html(data)
    if not utf8:
        report.warnings.append(f"{path}: not valid UTF-8; decoded with the detected charset")
    if not html.strip():
        report.skipped.append((path, EMPTY_FILE))
        return
    page = extract_html(html)
    if page is None:
        report.skipped.append((path, NO_HTML_TEXT))
        return
    yield Article(id=article_id, text=page.text, title=page.title, date=page.date,
                  url=page.url, origin=path)
