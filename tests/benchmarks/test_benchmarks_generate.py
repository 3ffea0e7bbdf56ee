"""Tests of the synthetic syndication corpus generator (on an invented base corpus)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

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


def _heldout_templates() -> list[str]:
    from benchmarks import templates as T

    return (T.HELDOUT_COMMENTARY_PARAGRAPHS + T.HELDOUT_COMMENTARY_CLAUSES
            + T.HELDOUT_BACKGROUND_SENTENCES + T.HELDOUT_ATTRIBUTED_OPINION)


def test_heldout_part_has_no_phrase_the_detector_lists() -> None:
    """dedup is scored on the held-out part: none of the opinion phrases label.py lists
    may occur in it. (Its other cues are closed word classes, pronouns, modals and verbs of
    saying, that any text has, and VADER's published lexicon.)"""
    import re

    from dedup.label import OPINION_PHRASES

    pattern = re.compile(r"\b(?:" + "|".join(OPINION_PHRASES) + r")\b", re.IGNORECASE)
    hits = [(t, m.group(0)) for t in _heldout_templates() if (m := pattern.search(t))]
    assert hits == []


def test_heldout_and_tuning_parts_share_no_template() -> None:
    from benchmarks.generate import _POOLS

    for name, (tune, held) in _POOLS.items():
        assert tune and held, name
        assert not set(tune) & set(held), name
    assert len(set(_heldout_templates())) == len(_heldout_templates())


def test_splits_change_only_the_added_text() -> None:
    base = synthetic_base()
    dev_articles, dev_gold = generate_corpus(base, n_stories=12, seed=3, templates="dev")
    test_articles, test_gold = generate_corpus(base, n_stories=12, seed=3, templates="test")
    assert dev_gold["clusters"] == test_gold["clusters"]
    assert [a["id"] for a in dev_articles] == [a["id"] for a in test_articles]
    for aid, g in dev_gold["articles"].items():
        h = test_gold["articles"][aid]
        assert (g["kind"], g["story"], g["adds_commentary"]) == (h["kind"], h["story"],
                                                                 h["adds_commentary"])
    dev_text = "\n".join(a["text"] for a in dev_articles)
    test_text = "\n".join(a["text"] for a in test_articles)
    assert dev_text != test_text


def test_attributed_opinion_spans_are_other_and_from_the_pool() -> None:
    from benchmarks.generate import template_pool

    articles, gold = generate_corpus(synthetic_base(n_long=60), n_stories=30, seed=8,
                                     templates="test")
    texts = {a["id"]: a["text"] for a in articles}
    attributed = [(texts[aid][s["start"]:s["end"]], s) for aid, g in gold["articles"].items()
                  for s in g["spans"] if s.get("attributed")]
    assert attributed
    heads = {t.split("{")[0][:12] for t in template_pool("attributed", "test")}
    for text, span in attributed:
        assert span["label"] == "other"
        assert any(" ".join(text.split()).startswith(h) for h in heads if h), text
