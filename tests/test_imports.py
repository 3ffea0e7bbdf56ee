"""The command line imports what a command needs when it runs: ``dedup --help`` and
``dedup --version`` load no scikit-learn, SciPy or pyspark (they took ~1 s of every start)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers import ROOT

HEAVY = ("sklearn", "scipy", "pyspark", "pandas")

_PROBE = """
import json, sys
from dedup.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(sys.stdin.read())))
sys.stderr.write(json.dumps(heavy))
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["check", "--help"],
                                  ["index", "--help"], ["cluster", "--help"]])
def test_help_and_version_import_no_heavy_library(args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], input=json.dumps(HEAVY),
                          capture_output=True, text=True, cwd=ROOT, timeout=120, check=True)
    assert done.stdout  # the help or version was printed
    assert json.loads(done.stderr) == []


def test_a_command_still_gets_what_it_needs() -> None:
    done = subprocess.run([sys.executable, "-c", _PROBE, "cluster", str(ROOT / "seeds"), "-q"],
                          input=json.dumps(HEAVY), capture_output=True, text=True, cwd=ROOT,
                          timeout=300, check=True)
    assert "copy clusters" in done.stdout
    assert "sklearn" in json.loads(done.stderr)  # the probe does see what a command loads


def test_library_names_load_on_first_use() -> None:
    import dedup
    from dedup.pipeline import analyze

    assert dedup.analyze is analyze
    with pytest.raises(AttributeError):
        dedup.no_such_name  # noqa: B018
