"""``dedup check``: every report format read back by a real consumer, --since in a real git
repository, and the pre-commit hook through the real pre-commit."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from junitparser import Failure, JUnitXml
from sarif import loader
from test_index import run_cli, seed_corpus, seed_index

from tests.helpers import (
    BUSINESS_STANDARD,
    INDIAVISION,
    NEW_ARAB,
    REWRITE_2016,
    ROOT,
    SEEDS,
    SOLVE_ISRAEL,
)

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(scope="module")
def index_023(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_index(tmp_path_factory.mktemp("idx"), [REWRITE_2016, NEW_ARAB, INDIAVISION])


NEW_FILES = [SEEDS / f"{REWRITE_2016}.txt", SEEDS / f"{SOLVE_ISRAEL}.txt",
             SEEDS / f"{BUSINESS_STANDARD}.txt"]


def _check(index: Path, fmt: str, *extra: str, files: list[Path] = NEW_FILES):
    return run_cli("check", *files, "--index", index, "--format", fmt, "--quiet", *extra)


# --- formats --------------------------------------------------------------------------------


def test_json_is_deterministic_and_sorted(index_023: Path) -> None:
    first = _check(index_023, "json")
    assert first.exit_code == 1
    assert _check(index_023, "json").stdout == first.stdout
    report = json.loads(first.stdout)
    assert report["checked"] == 2  # REWRITE_2016 is indexed with the same text: unchanged
    assert [f["id"] for f in report["findings"]] == [SOLVE_ISRAEL, BUSINESS_STANDARD]
    for finding in report["findings"]:
        assert set(finding) == {"id", "matches", "adds_commentary"}
        for match in finding["matches"]:
            assert set(match) == {"id", "relation", "shared_fraction"}


_ANNOTATION = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),title=([^:]+)::(.+)$")


def test_github_annotations_name_the_new_files(index_023: Path) -> None:
    result = _check(index_023, "github", "--fail-on", "commentary")
    assert result.exit_code == 1
    annotations = [_ANNOTATION.match(line) for line in result.stdout.splitlines()
                   if line.startswith("::")]
    assert all(annotations) and len(annotations) == 2
    found = {Path(m.group(2)).name: m for m in annotations if m}
    commentary = found[f"{SOLVE_ISRAEL}.txt"]
    assert commentary.group(1) == "error"  # fails under --fail-on commentary
    assert Path(commentary.group(2)) == SEEDS / f"{SOLVE_ISRAEL}.txt"
    assert commentary.group(3) == "1"
    assert NEW_ARAB in commentary.group(5) and "adds commentary" in commentary.group(5)
    plain = found[f"{BUSINESS_STANDARD}.txt"]
    assert plain.group(1) == "warning" and INDIAVISION in plain.group(5)
    assert "%3A" in plain.group(4)  # ':' in a property is escaped


def test_junit_one_testcase_per_checked_article(index_023: Path, tmp_path: Path) -> None:
    out = tmp_path / "dedup.xml"
    (tmp_path / "fresh.txt").write_text(
        "Local news\n\nThe town council met on Tuesday and agreed a new budget for the park.\n",
        encoding="utf-8",
    )
    result = _check(index_023, "junit", "-o", str(out), files=[*NEW_FILES, tmp_path / "fresh.txt"])
    assert result.exit_code == 1 and result.stdout == ""
    xml = JUnitXml.fromfile(str(out))
    cases = {case.name: case for suite in xml for case in suite}
    assert sorted(cases) == sorted([SOLVE_ISRAEL, BUSINESS_STANDARD, "fresh"])
    failed = {name for name, case in cases.items()
              if any(isinstance(r, Failure) for r in case.result)}
    assert failed == {SOLVE_ISRAEL, BUSINESS_STANDARD}
    assert cases["fresh"].is_passed
    failure = next(r for r in cases[SOLVE_ISRAEL].result if isinstance(r, Failure))
    assert NEW_ARAB in failure.message and failure.type == "commentary"


def test_sarif_read_back_with_sarif_tools(index_023: Path, tmp_path: Path) -> None:
    out = tmp_path / "dedup.sarif"
    result = _check(index_023, "sarif", "-o", str(out), "--fail-on", "commentary")
    assert result.exit_code == 1
    sarif = loader.load_sarif_file(str(out))
    assert sarif.get_distinct_tool_names() == ["dedup"]
    assert sarif.get_result_count() == 2
    records = {Path(r["Location"]).name: r for r in sarif.get_records()}
    assert set(records) == {f"{SOLVE_ISRAEL}.txt", f"{BUSINESS_STANDARD}.txt"}
    assert records[f"{SOLVE_ISRAEL}.txt"]["Code"] == "commentary"
    assert records[f"{SOLVE_ISRAEL}.txt"]["Severity"] == "error"
    assert records[f"{BUSINESS_STANDARD}.txt"]["Code"] == "copy"
    assert records[f"{BUSINESS_STANDARD}.txt"]["Severity"] == "warning"
    raw = json.loads(out.read_text(encoding="utf-8"))
    assert raw["version"] == "2.1.0"
    rules = [r["id"] for r in raw["runs"][0]["tool"]["driver"]["rules"]]
    assert all(res["ruleId"] == rules[res["ruleIndex"]] for res in raw["runs"][0]["results"])


def test_text_report(index_023: Path) -> None:
    result = _check(index_023, "text")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{SEEDS / SOLVE_ISRAEL}.txt: error: {SOLVE_ISRAEL}")
    assert lines[-1].startswith("dedup check: 2 articles checked against 3 indexed articles (")
    assert "; 1 unchanged, not checked again):" in lines[-1]


# --- --since and --root ---------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "GIT_AUTHOR_DATE": "2001-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2001-01-01T00:00:00Z"}
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          env=env, check=True)
    return done.stdout


@pytest.fixture
def corpus_repo(tmp_path: Path) -> Path:
    """A corpus repository: 000, 002, 003 (with the manifest) committed and indexed; then
    001 (in a subdirectory) and 004 added in a second commit, with a non-article change."""
    repo = tmp_path / "repo"
    corpus = seed_corpus(repo / "corpus", [REWRITE_2016, NEW_ARAB, INDIAVISION])
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    assert run_cli("index", "add", corpus, "--index", repo / ".dedup" / "index.sqlite",
                   "-q").exit_code == 0
    (corpus / "sub").mkdir()
    shutil.copy(SEEDS / f"{SOLVE_ISRAEL}.txt", corpus / "sub")
    shutil.copy(SEEDS / f"{BUSINESS_STANDARD}.txt", corpus)
    (repo / "notes.md").write_text("not in the corpus\n", encoding="utf-8")
    (corpus / "data.bin").write_bytes(b"\0")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "new articles")
    return repo


@needs_git
def test_since_checks_only_the_changes_named_as_in_the_index(
    corpus_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(corpus_repo)
    result = run_cli("check", "corpus", "--since", "HEAD~1", "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["checked"] == 2
    found = {f["id"]: f["matches"] for f in report["findings"]}
    # Ids relative to the INPUT directory, as 'dedup index add corpus' names them.
    assert sorted(found) == [BUSINESS_STANDARD, f"sub/{SOLVE_ISRAEL}"]
    assert [m["id"] for m in found[f"sub/{SOLVE_ISRAEL}"]] == [NEW_ARAB]
    # The manifest applies: dated 2014, Business Standard is the source, IndiaVision extends it.
    assert [(m["id"], m["relation"]) for m in found[BUSINESS_STANDARD]] == [
        (INDIAVISION, "extended")
    ]
    github = run_cli("check", "corpus", "--since", "HEAD~1", "--format", "github")
    assert f"file=corpus/sub/{SOLVE_ISRAEL}.txt,line=1" in github.stdout
    nothing = run_cli("check", "corpus", "--since", "HEAD", "--format", "json")
    assert (nothing.exit_code, json.loads(nothing.stdout)) == (0, {"checked": 0, "findings": []})


@needs_git
def test_since_errors_are_one_line(corpus_repo: Path, tmp_path: Path) -> None:
    bad_ref = run_cli("check", corpus_repo / "corpus", "--since", "no-such-ref")
    assert bad_ref.exit_code == 2
    assert "git rev-parse --verify failed" in bad_ref.stderr
    assert len(bad_ref.stderr.strip().splitlines()) == 1
    outside = tmp_path / "plain"
    outside.mkdir()
    not_a_repo = run_cli("check", outside, "--since", "HEAD")
    assert not_a_repo.exit_code == 2 and "not a git repository" in not_a_repo.stderr.lower()


def test_root_names_files_like_the_directory_walk(tmp_path: Path) -> None:
    corpus = seed_corpus(tmp_path / "corpus", [NEW_ARAB, INDIAVISION])
    index = tmp_path / "index.sqlite"
    assert run_cli("index", "add", corpus, "--index", index, "-q").exit_code == 0
    (corpus / "sub").mkdir()
    shutil.copy(SEEDS / f"{SOLVE_ISRAEL}.txt", corpus / "sub")
    files = [corpus / "sub" / f"{SOLVE_ISRAEL}.txt", corpus / f"{NEW_ARAB}.txt"]
    result = run_cli("check", "--root", corpus, *files, "--index", index, "--format", "json")
    report = json.loads(result.stdout)
    # NEW_ARAB is recognised as indexed and unchanged only because it is named as the walk did.
    assert report["checked"] == 1
    assert [f["id"] for f in report["findings"]] == [f"sub/{SOLVE_ISRAEL}"]
    misuse = run_cli("check", "--root", corpus, "--since", "HEAD", corpus)
    assert misuse.exit_code == 2


# --- pre-commit -----------------------------------------------------------------------------


def snapshot_project(target: Path) -> Path:
    """The project as it is on disk (committed or not) as a one-commit git repository.

    ``pre-commit try-repo`` takes uncommitted changes of tracked files but not new files,
    so the working tree is copied: what is tested is what is on disk.
    """
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], capture_output=True, check=True)
    wanted = ("dedup/", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
    for name in listed.stdout.decode().split("\0"):
        if name.startswith(wanted) and (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-qm", "snapshot")
    return target


@needs_git
@pytest.mark.skipif(shutil.which("pre-commit", path=os.path.dirname(sys.executable)) is None,
                    reason="pre-commit is not installed (pip install -e '.[test]')")
def test_pre_commit_hook_with_try_repo(tmp_path: Path) -> None:
    project = snapshot_project(tmp_path / "project")
    repo = tmp_path / "corpus-repo"
    seed_corpus(repo / "corpus", [NEW_ARAB])
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    assert run_cli("index", "add", repo / "corpus", "--index", repo / ".dedup" / "index.sqlite",
                   "-q").exit_code == 0
    shutil.copy(SEEDS / f"{SOLVE_ISRAEL}.txt", repo / "corpus")
    git(repo, "add", "-A")
    pre_commit = os.path.join(os.path.dirname(sys.executable), "pre-commit")
    # One run: try-repo installs the hook's environment (dedup and its dependencies) from
    # scratch every time, which takes tens of seconds.
    done = subprocess.run(
        [pre_commit, "try-repo", str(project), "dedup-check", "--files",
         f"corpus/{SOLVE_ISRAEL}.txt", f"corpus/{NEW_ARAB}.txt"],
        cwd=repo, capture_output=True, text=True, check=False,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")},
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "dedup check" in done.stdout and "Failed" in done.stdout
    assert f"corpus/{SOLVE_ISRAEL}.txt: error: {SOLVE_ISRAEL}" in done.stdout
    assert f"shares copy with {NEW_ARAB}" in done.stdout
    assert "1 article checked against 1 indexed article (" in done.stdout
    assert "1 unchanged, not checked again" in done.stdout


@needs_git
def test_since_follows_renames_and_index_add_moves_them(tmp_path: Path) -> None:
    """``git mv``: the article is its old version under a new id. Unchanged, it is not a
    finding (it was reported as a copy of its own old id); edited, it is checked without its
    old version; 'index add --since' moves it (or replaces its old version)."""
    repo = tmp_path / "repo"
    corpus = seed_corpus(repo / "corpus", [NEW_ARAB, INDIAVISION, REWRITE_2016])
    index = repo / ".dedup" / "index.sqlite"
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    assert run_cli("index", "add", corpus, "--index", index, "-q").exit_code == 0
    (corpus / "moved").mkdir()
    git(repo, "mv", f"corpus/{NEW_ARAB}.txt", "corpus/moved/arab.txt")
    git(repo, "mv", f"corpus/{REWRITE_2016}.txt", "corpus/rewrite.txt")
    with (corpus / "rewrite.txt").open("a", encoding="utf-8") as edited:
        edited.write("\n\nThis story was corrected after publication.\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "move")
    status = git(repo, "diff", "--name-status", "-M", "HEAD~1")
    assert f"R100\tcorpus/{NEW_ARAB}.txt\tcorpus/moved/arab.txt" in status

    result = run_cli("check", corpus, "--since", "HEAD~1", "--index", index, "-q",
                     "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"checked": 1, "findings": []}  # rewrite.txt only
    text = run_cli("check", corpus, "--since", "HEAD~1", "--index", index, "-q")
    assert "1 moved, not checked again" in text.stdout

    other = tmp_path / "other.sqlite"  # check --add applies the renames as index add does
    shutil.copy(index, other)
    assert run_cli("check", corpus, "--since", "HEAD~1", "--index", other, "-q",
                   "--add").exit_code == 0
    with sqlite3.connect(other) as conn:
        assert sorted(r[0] for r in conn.execute("SELECT id FROM articles")) == sorted(
            [INDIAVISION, "moved/arab", "rewrite"])
    added = run_cli("index", "add", corpus, "--since", "HEAD~1", "--index", index, "-q")
    assert added.exit_code == 0, added.output
    assert "0 added, 1 replaced, 1 moved, 0 unchanged; 3 articles indexed" in added.stdout
    with sqlite3.connect(index) as conn:
        ids = sorted(r[0] for r in conn.execute("SELECT id FROM articles"))
    assert ids == sorted([INDIAVISION, "moved/arab", "rewrite"])
    # Moved, the article is found as before under its new id, and nothing under its old one.
    copy = run_cli("check", SEEDS / f"{SOLVE_ISRAEL}.txt", "--index", index, "-q",
                   "--format", "json")
    matches = [m["id"] for f in json.loads(copy.stdout)["findings"] for m in f["matches"]]
    assert matches == ["moved/arab"]
    assert run_cli("index", "verify", "--index", index).exit_code == 0
