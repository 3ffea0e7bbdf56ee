"""Long articles against the same bytes of ordinary ones: cost by length, side by side.

``python -m benchmarks.long_bench OUT_DIR [--sizes 0.5,1,2] [--single 10] [--jobs 1]``

Each size S (MB) makes two inputs from the same consecutive base stories (Reuters-21578,
read in place, or ``--base-jsonl``):

- long: one source article of about S MB (the stories joined, a live blog or a scraped
  dump) and one excerpt of it (the middle fifth of its stories), as two articles;
- ordinary: the same stories as separate articles, the excerpt's stories copied again
  under other ids: the same bytes, and as many copies to find and align.

``--single`` sizes are one article of that many MB against the same stories as separate
articles (nothing to cluster: the signature stage's memory). Every run is ``dedup cluster
--format json`` in a child process under ``benchmarks.measure`` (wall time, peak RSS).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import Any

from benchmarks.common import REPO_ROOT, load_base_articles, write_json, write_jsonl

DEFAULT_SIZES = "0.5,1,2"
DEFAULT_SINGLE = "10"


def _stories(base: list[dict[str, Any]], size: float) -> list[dict[str, Any]]:
    """Consecutive base stories (cycling if needed) of about ``size`` MB of text."""
    out: list[dict[str, Any]] = []
    total = 0
    k = 0
    while total < size * 1e6 and base:
        story = base[k % len(base)]
        out.append({"id": f"{story['id']}~{k // len(base)}", "text": story["text"]})
        total += len(story["text"].encode("utf-8")) + 2
        k += 1
    return out


def pair_inputs(base: list[dict[str, Any]], size: float
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(long, ordinary) article lists for one size (see the module docstring)."""
    stories = _stories(base, size)
    n = len(stories)
    excerpt = stories[2 * n // 5 : 2 * n // 5 + max(1, n // 5)]
    long = [{"id": "source", "text": "\n\n".join(s["text"] for s in stories),
             "date": "2020-01-01", "outlet": "wire"},
            {"id": "excerpt", "text": "\n\n".join(s["text"] for s in excerpt),
             "date": "2020-01-02", "outlet": "site"}]
    ordinary = [{"id": s["id"], "text": s["text"], "date": "2020-01-01", "outlet": "wire"}
                for s in stories]
    ordinary += [{"id": f"copy-{s['id']}", "text": s["text"], "date": "2020-01-02",
                  "outlet": "site"} for s in excerpt]
    return long, ordinary


def single_inputs(base: list[dict[str, Any]], size: float
                  ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    stories = _stories(base, size)
    long = [{"id": "dump", "text": "\n\n".join(s["text"] for s in stories),
             "date": "2020-01-01", "outlet": "site"}]
    ordinary = [{"id": s["id"], "text": s["text"], "date": "2020-01-01", "outlet": "site"}
                for s in stories]
    return long, ordinary


def _measure(dedup: list[str], jsonl: Path, jobs: int, timeout: float) -> dict[str, Any]:
    import subprocess

    result = jsonl.with_suffix(".measure.json")
    report = jsonl.with_suffix(".report.json")
    cmd = [sys.executable, "-m", "benchmarks.measure", str(result), "--", *dedup, "cluster",
           str(jsonl), "--jobs", str(jobs), "-q", "--format", "json", "-o", str(report)]
    try:
        subprocess.run(cmd, cwd=REPO_ROOT, timeout=timeout, check=False,
                       stdout=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    measured = json.loads(result.read_text(encoding="utf-8"))
    out = {"wall_s": round(measured["wall_s"], 2),
           "peak_mb": round(measured["maxrss_kb"] / 1024, 1), "rc": measured["rc"]}
    if measured["rc"] == 0:
        clusters = json.loads(report.read_text(encoding="utf-8"))["clusters"]
        out["clusters"] = len(clusters)
    report.unlink(missing_ok=True)
    return out


def run_long_bench(base: list[dict[str, Any]], out_dir: Path, dedup: list[str],
                   sizes: list[float], single: list[float], jobs: int = 1,
                   timeout: float = 1800.0) -> dict[str, Any]:
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for kind, make, wanted in (("excerpt + source", pair_inputs, sizes),
                               ("one article", single_inputs, single)):
        for size in wanted:
            row: dict[str, Any] = {"kind": kind, "mb": size}
            for name, articles in zip(("long", "ordinary"), make(base, size), strict=True):
                path = out_dir / f"{kind.split()[0]}-{size}-{name}.jsonl"
                write_jsonl(path, articles)
                row[f"{name}_articles"] = len(articles)
                row[name] = _measure(dedup, path, jobs, timeout)
                path.unlink()
            long, ordinary = row["long"], row["ordinary"]
            if "wall_s" in long and "wall_s" in ordinary and ordinary["wall_s"]:
                row["time_ratio"] = round(long["wall_s"] / ordinary["wall_s"], 2)
            print(f"  [long] {kind} {size} MB: {long} vs {ordinary}", flush=True)
            rows.append(row)
    result = {"jobs": jobs, "rows": rows}
    write_json(out_dir / "long.json", result)
    return result


def long_markdown(result: dict[str, Any]) -> str:
    head = ["input", "MB", "long: articles", "wall s", "peak RSS MB", "ordinary: articles",
            "wall s", "peak RSS MB", "time long / ordinary"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in result["rows"]:
        long, ordinary = r["long"], r["ordinary"]
        lines.append("| " + " | ".join(str(v) for v in (
            r["kind"], r["mb"], r["long_articles"], long.get("wall_s", long.get("error")),
            long.get("peak_mb", ""), r["ordinary_articles"],
            ordinary.get("wall_s", ordinary.get("error")), ordinary.get("peak_mb", ""),
            r.get("time_ratio", "n/a"))) + " |")
    return "\n".join(lines) + f"\n\n`dedup cluster --jobs {result['jobs']}`, one process each.\n"


def sizes(spec: str) -> list[float]:
    return [float(s) for s in spec.split(",") if s.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.long_bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="output directory")
    ap.add_argument("--sizes", default=DEFAULT_SIZES, help="source sizes, MB (comma-separated)")
    ap.add_argument("--single", default=DEFAULT_SINGLE, help="one-article sizes, MB")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--reuters", default=None, help="Reuters-21578 directory")
    ap.add_argument("--base-jsonl", default=None, help="JSONL of base articles instead")
    ap.add_argument("--dedup", default=str(REPO_ROOT / ".venv" / "bin" / "dedup"))
    ap.add_argument("--timeout", type=float, default=1800.0, help="per run, seconds")
    args = ap.parse_args(argv)
    base = load_base_articles(args.reuters, args.base_jsonl)
    result = run_long_bench(base, Path(args.out), shlex.split(args.dedup), sizes(args.sizes),
                            sizes(args.single), args.jobs, args.timeout)
    print(long_markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
