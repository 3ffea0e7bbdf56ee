"""``dedup check``: does a new article copy the indexed corpus, or another new article?

The check runs the same pipeline as ``dedup cluster``, on a small corpus: the new articles
plus the indexed articles that share an LSH band with one of them, with the boilerplate
recurrence counts of the whole index. A new article that ends up in a copy cluster is a
finding; the other members are its matches. An article already indexed with the same id
and text is "unchanged" and not checked again.

Reports: text, JSON, GitHub workflow annotations, JUnit XML and SARIF 2.1.0; the exit
code says whether a finding of the ``--fail-on`` kind was made.

The parts: checking (``_checking``: ``check_articles``, ``run_check``, the findings and
the exit code), choosing the input (``_inputs``: ``--since`` and ``--root``) and the five
report formats (``_formats``).
"""

from __future__ import annotations

from ._checking import (
    ALLOW_MISSING_FLAG,
    FAIL_ON,
    CheckResult,
    Finding,
    Match,
    check_articles,
    exit_code,
    findings_of,
    is_failing,
    missing_index_problem,
    run_check,
)
from ._formats import CHECK_FORMATS, render_check, to_dict
from ._inputs import Selection, changed_since, check_inputs, under_root

__all__ = [
    "ALLOW_MISSING_FLAG",
    "CHECK_FORMATS",
    "FAIL_ON",
    "CheckResult",
    "Finding",
    "Match",
    "Selection",
    "changed_since",
    "check_articles",
    "check_inputs",
    "exit_code",
    "findings_of",
    "is_failing",
    "missing_index_problem",
    "render_check",
    "run_check",
    "to_dict",
    "under_root",
]
