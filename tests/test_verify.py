"""Verification: what makes a candidate pair a copy pair, and what does not."""

from __future__ import annotations

from dedup.load import Article
from dedup.pipeline import Settings, analyze
from dedup.signatures import content_tokens, figure_hashes, word_hashes
from dedup.verify import PairEvidence, VerifySettings, facts_agree

# A daily report written to one template: every day shares its sentences, never its figures.
REPORT = (
    "The central bank said it had provided the money market with {a} mln stg assistance "
    "in response to an early round of bill offers from the discount houses.\n\n"
    "Earlier, the bank had estimated the shortage in the system today at {b} mln stg.\n\n"
    "The central bank purchased bank bills outright comprising {c} mln stg in band one at "
    "{r1} pct and {d} mln stg in band two at {r2} pct, and the houses sold {e} mln stg of "
    "treasury bills for resale to the market on {day} at rates of {r3} pct.\n\n"
    "Dealers said the bank's help left the market short of funds for a {n} straight day."
)

DAYS = [
    dict(a=728, b=950, c=393, d=335, e=625, r1="9-7/8", r2="9-13/16", r3="9-3/4",
         day="April 7", n="third"),
    dict(a=265, b=700, c=119, d=144, e=180, r1="9-5/8", r2="9-9/16", r3="9-1/2",
         day="April 9", n="fourth"),
    dict(a=1143, b=1750, c=649, d=412, e=82, r1="9-3/8", r2="9-5/16", r3="9-1/4",
         day="May 12", n="fifth"),
]


def _report(day: dict[str, object]) -> str:
    return REPORT.format(**day)


def _cluster_ids(articles: list[Article]) -> list[set[str]]:
    analysis = analyze(articles, Settings(jobs=1))
    return [{articles[m.index].id for m in c.members} for c in analysis.clusters]


def test_figures_are_read_as_written_not_as_the_tokenizer_splits_them() -> None:
    text = "Rates of 9-7/8 pct on 1.143 billion and 7,500 shares in 1987, 12 13 4th"
    tokens = content_tokens(text, [(0, len(text))])
    expected = ["9-7/8", "1.143", "7,500", "1987", "12", "13", "4th"]
    assert figure_hashes(text, tokens).tolist() == sorted(word_hashes(expected).tolist())


def test_templated_reports_of_different_days_are_not_copies() -> None:
    articles = [Article(f"day{k}", _report(day)) for k, day in enumerate(DAYS)]
    assert _cluster_ids(articles) == []


def test_a_trimmed_copy_with_the_same_figures_is_a_copy() -> None:
    wire = _report(DAYS[0])
    trimmed = "Markets desk\n\n" + wire.rsplit("\n\n", 1)[0] + "\n\nShare this story"
    articles = [Article("wire", wire), Article("outlet", trimmed),
                *(Article(f"day{k}", _report(day)) for k, day in enumerate(DAYS[1:]))]
    assert _cluster_ids(articles) == [{"wire", "outlet"}]


def test_the_fact_check_only_judges_pairs_that_share_little_and_have_figures() -> None:
    settings = VerifySettings()
    low = PairEvidence(0, 1, 40, 40, 0.5, 0.5, 0.6, facts=6, facts_shared=1)
    assert not facts_agree(low, settings)
    # Most of the text shared: a copy whatever its figures (a write-through updates them).
    assert facts_agree(PairEvidence(0, 1, 40, 40, 0.9, 0.9, 0.9, facts=6, facts_shared=1),
                       settings)
    # Too few figures to judge.
    assert facts_agree(PairEvidence(0, 1, 40, 40, 0.5, 0.5, 0.6, facts=2, facts_shared=0),
                       settings)
    assert facts_agree(PairEvidence(0, 1, 40, 40, 0.5, 0.5, 0.6, facts=6, facts_shared=3),
                       settings)
