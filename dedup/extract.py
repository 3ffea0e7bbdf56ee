"""Write loaded articles as JSONL or Parquet: a crawl is extracted once, then clustered
(locally, or with ``--engine spark``, which reads both) as often as needed.

The columns are those both engines read: id, text, title, outlet, date, url. Texts are
written exactly as loaded, so offsets into them stay valid. The output appears only when
complete: it is written to a temporary file beside it and renamed over it at the end.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from typing import IO, Any

from .load import PARQUET_BATCH_ROWS, Article, InputError

COLUMNS = ("id", "text", "title", "outlet", "date", "url")
OUTPUT_FORMATS = {".jsonl": "jsonl", ".parquet": "parquet"}
MISSING_PYARROW = "writing Parquet needs pyarrow: pip install 'news-dedup[parquet]'"


def output_format(path: str) -> str:
    """"jsonl" or "parquet", from ``path``'s extension; InputError for anything else."""
    fmt = OUTPUT_FORMATS.get(os.path.splitext(path)[1].lower())
    if fmt is None:
        raise InputError(path, f"unsupported output type (expected {', '.join(OUTPUT_FORMATS)})")
    return fmt


def write_articles(articles: Iterable[Article], path: str) -> int:
    """Write ``articles`` to ``path`` (format from its extension); the number written.

    Nothing is written when there are none, and an error (in the input or the output)
    leaves whatever was at ``path`` untouched.
    """
    fmt = output_format(path)
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InputError(path, MISSING_PYARROW) from None
    directory = os.path.dirname(os.path.abspath(path))
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
        "wb", dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".part", delete=False)
    try:
        with handle:
            if fmt == "parquet":
                count = _write_parquet(articles, handle, path)
            else:
                count = _write_jsonl(articles, handle)
        if count:
            os.replace(handle.name, path)
    finally:
        if os.path.exists(handle.name):
            os.unlink(handle.name)
    return count


def _row(article: Article) -> dict[str, str | None]:
    return {name: getattr(article, name) for name in COLUMNS}


def _write_jsonl(articles: Iterable[Article], handle: IO[bytes]) -> int:
    count = 0
    for article in articles:
        row = _row(article)
        line = json.dumps(row, ensure_ascii=False)
        try:
            data = line.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: only an escape keeps it exactly
            data = json.dumps(row).encode("ascii")
        handle.write(data + b"\n")
        count += 1
    return count


def _write_parquet(articles: Iterable[Article], handle: IO[bytes], path: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, pa.string()) for name in COLUMNS])
    count = 0
    batch: list[dict[str, str | None]] = []
    with pq.ParquetWriter(handle, schema) as writer:
        for article in articles:
            batch.append(_row(article))
            count += 1
            if len(batch) == PARQUET_BATCH_ROWS:
                writer.write_table(_table(batch, schema, path))
                batch = []
        if batch:
            writer.write_table(_table(batch, schema, path))
    return count


def _table(rows: list[dict[str, str | None]], schema: Any, path: str) -> Any:
    import pyarrow as pa

    try:
        return pa.Table.from_pylist(rows, schema=schema)
    except (pa.ArrowException, UnicodeEncodeError):
        bad = next(r["id"] for r in rows if not _encodable(r))
        raise InputError(path, f"article {bad!r} holds text that is not valid Unicode (a lone "
                         "surrogate): Parquet cannot store it; write JSONL instead") from None


def _encodable(row: dict[str, str | None]) -> bool:
    try:
        for value in row.values():
            if value is not None:
                value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
