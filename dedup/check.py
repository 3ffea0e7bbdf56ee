"""``dedup check``: does a new article copy the indexed corpus, or another new article?

The check runs the same pipeline as ``dedup cluster``, on a small corpus: the new articles
plus the indexed articles that share an LSH band with one of them, with the boilerplate
recurrence counts of the whole index. A new article that ends up in a copy cluster is a
finding; the other members are its matches. An article already indexed with the same id
and text is "unchanged" and not checked again.

Reports: text, JSON, GitHub workflow annotations, JUnit XML and SARIF 2.1.0; the exit
code says whether a finding of the ``--fail-on`` kind was made.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from . import __version__
from .load import (
    FORMATS,
    PATH_ID_FORMATS,
    Article,
    FilesUnder,
    InputError,
    LoadReport,
    is_article_file,
    load_articles,
    load_under,
)
from .parallel import default_jobs
from .report import counted

if TYPE_CHECKING:  # imported where used: 'dedup --help' must not load SciPy and scikit-learn
    from .index import Index
    from .pipeline import Analysis, Settings

CHECK_FORMATS = ("text", "json", "github", "junit", "sarif")
FAIL_ON = ("copy", "commentary", "never")
COPY_RULE = "copy"
COMMENTARY_RULE = "commentary"
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
    from .index import shift
    from .pipeline import Settings, analyze

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
        # analyze() counts the articles it is given on top of ``recurring``: so the stored
        # candidates (and old versions) are counted out here, and come back in there.
        recurring = index.counts([*(p.blocks for p in prepared), *(s.blocks for s in stored)])
        shift(recurring, [*(s.blocks for s in stored), *index.entries(old)], -1)
    corpus = [*new, *(s.article for s in stored)]
    # Only clusters with a new article become findings: the others are not aligned.
    analysis = analyze(corpus, settings, progress, recurring=recurring, focus=range(len(new)))
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
    from .index import MEMORY, open_index, sqlite_errors
    from .pipeline import Settings

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


# --- which articles: --since and --root -----------------------------------------------------


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
        articles, report = load_selected(selections)
        ids = {a.id for a in articles}
        renamed = {new: old for s in selections for new, old in _renamed_ids(s) if new in ids}
        return articles, report, renamed
    if root is not None:
        return (*load_selected([under_root(inputs, root)]), {})
    return (*load_articles(list(inputs)), {})


def _renamed_ids(selection: Selection) -> Iterator[tuple[str, str]]:
    for new, old in selection.renamed:
        if FORMATS.get(posixpath.splitext(new)[1].lower()) in PATH_ID_FORMATS:
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


def load_selected(selections: Sequence[Selection]) -> tuple[list[Article], LoadReport]:
    """Load selected files with the ids, manifests and checks of a walk of their root."""
    return load_under(selections)


# --- reports --------------------------------------------------------------------------------


def render_check(result: CheckResult, fmt: str, fail_on: str = "copy") -> str:
    if fmt == "json":
        return render_json(result)
    if fmt == "github":
        return render_github(result, fail_on)
    if fmt == "junit":
        return render_junit(result, fail_on)
    if fmt == "sarif":
        return render_sarif(result, fail_on)
    return render_text(result, fail_on)


def to_dict(result: CheckResult) -> dict[str, Any]:
    return {
        "checked": len(result.checked),
        "findings": [
            {
                "id": f.id,
                "matches": [
                    {"id": m.id, "relation": m.relation, "shared_fraction": m.shared_fraction}
                    for m in f.matches
                ],
                "adds_commentary": f.adds_commentary,
            }
            for f in result.findings
        ],
    }


def render_json(result: CheckResult) -> str:
    return json.dumps(to_dict(result), ensure_ascii=False, indent=2) + "\n"


def describe(finding: Finding) -> str:
    """One sentence: what the new article shares, with whom."""
    matches = ", ".join(
        f"{m.id} ({m.relation}, {m.shared_fraction:.0%} shared)" for m in finding.matches
    )
    text = (f"{finding.id} ({finding.relation}, {finding.shared_fraction:.0%} shared)"
            f" shares copy with {matches}")
    return text + ("; adds commentary" if finding.adds_commentary else "")


def summary(result: CheckResult, fail_on: str) -> str:
    failing = sum(is_failing(f, fail_on) for f in result.findings)
    details = [f"{result.candidates} compared" if result.candidates else "none compared"]
    if result.unchanged:
        details.append(f"{len(result.unchanged)} unchanged, not checked again")
    if result.moved:
        details.append(f"{len(result.moved)} moved, not checked again")
    return (
        f"dedup check: {counted(len(result.checked), 'article')} checked against"
        f" {counted(result.indexed, 'indexed article')} ({'; '.join(details)}):"
        f" {len(result.findings)} with shared copy, {failing} failing (--fail-on {fail_on})"
    )


def render_text(result: CheckResult, fail_on: str) -> str:
    lines = [
        f"{_location(f.origin)[0]}: {'error' if is_failing(f, fail_on) else 'warning'}:"
        f" {describe(f)}"
        for f in result.findings
    ]
    return "\n".join([*lines, summary(result, fail_on)]) + "\n"


def _location(origin: str) -> tuple[str, int]:
    """(path, line) of an origin "path" or "path:line"."""
    match = re.fullmatch(r"(.*):(\d+)", origin, flags=re.DOTALL)
    return (match.group(1), int(match.group(2))) if match else (origin, 1)


def _rule(finding: Finding) -> str:
    return COMMENTARY_RULE if finding.adds_commentary else COPY_RULE


def _gh_data(text: str) -> str:
    # Workflow command escaping: a newline would end the command early.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: CheckResult, fail_on: str) -> str:
    """GitHub Actions workflow commands: one annotation per finding, on the new file."""
    lines = []
    for f in result.findings:
        path, line = _location(f.origin)
        level = "error" if is_failing(f, fail_on) else "warning"
        title = _gh_property(f"dedup: {'copy with commentary' if f.adds_commentary else 'copy'}")
        lines.append(f"::{level} file={_gh_property(path)},line={line},title={title}::"
                     f"{_gh_data(describe(f))}")
    return "\n".join([*lines, summary(result, fail_on)]) + "\n"


def render_junit(result: CheckResult, fail_on: str) -> str:
    """JUnit XML: one testcase per checked article; a failure for each failing finding."""
    by_id = {f.id: f for f in result.findings}
    failures = sum(is_failing(f, fail_on) for f in result.findings)
    counts = {"tests": str(len(result.checked)), "failures": str(failures), "errors": "0",
              "skipped": "0"}
    suites = ET.Element("testsuites", {"name": "dedup check", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": "dedup check", **counts})
    for article in sorted(result.checked, key=lambda a: a.id):
        path, line = _location(article.origin)
        case = ET.SubElement(suite, "testcase", {"classname": "dedup.check", "name": article.id,
                                                 "file": path, "line": str(line)})
        finding = by_id.get(article.id)
        if finding is None:
            continue
        if is_failing(finding, fail_on):
            failure = ET.SubElement(case, "failure", {"message": describe(finding),
                                                      "type": _rule(finding)})
            failure.text = describe(finding)
        else:
            ET.SubElement(case, "system-out").text = describe(finding)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


_RULES = [
    {
        "id": COPY_RULE,
        "name": "SharedCopy",
        "shortDescription": {"text": "The article shares copy with another article."},
        "fullDescription": {"text": "The article reuses text of an indexed article or of "
                                    "another new article (same agency copy or a copy of it)."},
        "defaultConfiguration": {"level": "error"},
    },
    {
        "id": COMMENTARY_RULE,
        "name": "SharedCopyWithCommentary",
        "shortDescription": {"text": "The article shares copy with another article and adds "
                                     "commentary to it."},
        "fullDescription": {"text": "The article reuses text of another article and splices "
                                    "the outlet's own opinion into it."},
        "defaultConfiguration": {"level": "error"},
    },
]


def render_sarif(result: CheckResult, fail_on: str) -> str:
    """SARIF 2.1.0: one result per finding, located at the new article's file."""
    rule_index = {rule["id"]: i for i, rule in enumerate(_RULES)}
    results = []
    for f in result.findings:
        path, line = _location(f.origin)
        results.append({
            "ruleId": _rule(f),
            "ruleIndex": rule_index[_rule(f)],
            "level": "error" if is_failing(f, fail_on) else "warning",
            "message": {"text": describe(f)},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(path.replace(os.sep, "/"))},
                    "region": {"startLine": line},
                }
            }],
            "properties": {"matches": [m.id for m in f.matches]},
        })
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "dedup", "version": __version__, "rules": _RULES}},
            "results": results,
        }],
    }
    return json.dumps(sarif, ensure_ascii=False, indent=2) + "\n"
