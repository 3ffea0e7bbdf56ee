"""Commentary vs reporting, and agency credits."""

from __future__ import annotations

import pytest

from dedup.label import (
    COMMENTARY,
    OTHER,
    find_credit,
    is_short_opinion,
    is_unreported_opinion,
    label_addition,
    lexicon,
    mask_quotes_by_block,
    voice,
    word_classes,
)
from dedup.normalize import mask_quotes


@pytest.mark.parametrize("text", [
    "In reality, however, European companies have lined up to do business with Tehran.",
    "– despite the fact that he himself gave the deal his blessing.",
    "Who, exactly, believes this will end well?",
    "We should not pretend that this shameful deal is anything but a surrender.",
])
def test_opinion_is_commentary(text: str) -> None:
    assert label_addition(text) == COMMENTARY


# Missed by the phrase-list detector (issue 17); none of their words is in label.py's lists.
@pytest.mark.parametrize("text", [
    "A rescue this generous to the lenders will be remembered long after the headlines fade.",
    "It is hard to imagine a worse moment to raise fuel duty.",
    pytest.param("So much for the promised discipline.", marks=pytest.mark.xfail(
        strict=True, reason="a verbless fragment with one mild word: no cue fires")),
])
def test_unlisted_opinion_is_commentary(text: str) -> None:
    assert label_addition(text) == COMMENTARY or is_unreported_opinion(text)


# Attributed opinion is the source's view, reported: not the outlet's commentary.
@pytest.mark.parametrize("text", [
    '"This is a disaster for exporters," the union leader said.',
    "Analysts expect the bank to cut rates.",
    "The union described the offer as insulting and reckless.",
    '"Frankly, it is an absurd and shameful deal," one trader told reporters on Monday.',
])
def test_attributed_opinion_is_other(text: str) -> None:
    masked = mask_quotes(text)
    assert label_addition(masked) == OTHER
    assert not is_unreported_opinion(masked)


@pytest.mark.parametrize(("text", "opinion"), [
    ("shamefully", True), ("alas", True), ("wisely", True), ("heaven help us", True),
    ("up 2 percent", False), ("in March", False), ("Reuters said", False),
])
def test_short_spliced_clause(text: str, opinion: bool) -> None:
    assert is_short_opinion(text) is opinion


def test_lexicon_is_vaders_from_the_package() -> None:
    lex = lexicon()
    assert len(lex.valence) > 7000
    assert lex.valence["disaster"] < -2 < 2 < lex.valence["generous"]
    assert "utterly" in lex.boosters and "never" in lex.negators


@pytest.mark.parametrize("text", [
    "The Washington Post reported last week that the administration has proposed a new deal.",
    "The company reported a net profit of 12 mln dlrs in 1986, according to its annual report.",
    "Russia and Iran have thrown their weight behind Damascus.",
    '"We should never trust them, it is a shameful betrayal," the minister said.',
])
def test_reporting_is_other(text: str) -> None:
    assert label_addition(text) == OTHER


@pytest.mark.parametrize(("text", "agency"), [
    ("Body.\n\nAFP contributed to this report.", "AFP"),
    ("Headline\nAFP Tehran\nIran said today ...", "AFP"),
    ("LONDON (Reuters) - Shares fell.", "Reuters"),
    ("Shares fell sharply.\n Reuter\n", "Reuters"),
    ("PARIS, Sept 15 (AFP) - Talks ended.", "AFP"),
    ("The report was written with help from The Associated Press", None),
    ("He took a nap after lunch.", None),
])
def test_credit(text: str, agency: str | None) -> None:
    assert find_credit(text) == agency


def test_a_denied_statement_is_no_attribution() -> None:
    # "didn't say" reports nothing; "said" is a source speaking.
    assert voice("The minister didn't say when the talks would resume.").reporting == 0
    assert voice("The minister said the talks would resume.").reporting > 0


@pytest.mark.parametrize("text", [
    "as if anyone still believed such promises",  # an indefinite subject is no source
    "and savers are simply expected to trust them",  # a passive past an adverb
    "which tells you everything about their priorities",  # addressed to the reader
])
def test_own_voice_verbs_of_saying_are_no_attribution(text: str) -> None:
    assert voice(text).reporting == 0


def test_a_participle_of_saying_after_a_comma_attributes() -> None:
    assert voice("The group backed neither plan, saying both had drawbacks.").reporting > 0
    assert voice("The group backed neither plan.").reporting == 0


def test_word_classes_are_brills_from_the_package() -> None:
    tags = word_classes()
    assert len(tags) > 50000
    assert tags["reckless"] == "JJ" and tags["profits"].startswith("NN")


def test_valence_counts_less_on_nouns_than_on_adjectives() -> None:
    # A noun names an event ("relief"); an adjective or a judging noun after a copula judges.
    assert voice("The plan brought relief.").opinion < voice("The plan is a disgrace.").opinion
    assert (voice("Profits and support grew.").opinion
            < voice("Shameful and reckless, it grew.").opinion)


def test_opinion_by_absence_opens_a_sentence() -> None:
    text = "Nobody should imagine the troubles of this industry are behind it for good."
    assert is_unreported_opinion(text)
    # The same words from mid-sentence are a cut wire sentence, not an added paragraph.
    assert not is_unreported_opinion("and nobody should imagine the troubles of this "
                                     "industry are behind it for good.")


def test_contractions_outside_quotes_are_stance() -> None:
    assert voice("It's a plan that won't survive the winter.").opinion > \
        voice("It is a plan that will not survive the winter.").opinion


def test_a_paragraph_without_quote_marks_is_never_masked() -> None:
    text = 'He said "the deal is done.\nIt was a poor deal for savers, frankly.'
    blocks = [_Block(0, 26), _Block(27, len(text))]
    masked = mask_quotes_by_block(text, blocks)
    assert len(masked) == len(text)
    assert masked[27:] == text[27:]  # the second paragraph is the outlet's
    assert "deal is done" not in masked  # the open quote is still blanked in its own
    assert mask_quotes(text)[27:].strip() == ""  # what a plain mask would have done


class _Block:
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end
