"""The README is what a new user follows: its report is the real one, and it stays short."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quickstart_shows_what_make_demo_prints() -> None:
    block = README.split("<!-- demo:start -->\n```\n", 1)[1].split("```\n<!-- demo:end -->", 1)[0]
    dedup = Path(sys.executable).parent / "dedup"
    done = subprocess.run([str(dedup), "cluster", "seeds/", "-q"], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout == block


def test_readme_is_short_and_holds_no_run_stories() -> None:
    assert len(README.splitlines()) <= 250
    assert not re.search(r"\b[0-9a-f]{7,40}\b", README), "a commit hash in README.md"
    assert "pip install 'dedup" not in README and 'pip install "dedup' not in README


def test_every_linked_document_exists() -> None:
    for target in re.findall(r"\]\(((?:docs|benchmarks)/[^)#]+)\)", README):
        assert (ROOT / target).is_file(), target
