"""Files of records (JSON Lines, JSON, CSV, Parquet) and stdin: each record an article
with its own id; a malformed record stops the run, naming its line."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from ._article import (
    BINARY_FILE,
    EMPTY_FILE,
    EMPTY_INPUT,
    EMPTY_TEXT,
    NO_ARTICLES,
    Article,
    InputError,
    LoadReport,
    _blank_to_none,
)
from ._decode import BOM, _decode_document, _decoded_lines, _looks_binary, _read_bytes

__all__ = ["MISSING_PYARROW", "PARQUET_BATCH_ROWS", "STDIN_ORIGIN", "STDIN_PATH"]

STDIN_PATH = "-"
STDIN_ORIGIN = "<stdin>"
_METADATA_FIELDS = ("title", "outlet", "date", "url")


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
            yield number, line.removeprefix(BOM) if number == 1 else line
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
