"""The one quality-and-speed table of the top-level README, written from a benchmark run.

``python -m benchmarks.run --update-readme`` pastes it between the README's summary markers;
the run's every table, with its date and method, goes to benchmarks/README.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SUMMARY_START = "<!-- summary:start -->"
SUMMARY_END = "<!-- summary:end -->"
TOP_README = Path(__file__).resolve().parent.parent / "README.md"


def _f(value: Any, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _dedup(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((r for r in rows if r["tool"] == "dedup" and r.get("metrics")), None)


def _best_baseline(rows: list[dict[str, Any]]) -> str:
    scored = [r for r in rows if r["tool"] != "dedup" and r.get("metrics")]
    if not scored:
        return "n/a"
    best = max(scored, key=lambda r: r["metrics"]["ari"])
    return f"{best['tool']}: {_f(best['metrics']['ari'])}"


def _corpus_rows(res: dict[str, Any]) -> list[str]:
    rows = res.get("corpus_rows") or []
    own = _dedup(rows)
    if own is None:
        return []
    m, c = own["metrics"], res["corpus"]
    return [
        f"| labelled syndication corpus ({c['articles']:,} articles, {c['clusters']} copy "
        f"clusters): cluster ARI | {_f(m['ari'])} (pair precision {_f(m['pair_precision'])}, "
        f"recall {_f(m['pair_recall'])}) | {_best_baseline(rows)} |",
        f"| same corpus, added text held out from tuning: \"adds commentary\" flag F1 / "
        f"commentary characters F1 | "
        f"{_f(m['commentary_flag']['f1'])} / {_f(m['commentary_char']['f1'])} | n/a |",
    ]


def _seed_rows(res: dict[str, Any]) -> list[str]:
    rows = res.get("seeds_rows") or []
    own = _dedup(rows)
    if own is None:
        return []
    return [f"| seeds/: cluster ARI | {_f(own['metrics']['ari'])} | {_best_baseline(rows)} |"]


def _speed_rows(res: dict[str, Any]) -> list[str]:
    rows = [r for r in res.get("speed_rows") or [] if r.get("wall_s")]
    own = next((r for r in rows if r["tool"] == "dedup"), None)
    if own is None:
        return []
    others = [r for r in rows if r is not own]
    other = (f"{others[0]['tool']}: {_f(others[0]['wall_s'], 1)} s "
             f"({own['wall_s'] / others[0]['wall_s']:.2f}x)" if others else "n/a")
    return [f"| all {own['docs']:,} Reuters-21578 stories: wall time, 2 cores | "
            f"{_f(own['wall_s'], 1)} s, {_f(own.get('peak_rss_mb'), 0)} MB | {other} |"]


def _scale_rows(res: dict[str, Any]) -> list[str]:
    scale = res.get("scale")
    if not scale:
        return []
    ok = [r for r in scale["rows"] if r["tool"] == "dedup" and r["status"] == "ok"]
    if not ok:
        return []
    top = max(ok, key=lambda r: r["articles"])
    other = next((r for r in scale["rows"] if r["tool"] != "dedup"
                  and r["articles"] == top["articles"] and r["status"] == "ok"), None)
    theirs = (f"{other['tool']}: {_f(other['wall_s'], 0)} s, "
              f"{_f(other.get('peak_rss_mb', 0) / 1024, 1)} GB" if other else "n/a")
    return [f"| {top['articles']:,}-article synthetic scale-up: wall time, peak RSS | "
            f"{_f(top['wall_s'], 0)} s, {_f(top.get('peak_rss_mb', 0) / 1024, 1)} GB | "
            f"{theirs} |"]


def _rewording_rows(res: dict[str, Any]) -> list[str]:
    rw = res.get("rewording")
    if not rw or rw.get("light_recall") is None:
        return []
    return [f"| light rewrites of Reuters stories (held-out seed): clustered with their source "
            f"/ same-event pairs merged | {_f(rw['light_recall'])} / "
            f"{rw['same_event_merged']} of {rw['same_event_pairs']} | n/a |"]


def _index_rows(res: dict[str, Any]) -> list[str]:
    sizes = [s for s in (res.get("index") or {}).get("sizes", []) if "score" in s]
    out = []
    for s in sizes:
        sc, cli = s["score"], s["check_cli"]
        out.append(f"| `dedup check` of 100 articles against an index of {s['indexed']:,} articles "
                   f"| recall {_f(sc['recall'])}, precision {_f(sc['precision'])}; "
                   f"{_f(cli['warm_s'], 1)} s as a CLI (warm) | n/a |")
    return out


def summary_markdown(res: dict[str, Any]) -> str:
    """The README's table: what the run measured, dedup beside the best plain baseline."""
    rows = (_corpus_rows(res) + _rewording_rows(res) + _seed_rows(res) + _speed_rows(res)
            + _scale_rows(res) + _index_rows(res))
    if not rows:
        return ""
    return "\n".join(["| on | dedup | best plain baseline |", "| --- | --- | --- |", *rows]) + "\n"


def update_top_readme(markdown: str, readme: Path = TOP_README) -> bool:
    """Paste ``markdown`` between the summary markers; False if the README has none."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    if not markdown or SUMMARY_START not in text or SUMMARY_END not in text:
        return False
    head, rest = text.split(SUMMARY_START, 1)
    _, tail = rest.split(SUMMARY_END, 1)
    readme.write_text(f"{head}{SUMMARY_START}\n{markdown}{SUMMARY_END}{tail}", encoding="utf-8")
    return True
