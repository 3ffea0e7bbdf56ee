"""A damaged index is found before it is used, named as damage with the way out, and never
written into. Real SQLite files, damaged as a disk or a bad copy damages them."""

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


def test_damage_is_found_before_use_and_nothing_is_written(
    soup_index: Path, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.sqlite"
    _overwrite_two_middle_pages(soup_index, damaged)
    assert integrity(damaged) != "ok"  # what SQLite itself says
    before = damaged.read_bytes()
    for command in (["index", "stats"], ["check", SEEDS / f"{SOLVE_ISRAEL}.txt", "-q"],
                    ["check", SEEDS, "-q", "--add"], ["index", "add", SEEDS, "-q"],
                    ["index", "remove", "soup-1"]):
        result = run_cli(*command, "--index", damaged)
        assert result.exit_code == 2, (command, result.output)
        assert result.stdout == ""
        _damage_line(damaged, result.stderr)
        assert damaged.read_bytes() == before, command  # never written into
    verify = run_cli("index", "verify", "--index", damaged)
    assert verify.exit_code == 2
    assert verify.stdout.startswith(f"{damaged}: ")  # what is wrong, one line each
    _damage_line(damaged, verify.stderr)
    assert damaged.read_bytes() == before


def test_verify_says_a_sound_index_is_sound(soup_index: Path) -> None:
    result = run_cli("index", "verify", "--index", soup_index)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{soup_index}: ok (400 articles; integrity_check found no damage)\n"
    assert count(soup_index) == 400


def test_a_truncated_index_is_damage_not_a_foreign_file(soup_index: Path, tmp_path: Path) -> None:
    """Cut short (a cache restored half-way): SQLite says "malformed"; that is damage."""
    cut = tmp_path / "cut.sqlite"
    data = soup_index.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    for command in (["index", "stats"], ["index", "add", SEEDS, "-q"]):
        result = run_cli(*command, "--index", cut)
        assert result.exit_code == 2, result.output
        _damage_line(cut, result.stderr)
    assert cut.read_bytes() == data[: len(data) // 2]
