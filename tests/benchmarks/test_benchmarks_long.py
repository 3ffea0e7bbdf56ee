"""benchmarks.long_bench: the long input and the ordinary one hold the same stories."""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.long_bench import long_markdown, pair_inputs, run_long_bench, single_inputs
from benchmarks.synthetic import synthetic_base


def _bytes(articles: list[dict]) -> int:
    return sum(len(a["text"]) for a in articles)


def test_long_and_ordinary_inputs_hold_the_same_text() -> None:
    base = synthetic_base()
    long, ordinary = pair_inputs(base, 0.05)
    assert len(long) == 2 and len(ordinary) > 10
    separators = 2 * (len(ordinary) - 2)  # the blank lines that join stories in the long ones
    assert _bytes(long) == _bytes(ordinary) + separators
    assert long[1]["text"] in long[0]["text"]
    (dump,), stories = single_inputs(base, 0.05)
    assert dump["text"] == "\n\n".join(s["text"] for s in stories)


def test_run_finds_the_excerpt_and_tabulates(tmp_path: Path) -> None:
    dedup = [sys.executable, "-m", "dedup"]
    result = run_long_bench(synthetic_base(), tmp_path, dedup, [0.03], [], timeout=300)
    (row,) = result["rows"]
    assert row["long"]["rc"] == 0 and row["long"]["clusters"] == 1
    assert row["ordinary"]["clusters"] >= 1 and 20 < row["ordinary"]["peak_mb"] < 4000
    assert "| excerpt + source | 0.03 | 2 |" in long_markdown(result)
