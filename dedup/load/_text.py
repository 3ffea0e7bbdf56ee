"""Plain text and Markdown files: one article each, titled by its first line that is not
a date or time stamp."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ._article import Article, LoadReport
from ._decode import _decode_document, _read_bytes

__all__ = ["MONTH_NAMES", "WEEKDAY_NAMES", "is_timestamp_line"]


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


# Month and weekday names, full and abbreviated, lower case (boilerplate's timestamp
# blocks use them too).
MONTH_NAMES = frozenset(
    {
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
    }
)
WEEKDAY_NAMES = frozenset(
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
        elif word in MONTH_NAMES or word in WEEKDAY_NAMES:
            has_anchor = True
        elif token.isalpha() and word not in _STAMP_WORDS:
            return False
    if not has_number:
        return False
    return has_anchor or bool(_CLOCK.search(line) or _NUMERIC_DATE.search(line))
