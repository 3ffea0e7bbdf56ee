"""The signature-stage benchmark measures every step and renders its table."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.signature_bench import signature_table, signature_throughput


def test_signature_benchmark_reports_each_step(tmp_path: Path) -> None:
    text = " ".join(f"word{i % 97} follows word{i % 89} in sentence {i}." for i in range(400))
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps({"id": str(k), "text": f"{k} {text}"})
                              for k in range(5)) + "\n", encoding="utf-8")
    res = signature_throughput(path)
    assert res["articles"] == 5
    assert res["shingles"] > 5 * 1000
    steps = {r["step"]: r for r in res["rows"]}
    assert any(s.startswith("datasketch") for s in steps)
    assert all(r["cpu_s"] >= 0 for r in res["rows"])
    assert res["minhash_vs_bound"] > 0
    table = "\n".join(signature_table(res))
    assert "arithmetic bound" in table and "MB/s per core" in table
