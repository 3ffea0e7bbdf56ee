"""The signature-stage benchmark measures every step and renders its table."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.signature_bench import signature_table, signature_throughput
from dedup.normalize import tokenize


def test_signature_benchmark_reports_each_step(tmp_path: Path) -> None:
    text = " ".join(f"word{i % 97} follows word{i % 89} in sentence {i}." for i in range(400))
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps({"id": str(k), "text": f"{k} {text}"})
                              for k in range(5)) + "\n", encoding="utf-8")
    texts = [f"{k} {text}" for k in range(5)]
    res = signature_throughput(path)
    assert res["articles"] == 5
    assert res["mb"] == round(sum(len(t.encode()) for t in texts) / 1e6, 2)
    # Every 5-gram of every article's words, and each of them under 128 + 64 permutations.
    assert res["shingles"] == sum(len(tokenize(t).words) - 4 for t in texts)
    assert res["permutation_ops"] == res["shingles"] * (128 + 64)
    steps = {r["step"]: r for r in res["rows"]}
    # The whole stage (compiled and reference), the paragraph stage (both), each hashing step,
    # datasketch and the arithmetic bound: 13 rows.
    assert len(steps) == 13 and any(s.startswith("datasketch") for s in steps)
    assert sum("pure-Python reference" in s for s in steps) == 2
    batched = [r["cpu_s"] for s, r in steps.items() if "articles at a time (as dedup" in s]
    stage = steps["signature stage (shingle hashes + MinHash, as dedup does)"]["cpu_s"]
    assert len(batched) == 2 and abs(stage - sum(batched)) <= 0.002  # the stage is the two
    assert res["uint32_ops_per_s"] > 1e7  # any core runs numpy's uint32 multiply this fast
    table = "\n".join(signature_table(res))
    assert "arithmetic bound" in table and "MB/s per core" in table
    assert f"{res['shingles']:,} shingles" in table and table.count("\n| ") == 13  # row per step
