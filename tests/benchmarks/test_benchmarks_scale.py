"""Tests of the synthetic scale-up generator and the scaling benchmark (invented text only)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from benchmarks import scale
from benchmarks.run import main, run_child, scaling_fit, scaling_plot
from benchmarks.synthetic import synthetic_base


@pytest.fixture(scope="module")
def base() -> list[dict]:
    return synthetic_base(n_long=60)


def _gen(base: list[dict], tmp: Path, name: str, size: int, seed: int, workers: int) -> bytes:
    out = tmp / f"{name}.jsonl"
    scale.generate_scale(base, size, out, seed=seed, workers=workers)
    return out.read_bytes()


def test_deterministic_streams_count_and_valid_jsonl(base: list[dict], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scale, "CHUNK", 70)  # several chunks, so the workers split the work
    one = _gen(base, tmp_path, "a", 300, 3, workers=1)
    assert one == _gen(base, tmp_path, "b", 300, 3, workers=1)
    assert one == _gen(base, tmp_path, "c", 300, 3, workers=2)  # not on the worker count
    assert one != _gen(base, tmp_path, "d", 300, 4, workers=1)
    rows = [json.loads(line) for line in one.decode().splitlines()]
    assert len(rows) == 300
    assert len({r["id"] for r in rows}) == 300
    assert all(r["text"].strip() and r["title"] and r["date"] and r["outlet"] for r in rows)
    meta = json.loads((tmp_path / "a.meta.json").read_text())
    assert meta["articles"] == 300 and meta["size"] == 300 and meta["seed"] == 3
    assert meta["words"] == sum(len(r["text"].split()) for r in rows)
    assert meta["bytes"] == len(one)
    assert 10 <= meta["copies"] <= 60  # about 10% syndicated copies
    plain = [r["text"] for r in rows if r["outlet"] == "Reuters"]
    assert len(set(plain)) == len(plain)  # originals are distinct
    assert any(r["outlet"] != "Reuters" for r in rows)  # some chrome


def test_ensure_reuses_same_size_and_seed(base: list[dict], tmp_path: Path) -> None:
    out = tmp_path / "s.jsonl"
    meta, reused = scale.ensure_scale_corpus(base, 50, out, seed=1, workers=1)
    assert not reused and meta["articles"] == 50
    mtime = out.stat().st_mtime_ns
    again, reused = scale.ensure_scale_corpus(base, 50, out, seed=1, workers=1)
    assert reused and again == meta and out.stat().st_mtime_ns == mtime
    other, reused = scale.ensure_scale_corpus(base, 60, out, seed=1, workers=1)
    assert not reused and other["articles"] == 60
    assert sum(1 for _ in out.open()) == 60


def test_cli(base: list[dict], tmp_path: Path) -> None:
    src = tmp_path / "base.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in base), encoding="utf-8")
    out = tmp_path / "cli.jsonl"
    assert scale.main(["--size", "40", "--out", str(out), "--base-jsonl", str(src),
                       "--workers", "1"]) == 0
    assert sum(1 for _ in out.open()) == 40


def test_run_child_time_and_memory_limits(tmp_path: Path) -> None:
    slow = run_child([sys.executable, "-c", "import time; time.sleep(30)"],
                     tmp_path / "slow.log", timeout=1.0)
    assert slow["status"] == "timeout" and "timed out" in slow["error"]
    assert 1.0 <= slow["elapsed_s"] < 10
    big = run_child([sys.executable, "-c",
                     "import time; x = b'x' * (400 * 2**20); time.sleep(30)"],
                    tmp_path / "big.log", timeout=20.0, mem_limit_mb=150)
    assert big["status"] == "memory" and "memory" in big["error"], big
    assert big["elapsed_s"] < 15 and big["tree_peak_mb"] > 150


def test_fit_and_plot_mark_unfinished_runs(tmp_path: Path) -> None:
    rows = [{"tool": "t", "size": n, "articles": n, "words": 100 * n, "status": "ok",
             "wall_s": w, "peak_rss_mb": 50.0 * n / 1000} for n, w in
            [(1000, 1.0), (10000, 10.0), (100000, 1000.0)]]
    rows.append({"tool": "t", "size": 10**6, "articles": 10**6, "words": 10**8,
                 "status": "timeout", "wall_s": None, "elapsed_s": 1800.0,
                 "tree_peak_mb": 9000.0, "peak_rss_mb": None})
    fit = scaling_fit(rows, "t")
    assert fit["points"] == 3 and fit["rss_k"] == 1.0
    assert [x["time_k"] for x in fit["local"]] == [1.0, 2.0]
    assert fit["bend_at"] == {"size": 10000, "before": 1.0, "after": 2.0}
    png = scaling_plot({"rows": rows}, [], tmp_path / "p.png")
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_quick_scaling_smoke(base: list[dict], tmp_path: Path) -> None:
    src = tmp_path / "base.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in base), encoding="utf-8")
    out = tmp_path / "out"
    rc = main(["--quick", "--skip-corpus", "--skip-seeds", "--base-jsonl", str(src),
               "--out", str(out), "--scale-sizes", "60,150",
               "--dedup", f"{sys.executable} -m dedup"])
    assert rc == 0
    res = json.loads((out / "results.json").read_text())
    rows = res["scale"]["rows"]
    assert [(r["tool"], r["size"]) for r in rows] == [
        ("dedup", 60), ("minhash@0.5", 60), ("dedup", 150), ("minhash@0.5", 150)]
    for r in rows:
        assert r["status"] == "ok", r
        assert 20 < r["peak_rss_mb"] < 4000, r  # a Python process with numpy, in MB
        assert r["articles_per_s"] == pytest.approx(r["size"] / r["wall_s"], rel=0.05, abs=0.2)
        # Articles of over 50 words, each under 20 kB.
        assert r["words_per_s"] > 50 * r["articles_per_s"] > 0
        assert 0 < r["mb_per_s"] < r["articles_per_s"] * 0.02
    assert {f["tool"] for f in res["scale"]["fits"] if f["time_k"] is not None} == {
        "dedup", "minhash@0.5"}
    stages = res["stages"]
    assert stages["error"] is None
    names = [r["stage"] for r in stages["rows"]]
    assert names[0] == "load" and "candidates" in names and names[-1] == "render json"
    assert (out / "scaling.png").read_bytes()[:4] == b"\x89PNG"
    md = (out / "results.md").read_text()
    assert "### Scaling" in md and "words^k with k=" in md and "stage by stage" in md
