"""Reader for the Reuters-21578 SGML distribution (reut2-*.sgm).

The data is read in place for research use; nothing from it is copied into the repository.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_DOC_RE = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_NEWID_RE = re.compile(r'NEWID="(\d+)"')
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    )
}


def _field(block: str, tag: str) -> str | None:
    m = re.search(rf"<{tag}>(.*?)</{tag}>", block, re.S)
    return m.group(1) if m else None


def _labels(block: str, tag: str) -> list[str]:
    inner = _field(block, tag) or ""
    return [html.unescape(x) for x in re.findall(r"<D>(.*?)</D>", inner, re.S)]


def _iso_date(raw: str | None) -> str | None:
    if not raw:
        return None
    m = re.match(r"\s*(\d{1,2})-([A-Z]{3})-(\d{4})", raw)
    if not m or m.group(2) not in _MONTHS:
        return None
    return f"{int(m.group(3)):04d}-{_MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}"


def clean_body(raw: str) -> str:
    """Unescape entities, drop the \\x03 end-of-text marks and trailing whitespace."""
    return html.unescape(raw).replace("\x03", "").rstrip()


def iter_reuters(path: str | Path, max_files: int | None = None) -> Iterator[dict[str, Any]]:
    """Yield the stories of a Reuters-21578 directory that have a <BODY>, in NEWID file order.

    Each item: ``{"id": "reuters-<NEWID>", "title", "date" (yyyy-mm-dd or None), "text",
    "topics": [...], "places": [...], "people": [...], "orgs": [...], "companies": [...]}``.
    The text keeps the hard wraps and the trailing "Reuter"/"REUTER" sign-off as it appears.
    ``max_files`` reads only the first files (quick runs).
    """
    for f in sorted(Path(path).glob("reut2-*.sgm"))[:max_files]:
        data = f.read_text(encoding="latin-1")
        for m in _DOC_RE.finditer(data):
            attrs, block = m.group(1), m.group(2)
            body = _field(block, "BODY")
            if body is None:
                continue
            text = clean_body(body)
            if not text.strip():
                continue
            nid = _NEWID_RE.search(attrs)
            title = _field(block, "TITLE")
            yield {
                "id": f"reuters-{nid.group(1) if nid else '?'}",
                "title": " ".join(html.unescape(title).split()) if title else "",
                "date": _iso_date(_field(block, "DATE")),
                "text": text,
                "topics": _labels(block, "TOPICS"),
                "places": _labels(block, "PLACES"),
                "people": _labels(block, "PEOPLE"),
                "orgs": _labels(block, "ORGS"),
                "companies": _labels(block, "COMPANIES"),
            }


if __name__ == "__main__":  # pragma: no cover - quick look at the data
    import sys

    from benchmarks.common import DEFAULT_REUTERS

    n = 0
    words = 0
    for art in iter_reuters(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_REUTERS):
        n += 1
        words += len(art["text"].split())
    print(f"{n} stories with a body, {words} words")
