"""A damaged index is named as damage with the way out, and never written into: a write
looks at every page first (``quick_check``); a read at the file's length, and SQLite raises
on a damaged page the read meets. Real SQLite files, damaged as a disk or a bad copy damages
them."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from test_index import count, integrity, run_cli, word_soup

from tests.helpers import SEEDS, SOLVE_ISRAEL


@pytest.fixture(scope="module")
def soup_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("damage")
    index = directory / "index.sqlite"
    soup = word_soup(directory / "soup.jsonl", 400, seed=7, prefix="soup-")
    assert run_cli("index", "add", soup, "--index", index, "-q").exit_code == 0
    return index


def _overwrite_two_middle_pages(source: Path, target: Path) -> None:
    data = bytearray(source.read_bytes())
    with sqlite3.connect(source) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    middle = len(data) // page // 2
    noise = random.Random(3).randbytes(2 * page)
    data[middle * page : (middle + 2) * page] = noise
    target.write_bytes(bytes(data))


def _damage_line(path: Path, stderr: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"dedup: error: {path}: damaged index ("), stderr
    assert f"'dedup index verify --index {path}'" in lines[0]
    assert "rebuild with 'dedup index add" in lines[0]


def _overwrite_root_page(source: Path, target: Path, table: str) -> None:
    """Noise over the root page of ``table``: every read of that table goes through it."""
    data = bytearray(source.read_bytes())
    with sqlite3.connect(source) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                            (table,)).fetchone()[0]
    data[(root - 1) * page : root * page] = random.Random(5).randbytes(page)
    target.write_bytes(bytes(data))


WRITES = (["check", SEEDS, "-q", "--add"], ["index", "add", SEEDS, "-q"],
          ["index", "remove", "soup-1"])
READS = (["index", "stats"], ["check", SEEDS / f"{SOLVE_ISRAEL}.txt", "-q"])


def _refused_as_damaged(damaged: Path, command: list[object]) -> None:
    """``command`` on ``damaged`` is exit 2 with the one-line damage error and no output."""
    result = run_cli(*command, "--index", damaged)
    assert result.exit_code == 2, (command, result.output)
    assert result.stdout == ""
    _damage_line(damaged, result.stderr)


def test_a_write_finds_damage_anywhere_first_and_writes_nothing(
    soup_index: Path, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.sqlite"
    _overwrite_two_middle_pages(soup_index, damaged)
    assert integrity(damaged) != "ok"  # what SQLite itself says
    before = damaged.read_bytes()
    for command in WRITES:
        _refused_as_damaged(damaged, command)
        assert damaged.read_bytes() == before, command  # never written into
    verify = run_cli("index", "verify", "--index", damaged)
    assert verify.exit_code == 2
    assert verify.stdout.startswith(f"{damaged}: ")  # what is wrong, one line each
    _damage_line(damaged, verify.stderr)
    assert damaged.read_bytes() == before


def test_a_read_that_meets_a_damaged_page_is_damage(soup_index: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "bands-damaged.sqlite"
    _overwrite_root_page(soup_index, damaged, "bands")  # stats counts it, check looks up in it
    before = damaged.read_bytes()
    for command in READS:
        _refused_as_damaged(damaged, command)
    assert damaged.read_bytes() == before


def test_a_read_elsewhere_answers_as_on_the_sound_index(soup_index: Path, tmp_path: Path) -> None:
    """Reads do not pay for a look at every page: damage on pages a read does not use is
    left to 'dedup index verify' and the next write, and the read answers as before."""
    damaged = tmp_path / "damaged.sqlite"
    _overwrite_two_middle_pages(soup_index, damaged)
    answered = 0
    for command in READS:
        sound = run_cli(*command, "--index", soup_index)
        result = run_cli(*command, "--index", damaged)
        if result.exit_code == 2:  # the read met a damaged page: told as damage
            _damage_line(damaged, result.stderr)
            continue
        assert (result.exit_code, result.stdout) == (
            sound.exit_code, sound.stdout.replace(str(soup_index), str(damaged))), command
        answered += 1
    assert answered  # at least one read did not pay for (nor stumble on) the damaged pages


def test_verify_says_a_sound_index_is_sound(soup_index: Path) -> None:
    result = run_cli("index", "verify", "--index", soup_index)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{soup_index}: ok (400 articles; integrity_check found no damage)\n"
    assert count(soup_index) == 400


@pytest.mark.parametrize("keep", ["half", "all but 3 pages"])
def test_a_truncated_index_is_damage_not_a_foreign_file(soup_index: Path, tmp_path: Path,
                                                         keep: str) -> None:
    """Cut short (a cache restored part-way): SQLite says "malformed" at the first read,
    no look at every page needed; that is damage."""
    cut = tmp_path / "cut.sqlite"
    data = soup_index.read_bytes()
    data = data[: len(data) // 2] if keep == "half" else data[: len(data) - 3 * 4096]
    cut.write_bytes(data)
    for command in (*READS, ["index", "add", SEEDS, "-q"]):
        _refused_as_damaged(cut, command)
    assert cut.read_bytes() == data
