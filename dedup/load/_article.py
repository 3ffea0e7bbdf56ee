"""Articles as loaded, what stops a run (``InputError``) and what is only reported
(``LoadReport``: skipped inputs and warnings, with the reasons below)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "BINARY_FILE",
    "EMPTY_FILE",
    "EMPTY_INPUT",
    "EMPTY_TEXT",
    "NO_ARTICLES",
    "NO_HTML_TEXT",
    "Article",
    "InputError",
    "LoadReport",
]


class InputError(Exception):
    """Bad input that stops the run: reported as one line, exit code 2.

    ``str(error)`` is ``"<file>:<line>: <problem>"`` (line omitted when unknown).
    """

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Article:
    """One article as loaded. ``text`` is never modified after loading."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    url: str | None = None
    origin: str = ""  # "path" or "path:line" it was read from, for messages


@dataclass
class LoadReport:
    """What happened while loading: skipped inputs and warnings, all counted."""

    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    warnings: list[str] = field(default_factory=list)


# Reasons recorded in LoadReport.skipped.
EMPTY_FILE = "empty file"
EMPTY_INPUT = "empty input"
BINARY_FILE = "binary file (NUL byte in the first 8 KiB)"
EMPTY_TEXT = "empty text"
NO_ARTICLES = "no articles"
NO_HTML_TEXT = "no article text found in the HTML"


def _blank_to_none(value: str | None) -> str | None:
    """Metadata is not offset-indexed, so tidy it: "" and "  " mean unknown."""
    if value is None:
        return None
    value = value.strip()
    return value or None
