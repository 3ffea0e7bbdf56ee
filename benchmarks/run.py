"""Run the whole benchmark: corpus, dedup, baselines, seeds, speed, scaling; write results.

``python -m benchmarks.run`` (what ``make bench`` calls) does, in one run:

1. regenerate the labelled corpus (``--stories``, default 600) into benchmarks/out/corpus;
2. run ``.venv/bin/dedup cluster benchmarks/out/corpus/articles.jsonl --format json -o
   benchmarks/out/dedup.json`` as a child process (wall time and the child's peak RSS from
   ``os.wait4``) and the baselines (benchmarks.baselines, each its own child process);
3. score everything with benchmarks.score, also dedup on seeds/ against seeds_gold.json;
4. time dedup against the plain datasketch pipeline on all Reuters stories as JSONL
   (benchmarks/out/reuters.jsonl): articles/s, MB/s, peak RSS;
5. time dedup's pipeline stage by stage on the same file, in one child process
   (``dedup_stage_timings``, from the timings dedup.pipeline.analyze records), and the
   signature stage alone on one core against its arithmetic bound (benchmarks.signature_bench);
6. scaling: for each of ``--scale-sizes`` (default 19043,100000,1000000) generate or reuse a
   synthetic scale-up (benchmarks.scale) and time dedup and the datasketch pipeline on it,
   each under a time limit (``--scale-timeout``) and a memory limit (``--scale-mem-gb``);
   plot time and memory against size (benchmarks/out/scaling.png) and fit time ~ words^k;
7. the persistent index and ``dedup check`` (benchmarks.index_bench): held-out copies and
   negatives of the corpus checked against the rest of it plus all other Reuters stories
   (~20k articles), and against a 1M-article index (``--index-sizes``, built once and
   cached); ``--no-index-bench`` skips it;
7b. long articles (benchmarks.long_bench): an excerpt and its source of 0.5-2 MB, and one
   10 MB article, against the same bytes as ordinary articles; ``--skip-long`` skips it;
8. write benchmarks/out/results.json and benchmarks/out/results.md (``--update-readme``:
   also into benchmarks/README.md, and the plot to docs/scaling.png).

If the dedup CLI fails, its rows carry the error and the run goes on; a run over a limit
is killed and recorded as such. ``--quick`` is a seconds-long smoke run (tiny corpus from
the first SGML file, no Reuters speed test, scale-ups of 500 and 2000 articles).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import platform
import shlex
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.baselines import TEXTDEDUP_VENV, run_baseline
from benchmarks.common import (
    OUT_DIR,
    REPO_ROOT,
    load_base_articles,
    load_texts,
    write_json,
    write_jsonl,
)
from benchmarks.generate import generate_corpus, summarize
from benchmarks.score import score_report
from benchmarks.signature_bench import signature_table
from benchmarks.summary import summary_markdown, update_top_readme

DEFAULT_BASELINES = "minhash@0.3,minhash@0.5,tfidf@0.3,tfidf@0.5,tfidf@0.7,textdedup@0.5"
SEEDS_DIR = REPO_ROOT / "seeds"
SEEDS_GOLD = Path(__file__).resolve().parent / "seeds_gold.json"
README = Path(__file__).resolve().parent / "README.md"
RESULTS_START = "<!-- results:start -->"
RESULTS_END = "<!-- results:end -->"


def _rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(p)


def _tree_mb(pid: int) -> float | None:
    """Memory of ``pid`` and all its descendants, MB: the sum of their PSS (shared pages
    counted once across forked workers), or of their RSS where PSS is unavailable."""
    try:
        import psutil
    except ImportError:
        return None
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return None
    total = 0.0
    for p in procs:
        try:
            with open(f"/proc/{p.pid}/smaps_rollup", encoding="ascii") as fh:
                pss = next(int(ln.split()[1]) for ln in fh if ln.startswith("Pss:"))
            total += pss / 1024
        except (OSError, StopIteration, ValueError):
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss / 2**20
    return total


def run_child(cmd: list[str], log: Path, timeout: float, mem_limit_mb: float | None = None
              ) -> dict[str, Any]:
    """Run ``cmd`` from the repo root via benchmarks.measure: exit code, wall s, peak RSS MB.

    A watchdog polls the child: past ``timeout`` seconds, or when the memory of its process
    tree (``_tree_mb``) exceeds ``mem_limit_mb``, the whole process group is killed and the
    result says so (``status`` "timeout" or "memory", ``elapsed_s``); it never raises.
    Also recorded: ``cpu_s`` (user + system seconds of the child and its workers) and
    ``tree_peak_mb`` (largest sampled tree memory; sampled every 0.5 s at most, so a short
    spike can be missed).
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    measured = log.with_suffix(".measure.json")
    measured.unlink(missing_ok=True)
    res: dict[str, Any] = {"cmd": " ".join(shlex.quote(c) for c in cmd), "rc": None,
                           "status": None, "wall_s": None, "elapsed_s": None, "cpu_s": None,
                           "peak_rss_mb": None, "tree_peak_mb": None, "error": None,
                           "log": _rel(log)}
    wrapper = [sys.executable, "-m", "benchmarks.measure", str(measured), "--", *cmd]
    start = time.perf_counter()
    killed = None
    tree_peak = 0.0
    with open(log, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen(wrapper, stdout=fh, stderr=subprocess.STDOUT, cwd=REPO_ROOT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        pause = 0.02
        while True:
            # wait4 rather than Popen.wait: the rusage of the wrapper includes the CPU time
            # of the measured command (and of the workers it waited for).
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            elapsed = time.perf_counter() - start
            mb = _tree_mb(proc.pid)
            if mb is not None:
                tree_peak = max(tree_peak, mb)
            if elapsed > timeout:
                killed = ("timeout", f"timed out after {timeout:.0f}s")
            elif mem_limit_mb is not None and mb is not None and mb > mem_limit_mb:
                killed = ("memory", f"killed: memory {mb / 1024:.1f} GB over the "
                          f"{mem_limit_mb / 1024:.0f} GB limit after {elapsed:.0f}s")
            if killed:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(pause)
            pause = min(0.5, pause * 1.5)
        proc.returncode = os.waitstatus_to_exitcode(status)
    res["elapsed_s"] = round(time.perf_counter() - start, 3)
    res["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 3)
    res["tree_peak_mb"] = round(tree_peak, 1) if tree_peak else None
    if killed:
        res["status"], res["error"] = killed
        return res
    m = _load(measured) or {}
    rc = m.get("rc", proc.returncode)
    res["rc"] = rc
    res["status"] = "ok" if rc == 0 else "failed"
    if "wall_s" in m:
        res["wall_s"] = round(float(m["wall_s"]), 3)
        res["peak_rss_mb"] = round(m.get("maxrss_kb", 0) / 1024, 1)
    if rc != 0:
        tail = [ln for ln in log.read_text(encoding="utf-8", errors="replace").splitlines()
                if ln.strip()][-1:]
        res["error"] = f"exit {rc}: {tail[0][:200] if tail else '(no output)'}"
    return res


@dataclass
class Tool:
    """One command line to benchmark: ``args(input, output)`` builds it."""

    name: str
    kind: str  # "dedup" or "baseline"
    method: str | None = None
    threshold: float | None = None
    dedup: list[str] | None = None

    def args(self, inp: str, out: str) -> list[str]:
        if self.kind == "dedup":
            return [*(self.dedup or []), "cluster", inp, "--format", "json", "-o", out]
        return [sys.executable, "-m", "benchmarks.baselines", inp, "--method", str(self.method),
                "--threshold", str(self.threshold), "-o", out]


def baseline_tools(spec: str) -> list[Tool]:
    tools = []
    for item in [s.strip() for s in spec.split(",") if s.strip()]:
        method, _, thr = item.partition("@")
        tools.append(Tool(name=f"{method}@{thr}", kind="baseline", method=method,
                          threshold=float(thr)))
    return tools


def _load(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _metric_row(name: str, metrics: dict[str, Any] | None, child: dict[str, Any] | None,
                n_docs: int, n_bytes: int) -> dict[str, Any]:
    row: dict[str, Any] = {"tool": name, "metrics": metrics, "error": None}
    if child:
        row.update(wall_s=child["wall_s"], peak_rss_mb=child["peak_rss_mb"], cmd=child["cmd"],
                   error=child["error"])
        if child["wall_s"] and not child["error"]:
            row["docs_per_s"] = round(n_docs / child["wall_s"], 1)
            row["mb_per_s"] = round(n_bytes / 1e6 / child["wall_s"], 3)
    return row


def evaluate(tools: list[Tool], articles: Path, gold: dict[str, Any], texts: dict[str, str],
             out_dir: Path, tag: str, timeout: float) -> list[dict[str, Any]]:
    """Run each tool on ``articles`` as a child process and score its report."""
    rows = []
    n_docs = len(texts)
    n_bytes = articles.stat().st_size if articles.is_file() else sum(
        len(t.encode()) for t in texts.values())
    for tool in tools:
        if tool.method == "textdedup" and not (TEXTDEDUP_VENV / "bin" / "python").exists():
            rows.append({"tool": tool.name, "metrics": None,
                         "error": "text-dedup not installed (see benchmarks/README.md)"})
            continue
        stem = "dedup" if tool.kind == "dedup" else f"base_{tool.name.replace('@', '_')}"
        report_path = out_dir / (f"{stem}.json" if tag == "corpus" else f"{stem}_{tag}.json")
        report_path.unlink(missing_ok=True)
        child = run_child(tool.args(_rel(articles), _rel(report_path)),
                          out_dir / "logs" / f"{tag}_{stem}.log", timeout)
        metrics = None
        if not child["error"]:
            report = _load(report_path)
            if report is None:
                child["error"] = f"no readable JSON report at {_rel(report_path)}"
            else:
                try:
                    metrics = score_report(report, gold, texts)
                except (KeyError, TypeError, ValueError) as exc:
                    child["error"] = f"report does not match the contract: {exc!r}"[:200]
        rows.append(_metric_row(tool.name, metrics, child, n_docs, n_bytes))
        status = child["error"] or (f"{child['wall_s']}s, ARI {metrics['ari']:.3f}"
                                    if metrics else "?")
        print(f"  [{tag}] {tool.name}: {status}", flush=True)
    return rows


SPLIT_NAMES = {"dev": "tuning part (dev)", "test": "held-out part (test)"}


def commentary_splits(base: list[dict[str, Any]], stories: int, seed: int, dedup: Tool,
                      done: str, done_row: dict[str, Any], out_dir: Path, timeout: float
                      ) -> list[dict[str, Any]]:
    """dedup's commentary figures on the tuning and the held-out part of the added-text
    pools: same articles and copies, only the added text differs. ``done`` is the split the
    main corpus already used (its row is reused)."""
    rows = []
    for split in ("dev", "test"):
        if split == done:
            row = dict(done_row)
        else:
            articles, gold = generate_corpus(base, stories, seed, split)
            path = out_dir / f"corpus-{split}" / "articles.jsonl"
            write_jsonl(path, articles)
            write_json(path.parent / "gold.json", gold)
            texts = {a["id"]: a["text"] for a in articles}
            row = evaluate([dedup], path, gold, texts, out_dir, f"corpus-{split}", timeout)[0]
        row["split"] = split
        rows.append(row)
    return rows


def commentary_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["| added-text templates | comm. flag P / R / F1 | comm. char P / R / F1 | "
             "attributed opinion labelled commentary |", "|---|---|---|---|"]
    for r in rows:
        m = r.get("metrics")
        name = SPLIT_NAMES.get(r["split"], r["split"])
        if m is None:
            lines.append(f"| {name} (failed) | n/a | n/a | n/a |")
            continue
        flag, char, att = m["commentary_flag"], m["commentary_char"], m["attributed_as_commentary"]
        prf = [" / ".join(_f(d[k]) for k in ("precision", "recall", "f1")) for d in (flag, char)]
        share = (f"{_f(att['rate'])} ({att['commentary']} of {att['spans']})"
                 if att.get("spans") else "n/a")
        lines.append(f"| {name} | {prf[0]} | {prf[1]} | {share} |")
    return lines


def seeds_rows(dedup: Tool | None, out_dir: Path, timeout: float) -> list[dict[str, Any]]:
    if not SEEDS_GOLD.exists() or not SEEDS_DIR.is_dir():
        return []
    gold = json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))
    texts = load_texts(SEEDS_DIR)
    rows = []
    if dedup is not None:
        rows += evaluate([dedup], SEEDS_DIR, gold, texts, out_dir, "seeds", timeout)
    arts = [{"id": k, "text": v} for k, v in sorted(texts.items())]
    for tool in baseline_tools("minhash@0.3,minhash@0.5,tfidf@0.3,tfidf@0.5"):
        report, wall = run_baseline(str(tool.method), float(tool.threshold or 0), "", arts)
        row = _metric_row(tool.name, score_report(report, gold, texts), None, len(arts), 0)
        row["wall_s"] = round(wall, 3)
        rows.append(row)
    return rows


def write_reuters_jsonl(base: list[dict[str, Any]], path: Path) -> Path:
    write_jsonl(path, ({"id": a["id"], "text": a["text"], "title": a.get("title", ""),
                        "date": a.get("date")} for a in base))
    return path


def speed_compare(jsonl: Path, tools: list[Tool], out_dir: Path, tag: str, timeout: float
                  ) -> list[dict[str, Any]]:
    """Time each tool end to end on ``jsonl`` (no scoring). Scale-ups call this per size."""
    n_docs = sum(1 for line in jsonl.open(encoding="utf-8") if line.strip())
    n_bytes = jsonl.stat().st_size
    rows = []
    for tool in tools:
        out = out_dir / f"speed_{tag}_{tool.name.replace('@', '_')}.json"
        child = run_child(tool.args(_rel(jsonl), _rel(out)),
                          out_dir / "logs" / f"speed_{tag}_{tool.name}.log", timeout)
        row = _metric_row(tool.name, None, child, n_docs, n_bytes)
        row.update(input=_rel(jsonl), docs=n_docs, mb=round(n_bytes / 1e6, 2))
        rows.append(row)
        print(f"  [speed {tag}] {tool.name}: {child['error'] or str(child['wall_s']) + 's'}",
              flush=True)
    return rows


# --------------------------------------------------------------------------------------------
# Scaling: time and memory against corpus size (synthetic scale-ups, benchmarks/scale.py)
# --------------------------------------------------------------------------------------------

DEFAULT_SCALE_SIZES = "19043,100000,1000000"
QUICK_SCALE_SIZES = "500,2000"
SCALING_PNG = "scaling.png"
DOCS_PNG = REPO_ROOT / "docs" / SCALING_PNG
SCALE_BASELINE = "minhash@0.5"


def scaling(base: list[dict[str, Any]], sizes: list[int], seed: int, dedup: Tool | None,
            out_dir: Path, timeout: float, mem_limit_mb: float | None,
            workers: int | None = None) -> dict[str, Any]:
    """For each size: generate (or reuse) the scale-up JSONL, then time dedup and the plain
    datasketch pipeline on it, each a child process under the watchdog of ``run_child``.

    A tool that timed out or was killed at one size is not run on the larger ones.
    """
    from benchmarks.scale import ensure_scale_corpus

    scale_dir = out_dir / "scale"
    tools = ([dedup] if dedup else []) + baseline_tools(SCALE_BASELINE)
    corpora: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    stopped: dict[str, str] = {}
    for size in sizes:
        path = scale_dir / f"scale-{size}-seed{seed}.jsonl"
        print(f"scale: {size} articles -> {_rel(path)}", flush=True)
        meta, reused = ensure_scale_corpus(base, size, path, seed, workers, progress=True)
        corpora.append({**meta, "path": _rel(path), "reused": reused})
        for tool in tools:
            row: dict[str, Any] = {"tool": tool.name, "size": size, "articles": meta["articles"],
                                   "words": meta["words"], "mb": round(meta["bytes"] / 1e6, 2),
                                   "status": None, "wall_s": None, "error": None}
            rows.append(row)
            if tool.name in stopped:
                row.update(status="skipped", error=f"not run: {stopped[tool.name]}")
                continue
            stem = tool.name.replace("@", "_")
            report = scale_dir / f"{stem}-{size}.json"
            report.unlink(missing_ok=True)
            cmd = tool.args(_rel(path), _rel(report))
            if tool.kind == "dedup":
                cmd.append("--quiet")
            child = run_child(cmd, out_dir / "logs" / f"scale_{size}_{stem}.log", timeout,
                              mem_limit_mb)
            row.update({k: child[k] for k in ("status", "wall_s", "elapsed_s", "cpu_s",
                                              "peak_rss_mb", "tree_peak_mb", "error", "cmd",
                                              "log")})
            if child["status"] == "ok" and child["wall_s"]:
                wall = child["wall_s"]
                row.update(articles_per_s=round(meta["articles"] / wall, 1),
                           mb_per_s=round(meta["bytes"] / 1e6 / wall, 3),
                           words_per_s=round(meta["words"] / wall))
            if child["status"] in ("timeout", "memory"):
                stopped[tool.name] = f"{child['status']} at {size} articles"
            status = child["error"] or f"{child['wall_s']}s, {child['peak_rss_mb']} MB"
            print(f"  [scale {size}] {tool.name}: {status}", flush=True)
    fits = [scaling_fit(rows, t.name) for t in tools]
    return {"seed": seed, "sizes": sizes, "timeout_s": timeout, "mem_limit_mb": mem_limit_mb,
            "corpora": corpora, "rows": rows, "fits": fits}


def _slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log(ys) against log(xs)."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    den = sum((x - mx) ** 2 for x in lx)
    return sum((x - mx) * (y - my) for x, y in zip(lx, ly, strict=True)) / den if den else 0.0


BEND = 0.15  # a change of the local exponent larger than this is called a bend


def scaling_fit(rows: list[dict[str, Any]], tool: str) -> dict[str, Any]:
    """Exponents k of wall time ~ words^k (and of peak RSS) over the finished sizes, the
    local exponent between consecutive sizes, and where it bends (changes by > BEND)."""
    pts = sorted((r["words"], r["wall_s"], r["peak_rss_mb"], r["size"]) for r in rows
                 if r["tool"] == tool and r["status"] == "ok" and r["wall_s"] and r["words"])
    fit: dict[str, Any] = {"tool": tool, "points": len(pts), "time_k": None, "rss_k": None,
                           "local": [], "bend_at": None}
    if len(pts) < 2 or len({p[0] for p in pts}) < 2:
        return fit
    words = [p[0] for p in pts]
    fit["time_k"] = round(_slope(words, [p[1] for p in pts]), 2)
    if all(p[2] for p in pts):
        fit["rss_k"] = round(_slope(words, [p[2] for p in pts]), 2)
    for a, b in itertools.pairwise(pts):
        fit["local"].append({"from": a[3], "to": b[3],
                             "time_k": round(_slope([a[0], b[0]], [a[1], b[1]]), 2)})
    changes = [(abs(y["time_k"] - x["time_k"]), x["to"], x["time_k"], y["time_k"])
               for x, y in itertools.pairwise(fit["local"])]
    if changes and max(changes)[0] > BEND:
        _, at, k0, k1 = max(changes)
        fit["bend_at"] = {"size": at, "before": k0, "after": k1}
    return fit


def scaling_plot(scale: dict[str, Any], speed_rows: list[dict[str, Any]], path: Path) -> Path:
    """Two log-log panels: wall time and peak RSS against articles, both tools. Runs that
    timed out or were killed are drawn hollow at their elapsed time / last sampled memory
    (lower bounds); the real Reuters corpus, when timed, is a star."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4))
    colours = {"dedup": "#0072B2", SCALE_BASELINE: "#D55E00"}
    for tool in dict.fromkeys(r["tool"] for r in scale["rows"]):
        colour = colours.get(tool, "#009E73")
        ok = [r for r in scale["rows"] if r["tool"] == tool and r["status"] == "ok"]
        bad = [r for r in scale["rows"] if r["tool"] == tool and r["status"] in
               ("timeout", "memory")]
        real = [r for r in speed_rows if r["tool"] == tool and r.get("wall_s")
                and not r.get("error")]
        for ax, key, bad_key in ((axes[0], "wall_s", "elapsed_s"),
                                 (axes[1], "peak_rss_mb", "tree_peak_mb")):
            pts = [(r["articles"], r[key]) for r in ok if r.get(key)]
            if pts:
                ax.plot(*zip(*pts, strict=True), "o-", color=colour, label=f"{tool}")
            for r in bad:
                if r.get(bad_key):
                    ax.plot(r["articles"], r[bad_key], "^", mfc="none", mec=colour, ms=11,
                            mew=2)
                    ax.annotate("timed out" if r["status"] == "timeout" else "killed (memory)",
                                (r["articles"], r[bad_key]), textcoords="offset points",
                                xytext=(-10, 9), fontsize=8, color=colour, ha="right")
            for r in real:
                if r.get(key):
                    ax.plot(r["docs"], r[key], "*", color=colour, ms=13, mec="black", mew=0.6)
    sizes = sorted({r["articles"] for r in scale["rows"]})
    plain = ticker.FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 10 else f"{v:g}")
    for ax, title, ylabel in ((axes[0], "Wall time", "seconds"),
                              (axes[1], "Peak memory", "peak RSS, MB")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(sizes)
        ax.xaxis.set_major_formatter(plain)
        ax.xaxis.set_minor_formatter(ticker.NullFormatter())
        ax.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(plain)
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())
        ax.set_title(title)
        ax.set_xlabel("articles")
        ax.set_ylabel(ylabel)
        ax.grid(True, which="both", alpha=0.3)
        ax.margins(x=0.08, y=0.15)
    handles, labels = axes[0].get_legend_handles_labels()
    extra = [plt.Line2D([], [], ls="", marker="^", mfc="none", mec="grey", ms=10, mew=2),
             plt.Line2D([], [], ls="", marker="*", color="grey", ms=12)]
    axes[0].legend([*handles, *extra], [*labels, "timed out / killed (lower bound)",
                                        "real Reuters-21578"], fontsize=8, loc="upper left")
    fig.suptitle("Synthetic scale-ups of Reuters-21578 (benchmarks/scale.py)", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# --------------------------------------------------------------------------------------------
# dedup stage by stage, in one process
# --------------------------------------------------------------------------------------------


def _usage() -> tuple[float, float, float]:
    """(CPU seconds of this process and its reaped workers, peak RSS MB of this process,
    peak RSS MB of the largest reaped worker)."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    return cpu, me.ru_maxrss / 1024, kids.ru_maxrss / 1024


def _rss_now_mb() -> float | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return None


def dedup_stage_timings(jsonl: Path) -> list[dict[str, Any]]:
    """Run dedup on ``jsonl`` in this process: loading, each pipeline stage, rendering.

    Stage wall times come from ``Analysis.timings``, which ``dedup.pipeline.analyze``
    records itself, so this harness never has to mirror the pipeline. Loading and
    rendering also get CPU seconds (getrusage, workers included) and peak RSS.
    """
    from dedup import analyze, load_articles, render

    rows: list[dict[str, Any]] = []
    mark = [time.perf_counter(), _usage()[0]]

    def done(stage: str) -> None:
        now = time.perf_counter()
        cpu, peak, worker_peak = _usage()
        rows.append({"stage": stage, "wall_s": round(now - mark[0], 3),
                     "cpu_s": round(cpu - mark[1], 3), "peak_rss_mb": round(peak, 1),
                     "worker_peak_rss_mb": round(worker_peak, 1),
                     "rss_mb": round(_rss_now_mb() or 0, 1) or None})
        mark[:] = [time.perf_counter(), _usage()[0]]

    articles, _ = load_articles([str(jsonl)])
    done("load")
    analysis = analyze(articles)
    cpu, peak, worker_peak = _usage()
    for stage, wall in analysis.timings.items():
        rows.append({"stage": stage, "wall_s": round(wall, 3), "cpu_s": None,
                     "peak_rss_mb": None, "worker_peak_rss_mb": None, "rss_mb": None})
    rows[-1].update({"cpu_s": round(cpu - mark[1], 3), "peak_rss_mb": round(peak, 1),
                     "worker_peak_rss_mb": round(worker_peak, 1),
                     "rss_mb": round(_rss_now_mb() or 0, 1) or None})
    rows[-1]["note"] = "cpu and memory for the whole analysis"
    mark[:] = [time.perf_counter(), _usage()[0]]
    render(analysis, "json")
    done("render json")
    return rows


def stages_child(jsonl: str, out: str) -> int:
    """Entry point of the stage-timing child process (``run.py --stages-child``)."""
    path = Path(jsonl)
    try:
        rows = dedup_stage_timings(path)
        error = None
    except Exception as exc:  # a failing dedup is recorded, never fatal to the benchmark
        rows, error = [], f"stage timing failed: {exc!r}"
    write_json(out, {"input": _rel(path), "bytes": path.stat().st_size, "rows": rows,
                     "error": error})
    return 1 if error else 0


def stage_section(jsonl: Path, out_dir: Path, timeout: float, mem_limit_mb: float | None
                  ) -> dict[str, Any]:
    """Per-stage timings of dedup on ``jsonl``, run in a fresh child process."""
    out = out_dir / "stages.json"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "benchmarks.run", "--stages-child", _rel(jsonl), _rel(out)]
    child = run_child(cmd, out_dir / "logs" / "stages.log", timeout, mem_limit_mb)
    res = _load(out) or {"input": _rel(jsonl), "rows": [], "error": child["error"]}
    n_docs = sum(1 for line in jsonl.open(encoding="utf-8") if line.strip())
    n_bytes = jsonl.stat().st_size
    total = round(sum(r["wall_s"] for r in res["rows"]), 3) or None
    for r in res["rows"]:
        if r["wall_s"] > 0:
            r["articles_per_s"] = round(n_docs / r["wall_s"], 1)
            r["mb_per_s"] = round(n_bytes / 1e6 / r["wall_s"], 3)
        r["share"] = round(r["wall_s"] / total, 3) if total else None
    res.update(docs=n_docs, mb=round(n_bytes / 1e6, 2), total_s=total, child=child,
               error=res.get("error") or child["error"])
    summary = res["error"] or f"{len(res['rows'])} stages, {total}s"
    print(f"  [stages] {summary}", flush=True)
    return res


def signature_section(jsonl: Path, out_dir: Path, timeout: float) -> dict[str, Any]:
    """The signature stage alone on one core (benchmarks.signature_bench, a child process)."""
    out = out_dir / "signatures.json"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "benchmarks.signature_bench", _rel(jsonl), _rel(out)]
    child = run_child(cmd, out_dir / "logs" / "signatures.log", timeout)
    res = _load(out) or {"error": child["error"] or "no result written"}
    print(f"  [signatures] {res.get('error') or str(res['minhash_vs_bound']) + 'x bound'}",
          flush=True)
    return res


def _f(v: Any, digits: int = 3) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def metrics_table(rows: list[dict[str, Any]]) -> list[str]:
    head = ["tool / config", "ARI", "pair P", "pair R", "pair F1", "comm. flag F1",
            "comm. char F1", "boiler. char F1", "offsets ok", "wall s", "docs/s", "peak RSS MB"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    notes = []
    for r in rows:
        m = r.get("metrics")
        if m is None:
            cells = [r["tool"]] + ["n/a"] * 8
        else:
            cells = [r["tool"], _f(m["ari"]), _f(m["pair_precision"]), _f(m["pair_recall"]),
                     _f(m["pair_f1"]), _f(m["commentary_flag"]["f1"]),
                     _f(m["commentary_char"]["f1"]), _f(m["boilerplate_char"]["f1"]),
                     _f(m["offsets_ok"])]
        cells += [_f(r.get("wall_s"), 2), _f(r.get("docs_per_s"), 1), _f(r.get("peak_rss_mb"), 1)]
        if r.get("error"):
            cells[0] += " (failed)"
            notes.append(f"- {r['tool']}: {r['error']}")
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, "", *notes] if notes else lines


def speed_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["| tool | input | docs | MB | wall s | articles/s | MB/s | peak RSS MB |",
             "|---|---|---|---|---|---|---|---|"]
    notes = []
    for r in rows:
        lines.append(f"| {r['tool']} | {r['input']} | {r['docs']} | {r['mb']} | "
                     f"{_f(r.get('wall_s'), 2)} | {_f(r.get('docs_per_s'), 1)} | "
                     f"{_f(r.get('mb_per_s'), 3)} | {_f(r.get('peak_rss_mb'), 1)} |")
        if r.get("error"):
            notes.append(f"- {r['tool']}: {r['error']}")
    return [*lines, "", *notes] if notes else lines


def _n(v: Any) -> str:
    return "n/a" if v is None else f"{v:,}"


def scale_tables(scale: dict[str, Any]) -> list[str]:
    corp = ["| articles | syndicated copies | words | MB | generated in s |",
            "|---|---|---|---|---|"]
    for c in scale["corpora"]:
        gen = "reused" if c.get("reused") else _f(c.get("seconds"), 1)
        corp.append(f"| {_n(c['articles'])} | {_n(c['copies'])} | {_n(c['words'])} | "
                    f"{c['bytes'] / 1e6:.1f} | {gen} |")
    head = ["tool", "articles", "words", "MB", "status", "wall s", "CPU s", "articles/s", "MB/s",
            "words/s", "peak RSS MB", "tree memory MB"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    notes = []
    for r in scale["rows"]:
        wall = _f(r.get("wall_s"), 2)
        if r["status"] in ("timeout", "memory"):
            wall = f"> {_f(r.get('elapsed_s'), 0)}"
        lines.append("| " + " | ".join([
            r["tool"], _n(r["articles"]), _n(r["words"]), _f(r["mb"], 1), str(r["status"]),
            wall, _f(r.get("cpu_s"), 1), _f(r.get("articles_per_s"), 1),
            _f(r.get("mb_per_s"), 3), _n(r.get("words_per_s")), _f(r.get("peak_rss_mb"), 1),
            _f(r.get("tree_peak_mb"), 1)]) + " |")
        if r.get("error"):
            notes.append(f"- {r['tool']} at {r['articles']:,} articles: {r['error']}")
    fits = []
    for fit in scale["fits"]:
        if fit["time_k"] is None:
            fits.append(f"- {fit['tool']}: fewer than two finished sizes, no fit.")
            continue
        local = ", ".join(f"{x['from']:,}→{x['to']:,} articles: {x['time_k']:.2f}"
                          for x in fit["local"])
        text = (f"- {fit['tool']}: time grows as words^k with k={fit['time_k']:.2f} "
                f"(least squares over {fit['points']} sizes)")
        if fit["rss_k"] is not None:
            text += f"; peak RSS as words^{fit['rss_k']:.2f}"
        text += f". Local k: {local}"
        bend = fit["bend_at"]
        if bend:
            text += (f"; bends at {bend['size']:,} articles (k {bend['before']:.2f} → "
                     f"{bend['after']:.2f}).")
        elif len(fit["local"]) > 1:
            text += f"; no bend (local k within ±{BEND})."
        else:
            text += "."
        fits.append(text)
    return [*corp, "", *lines, *(["", *notes] if notes else []), "", *fits]


def stage_table(stages: dict[str, Any]) -> list[str]:
    lines = ["| stage | wall s | share | CPU s | articles/s | MB/s | peak RSS MB | RSS after MB |",
             "|---|---|---|---|---|---|---|---|"]
    for r in stages["rows"]:
        share = f"{100 * r['share']:.0f}%" if r.get("share") is not None else "n/a"
        lines.append(f"| {r['stage']} | {_f(r['wall_s'], 2)} | {share} | {_f(r['cpu_s'], 1)} | "
                     f"{_f(r.get('articles_per_s'), 1)} | {_f(r.get('mb_per_s'), 3)} | "
                     f"{_f(r['peak_rss_mb'], 1)} | {_f(r.get('rss_mb'), 1)} |")
    if stages.get("total_s"):
        lines.append(f"| all stages | {_f(stages['total_s'], 2)} | 100% | | "
                     f"{_f(stages['docs'] / stages['total_s'], 1)} | "
                     f"{_f(stages['mb'] / stages['total_s'], 3)} | | |")
    if stages.get("error"):
        lines += ["", f"- {stages['error']}"]
    return lines


def results_markdown(res: dict[str, Any]) -> str:
    out: list[str] = []
    c = res.get("corpus")
    if c:
        kinds = ", ".join(f"{k} {v}" for k, v in c["kinds"].items())
        out += [
            f"Corpus: seed {res['seed']}, {res['stories']} copied stories -> {c['articles']} "
            f"articles, {c['clusters']} gold clusters ({c['clustered_articles']} articles in "
            f"clusters, {c['with_commentary']} with commentary). Kinds: {kinds}.",
            "",
            "### Synthetic syndication corpus",
            "",
            *metrics_table(res["corpus_rows"]),
        ]
    if res.get("commentary_splits"):
        out += ["", "### Commentary: tuning vs held-out templates (same corpus, added text "
                "from each part)", "", *commentary_table(res["commentary_splits"]), "",
                "dedup/label.py is tuned on the tuning part only; the held-out part was "
                "written apart from it in other styles (benchmarks/templates.py, "
                "docs/commentary.md)."]
    if res.get("seeds_rows"):
        out += ["", "### seeds/ (5 hand-labelled articles)", "", *metrics_table(res["seeds_rows"])]
    if res.get("speed_rows"):
        out += ["", "### Speed on all Reuters-21578 stories (plain JSONL)", "",
                *speed_table(res["speed_rows"])]
    stages = res.get("stages")
    if stages:
        out += ["", f"### dedup stage by stage ({stages['docs']:,} articles, {stages['mb']} MB: "
                f"{stages['input']})", "", *stage_table(stages)]
    if res.get("signatures"):
        out += ["", "### The signature stage alone, one core (benchmarks/signature_bench.py)", "",
                *signature_table(res["signatures"])]
    scale = res.get("scale")
    if scale:
        limit = scale["mem_limit_mb"]
        out += ["", "### Scaling: synthetic scale-ups (benchmarks/scale.py, seed "
                f"{scale['seed']})", "", *scale_tables(scale), "",
                f"Plot: `docs/{SCALING_PNG}` (written as `benchmarks/out/{SCALING_PNG}`). "
                f"Per run: time limit {scale['timeout_s']:.0f} s"
                + (f", memory limit {limit / 1024:.0f} GB" if limit else "")
                + "; a run over a limit is killed and shown as > its elapsed time, and the "
                "tool is not run on larger sizes. `dedup` may use every core (compare CPU s "
                "with wall s); the datasketch pipeline (MinHash 128 + LSH@0.5 + union-find) "
                "uses one."]
    if res.get("index"):
        from benchmarks.index_bench import index_markdown

        out += ["", "### Persistent index: dedup check of held-out articles "
                "(benchmarks/index_bench.py)", "", index_markdown(res["index"]).rstrip("\n")]
    if res.get("rewording"):
        from benchmarks.rewording import markdown as rewording_markdown

        out += ["", "### Light rewording: rewrites clustered with their source "
                "(benchmarks/rewording.py, held-out seed)", "",
                rewording_markdown(res["rewording"]).rstrip("\n")]
    if res.get("template_series"):
        from benchmarks.template_series import markdown as template_markdown

        out += ["", "### Template series on Reuters-21578: re-sends and series pairs clustered "
                "(benchmarks/template_series.py)", "",
                template_markdown(res["template_series"]).rstrip("\n")]
    if res.get("long"):
        from benchmarks.long_bench import long_markdown

        out += ["", "### Long articles against the same bytes of ordinary ones "
                "(benchmarks/long_bench.py)", "", long_markdown(res["long"]).rstrip("\n")]
    env = res["environment"]
    out += ["", f"Machine: {env['cpus']} CPUs, Python {env['python']}, {env['platform']}. "
            "Wall time and peak RSS are for the whole child process (start-up included); "
            "peak RSS is the largest single process, tree memory the largest sampled sum "
            "over the process and its workers (PSS). "
            "docs/s = articles / wall s. n/a = the tool reports no such field."]
    return "\n".join(out).lstrip("\n") + "\n"


def update_readme(markdown: str) -> bool:
    text = README.read_text(encoding="utf-8") if README.exists() else ""
    if RESULTS_START not in text or RESULTS_END not in text:
        return False
    head, rest = text.split(RESULTS_START, 1)
    _, tail = rest.split(RESULTS_END, 1)
    README.write_text(f"{head}{RESULTS_START}\n{markdown}{RESULTS_END}{tail}", encoding="utf-8")
    return True


def _sizes(spec: str) -> list[int]:
    try:
        sizes = sorted({int(x) for x in spec.replace("_", "").split(",") if x.strip()})
    except ValueError:
        raise SystemExit(f"error: --scale-sizes must be a comma list of integers: {spec!r}") \
            from None
    if not sizes or sizes[0] < 1:
        raise SystemExit(f"error: --scale-sizes needs positive sizes: {spec!r}")
    return sizes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stories", type=int, default=None, help="copied stories (default 600)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--reuters", default=None, help="Reuters-21578 directory")
    ap.add_argument("--base-jsonl", default=None, help="JSONL of base articles instead")
    ap.add_argument("--out", default=str(OUT_DIR), help="output directory")
    ap.add_argument("--dedup", default=str(REPO_ROOT / ".venv" / "bin" / "dedup"),
                    help="dedup command (split like a shell line)")
    ap.add_argument("--baselines", default=DEFAULT_BASELINES,
                    help=f"comma list of method@threshold (default {DEFAULT_BASELINES})")
    ap.add_argument("--templates", choices=("test", "dev", "all"), default="test",
                    help="part of the added-text templates: dev = tuning, test = held-out "
                         "(default; the commentary table shows both)")
    ap.add_argument("--quick", action="store_true",
                    help="tiny corpus, no Reuters speed test, tiny scale-ups")
    ap.add_argument("--skip-corpus", action="store_true",
                    help="skip the labelled corpus (generation, tools, scores)")
    ap.add_argument("--skip-dedup", action="store_true")
    ap.add_argument("--skip-seeds", action="store_true")
    ap.add_argument("--skip-speed", action="store_true", help="skip the Reuters speed test")
    ap.add_argument("--skip-stages", action="store_true", help="skip dedup's per-stage timings")
    ap.add_argument("--skip-scale", action="store_true", help="skip the scaling benchmark")
    ap.add_argument("--timeout", type=float, default=3600.0, help="per child process, seconds")
    ap.add_argument("--scale-sizes", default=None,
                    help=f"articles per scale-up (default {DEFAULT_SCALE_SIZES}; "
                         f"--quick: {QUICK_SCALE_SIZES})")
    ap.add_argument("--scale-seed", type=int, default=None, help="default: --seed")
    ap.add_argument("--scale-timeout", type=float, default=1800.0,
                    help="per scaling run, seconds (default 1800)")
    ap.add_argument("--scale-mem-gb", type=float, default=20.0,
                    help="kill a scaling run whose processes use more memory (default 20)")
    ap.add_argument("--scale-workers", type=int, default=None,
                    help="processes generating the scale-ups (output does not depend on it)")
    ap.add_argument("--index-bench", action=argparse.BooleanOptionalAction, default=True,
                    help="the persistent index and dedup check benchmark (benchmarks.index_bench)")
    ap.add_argument("--index-sizes", default=None,
                    help="total articles of the larger check indexes (default "
                         "1000000; --quick: none, the ~20k benchmark index only)")
    ap.add_argument("--index-batch", type=int, default=100, help="articles per dedup check")
    ap.add_argument("--warc-bench", action="store_true",
                    help="also WARC input: warcio vs FastWARC and dedup extract "
                         "(benchmarks.warc_bench; results in OUT/warc)")
    ap.add_argument("--rewording", action=argparse.BooleanOptionalAction, default=True,
                    help="light rewrites of Reuters stories by kind and strength "
                         "(benchmarks.rewording)")
    ap.add_argument("--template-series", action=argparse.BooleanOptionalAction, default=True,
                    help="re-sends and template series pairs clustered on all Reuters stories "
                         "(benchmarks.template_series)")
    ap.add_argument("--skip-long", action="store_true",
                    help="skip the long-article benchmark (benchmarks.long_bench)")
    ap.add_argument("--update-readme", action="store_true",
                    help="also paste results.md into benchmarks/README.md between the markers "
                         f"and copy the plot to docs/{SCALING_PNG}")
    ap.add_argument("--stages-child", nargs=2, metavar=("JSONL", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stages_child:
        return stages_child(*args.stages_child)

    out_dir = Path(args.out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    scale_sizes = _sizes(args.scale_sizes or (QUICK_SCALE_SIZES if args.quick
                                              else DEFAULT_SCALE_SIZES))
    stories = args.stories if args.stories is not None else (20 if args.quick else 600)
    base = load_base_articles(args.reuters, args.base_jsonl, 1 if args.quick else None)
    dedup = None if args.skip_dedup else Tool(name="dedup", kind="dedup",
                                              dedup=shlex.split(args.dedup))
    results: dict[str, Any] = {"seed": args.seed, "stories": stories, "quick": args.quick}

    if not args.skip_corpus:
        print(f"generating corpus: {stories} stories from {len(base)} base articles", flush=True)
        articles, gold = generate_corpus(base, stories, args.seed, args.templates)
        corpus_dir = out_dir / "corpus"
        articles_path = corpus_dir / "articles.jsonl"
        write_jsonl(articles_path, articles)
        write_json(corpus_dir / "gold.json", gold)
        texts = {a["id"]: a["text"] for a in articles}
        tools = ([dedup] if dedup else []) + baseline_tools(args.baselines)
        print("running tools on the corpus", flush=True)
        results["corpus"] = summarize(articles, gold)
        results["corpus_rows"] = evaluate(tools, articles_path, gold, texts, out_dir, "corpus",
                                          args.timeout)
        del articles, gold, texts
        if dedup and args.templates in SPLIT_NAMES:
            print("commentary: the other part of the added-text templates", flush=True)
            results["commentary_splits"] = commentary_splits(
                base, stories, args.seed, dedup, args.templates, results["corpus_rows"][0],
                out_dir, args.timeout)

    if not args.skip_seeds:
        results["seeds_rows"] = seeds_rows(dedup, out_dir, args.timeout)

    # The whole base (all Reuters stories) for the speed test, the stage timings and the
    # scale-ups; --quick uses the small base it already has.
    full = base if args.quick else None
    reuters_jsonl = out_dir / ("base-quick.jsonl" if args.quick else "reuters.jsonl")
    if not (args.quick or args.skip_speed) or (dedup and not args.skip_stages):
        full = full if full is not None else load_base_articles(args.reuters, args.base_jsonl)
        write_reuters_jsonl(full, reuters_jsonl)
    if not (args.quick or args.skip_speed):
        print(f"speed: {len(full or [])} stories in {_rel(reuters_jsonl)}", flush=True)
        speed_tools = ([dedup] if dedup else []) + baseline_tools(SCALE_BASELINE)
        results["speed_rows"] = speed_compare(reuters_jsonl, speed_tools, out_dir, "reuters",
                                              args.timeout)
    mem_limit = args.scale_mem_gb * 1024 if args.scale_mem_gb > 0 else None
    if dedup and not args.skip_stages:
        print(f"dedup stage by stage on {_rel(reuters_jsonl)}", flush=True)
        results["stages"] = stage_section(reuters_jsonl, out_dir, args.scale_timeout, mem_limit)
        results["signatures"] = signature_section(reuters_jsonl, out_dir, args.scale_timeout)
    plot = None
    if not args.skip_scale:
        if full is None:
            full = load_base_articles(args.reuters, args.base_jsonl)
        seed = args.seed if args.scale_seed is None else args.scale_seed
        results["scale"] = scaling(full, scale_sizes, seed, dedup, out_dir, args.scale_timeout,
                                   mem_limit, args.scale_workers)
        plot = scaling_plot(results["scale"], results.get("speed_rows", []),
                            out_dir / SCALING_PNG)

    if args.index_bench:
        from benchmarks import index_bench

        if full is None:
            full = load_base_articles(args.reuters, args.base_jsonl)
        spec = args.index_sizes if args.index_sizes is not None else (
            index_bench.QUICK_SIZES if args.quick else index_bench.DEFAULT_SIZES)
        print("index: dedup check of held-out articles against the index", flush=True)
        results["index"] = index_bench.run_index_bench(
            full, stories, args.seed, index_bench.parse_sizes(spec), out_dir / "index_bench",
            args.index_batch, timeout=args.timeout, dedup=shlex.split(args.dedup))

    if args.warc_bench:
        from benchmarks import warc_bench

        corpus = out_dir / "corpus" / "articles.jsonl"
        sizing = warc_bench.QUICK if args.quick else {
            "pages": warc_bench.DEFAULT_PAGES, "extract_pages": warc_bench.DEFAULT_EXTRACT_PAGES,
            "sizes": warc_bench.DEFAULT_SIZES}
        results["warc"] = warc_bench.run_warc_bench(
            corpus if corpus.exists() else warc_bench.DEFAULT_CORPUS, out_dir / "warc",
            sizing["pages"], sizing["extract_pages"], sizing["sizes"], shlex.split(args.dedup))
        (out_dir / "warc" / "results.md").write_text(warc_bench.markdown(results["warc"]),
                                                     encoding="utf-8")

    if args.rewording and dedup and not args.quick:
        from benchmarks import rewording

        if full is None:
            full = load_base_articles(args.reuters, args.base_jsonl)
        print("rewording: light rewrites by kind and strength", flush=True)
        results["rewording"] = rewording.run(full, out_dir / "rewording", shlex.split(args.dedup))
    if args.template_series and dedup and not args.quick:
        from benchmarks import template_series

        full = full if full is not None else load_base_articles(args.reuters, args.base_jsonl)
        print("template series: re-sends and series pairs on all Reuters stories", flush=True)
        results["template_series"] = template_series.run(full, out_dir / "template_series",
                                                         shlex.split(args.dedup))
    if dedup and not args.skip_long:
        from benchmarks import long_bench

        full = full if full is not None else load_base_articles(args.reuters, args.base_jsonl)
        print("long articles against the same bytes of ordinary ones", flush=True)
        results["long"] = long_bench.run_long_bench(
            full, out_dir / "long_bench", shlex.split(args.dedup),
            [0.5] if args.quick else long_bench.sizes(long_bench.DEFAULT_SIZES),
            [] if args.quick else long_bench.sizes(long_bench.DEFAULT_SINGLE),
            timeout=args.timeout)

    results["environment"] = {"python": platform.python_version(), "cpus": os.cpu_count(),
                              "platform": platform.platform()}
    write_json(out_dir / "results.json", results)
    md = results_markdown(results)
    (out_dir / "results.md").write_text(md, encoding="utf-8")
    if args.update_readme:
        if not update_readme(md):
            print("README has no results markers; not updated", file=sys.stderr)
        if not update_top_readme(summary_markdown(results)):
            print("top-level README not updated (no summary markers or nothing measured)",
                  file=sys.stderr)
        if plot is not None:
            DOCS_PNG.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(plot, DOCS_PNG)
    print(md)
    print(f"wrote {_rel(out_dir / 'results.json')} and {_rel(out_dir / 'results.md')}"
          + (f" and {_rel(plot)}" if plot else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
