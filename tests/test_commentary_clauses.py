"""Short opinion clauses spliced into a copied wire sentence are commentary, with exact
offsets; a short edit of a figure is not (dedup.align with dedup.label.is_short_opinion)."""

from __future__ import annotations

from dedup.label import COMMENTARY
from dedup.load import Article
from dedup.pipeline import analyze

WIRE = [
    "The central bank raised its main interest rate by half a point on Thursday, citing "
    "inflation that has stayed above its target for eleven consecutive months.",
    "Governor Maria Lindqvist told a news conference in the capital that further increases "
    "could not be ruled out if wage growth continued to accelerate through the summer.",
    "The decision was expected by most economists polled before the meeting, although two "
    "of the nine board members voted to keep the rate unchanged.",
    "The currency rose against the euro after the announcement, while shares of the "
    "country's largest lenders gained between one and three percent in afternoon trading.",
]


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
    assert not [a for a in _added(copy) if a[2] == COMMENTARY]
