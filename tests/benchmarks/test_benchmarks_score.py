"""Tests of the benchmark scorer on a small hand-made gold (invented text)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.score import format_table, main, perfect_report, score_report

WIRE_A = "The harbour board approved a new quay on Monday. Work starts in May."
WIRE_B = "Lakeside Mills said flour sales rose five pct. Exports were flat."
CHROME = "Home | News | Sport"
COMM = " It is about time, frankly."


def _texts_and_gold() -> tuple[dict[str, str], dict[str, Any]]:
    texts = {
        "a1": WIRE_A,
        "a2": f"{CHROME}\n{WIRE_A}\n{COMM.strip()}",
        "a3": f"{CHROME}\n{WIRE_A}",
        "b1": WIRE_B,
        "b2": f"{WIRE_B[:-1]}, a remarkable result.\n{CHROME}",
        "x1": "A retelling: the board will build a quay, starting in May.",
        "x2": "Unrelated story about the weather in the hills.",
    }
    c = len(CHROME)
    a2_comm = len(CHROME) + 1 + len(WIRE_A) + 1
    b2_comm = len(WIRE_B) - 1
    gold = {
        "seed": 0,
        "clusters": [["a1", "a2", "a3"], ["b1", "b2"]],
        "articles": {
            "a1": {"story": "A", "kind": "original", "outlet": "Wire", "adds_commentary": False,
                   "related_to": None, "spans": []},
            "a2": {"story": "A", "kind": "commentary", "outlet": "P", "adds_commentary": True,
                   "related_to": None,
                   "spans": [{"start": 0, "end": c, "label": "boilerplate"},
                             {"start": a2_comm, "end": len(texts["a2"]), "label": "commentary"}]},
            "a3": {"story": "A", "kind": "verbatim", "outlet": "Q", "adds_commentary": False,
                   "related_to": None, "spans": [{"start": 0, "end": c, "label": "boilerplate"}]},
            "b1": {"story": "B", "kind": "original", "outlet": "Wire", "adds_commentary": False,
                   "related_to": None, "spans": []},
            "b2": {"story": "B", "kind": "commentary", "outlet": "R", "adds_commentary": True,
                   "related_to": None,
                   "spans": [{"start": b2_comm, "end": b2_comm + len(", a remarkable result"),
                              "label": "commentary"},
                             {"start": len(texts["b2"]) - c, "end": len(texts["b2"]),
                              "label": "boilerplate"}]},
            "x1": {"story": None, "kind": "rewrite-negative", "outlet": "Blog",
                   "adds_commentary": False, "related_to": "A", "spans": []},
            "x2": {"story": None, "kind": "singleton", "outlet": "Wire",
                   "adds_commentary": False, "related_to": None, "spans": []},
        },
    }
    return texts, gold


@pytest.fixture()
def setup() -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
    texts, gold = _texts_and_gold()
    return texts, gold, perfect_report(gold, texts)


def test_gold_spans_are_what_they_claim(setup: tuple) -> None:
    texts, gold, _ = setup
    assert texts["a2"][gold["articles"]["a2"]["spans"][1]["start"]:] == COMM.strip()
    b2 = gold["articles"]["b2"]["spans"][0]
    assert texts["b2"][b2["start"] : b2["end"]] == ", a remarkable result"


def test_perfect_report_scores_one(setup: tuple) -> None:
    texts, gold, report = setup
    m = score_report(report, gold, texts)
    for key in ("ari", "pair_precision", "pair_recall", "pair_f1", "related_recall_rewrite"):
        assert m[key] == pytest.approx(1.0), key
    for key in ("commentary_flag", "commentary_char", "boilerplate_char"):
        for k in ("precision", "recall", "f1"):
            assert m[key][k] == pytest.approx(1.0), (key, k)
    assert m["offsets_ok"] is True and m["offsets_checked"] == 5 and not m["offsets_failures"]
    assert m["negatives_merged"]["rewrite-negative"] == 0.0
    assert set(m["recall_by_kind"].values()) == {1.0}
    assert "cluster ARI" in format_table(m)


def test_shifted_span_fails_offsets_check(setup: tuple) -> None:
    texts, gold, report = setup
    span = report["clusters"][0]["members"][1]["added"][0]
    span["start"] += 1
    span["end"] += 1
    m = score_report(report, gold, texts)
    assert m["offsets_ok"] is False
    assert m["offsets_failures"] == [{"id": "a2", "start": span["start"], "end": span["end"]}]
    assert m["boilerplate_char"]["f1"] < 1.0


def test_merging_clusters_lowers_ari_and_pair_precision(setup: tuple) -> None:
    texts, gold, report = setup
    merged = copy.deepcopy(report)
    merged["clusters"][0]["members"] += merged["clusters"].pop(1)["members"]
    m = score_report(merged, gold, texts)
    assert m["ari"] < 1.0
    assert m["pair_precision"] < 1.0
    assert m["pair_recall"] == pytest.approx(1.0)


def test_merging_rewrite_negative_is_counted(setup: tuple) -> None:
    texts, gold, report = setup
    report["clusters"][0]["members"].append({"id": "x1", "relation": "copy"})
    m = score_report(report, gold, texts)
    assert m["negatives_merged"]["rewrite-negative"] == 1.0
    assert m["pair_precision"] < 1.0


def test_missing_commentary_flag_lowers_recall(setup: tuple) -> None:
    texts, gold, report = setup
    report["clusters"][1]["members"][1]["adds_commentary"] = False
    m = score_report(report, gold, texts)
    assert m["commentary_flag"]["recall"] == pytest.approx(0.5)
    assert m["commentary_flag"]["precision"] == pytest.approx(1.0)


def test_absent_fields_are_null_not_zero(setup: tuple) -> None:
    texts, gold, report = setup
    for c in report["clusters"]:
        for mem in c["members"]:
            for k in ("adds_commentary", "credit", "added"):
                mem.pop(k)
    report.pop("related")
    m = score_report(report, gold, texts)
    assert m["ari"] == pytest.approx(1.0)
    assert m["commentary_flag"]["f1"] is None
    assert m["commentary_char"]["f1"] is None and m["boilerplate_char"]["f1"] is None
    assert m["offsets_ok"] is None and m["offsets_checked"] == 0
    assert m["related_recall_rewrite"] is None


def test_empty_report_is_all_singletons(setup: tuple) -> None:
    texts, gold, _ = setup
    m = score_report({"documents": [], "clusters": []}, gold, texts)
    assert m["pair_recall"] == 0.0 and m["ari"] == pytest.approx(0.0)


def test_cli(tmp_path: Path, setup: tuple, capsys: pytest.CaptureFixture[str]) -> None:
    texts, gold, report = setup
    (tmp_path / "r.json").write_text(json.dumps(report))
    (tmp_path / "g.json").write_text(json.dumps(gold))
    with open(tmp_path / "a.jsonl", "w", encoding="utf-8") as fh:
        for k, v in texts.items():
            fh.write(json.dumps({"id": k, "text": v, "title": ""}) + "\n")
    assert main([str(tmp_path / "r.json"), str(tmp_path / "g.json"),
                 str(tmp_path / "a.jsonl")]) == 0
    assert "pair precision" in capsys.readouterr().out
    d = tmp_path / "docs"
    d.mkdir()
    for k, v in texts.items():
        (d / f"{k}.txt").write_text(v, encoding="utf-8")
    assert main([str(tmp_path / "r.json"), str(tmp_path / "g.json"), str(d), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["offsets_ok"] is True


def test_attributed_opinion_labelled_commentary_is_counted(setup: tuple) -> None:
    texts, gold, _ = setup
    start = texts["a3"].index("Work starts")
    gold["articles"]["a3"]["spans"].append(
        {"start": start, "end": len(texts["a3"]), "label": "other", "attributed": True})
    report = perfect_report(gold, texts)
    att = score_report(report, gold, texts)["attributed_as_commentary"]
    assert att == {"spans": 1, "commentary": 0, "rate": 0.0}
    for span in report["clusters"][0]["members"][2]["added"]:
        if span["start"] == start:
            span["label"] = "commentary"
    m = score_report(report, gold, texts)
    assert m["attributed_as_commentary"] == {"spans": 1, "commentary": 1, "rate": 1.0}
    row = next(r for r in format_table(m).splitlines() if r.startswith("attributed opinion"))
    assert row.split()[-4:] == ["1.000", "(1", "of", "1)"]
