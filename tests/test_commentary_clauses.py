"""Short opinion clauses spliced into a copied wire sentence are commentary, with exact
offsets; a short edit of a figure is not (dedup.align with dedup.label.is_short_opinion)."""

from __future__ import annotations

from dedup.label import COMMENTARY
from dedup.load import Article
from dedup.pipeline import analyze
from tests.helpers import WIRE


def _added(copy: str) -> list[tuple[int, int, str, str]]:
    analysis = analyze([Article("wire", "\n\n".join(WIRE)), Article("copy", copy)])
    assert len(analysis.clusters) == 1
    for m in analysis.clusters[0].members:
        if analysis.articles[m.index].id == "copy":
            return [(s.start, s.end, s.label, s.text) for s in m.added]
    raise AssertionError("copy is in no cluster")


def test_one_word_opinion_spliced_onto_a_sentence_is_commentary() -> None:
    spliced = WIRE[1][:-1] + ", shamefully."
    copy = "\n\n".join([WIRE[0], spliced, *WIRE[2:]])
    added = _added(copy)
    assert [(label, text) for _, _, label, text in added] == [(COMMENTARY, "shamefully.")]
    start, end, _, text = added[0]
    assert copy[start:end] == text


def test_two_word_figure_edit_is_not_an_addition() -> None:
    edited = WIRE[3][:-1] + ", up 2 percent."
    copy = "\n\n".join([*WIRE[:3], edited])
    assert _added(copy) == []


def test_a_clause_after_a_comma_and_non_content_words_is_spliced() -> None:
    # "which" is no content word: the clause opens at the comma before it.
    spliced = WIRE[1][:-1] + ", which tells you everything about their priorities."
    copy = "\n\n".join([WIRE[0], spliced, *WIRE[2:]])
    added = _added(copy)
    assert [(label, text) for _, _, label, text in added] == [
        (COMMENTARY, "which tells you everything about their priorities.")]
    start, end, _, text = added[0]
    assert copy[start:end] == text
