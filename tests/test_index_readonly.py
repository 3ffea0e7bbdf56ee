"""An index this process may not write: a cache restored read-only, an index owned by another
user. The tests run as any user: ``chattr +i`` makes a file or directory unwritable even for
root, as permissions alone would not."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_index import run_cli, seed_index

from tests.helpers import INDIAVISION, NEW_ARAB, SEEDS, SOLVE_ISRAEL


def _chattr(flag: str, *paths: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    done = subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True, check=False)
    return done.returncode == 0


@pytest.fixture
def immutable() -> Iterator[list[Path]]:
    """Paths appended here are made immutable by the test and writable again after it."""
    paths: list[Path] = []
    yield paths
    if paths:
        _chattr("-i", *paths)


def _make_immutable(paths: list[Path], *targets: Path) -> None:
    if not _chattr("+i", *targets):
        pytest.skip("chattr +i is not available here (needs CAP_LINUX_IMMUTABLE and ext4/xfs)")
    paths.extend(targets)
    for target in targets:
        if target.is_file():
            with pytest.raises(PermissionError):
                open(target, "r+b").close()  # really unwritable, root or not


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("what", ["file", "file and directory", "neither"])
def test_reading_commands_work_on_an_unwritable_index_and_leave_nothing(
    tmp_path: Path, immutable: list[Path], what: str
) -> None:
    directory = tmp_path / "cache"
    directory.mkdir()
    index = seed_index(directory, [NEW_ARAB, INDIAVISION])
    shutil.rmtree(directory / "corpus-index.sqlite")
    before = _digest(index)
    targets = {"file": [index], "file and directory": [index, directory], "neither": []}[what]
    if targets:
        _make_immutable(immutable, *targets)
    stats = run_cli("index", "stats", "--index", index)
    assert stats.exit_code == 0, stats.output
    assert "articles: 2" in stats.stdout
    found = run_cli("check", SEEDS / f"{SOLVE_ISRAEL}.txt", "--index", index, "-q",
                    "--format", "json")
    assert found.exit_code == 1, found.output  # compared with the index: a finding
    assert NEW_ARAB in found.stdout
    assert sorted(os.listdir(directory)) == ["index.sqlite"]  # no -wal, no -shm
    assert _digest(index) == before


def test_a_read_only_open_cannot_write(tmp_path: Path) -> None:
    from dedup.index import open_index

    index = seed_index(tmp_path, [NEW_ARAB])
    with open_index(str(index), readonly=True) as idx:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            idx._conn.execute("DELETE FROM articles")
        assert len(idx) == 1
    assert not (tmp_path / "index.sqlite-wal").exists()
    assert not (tmp_path / "index.sqlite-shm").exists()


def test_a_writer_holding_the_index_open_is_left_its_files(tmp_path: Path) -> None:
    """A -wal already there belongs to a connection still open (or to a crash the next writer
    recovers): the read-only check reads through it and removes nothing."""
    index = seed_index(tmp_path, [NEW_ARAB, INDIAVISION])
    writer = sqlite3.connect(index)
    try:
        writer.execute("SELECT COUNT(*) FROM articles").fetchone()
        assert (tmp_path / "index.sqlite-wal").exists()
        found = run_cli("check", SEEDS / f"{SOLVE_ISRAEL}.txt", "--index", index, "-q")
        assert found.exit_code == 1, found.output
        assert (tmp_path / "index.sqlite-wal").exists()
        assert (tmp_path / "index.sqlite-shm").exists()
    finally:
        writer.close()
