"""Test helper: the seeds laid into outlet-like HTML pages, written as WARC records with
FastWARC's writer (no fixture files: every WARC a test reads is made here)."""

from __future__ import annotations

import gzip
import html
import io
from dataclasses import dataclass
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@dataclass(frozen=True)
class Outlet:
    host: str
    sitename: str | None  # og:site_name, None: the page names no site
    date: str | None  # article:published_time, None: the page gives no date


OUTLETS = {
    "000_f75c96cb487ccd06": Outlet("www.newsbharati.com", None, None),
    "001_14993c057e754b8b": Outlet("solveisraelsproblems.com", "Solve Israel's Problems",
                                   "2016-07-03"),
    "002_02662ee57eea0c09": Outlet("www.alaraby.co.uk", None, "2016-07-03"),
    "003_8c73973eb25d2eab": Outlet("www.indiavision.com", "IndiaVision", "2022-08-18"),
    "004_85a14eddb205e668": Outlet("www.business-standard.com", "Business Standard",
                                   "2014-09-15"),
}


def seed_url(seed_id: str) -> str:
    return f"https://{OUTLETS[seed_id].host}/news/{seed_id}"


def seed_page(seed_id: str, variant: str = "") -> bytes:
    """The seed's text as an outlet page: navigation, share bar, the story, related links,
    readers' comments and a footer around it."""
    outlet = OUTLETS[seed_id]
    text = (SEEDS / f"{seed_id}.txt").read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    story = "\n".join(
        "<p>" + "<br>".join(html.escape(line) for line in p.strip().split("\n")) + "</p>"
        for p in paragraphs)
    meta = ""
    if outlet.sitename:
        meta += f'<meta property="og:site_name" content="{html.escape(outlet.sitename)}">'
    if outlet.date:
        meta += f'<meta property="article:published_time" content="{outlet.date}">'
    sections = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>'
                       for s in ("World", "Politics", "Business", "Sport", "Opinion"))
    related = "".join(f'<li><a href="/news/{n}">Other headline number {n} of the day</a></li>'
                      for n in range(5))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title.strip())}</title>{meta}</head>
<body>
<header><a class="logo" href="/">Home</a><nav><ul>{sections}</ul></nav>
<form class="search"><input name="q" placeholder="Search"></form></header>
<main>
<div class="share-bar"><a href="https://twitter.com/intent/tweet">Tweet</a>
<a href="https://facebook.com/sharer">Share</a><a href="mailto:?">Email</a></div>
<article><h1>{html.escape(title.strip())}</h1>
{story}
</article>
<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>
<section id="comments"><h3>2 comments{variant}</h3>
<div class="comment"><p class="author">reader42</p><p>Interesting, thanks.</p></div>
<div class="comment"><p class="author">anon</p><p>First!</p></div></section>
</main>
<footer><ul><li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms</a></li></ul>
</footer></body></html>
""".encode()


@dataclass(frozen=True)
class Rec:
    """One WARC record to write."""

    kind: str  # response, request, revisit, metadata, warcinfo
    uri: str
    date: str  # WARC-Date
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    body: bytes = b""
    cut: int = 0  # bytes cut off the record's end (a record cut short)
    encoding: str = ""  # HTTP Content-Encoding (the body is given encoded)


def record_bytes(rec: Rec) -> bytes:
    """The record as written by FastWARC (with its block digest)."""
    from fastwarc.warc import WarcRecord, WarcRecordType

    if rec.kind in ("response", "revisit"):
        reason = {200: "OK", 301: "Moved Permanently", 404: "Not Found"}.get(rec.status, "X")
        headers = f"HTTP/1.1 {rec.status} {reason}\r\nContent-Type: {rec.content_type}\r\n"
        if rec.encoding:
            headers += f"Content-Encoding: {rec.encoding}\r\n"
        if rec.status == 301:
            headers += f"Location: {rec.uri}/\r\n"
        block = (headers + "\r\n").encode() + (b"" if rec.kind == "revisit" else rec.body)
        http = True
    elif rec.kind == "request":
        block = f"GET {rec.uri} HTTP/1.1\r\nHost: example\r\n\r\n".encode()
        http = True
    else:
        block = b"software: tests\r\n"
        http = False
    record = WarcRecord()
    record.init_headers(getattr(WarcRecordType, rec.kind), content_length=len(block))
    record.headers["WARC-Target-URI"] = rec.uri
    record.headers["WARC-Date"] = rec.date
    if http:
        kind = "response" if rec.kind != "request" else "request"
        record.headers["Content-Type"] = f"application/http; msgtype={kind}"
    if rec.kind == "revisit":
        record.headers["WARC-Profile"] = (
            "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest")
    record.set_bytes_content(block)
    out = io.BytesIO()
    record.write(out, checksum_data=True)
    data = out.getvalue()
    return data[: len(data) - rec.cut] if rec.cut else data


def write_warc(path: Path, records: list[Rec], gzip_each: bool) -> list[int]:
    """Write ``records`` (each its own gzip member if ``gzip_each``); their offsets."""
    offsets = []
    with open(path, "wb") as handle:
        for rec in records:
            offsets.append(handle.tell())
            data = record_bytes(rec)
            handle.write(gzip.compress(data, mtime=0) if gzip_each else data)
    return offsets


def seed_records() -> list[Rec]:
    """Every seed as a 200 HTML response, each preceded by its request, as crawlers do."""
    records = []
    for seed_id in sorted(OUTLETS):
        url = seed_url(seed_id)
        # Crawled the day after publication (000 gives no date: its capture's is used).
        day = OUTLETS[seed_id].date or "2016-07-03"
        when = f"{day[:8]}{int(day[8:]) + 1:02d}T08:00:00Z"
        records.append(Rec("request", url, when))
        records.append(Rec("response", url, when, body=seed_page(seed_id)))
    return records
