"""benchmarks.index_bench: the scorer, the held-out split, and a seconds-long smoke run."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.index_bench import (
    explain_wrong,
    index_is_current,
    main,
    score_check,
    split_corpus,
)
from benchmarks.synthetic import synthetic_base
from dedup.index import open_index
from dedup.load import Article

COPIES = {"c1": ["c1", "o1", "x1"], "c2": ["c2", "o2"]}
NEGATIVES = ["n1", "n2"]


def test_a_perfect_check_scores_one() -> None:
    findings = {"c1": ["o1", "x1"], "c2": ["o2"]}
    s = score_check(findings, COPIES, NEGATIVES)
    assert s["recall"] == 1.0 and s["precision"] == 1.0 and s["per_article_precision"] == 1.0
    assert s["negatives_flagged"] == 0 and s["missed_total"] == 0 and s["wrong_pairs"] == []


def test_a_wrong_cluster_match_lowers_precision_not_recall() -> None:
    s = score_check({"c1": ["o1", "o2"], "c2": ["o2"]}, COPIES, NEGATIVES)
    assert s["recall"] == 1.0
    assert s["precision"] == 2 / 3
    assert s["per_article_precision"] == (0.5 + 1.0) / 2
    assert s["wrong_pairs"] == [["c1", "o2"]]


def test_misses_and_flagged_negatives() -> None:
    kinds = {"c1": "verbatim", "c2": "brief", "n1": "singleton", "n2": "rewrite-negative"}
    s = score_check({"c1": ["x1"], "n1": ["o1"]}, COPIES, NEGATIVES, kinds)
    assert s["recall"] == 0.5  # c2 has no finding
    assert s["precision"] == 0.5  # n1's match is wrong: it copies nothing
    assert s["negatives_flagged"] == 1
    assert s["by_kind"]["brief"] == {"held_out": 1, "hit": 0, "matches": 0, "right": 0}
    assert s["by_kind"]["singleton"]["flagged"] == 1
    assert [m["id"] for m in s["missed"]] == ["c2"]
    explained = explain_wrong(s, {"n1": "a b c d e f g h i j", "o1": "x a b c d e f g h i"})
    assert explained == {"wrong_matches": 1, "sharing_8_words": 1, "sharing_20_words": 0,
                         "longest_runs": [9]}


def test_no_reported_match_is_no_precision() -> None:
    s = score_check({}, COPIES, NEGATIVES)
    assert s["recall"] == 0.0 and s["precision"] is None


def test_split_holds_out_one_copy_per_cluster_never_the_original() -> None:
    gold = {"clusters": [["a1", "a2", "a3"], ["b1", "b2"]],
            "articles": {"a1": {"kind": "original"}, "a2": {"kind": "verbatim"},
                         "a3": {"kind": "brief"}, "b1": {"kind": "house"},
                         "b2": {"kind": "trimmed"}, "n1": {"kind": "rewrite-negative"},
                         "n2": {"kind": "same-event-negative"}, "s1": {"kind": "singleton"}}}
    split = split_corpus(gold, 13)
    assert split == split_corpus(gold, 13)
    assert len(split["copies"]) == 2 and "a1" not in split["copies"]
    assert {"n1", "n2"} <= set(split["negatives"])
    held = set(split["copies"]) | set(split["negatives"])
    assert held.isdisjoint(split["indexed"]) and "a1" in split["indexed"]
    assert held | set(split["indexed"]) == set(gold["articles"])


def test_quick_run(tmp_path: Path) -> None:
    base = tmp_path / "base.jsonl"
    base.write_text("".join(json.dumps(r) + "\n" for r in synthetic_base()), encoding="utf-8")
    out = tmp_path / "out"
    rc = main(["--quick", "--base-jsonl", str(base), "--out", str(out), "--stories", "6",
               "--warm-runs", "0", "--sizes", "120", "--build-batch", "20"])
    assert rc == 0
    res = json.loads((out / "results.json").read_text())
    assert res["base_build"]["status"] == "ok"
    small, large = res["sizes"]
    assert small["indexed"] == res["indexed"] < 120
    assert small["score"]["copies"] == res["held_out_copies"] > 0
    assert 0.0 <= small["score"]["recall"] <= 1.0
    assert small["check_cli"]["rc"] in (0, 1) and small["check_cli"]["cold_s"] > 0
    assert small["check_cli"]["checked"] == min(100, res["held_out_copies"]
                                                + res["held_out_negatives"])
    assert large["indexed"] == 120 and large["build"]["status"] == "ok"
    assert len(large["build"]["batches"]) == -(-(120 - res["indexed"]) // 20)  # 20 per add
    assert "score" in large and large["check_in_process"]["batches"] >= 1
    imports = res["check_imports"]  # the check's start-up, without scikit-learn
    assert imports["median_s"] > 0 and imports["heavy"] == [] and not imports["scipy_stats"]
    md = (out / "results.md").read_text()
    assert "Held out:" in md and "| 120 | 120 |" in md
    assert "heavy libraries among them: none." in md


def _page(k: int) -> Article:
    body = " ".join(f"Story {k} sentence {j} reports figure {k * 100 + j} for the market."
                    for j in range(12))
    edition = "Northern valley farmers market weekend edition special pages"
    return Article(f"x{k}", f"{body}\n\n{edition}\n\n{body} Closing words of story {k}.",
                   outlet="example.com")


def test_a_grown_index_is_current_though_later_pages_make_a_line_chrome(
    tmp_path: Path,
) -> None:
    # The edition line becomes chrome only when later pages of the outlet repeat it; band
    # keys do not depend on recurrence (issue 19), so the first page re-keys as stored.
    path = tmp_path / "index.sqlite"
    with open_index(str(path), create=True) as idx:
        idx.add([_page(0)])
        idx.add([_page(k) for k in range(1, 6)])
        idx.jobs = 1
        first = idx.load([1])[0]
        stored = idx._conn.execute("SELECT band_keys FROM articles WHERE article = 1").fetchone()
        rekeyed = idx.prepare([first.article])[0].bands.tobytes()
        assert rekeyed == stored[0]
    assert index_is_current(path, sample=3, window=5)
    assert index_is_current(path, sample=6, window=6)  # the first page in the sample too
    with open_index(str(path)) as idx:  # a stale key among the last ones: not current
        idx._conn.execute("UPDATE articles SET band_keys = ? WHERE article = "
                          "(SELECT MAX(article) FROM articles)", (stored[0],))
    assert not index_is_current(path, sample=5, window=5)
