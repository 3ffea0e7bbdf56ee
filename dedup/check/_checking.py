"""Checking: the new articles against the index and each other, as findings; whether
they fail the check (``--fail-on``)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..load import Article, InputError
from ..parallel import default_jobs

if TYPE_CHECKING:  # imported where used: 'dedup --help' must not load SciPy and scikit-learn
    from ..index import Index
    from ..pipeline import Analysis, Settings

__all__ = [
    "ALLOW_MISSING_FLAG",
    "FAIL_ON",
    "CheckResult",
    "Finding",
    "Match",
    "check_articles",
    "exit_code",
    "findings_of",
    "is_failing",
    "missing_index_problem",
    "run_check",
]

FAIL_ON = ("copy", "commentary", "never")
ALLOW_MISSING_FLAG = "--allow-missing-index"


@dataclass(frozen=True, order=True)
class Match:
    id: str
    relation: str  # that member's relation in the cluster ("source", "copy", ...)
    shared_fraction: float


@dataclass(frozen=True)
class Finding:
    id: str
    origin: str  # where the new article was read from: "path" or "path:line"
    relation: str  # the new article's own relation in its cluster
    shared_fraction: float
    matches: tuple[Match, ...]
    adds_commentary: bool


@dataclass
class CheckResult:
    checked: list[Article]  # new or changed articles, compared with the index and each other
    unchanged: list[str]  # ids indexed with the same text: not checked again
    findings: list[Finding]  # sorted by id
    indexed: int  # articles in the index
    candidates: int  # indexed articles compared
    index_missing: bool = False
    moved: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id), same text


# --- checking -------------------------------------------------------------------------------


def check_articles(
    articles: Sequence[Article],
    index: Index,
    settings: Settings | None = None,
    progress: bool = False,
    renamed: Mapping[str, str] | None = None,
) -> CheckResult:
    """Compare ``articles`` with the index and with each other.

    ``renamed`` (new id -> old id, from git): a moved article is its old version under a new
    id; with the same text it is not checked, edited it is not compared with its old text."""
    from ..index import count_out
    from ..pipeline import Settings, analyze

    settings = settings or Settings()
    with index.snapshot():  # one consistent view even while someone adds to the index
        indexed = len(index)
        known = index.known_versions(articles, renamed or {})
        unchanged = sorted(a.id for a in articles if a.id in known and known[a.id].same_id
                           and known[a.id].same_text)
        moved = sorted((known[a.id].id, a.id) for a in articles
                       if a.id in known and not known[a.id].same_id and known[a.id].same_text)
        new = [a for a in articles if not (a.id in known and known[a.id].same_text)]
        if not new:
            return CheckResult([], unchanged, [], indexed, 0, moved=moved)
        # The old version of a changed article is neither a candidate nor counted.
        old = [known[a.id].pk for a in new if a.id in known]
        prepared = index.prepare(new)
        stored = index.load(index.candidates(prepared, exclude=old))
        # The index counts the stored candidates already (analyze() is told so), and the
        # old versions are counted out.
        recurring = index.counts([*(p.blocks for p in prepared), *(s.blocks for s in stored)])
        count_out(recurring, index.entries(old))
    corpus = [*new, *(s.article for s in stored)]
    # Only clusters with a new article become findings: the others are not aligned.
    analysis = analyze(corpus, settings, progress, recurring=recurring, focus=range(len(new)),
                       counted=range(len(new), len(corpus)))
    return CheckResult(new, unchanged, findings_of(analysis, len(new)), indexed, len(stored),
                       moved=moved)


def findings_of(analysis: Analysis, new_count: int) -> list[Finding]:
    """A finding for every one of the first ``new_count`` articles that is in a cluster."""
    articles = analysis.articles
    findings = []
    for cluster in analysis.clusters:
        for member in cluster.members:
            if member.index >= new_count:
                continue
            matches = sorted(
                Match(articles[o.index].id, o.relation, round(o.shared_fraction, 4))
                for o in cluster.members
                if o.index != member.index
            )
            article = articles[member.index]
            findings.append(Finding(
                article.id, article.origin, member.relation, round(member.shared_fraction, 4),
                tuple(matches), member.adds_commentary,
            ))
    return sorted(findings, key=lambda f: f.id)


def run_check(
    articles: Sequence[Article],
    index_path: str,
    add: bool = False,
    settings: Settings | None = None,
    progress: bool = False,
    allow_missing: bool = False,
    renamed: Mapping[str, str] | None = None,
) -> CheckResult:
    """Open the index, check ``articles`` against it and, with ``add``, add them after.

    A missing index is an error (a check that compares with nothing passes whatever it is
    given), unless ``allow_missing`` says it is the first run of a new corpus: then it is an
    empty one, created only when adding.
    """
    from ..index import MEMORY, open_index, sqlite_errors
    from ..pipeline import Settings

    settings = settings or Settings()
    missing = not os.path.exists(index_path)
    if missing and not allow_missing:
        raise InputError(index_path, missing_index_problem(index_path))
    path = MEMORY if missing and not add else index_path
    create = add or path == MEMORY
    with sqlite_errors(index_path), open_index(path, settings.candidates, create,
                                               readonly=not add) as index:
        index.jobs = settings.jobs or default_jobs()
        result = check_articles(articles, index, settings, progress, renamed)
        if add and (result.checked or result.moved):
            moved = {new for _, new in result.moved}
            index.add([*result.checked, *(a for a in articles if a.id in moved)], progress,
                      renamed)
    result.index_missing = missing
    return result


def missing_index_problem(index_path: str) -> str:
    return (f"no index; build it first with 'dedup index add CORPUS --index {index_path}'"
            f" (or pass {ALLOW_MISSING_FLAG} to compare the new articles only with each other)")


def is_failing(finding: Finding, fail_on: str) -> bool:
    if fail_on == "copy":
        return True
    if fail_on == "commentary":
        return finding.adds_commentary
    return False


def exit_code(result: CheckResult, fail_on: str) -> int:
    return 1 if any(is_failing(f, fail_on) for f in result.findings) else 0
