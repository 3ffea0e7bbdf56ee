"""Which files are articles (their formats, by extension), the checks on a path given as an
argument, and reading one file in its format."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from ._article import Article, InputError, LoadReport
from ._decode import _os_reason
from ._html import _load_html
from ._records import STDIN_PATH, _load_csv, _load_json, _load_jsonl, _load_parquet
from ._text import _load_text

__all__ = ["INPUT_FORMATS", "MANIFEST_NAME", "PATH_ID_FORMATS", "split_origin"]

# Extension (lower case) -> format name. Anything else is ignored in a directory walk and
# rejected when named on the command line.
INPUT_FORMATS: dict[str, str] = {
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
PATH_ID_FORMATS = frozenset({"text", "markdown", "html"})
MANIFEST_NAME = "manifest.csv"


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
    if extension not in INPUT_FORMATS:
        shown = f"'{extension}'" if extension else "(no extension)"
        expected = ", ".join(INPUT_FORMATS)
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


def split_origin(origin: str) -> tuple[str, int | None]:
    """Undo the ``"path:line"`` of record origins (file origins end in an extension)."""
    match = re.fullmatch(r"(.*):(\d+)", origin, flags=re.DOTALL)
    if match is None:
        return origin, None
    return match.group(1), int(match.group(2))


def _iter_file(path: str, fmt: str, article_id: str, report: LoadReport,
               warc_keep: dict[str, set[int]] | None = None) -> Iterator[Article]:
    """Articles of one file; a file that cannot be read is skipped, not fatal."""
    try:
        if fmt == "warc":
            from ..warc import iter_warc

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
