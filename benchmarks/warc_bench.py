"""WARC input: FastWARC against warcio on one crawl, and dedup's WARC loader end to end.

``python -m benchmarks.warc_bench [--corpus ARTICLES.jsonl] [--pages N] [--out DIR]``

1. **Crawl.** Built at run time (never committed) into ``DIR``: the first ``--pages``
   articles of the benchmark corpus, each laid into one of three outlet page templates
   (navigation, share bar, related links, readers' comments, footer, an inline script), as a
   crawler writes them: request, response and metadata record per page, plus a redirect
   every 20 pages, an image every 25 and a 404 every 50. One gzip member per record
   (``crawl.warc.gz``) and uncompressed (``crawl.warc``), written with FastWARC.
2. **Reading.** Both libraries iterate every record and read every response's payload:
   MB/s of the file as stored, best of 3.
3. **Extraction.** Both libraries feed the same loop (response, status 200, HTML, decode,
   ``dedup.load.extract_html``) over the first ``--extract-pages`` pages: articles/s; and
   the share of that time trafilatura's text and metadata calls take.
4. **dedup extract end to end** (two passes over the file, then extraction, JSONL out) on
   crawls of ``--sizes`` pages, each in a child process under ``benchmarks.measure``:
   articles/s, MB/s and peak RSS, to show memory does not grow with the file.
"""

from __future__ import annotations

import argparse
import gzip
import html
import io
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks.common import OUT_DIR, REPO_ROOT, write_json

DEFAULT_CORPUS = Path("/tmp/baseline/corpus/articles.jsonl")
DEFAULT_PAGES = 3000
DEFAULT_EXTRACT_PAGES = 300
DEFAULT_SIZES = (250, 500, 1000)
QUICK = {"pages": 200, "extract_pages": 40, "sizes": (40, 80)}
WHEN = "2024-05-01T08:00:00Z"

# Three invented outlets' page chrome; {title}, {body}, {n} are filled per page.
_SCRIPT = "<script>window.dataLayer=[" + ",".join(
    f'{{"slot":"ad-{i}","sizes":[[300,250],[728,90]]}}' for i in range(120)) + "];</script>"
_NAV = "".join(f'<li><a href="/section/{s}">{s.title()}</a></li>' for s in (
    "world", "business", "markets", "politics", "technology", "sport", "opinion", "culture"))
_RELATED = "".join(f'<li><a href="/story/{{n}}-{i}">Another headline of the day, number {i}'
                   "</a></li>" for i in range(8))
_COMMENTS = "".join(f'<div class="comment"><span class="user">reader{i}</span><p>Comment '
                    f"number {i} on this story, with an opinion.</p></div>" for i in range(4))
TEMPLATES = [
    ("www.harbor-tribune.example.com", "Harbor Tribune",
     "<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title} | Harbor Tribune</title>"
     "<meta property='og:site_name' content='Harbor Tribune'>" + _SCRIPT + "</head><body>"
     "<header><nav><ul>" + _NAV + "</ul></nav></header><main><div class='share'>"
     "<a href='#'>Share</a><a href='#'>Tweet</a><a href='#'>Email</a></div><article>"
     "<h1>{title}</h1>{body}</article><aside><h2>Related</h2><ul>" + _RELATED +
     "</ul></aside><section class='comments'>" + _COMMENTS + "</section></main>"
     "<footer>&copy; Harbor Tribune. <a href='/privacy'>Privacy</a></footer></body></html>"),
    ("news.metro-ledger.example.co.uk", None,
     "<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>" + _SCRIPT +
     "</head><body><div id='top'><ul class='menu'>" + _NAV + "</ul></div><div id='content'>"
     "<h1 class='headline'>{title}</h1><div class='story-body'>{body}</div>"
     "<div class='social'>Share this story</div><div class='more'><ul>" + _RELATED +
     "</ul></div></div><div id='disqus'>" + _COMMENTS + "</div><div id='foot'>Metro Ledger "
     "Ltd</div></body></html>"),
    ("www.valleysentinel.example.org", "Valley Sentinel",
     "<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title} - Valley Sentinel</title>"
     "<meta property='og:site_name' content='Valley Sentinel'>"
     "<meta property='article:published_time' content='2024-04-30'>" + _SCRIPT + "</head>"
     "<body><nav><ul>" + _NAV + "</ul></nav><div class='wrap'><article class='post'>"
     "<header><h1>{title}</h1><div class='share-buttons'>Facebook Twitter WhatsApp</div>"
     "</header><div class='entry-content'>{body}</div></article><section class='related'>"
     "<ul>" + _RELATED + "</ul></section><section id='comments'>" + _COMMENTS +
     "</section></div><footer>Valley Sentinel &middot; Terms</footer></body></html>"),
]


# --- the crawl -------------------------------------------------------------------------------


def page_html(row: dict[str, Any], template: str, n: int) -> bytes:
    paragraphs = [p.strip() for p in row["text"].split("\n\n") if p.strip()] or [row["text"]]
    body = "".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in paragraphs)
    title = html.escape(row.get("title") or row["id"])
    return (template.replace("{title}", title).replace("{body}", body)
            .replace("{n}", str(n)).encode("utf-8"))


def _record(kind: str, uri: str, block: bytes, http: bool) -> bytes:
    from fastwarc.warc import WarcRecord, WarcRecordType

    record = WarcRecord()
    record.init_headers(getattr(WarcRecordType, kind), content_length=len(block))
    record.headers["WARC-Target-URI"] = uri
    record.headers["WARC-Date"] = WHEN
    if http:
        msgtype = "request" if kind == "request" else "response"
        record.headers["Content-Type"] = f"application/http; msgtype={msgtype}"
    record.set_bytes_content(block)
    out = io.BytesIO()
    record.write(out, checksum_data=True)
    return out.getvalue()


def _response(status: str, content_type: str, body: bytes, extra: str = "") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n{extra}"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def crawl_records(rows: list[dict[str, Any]]) -> Iterator[bytes]:
    """The records of a crawl of ``rows`` (one page each), as bytes."""
    for n, row in enumerate(rows):
        host, _, template = TEMPLATES[n % len(TEMPLATES)]
        url = f"https://{host}/story/{row['id']}-{n}"
        yield _record("request", url, f"GET {url} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode(),
                      True)
        yield _record("response", url, _response("200 OK", "text/html; charset=utf-8",
                                                 page_html(row, template, n)), True)
        yield _record("metadata", url, b"fetchTimeMs: 120\r\n", False)
        if n % 20 == 0:
            yield _record("response", url + "?amp", _response(
                "301 Moved Permanently", "text/html", b"", f"Location: {url}\r\n"), True)
        if n % 25 == 0:
            image = bytes(range(256)) * 24
            yield _record("response", f"https://{host}/img/{n}.jpg",
                          _response("200 OK", "image/jpeg", image), True)
        if n % 50 == 0:
            yield _record("response", f"https://{host}/gone/{n}",
                          _response("404 Not Found", "text/html", b"<p>Not found</p>"), True)


def write_crawl(rows: list[dict[str, Any]], path: Path, gzip_each: bool) -> int:
    """Write the crawl; its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        for data in crawl_records(rows):
            handle.write(gzip.compress(data, compresslevel=6, mtime=0) if gzip_each else data)
    return path.stat().st_size


def read_rows(corpus: Path, pages: int) -> list[dict[str, Any]]:
    """``pages`` corpus articles (cycled, each repeat a new URL, if the corpus is smaller)."""
    rows = []
    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
            if len(rows) == pages:
                break
    if not rows:
        raise SystemExit(f"{corpus}: no articles")
    return [rows[i % len(rows)] for i in range(pages)]


# --- the two readers, doing the same work ----------------------------------------------------


def warcio_pages(path: Path) -> Iterator[tuple[bytes, str | None]]:
    """(payload, charset) of every 200 HTML response, with warcio."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            payload = record.content_stream().read()
            if record.http_headers.get_statuscode() != "200":
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
            mime, _, params = content_type.partition(";")
            if mime.strip().lower() != "text/html":
                continue
            charset = params.partition("charset=")[2].strip() or None
            yield payload, charset


def fastwarc_pages(path: Path) -> Iterator[tuple[bytes, str | None]]:
    """(payload, charset) of every 200 HTML response, with FastWARC."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle, record_types=WarcRecordType.response,
                                      parse_http=True):
            payload = record.reader.read()
            if record.http_headers is None or record.http_headers.status_code != 200:
                continue
            if (record.http_content_type or "").lower() != "text/html":
                continue
            yield payload, record.http_charset


READERS: dict[str, Callable[[Path], Iterator[tuple[bytes, str | None]]]] = {
    "warcio": warcio_pages, "fastwarc": fastwarc_pages}


def read_speed(reader: str, path: Path, repeat: int = 3) -> dict[str, Any]:
    best = float("inf")
    pages = payload = 0
    for _ in range(repeat):
        start = time.perf_counter()
        pages = payload = 0
        for data, _ in READERS[reader](path):
            pages += 1
            payload += len(data)
        best = min(best, time.perf_counter() - start)
    size = path.stat().st_size
    return {"reader": reader, "file": path.name, "file_mb": round(size / 1e6, 2),
            "pages": pages, "seconds": round(best, 3), "mb_per_s": round(size / 1e6 / best, 1),
            "pages_per_s": round(pages / best)}


def extract_speed(reader: str, path: Path, limit: int) -> dict[str, Any]:
    """Pages/s through the same decode-and-extract loop; and where the time goes."""
    import trafilatura

    from dedup.load import extract_html
    from dedup.warc import _decode

    extract_html("<html><body><p>warm up trafilatura's imports</p></body></html>")
    start = time.perf_counter()
    pages = articles = 0
    text_s = meta_s = 0.0
    for data, charset in READERS[reader](path):
        if pages == limit:
            break
        pages += 1
        page = _decode(data, charset)
        if extract_html(page, date_from_text=False) is not None:  # as the WARC loader
            articles += 1
        if reader == "fastwarc":  # the split once, on one reader's pages
            t0 = time.perf_counter()
            trafilatura.extract(page, include_comments=False, include_tables=False,
                                favor_recall=True)
            t1 = time.perf_counter()
            trafilatura.extract_metadata(page, extensive=False)
            text_s += t1 - t0
            meta_s += time.perf_counter() - t1
    elapsed = time.perf_counter() - start - text_s - meta_s
    row = {"reader": reader, "pages": pages, "articles": articles,
           "seconds": round(elapsed, 2), "articles_per_s": round(articles / elapsed, 1)}
    if reader == "fastwarc":
        row["trafilatura_text_share"] = round(text_s / elapsed, 2)
        row["trafilatura_metadata_share"] = round(meta_s / elapsed, 2)
    return row


# --- dedup extract end to end, in child processes --------------------------------------------


def end_to_end(rows: list[dict[str, Any]], sizes: tuple[int, ...], out: Path,
               dedup: list[str]) -> list[dict[str, Any]]:
    results = []
    for size in sizes:
        crawl = out / f"crawl-{size}.warc.gz"
        file_bytes = write_crawl(rows[:size], crawl, gzip_each=True)
        measured = out / f"extract-{size}.json"
        articles = out / f"articles-{size}.jsonl"
        cmd = [sys.executable, "-m", "benchmarks.measure", str(measured), "--", *dedup,
               "extract", str(crawl), "-o", str(articles), "-q"]
        done = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
        stats = json.loads(measured.read_text(encoding="utf-8"))
        written = 0
        if done.returncode == 0:
            with open(articles, encoding="utf-8") as handle:
                written = sum(1 for _ in handle)
        results.append({"pages": size, "file_mb": round(file_bytes / 1e6, 2), "rc": stats["rc"],
                        "articles": written, "seconds": round(stats["wall_s"], 2),
                        "articles_per_s": round(written / stats["wall_s"], 1),
                        "mb_per_s": round(file_bytes / 1e6 / stats["wall_s"], 2),
                        "peak_rss_mb": round(stats["maxrss_kb"] / 1024)})
        if done.returncode != 0:
            results[-1]["error"] = done.stderr.strip().splitlines()[-1:]
    return results


def run_warc_bench(corpus: Path, out: Path, pages: int, extract_pages: int,
                   sizes: tuple[int, ...], dedup: list[str]) -> dict[str, Any]:
    rows = read_rows(corpus, max(pages, *sizes))
    gz, plain = out / "crawl.warc.gz", out / "crawl.warc"
    print(f"warc: writing a crawl of {pages} pages into {out}", flush=True)
    write_crawl(rows[:pages], gz, gzip_each=True)
    write_crawl(rows[:pages], plain, gzip_each=False)
    print("warc: reading it with warcio and FastWARC", flush=True)
    reading = [read_speed(reader, path) for path in (gz, plain) for reader in READERS]
    print(f"warc: extracting {extract_pages} pages through each reader", flush=True)
    extraction = [extract_speed(reader, gz, extract_pages) for reader in READERS]
    print(f"warc: dedup extract on crawls of {', '.join(map(str, sizes))} pages", flush=True)
    return {"corpus": str(corpus), "pages": pages, "reading": reading, "extraction": extraction,
            "end_to_end": end_to_end(rows, sizes, out, dedup)}


def markdown(result: dict[str, Any]) -> str:
    lines = [f"WARC crawl of {result['pages']} pages (benchmarks/warc_bench.py)", "",
             "| reader | file | MB | pages | s (best of 3) | MB/s | pages/s |",
             "|---|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['reader']} | {r['file']} | {r['file_mb']} | {r['pages']} | {r['seconds']} "
              f"| {r['mb_per_s']} | {r['pages_per_s']} |" for r in result["reading"]]
    lines += ["", "| reader | pages | articles | s | articles/s |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {r['reader']} | {r['pages']} | {r['articles']} | {r['seconds']} | "
              f"{r['articles_per_s']} |" for r in result["extraction"]]
    split = next(r for r in result["extraction"] if r["reader"] == "fastwarc")
    lines += ["", f"trafilatura's share of the extraction loop: text "
              f"{split['trafilatura_text_share']:.0%}, metadata "
              f"{split['trafilatura_metadata_share']:.0%}", "",
              "| dedup extract: pages | file MB | articles | s | articles/s | MB/s | "
              "peak RSS MB |", "|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['pages']} | {r['file_mb']} | {r['articles']} | {r['seconds']} | "
              f"{r['articles_per_s']} | {r['mb_per_s']} | {r['peak_rss_mb']} |"
              for r in result["end_to_end"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.warc_bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                    help="JSONL of articles (id, text, title) to lay into pages")
    ap.add_argument("--pages", type=int, default=DEFAULT_PAGES)
    ap.add_argument("--extract-pages", type=int, default=DEFAULT_EXTRACT_PAGES)
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                    help="comma-separated crawl sizes (pages) for dedup extract")
    ap.add_argument("--out", type=Path, default=OUT_DIR / "warc")
    ap.add_argument("--dedup", default=str(REPO_ROOT / ".venv" / "bin" / "dedup"))
    ap.add_argument("--quick", action="store_true", help="a seconds-long smoke run")
    args = ap.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip())
    pages, extract_pages = args.pages, args.extract_pages
    if args.quick:
        pages, extract_pages, sizes = QUICK["pages"], QUICK["extract_pages"], QUICK["sizes"]
    result = run_warc_bench(args.corpus, args.out, pages, extract_pages, sizes,
                            [args.dedup])
    write_json(args.out / "results.json", result)
    md = markdown(result)
    (args.out / "results.md").write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
