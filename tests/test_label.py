"""Commentary vs reporting, and agency credits."""

from __future__ import annotations

import pytest

from dedup.label import COMMENTARY, OTHER, find_credit, label_addition


@pytest.mark.parametrize("text", [
    "In reality, however, European companies have lined up to do business with Tehran.",
    "– despite the fact that he himself gave the deal his blessing.",
    "Who, exactly, believes this will end well?",
    "We should not pretend that this shameful deal is anything but a surrender.",
])
def test_opinion_is_commentary(text: str) -> None:
    assert label_addition(text) == COMMENTARY


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
