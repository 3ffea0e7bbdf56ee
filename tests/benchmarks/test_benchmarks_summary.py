"""The README's quality-and-speed table is written from a run's results, not by hand."""

from __future__ import annotations

from pathlib import Path

from benchmarks.summary import SUMMARY_END, SUMMARY_START, summary_markdown, update_top_readme


def _metrics(ari: float) -> dict[str, object]:
    return {"ari": ari, "pair_precision": 0.99, "pair_recall": 0.97,
            "commentary_flag": {"f1": 0.9}, "commentary_char": {"f1": 0.8}}


RESULTS = {
    "corpus": {"articles": 4286, "clusters": 600},
    "corpus_rows": [{"tool": "dedup", "metrics": _metrics(0.983)},
                    {"tool": "minhash@0.5", "metrics": _metrics(0.584)},
                    {"tool": "tfidf@0.7", "metrics": _metrics(0.724)},
                    {"tool": "textdedup@0.5", "metrics": None}],
    "speed_rows": [{"tool": "dedup", "docs": 19043, "wall_s": 10.0, "peak_rss_mb": 312.0},
                   {"tool": "minhash@0.5", "docs": 19043, "wall_s": 8.0, "peak_rss_mb": 300.0}],
}


def test_summary_puts_dedup_beside_the_best_baseline() -> None:
    md = summary_markdown(RESULTS)
    lines = md.splitlines()
    assert lines[0] == "| on | dedup | best plain baseline |"
    corpus = next(line for line in lines if "cluster ARI" in line)
    assert "0.983" in corpus and "tfidf@0.7: 0.724" in corpus  # the best, not the first
    speed = next(line for line in lines if "Reuters" in line)
    assert "10.0 s" in speed and "1.25x" in speed


def test_update_pastes_between_the_markers_only(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{SUMMARY_START}\nold table\n{SUMMARY_END}\nrest\n")
    assert update_top_readme(summary_markdown(RESULTS), readme)
    text = readme.read_text()
    assert "old table" not in text and text.startswith("intro\n") and text.endswith("rest\n")
    assert "0.983" in text
    assert not update_top_readme("", readme)  # a run that measured nothing leaves it alone
