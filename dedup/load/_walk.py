"""Directories and their manifests: every visible file of a directory in order, named
relative to it, its metadata filled from the ``manifest.csv`` files above it. Or a few
files under a root, read as that root's walk would read them (``iter_under``).
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ._article import BINARY_FILE, EMPTY_FILE, Article, InputError, LoadReport, _blank_to_none
from ._decode import _decoded_lines, _looks_binary, _os_reason
from ._files import (
    INPUT_FORMATS,
    MANIFEST_NAME,
    PATH_ID_FORMATS,
    _extension,
    _is_manifest,
    _iter_file,
)
from ._records import _csv_columns, _csv_record, _csv_rows

__all__ = ["FilesUnder", "is_article_file"]


@dataclass(frozen=True)
class FilesUnder:
    """Files under ``root`` (relative, '/'-separated) to read as a walk of root would."""

    root: str
    files: tuple[str, ...]
    manifests: bool = True  # apply the manifest.csv files above them, as a walk does


def is_article_file(rel: str) -> bool:
    """Does a walk read the file at ``rel`` (relative to the walked directory) as articles:
    a known extension, no hidden component, not a manifest."""
    parts = rel.split("/")
    if any(p.startswith(".") for p in parts) or _is_manifest(parts[-1]):
        return False
    return _extension(rel) in INPUT_FORMATS


def _under_root(selection: FilesUnder) -> list[tuple[str, str]]:
    """(relative path, path) of the selected files, and of the manifests above them if
    ``selection.manifests``, in a walk's order: what ``_walk`` of the root would list if
    the root held nothing else."""
    wanted = set(selection.files)
    if selection.manifests:
        for rel in selection.files:
            directory = posixpath.dirname(rel)
            while True:
                manifest = posixpath.join(directory, MANIFEST_NAME)
                if os.path.isfile(_joined(selection.root, manifest)):
                    wanted.add(manifest)
                if not directory:
                    break
                directory = posixpath.dirname(directory)
    return [(rel, _joined(selection.root, rel)) for rel in sorted(wanted)]


def _joined(root: str, rel: str) -> str:
    """Where ``rel`` under ``root`` is read from (and named in messages): under the current
    directory, ``rel`` itself, not "./rel"."""
    path = os.path.join(*rel.split("/"))
    return path if root in ("", ".") else os.path.join(root, path)


@dataclass(frozen=True)
class _ManifestEntry:
    line: int
    outlet: str | None
    date: str | None
    url: str | None


@dataclass
class _Manifest:
    path: str
    entries: dict[str, _ManifestEntry]
    matched: set[str] = field(default_factory=set)


def _iter_directory(root: str, report: LoadReport,
                    warc_keep: dict[str, set[int]] | None = None,
                    files: list[tuple[str, str]] | None = None,
                    warn_unmatched: bool = True) -> Iterator[Article]:
    """The articles of ``files`` (walked from ``root`` if None) with their manifests applied;
    ``warn_unmatched``: warn of manifest ids that match no article."""
    if files is None:
        files = _walk(root, report)
    # Manifests are small and must be known before the first article of their subtree.
    manifests = {
        posixpath.dirname(rel): manifest
        for rel, full in files
        if _is_manifest(rel) and (manifest := _load_manifest(full, report)) is not None
    }
    for rel, full in files:
        fmt = INPUT_FORMATS.get(_extension(rel))
        if fmt is None or _is_manifest(rel):
            continue
        article_id = posixpath.splitext(rel)[0]
        for article in _iter_file(full, fmt, article_id, report, warc_keep):
            yield _apply_manifests(article, rel, fmt in PATH_ID_FORMATS, manifests)
    if not warn_unmatched:
        return
    for _, manifest in sorted(manifests.items()):
        for manifest_id, entry in manifest.entries.items():
            if manifest_id not in manifest.matched:
                problem = f"manifest id {manifest_id!r} matches no article"
                report.warnings.append(f"{manifest.path}:{entry.line}: {problem}")


def _walk(root: str, report: LoadReport) -> list[tuple[str, str]]:
    """(relative '/'-separated path, full path) of every visible file, sorted.

    Only names are collected, never contents. Hidden files and directories (leading '.')
    are skipped. Symlinks to directories are not followed (os.walk's default), which also
    rules out cycles.
    """

    def unreadable(error: OSError) -> None:
        # os.walk silently drops directories it cannot list unless told otherwise.
        report.skipped.append((error.filename or root, f"unreadable: {_os_reason(error)}"))

    found: list[tuple[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        for name in filenames:
            if name.startswith("."):
                continue
            full = os.path.join(dirpath, name)
            found.append((os.path.relpath(full, root).replace(os.sep, "/"), full))
    found.sort()
    return found


def _load_manifest(path: str, report: LoadReport) -> _Manifest | None:
    try:
        with open(path, "rb") as handle:
            if _looks_binary(handle):
                report.skipped.append((path, BINARY_FILE))
                return None
            rows = _csv_rows(_decoded_lines(handle, path, report), path)
            header = next(rows, None)
            if header is None:
                report.skipped.append((path, EMPTY_FILE))
                return None
            columns = _csv_columns(header, path, required=("id",))
            entries: dict[str, _ManifestEntry] = {}
            for line, row in rows:
                record = _csv_record(row, columns, path, line)
                # Manifests are typed by people: surrounding spaces are never meaningful.
                manifest_id = (record.get("id") or "").strip()
                if not manifest_id:
                    raise InputError(path, "missing field 'id'", line)
                if manifest_id in entries:
                    first = entries[manifest_id].line
                    raise InputError(
                        path, f"duplicate id {manifest_id!r} (first at line {first})", line
                    )
                entries[manifest_id] = _ManifestEntry(
                    line=line,
                    outlet=_blank_to_none(record.get("outlet")),
                    date=_blank_to_none(record.get("date")),
                    url=_blank_to_none(record.get("url")),
                )
    except OSError as error:
        report.skipped.append((path, f"unreadable: {_os_reason(error)}"))
        return None
    return _Manifest(path=path, entries=entries)


def _apply_manifests(
    article: Article, rel: str, path_id: bool, manifests: dict[str, _Manifest]
) -> Article:
    """Fill the article's unknown outlet/date/url from the manifests above it.

    Field by field: the article's own value wins, then the nearest manifest, then the ones
    further up. A file's id is matched relative to each manifest's directory; a record
    (JSONL/JSON/CSV) keeps its own id wherever the manifest is.
    """
    if not manifests:
        return article
    known = {"outlet": article.outlet, "date": article.date, "url": article.url}
    directory = posixpath.dirname(rel)
    while True:
        manifest = manifests.get(directory)
        if manifest is not None:
            key = _id_below(article.id, directory) if path_id else article.id
            entry = manifest.entries.get(key)
            if entry is not None:
                manifest.matched.add(key)
                for name, value in known.items():
                    if value is None:
                        known[name] = getattr(entry, name)
        if not directory:
            break
        directory = posixpath.dirname(directory)
    return replace(article, **known)


def _id_below(article_id: str, directory: str) -> str:
    """The path-derived id as it would be computed from ``directory`` ('' = the root)."""
    return article_id[len(directory) + 1 :] if directory else article_id
