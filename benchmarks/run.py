"""Run the whole benchmark: corpus, dedup, baselines, seeds, speed; write results.

``python -m benchmarks.run`` (what ``make bench`` calls) does, in one run:

1. regenerate the labelled corpus (``--stories``, default 600) into benchmarks/out/corpus;
2. run ``.venv/bin/dedup cluster benchmarks/out/corpus/articles.jsonl --format json -o
   benchmarks/out/dedup.json`` as a child process (wall time and the child's peak RSS from
   ``os.wait4``) and the baselines (benchmarks.baselines, each its own child process);
3. score everything with benchmarks.score, also dedup on seeds/ against seeds_gold.json;
4. time dedup against the plain datasketch pipeline on all Reuters stories as JSONL
   (benchmarks/out/reuters.jsonl): articles/s, MB/s, peak RSS;
5. write benchmarks/out/results.json and benchmarks/out/results.md.

If the dedup CLI fails, its rows carry the error and the run goes on. ``--quick`` is a
seconds-long smoke run (tiny corpus from the first SGML file, no speed test).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import signal
import subprocess
import sys
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


def run_child(cmd: list[str], log: Path, timeout: float) -> dict[str, Any]:
    """Run ``cmd`` from the repo root via benchmarks.measure: exit code, wall s, peak RSS MB."""
    log.parent.mkdir(parents=True, exist_ok=True)
    measured = log.with_suffix(".measure.json")
    measured.unlink(missing_ok=True)
    res: dict[str, Any] = {"cmd": " ".join(shlex.quote(c) for c in cmd), "rc": None,
                           "wall_s": None, "peak_rss_mb": None, "error": None,
                           "log": _rel(log)}
    wrapper = [sys.executable, "-m", "benchmarks.measure", str(measured), "--", *cmd]
    with open(log, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen(wrapper, stdout=fh, stderr=subprocess.STDOUT, cwd=REPO_ROOT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            res["error"] = f"timed out after {timeout:.0f}s"
            return res
    m = _load(measured) or {}
    rc = m.get("rc", proc.returncode)
    res["rc"] = rc
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


def results_markdown(res: dict[str, Any]) -> str:
    c = res["corpus"]
    kinds = ", ".join(f"{k} {v}" for k, v in c["kinds"].items())
    out = [
        f"Corpus: seed {res['seed']}, {res['stories']} copied stories -> {c['articles']} "
        f"articles, {c['clusters']} gold clusters ({c['clustered_articles']} articles in "
        f"clusters, {c['with_commentary']} with commentary). Kinds: {kinds}.",
        "",
        "### Synthetic syndication corpus",
        "",
        *metrics_table(res["corpus_rows"]),
    ]
    if res.get("seeds_rows"):
        out += ["", "### seeds/ (5 hand-labelled articles)", "", *metrics_table(res["seeds_rows"])]
    if res.get("speed_rows"):
        out += ["", "### Speed on all Reuters-21578 stories (plain JSONL)", "",
                *speed_table(res["speed_rows"])]
    env = res["environment"]
    out += ["", f"Machine: {env['cpus']} CPUs, Python {env['python']}, {env['platform']}. "
            "Wall time and peak RSS are for the whole child process (start-up included); "
            "docs/s = articles / wall s. n/a = the tool reports no such field."]
    return "\n".join(out) + "\n"


def update_readme(markdown: str) -> bool:
    text = README.read_text(encoding="utf-8") if README.exists() else ""
    if RESULTS_START not in text or RESULTS_END not in text:
        return False
    head, rest = text.split(RESULTS_START, 1)
    _, tail = rest.split(RESULTS_END, 1)
    README.write_text(f"{head}{RESULTS_START}\n{markdown}{RESULTS_END}{tail}", encoding="utf-8")
    return True


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
                    help="half of the added-text templates (tune on dev, report on test)")
    ap.add_argument("--quick", action="store_true", help="tiny corpus, no speed test")
    ap.add_argument("--skip-dedup", action="store_true")
    ap.add_argument("--skip-seeds", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--timeout", type=float, default=3600.0, help="per child process, seconds")
    ap.add_argument("--update-readme", action="store_true",
                    help="also paste results.md into benchmarks/README.md between the markers")
    args = ap.parse_args(argv)

    out_dir = Path(args.out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    stories = args.stories if args.stories is not None else (20 if args.quick else 600)
    base = load_base_articles(args.reuters, args.base_jsonl, 1 if args.quick else None)
    print(f"generating corpus: {stories} stories from {len(base)} base articles", flush=True)
    articles, gold = generate_corpus(base, stories, args.seed, args.templates)
    corpus_dir = out_dir / "corpus"
    articles_path = corpus_dir / "articles.jsonl"
    write_jsonl(articles_path, articles)
    write_json(corpus_dir / "gold.json", gold)
    texts = {a["id"]: a["text"] for a in articles}

    dedup = None if args.skip_dedup else Tool(name="dedup", kind="dedup",
                                              dedup=shlex.split(args.dedup))
    tools = ([dedup] if dedup else []) + baseline_tools(args.baselines)
    print("running tools on the corpus", flush=True)
    corpus_rows = evaluate(tools, articles_path, gold, texts, out_dir, "corpus", args.timeout)

    seeds = [] if args.skip_seeds else seeds_rows(dedup, out_dir, args.timeout)

    speed: list[dict[str, Any]] = []
    if not (args.quick or args.skip_speed):
        full = load_base_articles(args.reuters, args.base_jsonl)
        jsonl = write_reuters_jsonl(full, out_dir / "reuters.jsonl")
        print(f"speed: {len(full)} stories in {_rel(jsonl)}", flush=True)
        speed_tools = ([dedup] if dedup else []) + baseline_tools("minhash@0.5")
        speed = speed_compare(jsonl, speed_tools, out_dir, "reuters", args.timeout)

    results = {
        "seed": args.seed,
        "stories": stories,
        "quick": args.quick,
        "corpus": summarize(articles, gold),
        "corpus_rows": corpus_rows,
        "seeds_rows": seeds,
        "speed_rows": speed,
        "environment": {"python": platform.python_version(), "cpus": os.cpu_count(),
                        "platform": platform.platform()},
    }
    write_json(out_dir / "results.json", results)
    md = results_markdown(results)
    (out_dir / "results.md").write_text(md, encoding="utf-8")
    if args.update_readme and not update_readme(md):
        print("README has no results markers; not updated", file=sys.stderr)
    print(md)
    print(f"wrote {_rel(out_dir / 'results.json')} and {_rel(out_dir / 'results.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
