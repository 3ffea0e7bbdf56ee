"""Template series (one skeleton, other names and amounts) are not copy; re-sent stories are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dedup.load import Article, load_articles
from dedup.normalize import tokenize
from dedup.pipeline import analyze
from dedup.slots import article_slots, slot_evidence
from tests.helpers import ROOT

NOTICE = (
    "{issuer} is issuing a {amount} mln dlr eurobond due {due} paying {coupon} pct and priced "
    "at {price} pct, lead manager {manager} said.\n\n"
    "The bond is available in denominations of 5,000 dlrs and will be listed in Luxembourg. "
    "The selling concession is 1-1/4 pct while management and underwriting combined pays "
    "5/8 pct.\n\nThe payment date is {payment}.\n"
)
ISSUES = [
    dict(issuer="Hertz Realty Corp", amount=75, due="April 30, 1993", coupon="nine",
         price="100-3/4", manager="Morgan Guaranty Ltd", payment="April 30"),
    dict(issuer="Toyota Motor Credit Corp", amount=150, due="May 12, 1992", coupon="7-1/8",
         price="101-1/2", manager="Nomura International Ltd", payment="May 12"),
    dict(issuer="Saab-Scania AB", amount=100, due="June 3, 1994", coupon="8-1/4",
         price="101-3/8", manager="Swiss Bank Corp International", payment="June 3"),
]
FED = ("The Federal Reserve entered the U.S. Government securities market to arrange {amount} "
       "billion dlrs of customer repurchase agreements, a Fed spokesman said.\n\n"
       "Dealers said Federal funds were trading at {rate} pct when the Fed began its temporary "
       "and indirect supply of reserves to the banking system.\n")


def slots_of(text: str) -> object:
    return article_slots(text, tokenize(text))


def clusters_of(texts: dict[str, str]) -> list[set[str]]:
    articles = [Article(id=k, text=v) for k, v in texts.items()]
    analysis = analyze(articles)
    return [{articles[m.index].id for m in c.members} for c in analysis.clusters]


def test_a_template_refills_its_slots_and_a_copy_keeps_them() -> None:
    a, b = (slots_of(NOTICE.format(**issue)) for issue in ISSUES[:2])
    evidence = slot_evidence(a, b)
    assert evidence.changed >= 4 and evidence.template_shaped
    same = slot_evidence(a, slots_of(NOTICE.format(**ISSUES[0])))
    assert same.changed == 0 and same.kept == same.shared > 0 and not same.template_shaped


def test_a_corrected_name_in_a_copy_is_not_a_template() -> None:
    text = NOTICE.format(**ISSUES[0])
    corrected = text.replace("Morgan Guaranty Ltd", "Morgan Guaranty Trust")
    assert not slot_evidence(slots_of(text), slots_of(corrected)).template_shaped


def test_a_daily_report_that_changes_its_figures_is_a_template() -> None:
    monday, tuesday = FED.format(amount="1.5", rate="6-3/16"), FED.format(amount="one",
                                                                         rate="6-1/8")
    evidence = slot_evidence(slots_of(monday), slots_of(tuesday))
    assert evidence.changed_figures == 2 and evidence.kept_figures == 0
    assert evidence.template_shaped


def test_notices_of_different_issuers_are_no_cluster_and_a_resent_one_is() -> None:
    texts = {f"issue-{k}": NOTICE.format(**issue) for k, issue in enumerate(ISSUES)}
    texts["issue-0-resent"] = texts["issue-0"]
    texts.update({f"fed-{k}": FED.format(amount=amount, rate=rate) for k, (amount, rate)
                  in enumerate([("1.5", "6-3/16"), ("one", "6-1/8"), ("2.5", "6-1/4")])})
    assert clusters_of(texts) == [{"issue-0", "issue-0-resent"}]


REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"


@pytest.mark.skipif(not REUTERS.is_dir(), reason="Reuters-21578 not at ../shared/data")
def test_reuters_daily_fed_reports_are_not_clustered_but_resent_stories_are(
        tmp_path: Path) -> None:
    from benchmarks.reuters import iter_reuters

    wanted = ("FED ADDS RESERVES VIA CUSTOMER REPURCHASES",
              "SAAB-SCANIA ISSUES 150 MLN DLR EUROBOND", "PIRELLI UK INT FINANCE ISSUES 50 MLN")
    rows = [r for r in iter_reuters(REUTERS) if r["title"].startswith(wanted)]
    corpus = tmp_path / "reuters.jsonl"  # read in place, written only under tmp_path
    corpus.write_text("".join(json.dumps({"id": r["id"], "text": r["text"], "title": r["title"]})
                              + "\n" for r in rows), encoding="utf-8")
    articles, _ = load_articles([str(corpus)])
    analysis = analyze(articles)
    texts = {a.id: " ".join(a.text.lower().split()) for a in articles}
    fed = [a.id for a in articles if a.title and a.title.startswith(wanted[0])]
    assert len(fed) >= 10
    clustered = {articles[m.index].id for c in analysis.clusters for m in c.members}
    for cluster in analysis.clusters:
        members = [articles[m.index].id for m in cluster.members]
        if set(members) & set(fed):  # days of the report cluster only if sent twice as is
            assert len({texts[m] for m in members}) == 1, members
    resent = [ids for ids in _same_text_groups(texts).values() if len(ids) > 1]
    assert resent and all(set(ids) <= clustered for ids in resent)


def _same_text_groups(texts: dict[str, str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for key, text in texts.items():
        groups.setdefault(text, []).append(key)
    return groups
