"""The persistent index: real SQLite files, the CLI in-process and as real subprocesses."""

from __future__ import annotations

import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from dedup.boilerplate import RecurringBlocks, classify_blocks
from dedup.candidates import CandidateSettings, find_candidates
from dedup.cli import main
from dedup.index import FORMAT_VERSION, article_block_keys, open_index
from dedup.load import Article, InputError
from dedup.signatures import featurize
from tests.helpers import (
    BUSINESS_STANDARD,
    INDIAVISION,
    NEW_ARAB,
    REWRITE_2016,
    ROOT,
    SEEDS,
    SOLVE_ISRAEL,
)


def run_cli(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def seed_corpus(directory: Path, ids: list[str]) -> Path:
    """A corpus directory holding these seeds and the seeds' manifest (for dates, outlets)."""
    directory.mkdir(parents=True, exist_ok=True)
    for article_id in ids:
        shutil.copy(SEEDS / f"{article_id}.txt", directory)
    shutil.copy(SEEDS / "manifest.csv", directory)
    return directory


def seed_index(tmp_path: Path, ids: list[str], name: str = "index.sqlite") -> Path:
    index = tmp_path / name
    corpus = seed_corpus(tmp_path / f"corpus-{name}", ids)
    result = run_cli("index", "add", corpus, "--index", index, "--quiet")
    assert result.exit_code == 0, result.output
    return index


def check_json(index: Path, *inputs: Path | str, fail_on: str = "copy") -> tuple[int, dict]:
    result = run_cli("check", *inputs, "--index", index, "--format", "json", "--fail-on", fail_on,
                     "--quiet")
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def dump(path: Path) -> dict[str, list]:
    """Table contents, with articles named by id (primary keys differ between builds)."""
    with sqlite3.connect(path) as conn:
        return {
            "articles": sorted(conn.execute("SELECT id, sha256 FROM articles")),
            "bands": sorted(conn.execute(
                "SELECT b.band_table, b.key, a.id FROM bands b JOIN articles a USING (article)")),
            "blocks": sorted(conn.execute("SELECT key, docs FROM block_counts")),
            "outlet_blocks": sorted(conn.execute("SELECT * FROM outlet_block_counts")),
        }


def count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


# --- the seed scenario ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def index_023(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_index(tmp_path_factory.mktemp("idx"), [REWRITE_2016, NEW_ARAB, INDIAVISION])


def test_check_finds_the_indexed_sources_of_new_copies(index_023: Path) -> None:
    code, report = check_json(index_023, SEEDS / f"{SOLVE_ISRAEL}.txt",
                              SEEDS / f"{BUSINESS_STANDARD}.txt")
    assert code == 1
    assert report["checked"] == 2
    found = {f["id"]: [m["id"] for m in f["matches"]] for f in report["findings"]}
    assert found == {SOLVE_ISRAEL: [NEW_ARAB], BUSINESS_STANDARD: [INDIAVISION]}
    commentary = {f["id"]: f["adds_commentary"] for f in report["findings"]}
    assert commentary == {SOLVE_ISRAEL: True, BUSINESS_STANDARD: False}
    assert all(0 < m["shared_fraction"] <= 1 for f in report["findings"] for m in f["matches"])


def test_fail_on_commentary(index_023: Path) -> None:
    code, _ = check_json(index_023, SEEDS / f"{SOLVE_ISRAEL}.txt", fail_on="commentary")
    assert code == 1
    code, report = check_json(index_023, SEEDS / f"{BUSINESS_STANDARD}.txt", fail_on="commentary")
    assert code == 0
    assert len(report["findings"]) == 1  # still reported, just not failing
    code, _ = check_json(index_023, SEEDS / f"{SOLVE_ISRAEL}.txt", fail_on="never")
    assert code == 0


def test_unrelated_article_passes(tmp_path: Path) -> None:
    index = seed_index(tmp_path, [INDIAVISION, BUSINESS_STANDARD])
    code, report = check_json(index, SEEDS / f"{REWRITE_2016}.txt")
    assert (code, report) == (0, {"checked": 1, "findings": []})


def test_indexed_article_with_same_text_is_unchanged(index_023: Path) -> None:
    code, report = check_json(index_023, SEEDS / f"{NEW_ARAB}.txt")
    assert (code, report) == (0, {"checked": 0, "findings": []})


def test_changed_article_is_not_compared_with_its_old_version(tmp_path: Path) -> None:
    index = seed_index(tmp_path, [NEW_ARAB])
    changed = tmp_path / f"{NEW_ARAB}.txt"
    text = (SEEDS / f"{NEW_ARAB}.txt").read_text(encoding="utf-8")
    changed.write_text(text + "\n\nA correction was appended to this story later on.\n",
                       encoding="utf-8")
    code, report = check_json(index, changed)
    assert (code, report) == (0, {"checked": 1, "findings": []})


def test_a_missing_index_is_exit_2_naming_it_and_how_to_build_it(tmp_path: Path) -> None:
    """A check that compares with nothing would pass whatever it is given (pre-commit shows
    only failing hooks' output): without the flag for a first run, no index is set-up error."""
    missing = tmp_path / "none.sqlite"
    for extra in ((), ("--add",)):
        result = run_cli("check", SEEDS / f"{INDIAVISION}.txt", SEEDS / f"{BUSINESS_STANDARD}.txt",
                         "--index", missing, "-q", *extra)
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            f"dedup: error: {missing}: no index; build it first with 'dedup index add CORPUS"
            f" --index {missing}' (or pass --allow-missing-index to compare the new articles"
            " only with each other)"
        ]
        assert not missing.exists()


def test_first_run_flag_creates_the_index_with_add(tmp_path: Path) -> None:
    index = tmp_path / "first.sqlite"
    result = run_cli("check", SEEDS / f"{NEW_ARAB}.txt", "--index", index, "--add", "-q",
                     "--allow-missing-index")
    assert result.exit_code == 0, result.output
    assert count(index) == 1


def test_new_articles_are_compared_with_each_other_without_an_index(tmp_path: Path) -> None:
    result = run_cli("check", SEEDS / f"{INDIAVISION}.txt", SEEDS / f"{BUSINESS_STANDARD}.txt",
                     "--index", tmp_path / "none.sqlite", "--format", "json",
                     "--allow-missing-index")
    assert result.exit_code == 1
    assert "no index yet" in result.stderr
    assert not (tmp_path / "none.sqlite").exists()  # checking never creates an index
    report = json.loads(result.stdout)
    assert sorted(f["id"] for f in report["findings"]) == [INDIAVISION, BUSINESS_STANDARD]


def test_check_add_merges_the_new_articles(tmp_path: Path) -> None:
    index = seed_index(tmp_path, [NEW_ARAB])
    new = SEEDS / f"{SOLVE_ISRAEL}.txt"
    result = run_cli("check", new, "--index", index, "--add", "--quiet")
    assert result.exit_code == 1
    assert count(index) == 2
    code, report = check_json(index, new)  # now indexed: unchanged
    assert (code, report["checked"]) == (0, 0)


# --- index maintenance ----------------------------------------------------------------------


def test_default_path_and_stats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("index", "add", SEEDS)
    assert result.exit_code == 0, result.output
    assert "5 added" in result.stdout
    assert (tmp_path / ".dedup" / "index.sqlite").is_file()
    stats = run_cli("index", "stats")
    assert stats.exit_code == 0
    assert "articles: 5" in stats.stdout
    assert f"format version: {FORMAT_VERSION}" in stats.stdout
    assert "doc_bands: " in stats.stdout


def test_re_adding_is_a_no_op(tmp_path: Path) -> None:
    index = seed_index(tmp_path, [REWRITE_2016, NEW_ARAB])
    before = dump(index)
    result = run_cli("index", "add", tmp_path / "corpus-index.sqlite", "--index", index)
    assert result.exit_code == 0
    assert "0 added, 0 replaced, 2 unchanged" in result.stdout
    assert dump(index) == before


def test_changed_text_replaces_and_counts_stay_exact(tmp_path: Path) -> None:
    corpus = seed_corpus(tmp_path / "corpus", [NEW_ARAB, INDIAVISION])
    index = tmp_path / "index.sqlite"
    assert run_cli("index", "add", corpus, "--index", index).exit_code == 0
    edited = corpus / f"{NEW_ARAB}.txt"
    edited.write_text("Breaking\n\n" + edited.read_text(encoding="utf-8").replace("Iran", "Persia"),
                      encoding="utf-8")
    result = run_cli("index", "add", corpus, "--index", index)
    assert "0 added, 1 replaced, 1 unchanged" in result.stdout
    # Incremental maintenance ends where a fresh build of the same corpus ends.
    fresh = tmp_path / "fresh.sqlite"
    assert run_cli("index", "add", corpus, "--index", fresh).exit_code == 0
    assert dump(index) == dump(fresh)


def test_remove(tmp_path: Path) -> None:
    index = seed_index(tmp_path, [REWRITE_2016, NEW_ARAB, INDIAVISION])
    result = run_cli("index", "remove", NEW_ARAB, "nope", "--index", index)
    assert result.exit_code == 0
    assert "1 removed; 2 articles indexed" in result.stdout
    assert "no article 'nope'" in result.stderr
    fresh = seed_index(tmp_path, [REWRITE_2016, INDIAVISION], name="fresh.sqlite")
    assert dump(index) == dump(fresh)  # no band or block count of the removed one is left


def test_stored_article_reads_back_exactly(tmp_path: Path) -> None:
    text = "Title\r\n\r\nCafé “quoted” text\u2028with odd characters.\n"
    article = Article("x/y", text, "Title", "Outlet", "2020-01-01", "http://u", "corpus/x/y.txt")
    with open_index(str(tmp_path / "i.sqlite"), create=True) as index:
        index.add([article])
        (stored,) = index.load([1])
    assert stored.article == article
    assert stored.blocks.keys.tolist() == article_block_keys(text).tolist()


def test_index_finds_what_in_memory_lsh_finds(seed_articles: list[Article]) -> None:
    """Band keys and (b, r) agree with find_candidates: every candidate pair involving the
    new article is found through the index."""
    recurring = RecurringBlocks()
    for a in seed_articles:
        recurring.add(a.text, a.outlet)
    features = [featurize(a, classify_blocks(a.text, a.title, a.outlet, recurring))
                for a in seed_articles]
    pairs, _ = find_candidates(features, CandidateSettings())
    with open_index(":memory:", create=True) as index:
        for new in range(len(seed_articles)):
            others = [a for i, a in enumerate(seed_articles) if i != new]
            index.remove([a.id for a in seed_articles])
            index.add(others)
            with index.snapshot():
                prepared = index.prepare([seed_articles[new]])
                found = {s.article.id for s in index.load(index.candidates(prepared))}
            expected = {seed_articles[j if i == new else i].id for i, j in pairs if new in (i, j)}
            assert expected <= found


# --- bad index files ------------------------------------------------------------------------


def _not_a_dedup_index(path: Path, *commands: list[str], subprocess_too: bool = False) -> None:
    for args in commands:
        result = run_cli(*args, "--index", path)
        outputs = [(result.exit_code, result.stderr)]
        if subprocess_too:  # the real entry point: no traceback reaches the terminal either
            proc = subprocess.run(
                [sys.executable, "-m", "dedup", *args, "--index", str(path)],
                capture_output=True, text=True, cwd=ROOT, check=False,
            )
            outputs.append((proc.returncode, proc.stderr))
        for code, stderr in outputs:
            assert code == 2, (args, stderr)
            assert stderr.startswith(f"dedup: error: {path}: not a dedup index ("), stderr
            assert len(stderr.strip().splitlines()) == 1, stderr


def test_random_bytes_are_not_an_index(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    path.write_bytes(random.Random(5).randbytes(8192))
    before = path.read_bytes()
    _not_a_dedup_index(path, ["index", "stats"], ["check", str(SEEDS)])
    _not_a_dedup_index(path, ["index", "add", str(SEEDS)], subprocess_too=True)
    assert path.read_bytes() == before


def test_foreign_sqlite_is_not_an_index_and_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    _not_a_dedup_index(path, ["index", "add", str(SEEDS)])
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["notes"]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal"


def test_other_parameters_or_version_are_refused(tmp_path: Path) -> None:
    index = seed_index(tmp_path, [NEW_ARAB])
    with sqlite3.connect(index) as conn:
        conn.execute("UPDATE meta SET value = '64' WHERE key = 'doc_perm'")
    _not_a_dedup_index(index, ["index", "stats"])
    with pytest.raises(InputError, match=r"doc_perm '64' \(expected 128\)"):
        open_index(str(index))
    with sqlite3.connect(index) as conn:
        conn.execute("UPDATE meta SET value = '128' WHERE key = 'doc_perm'")
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'format_version'")
    _not_a_dedup_index(index, ["index", "add", str(SEEDS)])
    # An index of format version 1 (band keys of another hash) is refused, naming the rebuild.
    with sqlite3.connect(index) as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'format_version'")
    with pytest.raises(InputError, match=r"format version '?1'?, this dedup reads 2\): rebuild "
                       r"it with 'dedup index add CORPUS --index NEW'"):
        open_index(str(index))


def test_corrupt_stored_text_is_one_line(tmp_path: Path) -> None:
    index = seed_index(tmp_path, [NEW_ARAB])
    with sqlite3.connect(index) as conn:
        conn.execute("UPDATE articles SET text = x'0102030405'")
    result = run_cli("check", SEEDS / f"{SOLVE_ISRAEL}.txt", "--index", index)
    assert result.exit_code == 2
    assert "corrupt index" in result.stderr and "Traceback" not in result.output


# --- atomicity and concurrency --------------------------------------------------------------

_VOCABULARY = [
    "".join(random.Random(n).choices("abcdefghijklmnopqrstuvwxyz", k=3 + n % 7))
    for n in range(3000)
]


def word_soup(path: Path, count: int, seed: int, prefix: str) -> Path:
    """``count`` articles of random words: unique text, several passages each."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            paragraphs = [" ".join(rng.choices(_VOCABULARY, k=60)) + "." for _ in range(4)]
            out.write(json.dumps({"id": f"{prefix}{n}", "text": "\n\n".join(paragraphs)}) + "\n")
    return path


def _index_add(index: Path, source: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dedup", "index", "add", str(source), "--index", str(index), "-q"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def test_kill_9_during_add_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    index = seed_index(tmp_path, [NEW_ARAB, INDIAVISION])
    big = word_soup(tmp_path / "big.jsonl", 2000, seed=1, prefix="big-")
    wal = Path(f"{index}-wal")
    proc = _index_add(index, big)
    deadline = time.monotonic() + 60
    # Wait until the transaction's pages are being written to the WAL (SQLite writes them
    # there before the commit record), then kill without warning.
    while proc.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 1 << 20:
            break
        time.sleep(0.001)
    killed_while_running = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert integrity(index) == "ok"
    assert count(index) in (2, 2002)  # all or nothing
    if killed_while_running:
        assert proc.returncode == -signal.SIGKILL
    # Whatever was left, the index still takes additions.
    assert run_cli("index", "add", SEEDS, "--index", index, "-q").exit_code == 0
    assert count(index) in (5, 2005)


def test_concurrent_adds_both_land(tmp_path: Path) -> None:
    index = tmp_path / "new" / "index.sqlite"  # both processes also race to create it
    first = word_soup(tmp_path / "a.jsonl", 200, seed=2, prefix="a-")
    second = word_soup(tmp_path / "b.jsonl", 200, seed=3, prefix="b-")
    procs = [_index_add(index, first), _index_add(index, second)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    assert count(index) == 400
    assert integrity(index) == "ok"
    fresh = tmp_path / "fresh.sqlite"
    assert run_cli("index", "add", first, second, "--index", fresh, "-q").exit_code == 0
    assert dump(index)["blocks"] == dump(fresh)["blocks"]


def test_blobs_are_plain_little_endian_numbers(tmp_path: Path) -> None:
    index = seed_index(tmp_path, [NEW_ARAB])
    with sqlite3.connect(index) as conn:
        keys, bands = conn.execute("SELECT block_keys, band_keys FROM articles").fetchone()
        table_rows = conn.execute("SELECT band_table, key FROM bands").fetchall()
    assert sorted(np.frombuffer(bands, "<i8").reshape(-1, 2).tolist()) == sorted(
        list(r) for r in table_rows)
    expected = article_block_keys((SEEDS / f"{NEW_ARAB}.txt").read_text(encoding="utf-8"))
    assert np.frombuffer(keys, "<u8").tolist() == expected.tolist()



def test_forked_workers_build_the_same_index(tmp_path: Path, seed_articles: list[Article]) -> None:
    """prepare() on worker processes gives byte-identical rows (keys, blobs, counts) to one
    process, in several adds (counts carried over) and with a replacement."""
    from dedup.load import load_articles

    soup, _ = load_articles([str(word_soup(tmp_path / "soup.jsonl", 300, seed=4, prefix="s-"))])
    paths = []
    for jobs in (1, 2):
        path = tmp_path / f"jobs{jobs}.sqlite"
        with open_index(str(path), create=True) as index:
            index.jobs = jobs
            index.add([*soup[:200], *seed_articles])
            index.add(soup[200:])
            index.add([Article(seed_articles[0].id, seed_articles[0].text + "\n\nMore.",
                               outlet=seed_articles[0].outlet)])
        paths.append(path)
    with sqlite3.connect(paths[0]) as conn:
        blobs = sorted(conn.execute("SELECT id, text, block_keys, band_keys FROM articles"))
    with sqlite3.connect(paths[1]) as conn:
        assert blobs == sorted(conn.execute("SELECT id, text, block_keys, band_keys FROM articles"))
    assert dump(paths[0]) == dump(paths[1])
    assert count(paths[1]) == 300 + len(seed_articles)
