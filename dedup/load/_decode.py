"""Bytes to text, exactly: a file's bytes decoded as UTF-8 (bad bytes replaced and warned
about once), a leading BOM dropped and nothing else touched, because offsets index the
result."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

from ._article import BINARY_FILE, EMPTY_FILE, LoadReport

__all__ = ["BINARY_SNIFF_BYTES", "BOM"]

BINARY_SNIFF_BYTES = 8192
BOM = "\ufeff"


def _os_reason(error: OSError) -> str:
    return error.strerror or str(error)


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _looks_binary(handle: BinaryIO) -> bool:
    """NUL in the first 8 KiB, the usual heuristic (git, grep). Rewinds the handle."""
    head = handle.read(BINARY_SNIFF_BYTES)
    handle.seek(0)
    return b"\0" in head


def _decode_document(data: bytes, path: str, report: LoadReport) -> str | None:
    """Whole-file text, or None if the file was skipped (the reason is in ``report``).

    A leading UTF-8 BOM is not part of the text. Nothing else is touched: no newline
    translation, no stripping, because offsets index this exact string.
    """
    if b"\0" in data[:BINARY_SNIFF_BYTES]:
        report.skipped.append((path, BINARY_FILE))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        # Keep the article: one bad byte should not cost a whole story.
        text = data.decode("utf-8", errors="replace")
        line = data.count(b"\n", 0, error.start) + 1
        report.warnings.append(f"{path}:{line}: {_INVALID_UTF8}")
    text = text.removeprefix(BOM)
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
            line = line.removeprefix(BOM)
        yield number, line
