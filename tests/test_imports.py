"""The command line imports what a command needs when it runs: ``dedup --help`` and
``dedup --version`` load no scikit-learn, SciPy or pyspark (they took ~1 s of every start),
and ``dedup check`` no scikit-learn (its TF-IDF is numpy's: 1 s of every CI check)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers import NEW_ARAB, ROOT, SEEDS, SOLVE_ISRAEL

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


_LOADED = """
import json, sys
from dedup.cli import main
try:
    main(sys.argv[1:])
except SystemExit as done:
    sys.stderr.write(json.dumps([str(done.code), sorted(sys.modules)]))
"""


def _modules(*args: object) -> tuple[str, set[str], str]:
    """Run the CLI in a fresh interpreter: (exit code, every module it loaded, stdout)."""
    done = subprocess.run([sys.executable, "-c", _LOADED, *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300, check=True)
    code, modules = json.loads(done.stderr.splitlines()[-1])
    return code, set(modules), done.stdout


CHECK_NEVER = ("sklearn", "scipy.stats", "pandas", "pyspark", "datasketch", "scipy.integrate")


def test_a_check_against_the_index_loads_no_scikit_learn(tmp_path) -> None:
    index = tmp_path / "index.sqlite"
    code, _, _ = _modules("index", "add", SEEDS / f"{NEW_ARAB}.txt", "--index", index, "-q")
    assert code in ("None", "0")
    code, modules, out = _modules("check", SEEDS / f"{SOLVE_ISRAEL}.txt", "--index", index,
                                  "-q", "--format", "json")
    assert code == "1" and NEW_ARAB in out  # a real check: compared, verified, a finding
    assert "dedup.pipeline" in modules and "dedup.verify" in modules
    assert sorted(m for m in modules if m.split(".")[0] in CHECK_NEVER
                  or m.startswith(("scipy.stats", "scipy.integrate"))) == []


def test_library_names_load_on_first_use() -> None:
    import dedup
    from dedup.pipeline import analyze

    assert dedup.analyze is analyze
    with pytest.raises(AttributeError):
        dedup.no_such_name  # noqa: B018
