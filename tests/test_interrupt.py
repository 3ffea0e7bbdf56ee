"""Ctrl-C and a killed parent, with real processes: exit 130, no traceback from the parent or
its forked workers, and no worker left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_index import word_soup

from tests.helpers import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def _start_with_workers(corpus: Path) -> tuple[subprocess.Popen, set[int]]:
    """``dedup cluster`` in its own session (as a terminal's foreground job), once its forked
    workers are busy with their first work items."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "dedup", "cluster", str(corpus), "--jobs", "2", "-q",
         "--format", "json"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        if len(workers) >= 2 and all(_cpu_ticks(w) >= 5 for w in workers):
            return proc, workers
        time.sleep(0.005)
    proc.kill()
    pytest.fail("the workers never started")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return word_soup(tmp_path_factory.mktemp("soup") / "soup.jsonl", 3000, seed=11, prefix="s-")


def test_ctrl_c_is_exit_130_without_tracebacks(corpus: Path) -> None:
    proc, workers = _start_with_workers(corpus)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err.decode()
    assert err.decode() == "dedup: interrupted\n"  # no "Aborted!", no worker traceback
    assert not any(_alive(w) for w in workers)


def test_workers_end_quietly_when_their_parent_is_killed(corpus: Path) -> None:
    proc, workers = _start_with_workers(corpus)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.stderr is not None
    err = proc.stderr.read()  # EOF only once every worker has let go of stderr too
    deadline = time.monotonic() + 30
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers)
    assert b"Traceback" not in err and b"Error" not in err, err.decode()
