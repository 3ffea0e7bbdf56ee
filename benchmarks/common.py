"""Shared helpers for the benchmark harness: paths, tokenising, n-grams, JSONL, union-find."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import xxhash

REPO_ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = REPO_ROOT / "benchmarks" / "out"
# Reuters-21578: --reuters DIR, else $DEDUP_REUTERS, else beside this repository's checkout.
REUTERS_ENV = "DEDUP_REUTERS"
SHARED_REUTERS = REPO_ROOT.parent / "shared" / "data" / "reuters21578"
REUTERS_SOURCE = ("Reuters-21578 (reut2-*.sgm) is at the UCI Machine Learning Repository, "
                  "https://archive.ics.uci.edu/dataset/137/reuters+21578+text+categorization+collection")


def default_reuters() -> Path:
    """Where Reuters-21578 is looked for when no --reuters is given."""
    env = os.environ.get(REUTERS_ENV)
    return Path(env) if env else SHARED_REUTERS


DEFAULT_REUTERS = default_reuters()

_WORD_RE = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lowercased words with punctuation stripped (the unit of all n-gram checks)."""
    return _WORD_RE.findall(text.lower())


def ngram_hashes(tokens: list[str], n: int = 8) -> set[int]:
    """Deterministic 64-bit hashes of the word n-grams of ``tokens``."""
    if len(tokens) < n:
        return set()
    h = xxhash.xxh64_intdigest
    return {h(" ".join(tokens[i : i + n]).encode()) for i in range(len(tokens) - n + 1)}


def longest_common_run(a: list[str], b: list[str]) -> int:
    """Length of the longest run of consecutive words shared by ``a`` and ``b``."""
    best = 0
    prev = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        cur = [0] * (len(b) + 1)
        ai = a[i - 1]
        for j in range(1, len(b) + 1):
            if ai == b[j - 1]:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best = cur[j]
        prev = cur
    return best


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return rows


def write_jsonl(path: str | Path, rows: Iterable[dict[str, Any]]) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_json(path: str | Path, obj: Any, indent: int | None = 1) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(obj, fh, ensure_ascii=False, indent=indent, sort_keys=True)
        fh.write("\n")


def load_texts(path: str | Path) -> dict[str, str]:
    """Article texts by id from a JSONL file of articles or a directory of ``*.txt`` files.

    Directory files are read exactly (``newline=""``), ids are the file stems.
    """
    p = Path(path)
    if p.is_dir():
        return {
            f.stem: f.open(encoding="utf-8", newline="").read() for f in sorted(p.glob("*.txt"))
        }
    return {str(row["id"]): row["text"] for row in read_jsonl(p)}


class UnionFind:
    """Union-find over arbitrary hashable keys (path halving, union by size)."""

    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}
        self.size: dict[Any, int] = {}

    def find(self, x: Any) -> Any:
        parent = self.parent
        if x not in parent:
            parent[x] = x
            self.size[x] = 1
            return x
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: Any, b: Any) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]

    def groups(self, keys: Iterable[Any]) -> list[list[Any]]:
        """Groups of ``keys`` (each sorted), sorted, singletons included."""
        by_root: dict[Any, list[Any]] = {}
        for k in keys:
            by_root.setdefault(self.find(k), []).append(k)
        return sorted(sorted(g) for g in by_root.values())


def fail(message: str, code: int = 2) -> None:
    """Print one clear line to stderr and exit."""
    print(message, file=sys.stderr)
    raise SystemExit(code)


def load_base_articles(reuters: str | Path | None = None, base_jsonl: str | Path | None = None,
                       max_files: int | None = None) -> list[dict[str, Any]]:
    """Base stories from ``--base-jsonl`` or the Reuters-21578 SGML directory.

    Exits with status 2 and one line on stderr if neither is available.
    """
    from benchmarks.reuters import iter_reuters

    if base_jsonl is not None:
        p = Path(base_jsonl)
        if not p.is_file():
            fail(f"error: base JSONL not found: {p}")
        rows = read_jsonl(p)
        for row in rows:
            if "id" not in row or "text" not in row:
                fail(f"error: {p}: every line needs 'id' and 'text' fields")
            row["id"] = str(row["id"])
            row.setdefault("title", "")
        return rows
    p = Path(reuters) if reuters is not None else default_reuters()
    if not p.is_dir() or not sorted(p.glob("reut2-*.sgm")):
        fail(
            f"error: no Reuters-21578 data at {p}: {REUTERS_SOURCE}; point at its directory "
            f"with --reuters DIR, make bench REUTERS=DIR or {REUTERS_ENV}=DIR "
            "(or pass --base-jsonl FILE with id/text/title lines)"
        )
    return list(iter_reuters(p, max_files))


def iter_chunks(seq: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]
