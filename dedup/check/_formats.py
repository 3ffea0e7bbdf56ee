"""The check's reports: text, JSON, GitHub workflow annotations, JUnit XML and SARIF 2.1.0."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..load import split_origin
from ..report import counted
from ._checking import CheckResult, Finding, is_failing

__all__ = ["CHECK_FORMATS", "render_check", "to_dict"]

CHECK_FORMATS = ("text", "json", "github", "junit", "sarif")
COPY_RULE = "copy"
COMMENTARY_RULE = "commentary"


def render_check(result: CheckResult, fmt: str, fail_on: str = "copy") -> str:
    if fmt == "json":
        return _render_json(result)
    if fmt == "github":
        return _render_github(result, fail_on)
    if fmt == "junit":
        return _render_junit(result, fail_on)
    if fmt == "sarif":
        return _render_sarif(result, fail_on)
    return _render_text(result, fail_on)


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


def _render_json(result: CheckResult) -> str:
    return json.dumps(to_dict(result), ensure_ascii=False, indent=2) + "\n"


def _describe(finding: Finding) -> str:
    """One sentence: what the new article shares, with whom."""
    matches = ", ".join(
        f"{m.id} ({m.relation}, {m.shared_fraction:.0%} shared)" for m in finding.matches
    )
    text = (f"{finding.id} ({finding.relation}, {finding.shared_fraction:.0%} shared)"
            f" shares copy with {matches}")
    return text + ("; adds commentary" if finding.adds_commentary else "")


def _summary(result: CheckResult, fail_on: str) -> str:
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


def _render_text(result: CheckResult, fail_on: str) -> str:
    lines = [
        f"{_location(f.origin)[0]}: {'error' if is_failing(f, fail_on) else 'warning'}:"
        f" {_describe(f)}"
        for f in result.findings
    ]
    return "\n".join([*lines, _summary(result, fail_on)]) + "\n"


def _location(origin: str) -> tuple[str, int]:
    """(path, line) of an origin "path" or "path:line" (a file's first line for a path)."""
    path, line = split_origin(origin)
    return path, 1 if line is None else line


def _rule(finding: Finding) -> str:
    return COMMENTARY_RULE if finding.adds_commentary else COPY_RULE


def _gh_data(text: str) -> str:
    # Workflow command escaping: a newline would end the command early.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def _render_github(result: CheckResult, fail_on: str) -> str:
    """GitHub Actions workflow commands: one annotation per finding, on the new file."""
    lines = []
    for f in result.findings:
        path, line = _location(f.origin)
        level = "error" if is_failing(f, fail_on) else "warning"
        title = _gh_property(f"dedup: {'copy with commentary' if f.adds_commentary else 'copy'}")
        lines.append(f"::{level} file={_gh_property(path)},line={line},title={title}::"
                     f"{_gh_data(_describe(f))}")
    return "\n".join([*lines, _summary(result, fail_on)]) + "\n"


def _render_junit(result: CheckResult, fail_on: str) -> str:
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
            failure = ET.SubElement(case, "failure", {"message": _describe(finding),
                                                      "type": _rule(finding)})
            failure.text = _describe(finding)
        else:
            ET.SubElement(case, "system-out").text = _describe(finding)
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


def _render_sarif(result: CheckResult, fail_on: str) -> str:
    """SARIF 2.1.0: one result per finding, located at the new article's file."""
    rule_index = {rule["id"]: i for i, rule in enumerate(_RULES)}
    results = []
    for f in result.findings:
        path, line = _location(f.origin)
        results.append({
            "ruleId": _rule(f),
            "ruleIndex": rule_index[_rule(f)],
            "level": "error" if is_failing(f, fail_on) else "warning",
            "message": {"text": _describe(f)},
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
