"""Smoke test of benchmarks.run --quick: a failing dedup is recorded, baselines still scored."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.run import main
from benchmarks.synthetic import synthetic_base


def test_quick_run_records_failed_dedup(tmp_path: Path) -> None:
    base = tmp_path / "base.jsonl"
    base.write_text("".join(json.dumps(r) + "\n" for r in synthetic_base()), encoding="utf-8")
    out = tmp_path / "out"
    rc = main(["--quick", "--base-jsonl", str(base), "--out", str(out), "--stories", "6",
               "--dedup", str(tmp_path / "no-such-dedup"), "--baselines", "minhash@0.5",
               "--skip-seeds", "--skip-scale", "--skip-stages"])
    assert rc == 0
    res = json.loads((out / "results.json").read_text())
    rows = {r["tool"]: r for r in res["corpus_rows"]}
    assert rows["dedup"]["error"] and rows["dedup"]["metrics"] is None
    assert rows["minhash@0.5"]["error"] is None
    assert 0.0 <= rows["minhash@0.5"]["metrics"]["pair_precision"] <= 1.0
    assert 20 < rows["minhash@0.5"]["peak_rss_mb"] < 4000  # a Python process, in MB
    md = (out / "results.md").read_text()
    assert "| minhash@0.5 |" in md and "dedup (failed)" in md
