"""The GitHub Action's shell steps (scripts/dedup-action.sh), run on a throwaway git repository
whose history looks like a pull request's: a base branch, a feature branch off it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import NEW_ARAB, ROOT, SEEDS, SOLVE_ISRAEL

SCRIPT = ROOT / "scripts" / "dedup-action.sh"
UNRELATED = (
    "Heavy rain is expected across the northern valleys this weekend, forecasters said on "
    "Friday, with rivers likely to rise after a dry month.\n\nFarmers welcomed the change in "
    "the weather after weeks of drought that had left reservoirs at their lowest level in a "
    "decade, the regional water board said in a statement.\n"
)

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True, env={**os.environ, "GIT_AUTHOR_NAME": "t",
                                           "GIT_AUTHOR_EMAIL": "t@example.org",
                                           "GIT_COMMITTER_NAME": "t",
                                           "GIT_COMMITTER_EMAIL": "t@example.org"})
    return done.stdout


def run_action(repo: Path, event: str, base_ref: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEDUP_PATHS": "corpus", "DEDUP_EVENT": event,
           "DEDUP_BASE_REF": base_ref, "DEDUP_FORMAT": "text",
           "DEDUP_BIN": str(Path(sys.executable).parent / "dedup")}
    return subprocess.run(["bash", str(SCRIPT)], cwd=repo, capture_output=True, text=True,
                          env=env, check=False)


def base_repo(tmp_path: Path) -> Path:
    """main holds one seed article; the feature branch is made by each test."""
    repo = tmp_path / "repo"
    (repo / "corpus").mkdir(parents=True)
    shutil.copy(SEEDS / f"{NEW_ARAB}.txt", repo / "corpus")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo


def branch_with(repo: Path, name: str, text: str) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "corpus" / name).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "add an article")


@needs_git
def test_pull_request_copying_the_corpus_fails_without_a_cached_index(tmp_path: Path) -> None:
    repo = base_repo(tmp_path)
    branch_with(repo, f"{SOLVE_ISRAEL}.txt",
                (SEEDS / f"{SOLVE_ISRAEL}.txt").read_text(encoding="utf-8"))
    done = run_action(repo, "pull_request", "main")
    assert done.returncode == 1, done.stdout + done.stderr
    # The index was built from main's articles first, so the copy of main's article is found.
    assert "building it from main's articles" in done.stderr
    assert SOLVE_ISRAEL in done.stdout and NEW_ARAB in done.stdout
    assert (repo / ".dedup" / "index.sqlite").is_file()


@needs_git
def test_pull_request_with_a_new_story_passes(tmp_path: Path) -> None:
    repo = base_repo(tmp_path)
    branch_with(repo, "weather.txt", UNRELATED)
    done = run_action(repo, "pull_request", "main")
    assert done.returncode == 0, done.stdout + done.stderr


@needs_git
def test_push_adds_the_articles_then_a_pull_request_uses_that_index(tmp_path: Path) -> None:
    repo = base_repo(tmp_path)
    pushed = run_action(repo, "push")
    assert pushed.returncode == 0, pushed.stderr
    index = repo / ".dedup" / "index.sqlite"
    assert index.is_file()
    branch_with(repo, f"{SOLVE_ISRAEL}.txt",
                (SEEDS / f"{SOLVE_ISRAEL}.txt").read_text(encoding="utf-8"))
    checked = run_action(repo, "pull_request", "main")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "building it" not in checked.stderr  # the restored index was used


@needs_git
def test_missing_base_branch_is_a_set_up_error(tmp_path: Path) -> None:
    repo = base_repo(tmp_path)
    done = run_action(repo, "pull_request", "no-such-branch")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("dedup-action: base branch")


def test_action_runs_the_tested_script_with_every_input() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    script_steps = [s for s in steps if "dedup-action.sh" in s.get("run", "")]
    assert len(script_steps) == 1
    env = script_steps[0]["env"]
    for name in action["inputs"]:
        if name != "python-version":
            assert any(f"inputs.{name}" in value for value in env.values()), name


def test_action_cache_key_names_the_index_format() -> None:
    # A cached index of an older format would be refused (exit 2) on every run: the key
    # carries the format version so that a new format starts a new cache and is rebuilt.
    from dedup.index import FORMAT_VERSION

    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    caches = [s["with"] for s in action["runs"]["steps"] if "actions/cache" in s.get("uses", "")]
    assert len(caches) == 2
    for cache in caches:
        assert cache["key"].startswith(f"dedup-index-v{FORMAT_VERSION}-")
        assert cache.get("restore-keys", f"dedup-index-v{FORMAT_VERSION}-") == (
            f"dedup-index-v{FORMAT_VERSION}-")
