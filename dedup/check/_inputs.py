"""Which articles to check: all of the inputs, the files changed since a git ref
(``--since``), or the files given relative to a root (``--root``, as pre-commit passes
them), each read as a walk of its root would read it."""

from __future__ import annotations

import os
import posixpath
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..load import (
    INPUT_FORMATS,
    PATH_ID_FORMATS,
    Article,
    FilesUnder,
    InputError,
    LoadReport,
    is_article_file,
    load_articles,
    load_under,
)

__all__ = ["Selection", "changed_since", "check_inputs", "under_root"]


@dataclass(frozen=True)
class Selection(FilesUnder):
    """Files under ``root`` to read as a walk of root would, and those git saw moved."""

    renamed: tuple[tuple[str, str], ...] = ()  # (new, old) paths of files git saw moved


def check_inputs(
    inputs: Sequence[str], since: str | None = None, root: str | None = None
) -> tuple[list[Article], LoadReport, dict[str, str]]:
    """The articles to check: all of ``inputs``; or only files changed since a git ref; or
    the files given, named relative to ``root`` (as pre-commit passes them). And the articles
    git saw renamed since ``since``: new id -> old id (for files whose id is their path: a
    record keeps its own id when moved)."""
    if since is not None:
        selections = [changed_since(path, since) for path in inputs]
        articles, report = load_under(selections)
        ids = {a.id for a in articles}
        renamed = {new: old for s in selections for new, old in _renamed_ids(s) if new in ids}
        return articles, report, renamed
    if root is not None:
        return (*load_under([under_root(inputs, root)]), {})
    return (*load_articles(list(inputs)), {})


def _renamed_ids(selection: Selection) -> Iterator[tuple[str, str]]:
    for new, old in selection.renamed:
        if INPUT_FORMATS.get(posixpath.splitext(new)[1].lower()) in PATH_ID_FORMATS:
            yield posixpath.splitext(new)[0], posixpath.splitext(old)[0]


def changed_since(path: str, since: str) -> Selection:
    """Article files added or modified since ``since`` under directory ``path`` (or ``path``
    itself if it is a file), from ``git diff``."""
    if since.startswith("-"):
        raise InputError(path, f"--since {since!r}: not a git ref")
    if not os.path.exists(path):
        raise InputError(path, "no such file or directory")
    is_dir = os.path.isdir(path)
    directory = path if is_dir else os.path.dirname(path) or "."
    spec = "." if is_dir else os.path.basename(path)
    # A ref git can resolve first: outside a repository, 'git diff' would quietly compare
    # two paths instead (--no-index).
    _git(path, directory, "rev-parse", "--verify", f"{since}^{{commit}}")
    # --relative: names relative to ``directory``; -M: git's rename detection (a file moved,
    # and perhaps edited, is checked under its new id without its old version); -z: names
    # verbatim, each status followed by one path, or two for a rename or copy (old, new).
    out = _git(path, directory, "diff", "--name-status", "-M", "--relative", "-z", since,
               "--", spec)
    fields = out.decode("utf-8", "surrogateescape").split("\0")
    names: list[str] = []
    renamed: list[tuple[str, str]] = []
    position = 0
    while position < len(fields) and fields[position]:
        status = fields[position][:1]
        if status in "RC":
            old, new = fields[position + 1], fields[position + 2]
            position += 3
            if status == "R" and is_article_file(new) and is_article_file(old):
                renamed.append((new, old))
        else:
            new = fields[position + 1]
            position += 2
            if status not in "AMT":  # deleted: nothing to check
                continue
        names.append(new)
    files = tuple(n for n in names if is_article_file(n))
    return Selection(directory, files, is_dir, tuple(renamed))  # renames of article files only


def _git(path: str, directory: str, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", directory, *args], capture_output=True, check=False)
    except OSError as error:
        raise InputError(path, f"cannot run git: {error.strerror or error}") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = lines[-1] if lines else f"exit code {done.returncode}"
        raise InputError(path, f"git {' '.join(args[:2])} failed: {reason}")
    return done.stdout


def under_root(files: Sequence[str], root: str) -> Selection:
    """``files`` named relative to ``root``."""
    found = []
    for path in files:
        if os.path.isdir(path):
            raise InputError(path, "--root takes files (not directories)")
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        if rel.startswith("../") or os.path.isabs(rel):
            raise InputError(path, f"not under --root {root}")
        if not os.path.exists(path):
            raise InputError(path, "no such file or directory")
        if is_article_file(rel):
            found.append(rel)
    return Selection(root, tuple(found), True)
