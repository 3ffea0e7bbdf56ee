"""Tests of the synthetic syndication corpus generator (on an invented base corpus)."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

# benchmarks/ is not an installed package: make the repo root importable under plain
# `pytest` too (`python -m pytest` already has it on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import load_base_articles, ngram_hashes, words
from benchmarks.generate import (
    ALL_KINDS,
    LABELS,
    build_rewrite,
    check_spans,
    generate_corpus,
    main,
    make_outlets,
    to_story,
)
from benchmarks.synthetic import synthetic_base


@pytest.fixture(scope="module")
def corpus() -> tuple[list[dict], dict]:
    return generate_corpus(synthetic_base(), n_stories=12, seed=3)


def test_deterministic(corpus: tuple[list[dict], dict]) -> None:
    again = generate_corpus(synthetic_base(), n_stories=12, seed=3)
    assert json.dumps(corpus, sort_keys=True) == json.dumps(again, sort_keys=True)
    other = generate_corpus(synthetic_base(), n_stories=12, seed=4)
    assert json.dumps(corpus, sort_keys=True) != json.dumps(other, sort_keys=True)


def test_spans_inside_text_and_valid(corpus: tuple[list[dict], dict]) -> None:
    articles, gold = corpus
    texts = {a["id"]: a["text"] for a in articles}
    assert set(texts) == set(gold["articles"])
    n_spans = 0
    for aid, g in gold["articles"].items():
        assert g["kind"] in ALL_KINDS
        check_spans(texts[aid], g["spans"])
        for sp in g["spans"]:
            assert sp["label"] in LABELS
            assert 0 <= sp["start"] < sp["end"] <= len(texts[aid])
            n_spans += 1
        has_comm = any(sp["label"] == "commentary" for sp in g["spans"])
        assert g["adds_commentary"] == has_comm
    assert n_spans > 0
    assert any(g["adds_commentary"] for g in gold["articles"].values())


def test_clusters(corpus: tuple[list[dict], dict]) -> None:
    articles, gold = corpus
    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids))
    assert gold["clusters"] == sorted(sorted(c) for c in gold["clusters"])
    assert len(gold["clusters"]) == 12
    seen: set[str] = set()
    for c in gold["clusters"]:
        assert len(c) >= 2
        stories = {gold["articles"][i]["story"] for i in c}
        assert len(stories) == 1 and None not in stories
        assert not seen & set(c)
        seen |= set(c)
    for aid, g in gold["articles"].items():
        assert (aid in seen) == (g["story"] is not None)
    # ids are shuffled: a cluster is not a contiguous run of ids
    pos = {i: k for k, i in enumerate(ids)}
    assert any(max(pos[i] for i in c) - min(pos[i] for i in c) >= len(c)
               for c in gold["clusters"])


def test_copy_kinds_and_negatives_present(corpus: tuple[list[dict], dict]) -> None:
    _, gold = corpus
    kinds = {g["kind"] for g in gold["articles"].values()}
    assert {"brief-negative", "singleton"} <= kinds
    assert len(kinds & {"verbatim", "trimmed", "brief", "excerpt", "house", "reworded",
                        "commentary", "background", "mix"}) >= 5


def test_rewrite_negatives_share_no_8gram() -> None:
    base = synthetic_base()
    stories = [to_story(a) for a in base if str(a["id"]).startswith("syn-")]
    outlets = make_outlets(random.Random(1))
    rng = random.Random(2)
    made = 0
    for s in stories:
        rw = build_rewrite(s, outlets[0], s.date, rng)  # type: ignore[arg-type]
        if rw is None:
            continue
        made += 1
        text, spans, _ = rw
        check_spans(text, spans)
        assert not ngram_hashes(words(text), 8) & ngram_hashes(words(s.text), 8)
    assert made >= len(stories) // 2


def test_rewrite_negatives_in_corpus_share_no_8gram(corpus: tuple[list[dict], dict]) -> None:
    articles, gold = generate_corpus(synthetic_base(n_long=60), n_stories=30, seed=8)
    texts = {a["id"]: a["text"] for a in articles}
    base = {str(a["id"]): str(a["text"]) for a in synthetic_base(n_long=60)}
    rewrites = [(i, g) for i, g in gold["articles"].items() if g["kind"] == "rewrite-negative"]
    assert rewrites
    for aid, g in rewrites:
        assert g["story"] is None and g["related_to"] in base
        assert aid not in {i for c in gold["clusters"] for i in c}
        story_grams = ngram_hashes(words(base[g["related_to"]]), 8)
        assert not ngram_hashes(words(texts[aid]), 8) & story_grams


def test_cli_writes_files_and_missing_data_exits_2(tmp_path: Path) -> None:
    base = tmp_path / "base.jsonl"
    base.write_text("".join(json.dumps(r) + "\n" for r in synthetic_base()), encoding="utf-8")
    out = tmp_path / "corpus"
    assert main(["--base-jsonl", str(base), "--out", str(out), "--stories", "5"]) == 0
    arts = [json.loads(line) for line in (out / "articles.jsonl").read_text().splitlines()]
    assert arts and set(arts[0]) == {"id", "text", "title", "outlet", "date", "url"}
    assert json.loads((out / "gold.json").read_text())["seed"] == 13
    with pytest.raises(SystemExit) as exc:
        load_base_articles(reuters=tmp_path / "nowhere")
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        load_base_articles(base_jsonl=tmp_path / "nowhere.jsonl")
    assert exc.value.code == 2
