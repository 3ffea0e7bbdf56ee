"""The hand labels of seeds/ are in step with the files and the script that finds them."""

from __future__ import annotations

import json

from benchmarks.common import REPO_ROOT, load_texts
from benchmarks.make_seeds_gold import OUT, build
from benchmarks.score import perfect_report, score_report


def test_seeds_gold_up_to_date_and_offsets_exact() -> None:
    gold = json.loads(OUT.read_text(encoding="utf-8"))
    assert gold == build()
    texts = load_texts(REPO_ROOT / "seeds")
    assert set(gold["articles"]) == set(texts)
    assert gold["clusters"] == [["001_14993c057e754b8b", "002_02662ee57eea0c09"],
                                ["003_8c73973eb25d2eab", "004_85a14eddb205e668"]]
    spans001 = gold["articles"]["001_14993c057e754b8b"]["spans"]
    comm = [texts["001_14993c057e754b8b"][s["start"] : s["end"]] for s in spans001
            if s["label"] == "commentary"]
    assert len(comm) == 3 and comm[0].startswith(" \u2013 though") and comm[1].startswith(
        "In reality, however,")
    m = score_report(perfect_report(gold, texts), gold, texts)
    assert m["ari"] == 1.0 and m["offsets_ok"] is True
