"""The persistent index and ``dedup check`` on the labelled corpus, at ~20k and 1M articles.

``python -m benchmarks.index_bench [--stories 600] [--seed 13] [--sizes 1000000]
[--reuters DIR | --base-jsonl FILE] [--out benchmarks/out/index_bench] [--quick]``

1. **Corpus.** The labelled corpus of ``benchmarks.generate`` (same seed and stories as the
   main benchmark, test templates).
2. **Held out.** For every gold cluster, one copy (never the wire original) is held out:
   the member with the smallest ``xxh64("<seed>:<id>")`` among the non-originals. Also held
   out, as negatives (articles that copy nothing in the index): every ``rewrite-negative``
   and ``same-event-negative``, and one in ``NEGATIVE_SAMPLE`` of the ``brief-negative`` and
   ``singleton`` articles (by the same hash). Their stories' clusters, same-event partners
   and so on stay in the index.
3. **Background.** Every other Reuters-21578 story, i.e. every story that is not the source,
   base story or same-event partner of a corpus article, is indexed too, as wire copy
   (outlet "Reuters"). Reuters-21578 holds its own near-duplicates (repeated and corrected
   stories); a story the generator's own rule would call a near-duplicate of a corpus story
   (more than 20% of either's word 8-grams shared, ``generate.NgramGate``) would be a copy
   that the gold does not know about, so those are left out, and counted.
4. **Index.** Everything except the held-out articles is indexed with the real CLI,
   ``dedup index add indexed.jsonl`` (one transaction), as a child process: wall time and
   peak RSS. Larger sizes (``--sizes``, total articles) add synthetic scale-up articles
   (``benchmarks.scale``) to a copy of that index with ``Index.add`` in batches of
   ``--build-batch`` (one transaction each, as a growing CI index gets them), in a child
   process. That index is built once and cached under ``--out`` with its build time; it is
   reused only if its inputs match and a sample of its articles, re-keyed by the current
   code, gives the stored band keys (so a code change that alters keys forces a rebuild).
5. **Check.** The held-out articles, shuffled (seeded), are checked in batches of
   ``--batch`` (default 100) with ``dedup.check.check_articles``, in this process: per-batch
   wall time. Then the CLI, ``dedup check batch.jsonl --format json``, on the first batch as
   a child process: once with the index evicted from the page cache (``posix_fadvise``
   DONTNEED: cold) and ``--warm-runs`` times after (warm); and on a batch of negatives
   only, whose exit code should be 0. And the start-up: the modules the check imports,
   timed in ``--warm-runs`` fresh interpreters, with the heavy libraries among them.
6. **Score.** Recall: held-out copies with at least one match in their own gold cluster /
   held-out copies. Precision: reported matches in the article's gold cluster / all
   reported matches (a negative's matches are all wrong); also the mean per-article
   precision over flagged articles. Negatives: how many got a finding. By copy kind, with
   examples of misses and wrong matches.

Results: ``<out>/results.json`` and ``results.md``; ``benchmarks.run`` runs this as a step.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import xxhash

from benchmarks.common import (
    OUT_DIR,
    REPO_ROOT,
    load_base_articles,
    write_json,
    write_jsonl,
)

INDEX_OUT = OUT_DIR / "index_bench"
DEFAULT_SIZES = "1000000"
QUICK_SIZES = ""  # --quick: the benchmark index only
NEGATIVE_SAMPLE = 4  # one in this many brief-negatives and singletons is held out
ALL_NEGATIVES = ("rewrite-negative", "same-event-negative")
SAMPLED_NEGATIVES = ("brief-negative", "singleton")
NEGATIVE_KINDS = (*ALL_NEGATIVES, *SAMPLED_NEGATIVES)
BUILD_VERSION = 1  # bump when the way the large index is built changes
VERIFY_SAMPLE = 200  # indexed articles re-keyed to decide whether a cached index is current


def _rank(seed: int, aid: str) -> int:
    return xxhash.xxh64_intdigest(f"{seed}:{aid}".encode())


def _rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(p)


# --------------------------------------------------------------------------------------------
# Held-out split and background
# --------------------------------------------------------------------------------------------


def split_corpus(gold: dict[str, Any], seed: int) -> dict[str, Any]:
    """Held-out copies (id -> its gold cluster), held-out negatives, and the rest (indexed)."""
    kinds = {aid: g["kind"] for aid, g in gold["articles"].items()}
    copies: dict[str, list[str]] = {}
    for cluster in gold["clusters"]:
        candidates = [a for a in cluster if kinds[a] != "original"]
        if not candidates:
            continue
        held = min(candidates, key=lambda a: (_rank(seed, a), a))
        copies[held] = sorted(cluster)
    negatives = sorted(
        aid for aid, kind in kinds.items()
        if kind in ALL_NEGATIVES
        or (kind in SAMPLED_NEGATIVES and _rank(seed, aid) % NEGATIVE_SAMPLE == 0)
    )
    held_out = set(copies) | set(negatives)
    return {"copies": dict(sorted(copies.items())), "negatives": negatives,
            "indexed": sorted(a for a in kinds if a not in held_out)}


def corpus_reuters_ids(gold: dict[str, Any]) -> set[str]:
    """Reuters ids the corpus uses: sources, base stories, same-event partners."""
    used: set[str] = set()
    for g in gold["articles"].values():
        for key in ("source", "story", "related_to"):
            if g.get(key):
                used.add(str(g[key]))
    return used


def background_stories(base: list[dict[str, Any]], gold: dict[str, Any]
                       ) -> tuple[list[dict[str, Any]], list[str]]:
    """Reuters stories the corpus does not use, minus near-duplicates of the ones it uses
    (the generator's NgramGate rule). Returns (articles to index, excluded ids)."""
    from benchmarks.generate import NgramGate, to_story

    used = corpus_reuters_ids(gold)
    gate = NgramGate(0.2)
    for row in base:
        if str(row["id"]) in used:
            gate.add(to_story(row).grams)
    keep, excluded = [], []
    for row in base:
        aid = str(row["id"])
        if aid in used:
            continue
        grams = to_story(row).grams
        if grams and not gate.admissible(grams):
            excluded.append(aid)
            continue
        keep.append({"id": aid, "text": row["text"], "title": row.get("title") or None,
                     "outlet": "Reuters", "date": row.get("date"), "url": None})
    return keep, excluded


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def score_check(findings: dict[str, Sequence[str]], copies: dict[str, Sequence[str]],
                negatives: Sequence[str], kinds: dict[str, str] | None = None,
                examples: int = 5) -> dict[str, Any]:
    """Score the matches of a check of held-out articles.

    ``findings``: id -> ids of its matches, for every held-out article with a finding.
    ``copies``: held-out copy id -> the ids of its gold cluster; ``negatives``: held-out
    ids that copy nothing. ``kinds``: id -> generator kind, for the breakdown.
    """
    kinds = kinds or {}
    cluster_of = {aid: set(members) for aid, members in copies.items()}
    neg = set(negatives)
    hits = 0
    right = reported = 0
    per_article: list[float] = []
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    missed: list[dict[str, Any]] = []
    wrong: list[dict[str, Any]] = []
    for aid in sorted(cluster_of):
        gold = cluster_of[aid] - {aid}
        matches = list(findings.get(aid, ()))
        good = [m for m in matches if m in gold]
        kind = kinds.get(aid, "?")
        by_kind[kind]["held_out"] += 1
        by_kind[kind]["hit"] += bool(good)
        by_kind[kind]["matches"] += len(matches)
        by_kind[kind]["right"] += len(good)
        hits += bool(good)
        right += len(good)
        reported += len(matches)
        if matches:
            per_article.append(len(good) / len(matches))
        if not good:
            missed.append({"id": aid, "kind": kind, "matches": matches,
                           "cluster": sorted(gold)})
        bad = [m for m in matches if m not in gold]
        if bad:
            wrong.append({"id": aid, "kind": kind, "wrong": bad,
                          "wrong_kinds": [kinds.get(m, "background") for m in bad]})
    wrong_pairs = [[w["id"], m] for w in wrong for m in w["wrong"]]
    flagged_negatives = []
    for aid in sorted(neg):
        matches = list(findings.get(aid, ()))
        kind = kinds.get(aid, "?")
        by_kind[kind]["held_out"] += 1
        by_kind[kind]["flagged"] += bool(matches)
        by_kind[kind]["matches"] += len(matches)
        reported += len(matches)
        if matches:
            per_article.append(0.0)
            wrong_pairs += [[aid, m] for m in matches]
            flagged_negatives.append({"id": aid, "kind": kind, "matches": matches,
                                      "match_kinds": [kinds.get(m, "background")
                                                      for m in matches]})
    return {
        "copies": len(cluster_of),
        "negatives": len(neg),
        "recall": hits / len(cluster_of) if cluster_of else None,
        "precision": right / reported if reported else None,
        "per_article_precision": (sum(per_article) / len(per_article)) if per_article else None,
        "matches_reported": reported,
        "matches_right": right,
        "copies_hit": hits,
        "negatives_flagged": len(flagged_negatives),
        "by_kind": {k: dict(v) for k, v in sorted(by_kind.items())},
        "missed": missed[:examples],
        "missed_total": len(missed),
        "wrong": wrong[:examples],
        "wrong_total": len(wrong),
        "flagged_negatives": flagged_negatives[:examples],
        "wrong_pairs": wrong_pairs,
    }


RUN_WORDS = (8, 20)  # shared runs of words counted for the wrong matches


def explain_wrong(score: dict[str, Any], content: dict[str, str]) -> dict[str, Any]:
    """How many wrong matches share a run of >= 8 (and >= 20) words with the article,
    comparing wire texts (``content``: the Reuters story an article was made from, else
    its text), so chrome shared by two articles of one outlet does not count."""
    from benchmarks.common import longest_common_run, words

    cache: dict[str, list[str]] = {}

    def toks(aid: str) -> list[str]:
        if aid not in cache:
            cache[aid] = words(content.get(aid, ""))
        return cache[aid]

    runs = [longest_common_run(toks(a), toks(m)) for a, m in score["wrong_pairs"]]
    return {"wrong_matches": len(runs),
            **{f"sharing_{n}_words": sum(r >= n for r in runs) for n in RUN_WORDS},
            "longest_runs": sorted(runs, reverse=True)[:10]}


# --------------------------------------------------------------------------------------------
# Building indexes
# --------------------------------------------------------------------------------------------


def _article(row: dict[str, Any], origin: str) -> Any:
    from dedup.load import Article

    def opt(key: str) -> str | None:
        v = row.get(key)
        return None if v is None else str(v)

    return Article(str(row["id"]), str(row["text"]), opt("title"), opt("outlet"), opt("date"),
                   opt("url"), origin)


def _iter_jsonl(path: Path, skip: int, limit: int) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        n = 0
        for line in fh:
            if not line.strip():
                continue
            if n >= skip + limit:
                return
            if n >= skip:
                yield json.loads(line)
            n += 1


def build_child(index: str, jsonl: str, skip: int, limit: int, batch: int, out: str) -> int:
    """Child process: add ``limit`` articles of ``jsonl`` (after ``skip``) to ``index`` with
    ``Index.add``, ``batch`` per call (one transaction each); per-batch times to ``out``."""
    from dedup.index import open_index

    rows: list[dict[str, Any]] = []
    batches: list[dict[str, Any]] = []
    start = time.perf_counter()

    def flush(idx: Any) -> None:
        t = time.perf_counter()
        res = idx.add([_article(r, jsonl) for r in rows])
        wall = time.perf_counter() - t
        batches.append({"articles": len(rows), "wall_s": round(wall, 2), "total": res.total})
        print(f"  build: {res.total:,} indexed, batch of {len(rows):,} in {wall:.1f}s "
              f"({len(rows) / wall:.0f}/s)", flush=True)
        rows.clear()
        write_json(out, {"batches": batches, "wall_s": round(time.perf_counter() - start, 2)})

    with open_index(index, create=True) as idx:
        for row in _iter_jsonl(Path(jsonl), skip, limit):
            rows.append(row)
            if len(rows) >= batch:
                flush(idx)
        if rows:
            flush(idx)
    write_json(out, {"batches": batches, "wall_s": round(time.perf_counter() - start, 2)})
    return 0


def evict(path: Path) -> None:
    """Drop the index's pages from the OS page cache (a cold start, for this file only)."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if not p.exists() or not hasattr(os, "posix_fadvise"):
            continue
        fd = os.open(p, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def index_files_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def index_is_current(path: Path, sample: int = VERIFY_SAMPLE, seed: int = 0,
                     window: int = 1000) -> bool:
    """Re-key a sample of the indexed articles with the current code: same band keys?

    The sample comes from the ``window`` articles added last. Band keys no longer depend
    on the index's recurrence counts (issue 19), so any article would do; an index keyed
    by older code still has its older articles keyed against the counts of their day.
    """
    import numpy as np

    from dedup.index import open_index
    from dedup.load import InputError

    try:
        with open_index(str(path)) as idx, idx.snapshot():
            conn = idx._conn
            last = [pk for (pk,) in conn.execute(
                "SELECT article FROM articles ORDER BY article DESC LIMIT ?", (window,))]
            pks = sorted(random.Random(seed).sample(last, min(sample, len(last))))
            stored = idx.load(pks)
            blobs = {pk: blob for pk, blob in conn.execute(
                f"SELECT article, band_keys FROM articles WHERE article IN "
                f"({','.join(str(s.pk) for s in stored) or 'NULL'})")}
            idx.jobs = 1
            prepared = idx.prepare([s.article for s in stored])
            return bool(stored) and all(
                np.array_equal(p.bands.reshape(-1), np.frombuffer(blobs[s.pk], "<i8"))
                for s, p in zip(stored, prepared, strict=True))
    except (InputError, OSError, ValueError, KeyError):
        return False


# --------------------------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------------------------


def check_batches(index: Path, batches: Sequence[Sequence[dict[str, Any]]]
                  ) -> tuple[dict[str, list[str]], list[dict[str, Any]]]:
    """``check_articles`` on each batch in this process: matches by id, per-batch rows."""
    from dedup.check import check_articles
    from dedup.index import open_index
    from dedup.pipeline import Settings

    findings: dict[str, list[str]] = {}
    rows = []
    settings = Settings()
    with open_index(str(index)) as idx:
        for batch in batches:
            articles = [_article(r, "held-out") for r in batch]
            t = time.perf_counter()
            result = check_articles(articles, idx, settings)
            wall = time.perf_counter() - t
            for f in result.findings:
                findings[f.id] = [m.id for m in f.matches]
            rows.append({"articles": len(articles), "wall_s": round(wall, 3),
                         "candidates": result.candidates, "findings": len(result.findings),
                         "indexed": result.indexed})
    return findings, rows


def default_dedup() -> list[str]:
    dedup = REPO_ROOT / ".venv" / "bin" / "dedup"
    return [str(dedup) if dedup.exists() else "dedup"]


def cli_check(index: Path, batch_file: Path, out_dir: Path, tag: str, warm_runs: int,
              timeout: float, dedup: Sequence[str]) -> dict[str, Any]:
    """``dedup check`` as a child process: cold (index evicted from the page cache) once,
    then ``warm_runs`` warm runs."""
    from benchmarks.run import run_child

    cmd = [*dedup, "check", _rel(batch_file), "--index",
           _rel(index), "--format", "json", "--quiet", "-o",
           _rel(out_dir / f"check-{tag}.json")]
    runs = []
    for n in range(1 + warm_runs):
        if n == 0:
            evict(index)
        child = run_child(cmd, out_dir / "logs" / f"check-{tag}-{n}.log", timeout)
        runs.append(child)
    cold, warm = runs[0], runs[1:]
    warm_walls = [r["wall_s"] for r in warm if r["wall_s"] is not None]
    report = None
    with contextlib.suppress(OSError, ValueError):
        report = json.loads((out_dir / f"check-{tag}.json").read_text(encoding="utf-8"))
    return {"cmd": cold["cmd"], "rc": cold["rc"], "cold_s": cold["wall_s"],
            "warm_s": statistics.median(warm_walls) if warm_walls else None,
            "warm_runs": warm_walls, "peak_rss_mb": max((r["peak_rss_mb"] or 0) for r in runs),
            "error": next((r["error"] for r in runs if r["error"] and r["rc"] not in (0, 1)),
                          None),
            "findings": len(report["findings"]) if report else None,
            "checked": report["checked"] if report else None}


# What `dedup check` imports before it reads an article, in a fresh interpreter: its share
# of the CLI's wall time, and whether the heavy libraries it should not need come with it.
_IMPORTS_PROBE = """
import json, sys, time
t = time.perf_counter()
import dedup.cli, dedup.check, dedup.index, dedup.pipeline
wall = time.perf_counter() - t
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"sklearn", "pandas", "pyspark"})
print(json.dumps({"wall_s": round(wall, 3), "heavy": heavy,
                  "scipy_stats": "scipy.stats" in sys.modules}))
"""


def check_imports(runs: int, timeout: float) -> dict[str, Any]:
    """The check path's imports (``dedup.cli``, ``.check``, ``.index``, ``.pipeline``) in
    ``runs`` fresh interpreters: median wall, and the heavy libraries they load."""
    walls, last = [], {}
    for _ in range(max(1, runs)):
        try:
            done = subprocess.run([sys.executable, "-c", _IMPORTS_PROBE], capture_output=True,
                                  text=True, timeout=timeout, check=True, cwd=REPO_ROOT)
        except (OSError, subprocess.SubprocessError) as error:
            return {"error": str(error)}
        last = json.loads(done.stdout.strip().splitlines()[-1])
        walls.append(last["wall_s"])
    return {"median_s": statistics.median(walls), "runs": walls, "heavy": last["heavy"],
            "scipy_stats": last["scipy_stats"]}


def measure_size(label: str, index: Path, batches: list[list[dict[str, Any]]],
                 negative_batch: Path, first_batch: Path, split: dict[str, Any],
                 kinds: dict[str, str], content: dict[str, str], out_dir: Path,
                 warm_runs: int, timeout: float, dedup: Sequence[str]) -> dict[str, Any]:
    from dedup.index import open_index

    with open_index(str(index)) as idx:
        stats = idx.stats()
    print(f"index_bench [{label}]: checking {sum(map(len, batches))} held-out articles in "
          f"{len(batches)} batches against {stats.articles:,} indexed", flush=True)
    load = os.getloadavg()
    t = time.perf_counter()
    findings, rows = check_batches(index, batches)
    total = time.perf_counter() - t
    score = score_check(findings, split["copies"], split["negatives"], kinds)
    score["wrong_explained"] = explain_wrong(score, content)
    walls = [r["wall_s"] for r in rows if r["articles"] == len(batches[0])]
    cli = cli_check(index, first_batch, out_dir, f"{label}-first", warm_runs, timeout, dedup)
    neg = cli_check(index, negative_batch, out_dir, f"{label}-negatives", 0, timeout, dedup)
    res = {
        "label": label,
        "indexed": stats.articles,
        "file_bytes": index_files_bytes(index),
        "band_rows": stats.band_rows,
        "score": score,
        "check_in_process": {"batches": len(rows), "batch_size": len(batches[0]),
                             "median_s": statistics.median(walls) if walls else None,
                             "max_s": max(walls) if walls else None,
                             "total_s": round(total, 2),
                             "candidates_median": statistics.median(
                                 r["candidates"] for r in rows)},
        "check_cli": cli,
        "check_cli_negatives": neg,
        "load_avg": [round(x, 2) for x in load],
    }
    s = score
    print(f"  [{label}] recall {_f(s['recall'])}, precision {_f(s['precision'])}, "
          f"negatives flagged {s['negatives_flagged']}/{s['negatives']}; in-process "
          f"{_f(res['check_in_process']['median_s'], 2)} s per {len(batches[0])}; CLI cold "
          f"{_f(cli['cold_s'], 2)} s, warm {_f(cli['warm_s'], 2)} s; negatives-only CLI exit "
          f"{neg['rc']}", flush=True)
    return res


# --------------------------------------------------------------------------------------------
# The whole benchmark
# --------------------------------------------------------------------------------------------


def _corpus(base: list[dict[str, Any]], stories: int, seed: int, out_dir: Path
            ) -> tuple[list[dict[str, Any]], dict[str, Any], float]:
    from benchmarks.generate import generate_corpus

    t = time.perf_counter()
    articles, gold = generate_corpus(base, stories, seed, "test")
    return articles, gold, time.perf_counter() - t


def _scale_corpus(base: list[dict[str, Any]], size: int, seed: int, out_dir: Path
                  ) -> tuple[Path, dict[str, Any]]:
    from benchmarks.scale import ensure_scale_corpus

    path = out_dir / f"scale-{size}-seed{seed}.jsonl"
    meta, _ = ensure_scale_corpus(base, size, path, seed, progress=True)
    return path, meta


def build_large(base_index: Path, base_meta: dict[str, Any], size: int, base: list[dict[str, Any]],
                seed: int, out_dir: Path, batch: int, timeout: float, rebuild: bool
                ) -> dict[str, Any]:
    """The index of ``size`` articles: the benchmark index plus scale-up articles, cached."""
    from benchmarks.run import run_child
    from dedup.index import FORMAT_VERSION

    path = out_dir / f"index-{size}.sqlite"
    meta_file = out_dir / f"index-{size}.meta.json"
    extra = size - base_meta["articles"]
    scale_path, scale_meta = _scale_corpus(base, size, seed, out_dir)
    key = {"build_version": BUILD_VERSION, "format_version": FORMAT_VERSION, "size": size,
           "base_index": base_meta["fingerprint"], "scale_fingerprint":
           scale_meta["base_fingerprint"], "scale_seed": seed, "scale_bytes": scale_meta["bytes"],
           "extra": extra, "batch": batch}
    try:
        cached = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cached = None
    if (not rebuild and cached and cached.get("key") == key and path.exists()
            and index_is_current(path)):
        print(f"index_bench: reusing {_rel(path)} (built {cached['built_at']}, "
              f"{cached['build']['wall_s']:.0f} s)", flush=True)
        return {**cached, "reused": True}
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    shutil.copyfile(base_index, path)
    print(f"index_bench: building {_rel(path)}: {base_meta['articles']:,} + {extra:,} scale-up "
          f"articles in batches of {batch:,}", flush=True)
    log = out_dir / f"build-{size}.json"
    cmd = [sys.executable, "-m", "benchmarks.index_bench", "--build-child", _rel(path),
           _rel(scale_path), "0", str(extra), str(batch), _rel(log)]
    load = os.getloadavg()
    child = run_child(cmd, out_dir / "logs" / f"build-{size}.log", timeout)
    batches = (json.loads(log.read_text(encoding="utf-8")) if log.exists() else {}).get(
        "batches", [])
    build = {"status": child["status"], "error": child["error"], "wall_s": child["wall_s"],
             "cpu_s": child["cpu_s"], "peak_rss_mb": child["peak_rss_mb"],
             "tree_peak_mb": child["tree_peak_mb"], "articles": extra,
             "articles_per_s": round(extra / child["wall_s"], 1) if child["wall_s"] else None,
             "batches": batches, "load_avg_at_start": [round(x, 2) for x in load]}
    meta = {"key": key, "build": build, "built_at": time.strftime("%Y-%m-%d %H:%M"),
            "file_bytes": index_files_bytes(path), "scale_input": _rel(scale_path)}
    if child["status"] == "ok":
        write_json(meta_file, meta)
    return {**meta, "reused": False}


def run_index_bench(base: list[dict[str, Any]], stories: int, seed: int, sizes: Sequence[int],
                    out_dir: Path, batch: int = 100, build_batch: int = 50_000,
                    warm_runs: int = 3, timeout: float = 7200.0, rebuild: bool = False,
                    dedup: Sequence[str] | None = None) -> dict[str, Any]:
    """The whole benchmark; returns the results (also written to ``out_dir``).

    ``dedup``: the command line of the dedup CLI (default: the venv's)."""
    from benchmarks.run import run_child

    dedup = list(dedup) if dedup else default_dedup()
    out_dir.mkdir(parents=True, exist_ok=True)
    articles, gold, gen_s = _corpus(base, stories, seed, out_dir)
    kinds = {aid: g["kind"] for aid, g in gold["articles"].items()}
    split = split_corpus(gold, seed)
    background, excluded = background_stories(base, gold)
    by_id = {a["id"]: a for a in articles}
    wire = {str(r["id"]): str(r["text"]) for r in base}
    content = {aid: wire.get(str(g.get("source")), by_id[aid]["text"])
               for aid, g in gold["articles"].items()}
    content.update({r["id"]: r["text"] for r in background})
    indexed_rows = [by_id[a] for a in split["indexed"]] + background
    held = [by_id[a] for a in [*split["copies"], *split["negatives"]]]
    random.Random(seed).shuffle(held)
    batches = [held[i : i + batch] for i in range(0, len(held), batch)]
    negatives = [by_id[a] for a in split["negatives"]]
    random.Random(seed + 1).shuffle(negatives)
    indexed_jsonl = out_dir / "indexed.jsonl"
    write_jsonl(indexed_jsonl, indexed_rows)
    first_batch = out_dir / "batch-first.jsonl"
    write_jsonl(first_batch, batches[0])
    negative_batch = out_dir / "batch-negatives.jsonl"
    write_jsonl(negative_batch, negatives[:batch])
    fingerprint = xxhash.xxh64(indexed_jsonl.read_bytes()).hexdigest()
    print(f"index_bench: {len(articles)} corpus articles, {len(split['copies'])} held-out "
          f"copies, {len(split['negatives'])} held-out negatives, {len(background)} background "
          f"stories ({len(excluded)} near-duplicates of corpus stories left out) -> "
          f"{len(indexed_rows):,} to index", flush=True)

    # The benchmark index, with the real CLI in one transaction.
    index = out_dir / "index-base.sqlite"
    for p in (index, Path(f"{index}-wal"), Path(f"{index}-shm")):
        p.unlink(missing_ok=True)
    load = os.getloadavg()
    child = run_child([*dedup, "index", "add",
                       _rel(indexed_jsonl), "--index", _rel(index), "--quiet"],
                      out_dir / "logs" / "index-add.log", timeout)
    base_build = {"articles": len(indexed_rows), "status": child["status"],
                  "error": child["error"], "wall_s": child["wall_s"], "cpu_s": child["cpu_s"],
                  "peak_rss_mb": child["peak_rss_mb"], "tree_peak_mb": child["tree_peak_mb"],
                  "articles_per_s": (round(len(indexed_rows) / child["wall_s"], 1)
                                     if child["wall_s"] else None),
                  "file_bytes": index_files_bytes(index),
                  "load_avg_at_start": [round(x, 2) for x in load]}
    results: dict[str, Any] = {
        "seed": seed, "stories": stories, "batch": batch, "corpus_articles": len(articles),
        "corpus_seconds": round(gen_s, 1), "held_out_copies": len(split["copies"]),
        "held_out_negatives": len(split["negatives"]),
        "held_out_negative_kinds": dict(Counter(kinds[a] for a in split["negatives"])),
        "background": len(background), "background_excluded": len(excluded),
        "indexed": len(indexed_rows), "base_build": base_build, "sizes": [],
    }
    if child["status"] != "ok":
        print(f"index_bench: index add failed: {child['error']}", flush=True)
        results["error"] = f"dedup index add failed: {child['error']}"
        write_json(out_dir / "results.json", results)
        return results
    results["sizes"].append(measure_size("base", index, batches, negative_batch, first_batch,
                                         split, kinds, content, out_dir, warm_runs, timeout,
                                         dedup))
    results["check_imports"] = check_imports(warm_runs, timeout)
    write_json(out_dir / "results.json", results)  # kept up to date: large builds are long
    base_meta = {"articles": len(indexed_rows), "fingerprint": fingerprint}
    for size in sizes:
        if size <= len(indexed_rows):
            continue
        large = build_large(index, base_meta, size, base, seed, out_dir, build_batch, timeout,
                            rebuild)
        entry: dict[str, Any] = {"size": size, "build": large["build"],
                                 "built_at": large.get("built_at"), "reused": large["reused"],
                                 "scale_input": large.get("scale_input")}
        if large["build"]["status"] == "ok":
            entry.update(measure_size(str(size), out_dir / f"index-{size}.sqlite", batches,
                                      negative_batch, first_batch, split, kinds, content,
                                      out_dir, warm_runs, timeout, dedup))
        else:
            entry["error"] = large["build"]["error"]
        results["sizes"].append(entry)
        write_json(out_dir / "results.json", results)
    write_json(out_dir / "results.json", results)
    (out_dir / "results.md").write_text(index_markdown(results), encoding="utf-8")
    return results


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def _f(v: Any, digits: int = 3) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def _mb(v: Any) -> str:
    return "n/a" if v is None else f"{v / 1e6:,.0f}"


def index_markdown(res: dict[str, Any]) -> str:
    negs = ", ".join(f"{k} {v}" for k, v in sorted(res["held_out_negative_kinds"].items()))
    out = [
        f"Corpus seed {res['seed']}, {res['stories']} stories ({res['corpus_articles']:,} "
        f"articles). Held out: {res['held_out_copies']} copies (one non-original per gold "
        f"cluster) and {res['held_out_negatives']} negatives ({negs}). Indexed: the rest of "
        f"the corpus and {res['background']:,} other Reuters-21578 stories as background "
        f"({res['background_excluded']} near-duplicates of corpus stories left out) = "
        f"{res['indexed']:,} articles. Checked in batches of {res['batch']}.",
        "",
    ]
    b = res["base_build"]
    out += ["| index | articles | build | build s | articles/s | peak RSS MB | file MB |",
            "|---|---|---|---|---|---|---|",
            f"| benchmark | {b['articles']:,} | `dedup index add` (CLI, one transaction) | "
            f"{_f(b['wall_s'], 1)} | {_f(b['articles_per_s'], 1)} | {_f(b['peak_rss_mb'], 1)} | "
            f"{_mb(b['file_bytes'])} |"]
    for s in res["sizes"]:
        if "build" not in s:
            continue
        bb = s["build"]
        how = (f"benchmark index + {bb['articles']:,} scale-up articles, `Index.add` in "
               f"batches of {bb['batches'][0]['articles'] if bb['batches'] else '?'}"
               + (f" (cached, built {s['built_at']})" if s.get("reused") else ""))
        rates = [b["articles"] / b["wall_s"] for b in bb["batches"] if b["wall_s"]]
        if len(rates) > 1:
            how += f"; first batch {rates[0]:.0f}/s, last {rates[-1]:.0f}/s"
        out.append(f"| {s['size']:,} | {s.get('indexed', s['size']):,} | {how} | "
                   f"{_f(bb['wall_s'], 0)} | {_f(bb['articles_per_s'], 1)} | "
                   f"{_f(bb['peak_rss_mb'], 1)} | {_mb(s.get('file_bytes'))} |")
    out += ["", "| indexed | recall | precision | per-article precision | negatives flagged | "
            "check 100, in-process s (median / max) | CLI cold s | CLI warm s | CLI peak RSS MB "
            "| negatives-only CLI exit | load avg |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for s in res["sizes"]:
        if "score" not in s:
            continue
        sc, ip, cli = s["score"], s["check_in_process"], s["check_cli"]
        out.append(
            f"| {s['indexed']:,} | {_f(sc['recall'])} ({sc['copies_hit']}/{sc['copies']}) | "
            f"{_f(sc['precision'])} ({sc['matches_right']}/{sc['matches_reported']}) | "
            f"{_f(sc['per_article_precision'])} | {sc['negatives_flagged']}/{sc['negatives']} | "
            f"{_f(ip['median_s'], 2)} / {_f(ip['max_s'], 2)} | {_f(cli['cold_s'], 2)} | "
            f"{_f(cli['warm_s'], 2)} | {_f(cli['peak_rss_mb'], 1)} | "
            f"{s['check_cli_negatives']['rc']} | {' '.join(map(str, s['load_avg']))} |")
    imports = res.get("check_imports")
    if imports and "median_s" in imports:
        heavy = ", ".join(imports["heavy"] + (["scipy.stats"] if imports["scipy_stats"] else []))
        out.append(f"\nStart-up: the modules `dedup check` imports take {imports['median_s']:.2f}"
                   f" s in a fresh interpreter (median of {len(imports['runs'])}; part of every"
                   f" CLI wall above); heavy libraries among them: {heavy or 'none'}.")
    for s in res["sizes"]:
        w = s.get("score", {}).get("wrong_explained")
        if w and w["wrong_matches"]:
            out.append(f"\n{s['indexed']:,} indexed: of the {w['wrong_matches']} wrong matches, "
                       f"{w['sharing_8_words']} share a run of at least 8 words with the article "
                       f"(wire texts compared), {w['sharing_20_words']} of at least 20.")
    base = next((s for s in res["sizes"] if "score" in s), None)
    if base:
        out += ["", "By kind (benchmark index): held out, recall (copies) or flagged "
                "(negatives), precision of the reported matches:", "",
                "| kind | held out | recall / flagged | precision |", "|---|---|---|---|"]
        for kind, c in base["score"]["by_kind"].items():
            if kind in NEGATIVE_KINDS:
                rate = f"{c.get('flagged', 0)} flagged"
            else:
                rate = _f(c.get("hit", 0) / c["held_out"])
            prec = _f(c.get("right", 0) / c["matches"]) if c.get("matches") else "n/a"
            out.append(f"| {kind} | {c['held_out']} | {rate} | {prec} |")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def parse_sizes(spec: str) -> list[int]:
    try:
        sizes = sorted({int(x) for x in spec.replace("_", "").split(",") if x.strip()})
    except ValueError:
        raise SystemExit(f"error: --index-sizes must be a comma list of integers: {spec!r}") \
            from None
    if any(s < 1 for s in sizes):  # an empty list is fine: the benchmark index only
        raise SystemExit(f"error: --index-sizes needs positive sizes: {spec!r}")
    return sizes


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.index_bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stories", type=int, default=None, help="default 600 (--quick: 20)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--reuters", default=None)
    ap.add_argument("--base-jsonl", default=None)
    ap.add_argument("--out", default=str(INDEX_OUT))
    ap.add_argument("--sizes", default=None,
                    help=f"total indexed articles of the larger indexes (default {DEFAULT_SIZES}; "
                         f"--quick {QUICK_SIZES}); the benchmark index itself is always measured")
    ap.add_argument("--batch", type=int, default=100, help="articles per check")
    ap.add_argument("--build-batch", type=int, default=50_000,
                    help="articles per Index.add when building the larger indexes")
    ap.add_argument("--warm-runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=7200.0)
    ap.add_argument("--rebuild", action="store_true", help="rebuild cached large indexes")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--build-child", nargs=6, help=argparse.SUPPRESS)
    args = ap.parse_args(list(argv) if argv is not None else None)
    if args.build_child:
        index, jsonl, skip, limit, batch, out = args.build_child
        return build_child(index, jsonl, int(skip), int(limit), int(batch), out)
    base = load_base_articles(args.reuters, args.base_jsonl, 1 if args.quick else None)
    sizes = parse_sizes(args.sizes if args.sizes is not None
                        else (QUICK_SIZES if args.quick else DEFAULT_SIZES))
    stories = args.stories if args.stories is not None else (20 if args.quick else 600)
    res = run_index_bench(base, stories, args.seed, sizes, Path(args.out), args.batch,
                          args.build_batch, args.warm_runs, args.timeout, args.rebuild)
    print(index_markdown(res))
    return 0 if not res.get("error") else 1


if __name__ == "__main__":
    sys.exit(main())
