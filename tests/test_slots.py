"""Template series (one skeleton, other names and amounts) are not copy; re-sent stories are."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup.cli import main
from dedup.load import Article, load_articles
from dedup.normalize import tokenize
from dedup.pipeline import analyze
from dedup.slots import Slots, article_slots, slot_evidence, slot_tokens, table_rows
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


def slots_of(text: str) -> Slots:
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


def wire(*paragraphs: str, first: int = 0) -> str:
    """Invented copy laid out as the wire sends it: lines of about 62 columns, paragraphs
    indented, a sign-off; the first line ends after ``first`` words (a dateline was cut
    from it), too short for the content stage to keep it."""
    lines: list[str] = []
    for k, paragraph in enumerate(paragraphs):
        words = paragraph.split()
        if k == 0 and first:
            lines.append(" ".join(words[:first]))
            words = words[first:]
        wrapped = textwrap.wrap(" ".join(words), 62)
        lines.extend(["    " + wrapped[0], *wrapped[1:]] if k else wrapped)
    return "\n".join(lines) + "\n Reuter\n"


def wire_notice(issuer: str, manager: str) -> str:
    """A bond notice whose terms are those of the others: only the names differ."""
    return wire(f"{issuer} is issuing a 100 mln dlr eurobond due April 30, 1992 paying 8-1/4 "
                f"pct and priced at 101-1/8 pct, lead manager {manager} said.",
                "The non-callable bond is available in denominations of 5,000 dlrs and will be "
                "listed in Luxembourg. The selling concession is 1-1/4 pct while management "
                "and underwriting combined pays 5/8 pct.",
                "The payment date is April 30.", first=len(issuer.split()) + 4)


def prime_note(bank: str) -> str:
    return wire(f"{bank} said it is raising its prime lending rate to 7-3/4 pct from 7-1/2 pct, "
                "effective immediately, following similar moves by the large money center "
                "banks in New York earlier in the day.", first=len(bank.split()) + 3)


def dividend_note(company: str, amount: str, payable: str) -> str:
    return wire(f"{company} said its board declared an initial quarterly dividend of {amount} "
                f"cts per share, its first payout since the company went public, payable "
                f"{payable} to holders of record March 12.", first=len(company.split()) + 2)


def slaughter_estimate(hogs: tuple[str, ...], cattle: tuple[str, ...]) -> str:
    """A daily estimate: the same sentences every day, other head counts."""
    return wire(f"Floor brokers and commission house traders at the exchange put today's hog "
                f"kill at about {hogs[0]} to {hogs[1]} head, compared with {hogs[2]} a week "
                f"earlier and {hogs[3]} a year earlier.",
                f"They put the cattle kill at about {cattle[0]} to {cattle[1]} head, against "
                f"{cattle[2]} a week earlier and {cattle[3]} a year earlier.")


def stocks_table(grain: str, city: str, rows: list[tuple[int, int, int]]) -> str:
    """A weekly table of deliverable stocks: one sentence, then rows of figures."""
    labels = ["DELIVERABLE GRADES", "OTHER GRADES", "GOVERNMENT STOCKS", "TOTAL STOCKS"]
    table = "\n".join(f" {label:<24}{a:>8}{b:>8}{c:>8}" for label, (a, b, c)
                      in zip(labels, rows, strict=True))
    return (f"The commission reported the following stocks\nof {grain} in {city} as of "
            f"Friday, deliverable against\nfutures in 000's bushels -\n{' ' * 25}THIS    "
            f"LAST    LAST\n{' ' * 25}WEEK    WEEK    YEAR\n{table}\n Reuter\n")


def test_a_wire_notice_keeps_the_first_line_the_content_left_out() -> None:
    text = wire_notice("Hertz Realty Corp", "Morgan Guaranty Ltd")
    second_line = text.index("\n") + 1
    content = tokenize(text, second_line)  # as the content stage leaves it
    assert content.words[0] == "million"  # "Hertz Realty Corp is issuing a 100" was cut
    assert slot_tokens(text, content).words == tokenize(text).words
    assert article_slots(text, content).lead_name == {"hertz", "realty", "corp"}


def test_chrome_stacked_above_a_wrapped_story_is_not_its_first_line() -> None:
    story = wire_notice("Hertz Realty Corp", "Morgan Guaranty Ltd")
    text = "Home > Markets > Bonds\nBy Jane Roe\nListen to this article\n" + story
    start = text.index("Hertz")
    second_line = text.index("\n", start) + 1
    assert slot_tokens(text, tokenize(text, second_line)).words == tokenize(
        text, second_line).words


def test_notes_of_two_banks_name_different_subjects() -> None:
    a, b = slots_of(prime_note("Chemical Bank")), slots_of(prime_note("Marine Midland Banks Inc"))
    evidence = slot_evidence(a, b)
    assert evidence.changed_figures == 0 and evidence.lead_changed and evidence.template_shaped
    assert not slot_evidence(a, slots_of(prime_note("Chemical Bank"))).template_shaped
    typo = slot_evidence(slots_of(prime_note("Chemcial Bank")), a)  # a misspelt name
    assert not typo.lead_changed and not typo.template_shaped


def test_a_corrected_company_name_is_not_another_company() -> None:
    wrong, right = (dividend_note(name, "10", "March 26") for name in
                    ("Fieldcor Financial Inc", "Fidelcor Financial Inc"))
    assert not slot_evidence(slots_of(wrong), slots_of(right)).template_shaped
    other = dividend_note("Porex Technologies Corp", "10", "March 26")
    assert slot_evidence(slots_of(right), slots_of(other)).template_shaped


def test_table_rows_are_slots_named_by_their_words() -> None:
    monday = stocks_table("wheat", "Toledo", [(254, 236, 1629), (77, 78, 581), (1002, 1002, 373),
                                              (1333, 1316, 2583)])
    rows = table_rows(monday)
    assert len(rows) == 4 and len({key for key, _ in rows}) == 4
    corn = stocks_table("corn", "Toledo", [(19, 0, 25), (79, 69, 15), (2584, 2584, 800),
                                           (2682, 2653, 840)])
    evidence = slot_evidence(slots_of(monday), slots_of(corn))
    assert evidence.changed_figures >= 4 and evidence.template_shaped
    assert not slot_evidence(slots_of(monday), slots_of(monday)).template_shaped


def test_a_repeated_context_is_kept_only_if_all_its_figures_are() -> None:
    monday = slaughter_estimate(("275,000", "285,000", "157,000", "305,000"),
                                ("120,000", "126,000", "109,000", "133,000"))
    tuesday = slaughter_estimate(("275,000", "285,000", "12,000", "276,000"),
                                 ("126,000", "132,000", "6,000", "133,000"))
    evidence = slot_evidence(slots_of(monday), slots_of(tuesday))
    assert evidence.kept_figures < evidence.changed_figures and evidence.template_shaped


@pytest.mark.parametrize("family", ["prime", "dividend", "slaughter", "stocks"])
def test_series_of_the_wire_families_are_no_cluster_and_a_resent_one_is(family: str) -> None:
    texts = {
        "prime": [prime_note(bank) for bank in
                  ("Chemical Bank", "Marine Midland Banks Inc", "First Interstate Bancorp")],
        "dividend": [dividend_note("Porex Technologies Corp", "10", "March 26"),
                     dividend_note("Medco Containment Services Inc", "10", "March 19"),
                     dividend_note("Harbor Federal Savings Bank", "12", "April 1")],
        "slaughter": [slaughter_estimate(("275,000", "285,000", "157,000", "305,000"),
                                         ("120,000", "126,000", "109,000", "133,000")),
                      slaughter_estimate(("275,000", "285,000", "12,000", "276,000"),
                                         ("126,000", "132,000", "6,000", "133,000")),
                      slaughter_estimate(("280,000", "290,000", "275,000", "300,000"),
                                         ("118,000", "124,000", "120,000", "128,000"))],
        "stocks": [stocks_table(grain, city, rows) for grain, city, rows in (
            ("wheat", "Toledo", [(254, 236, 1629), (77, 78, 581), (1002, 1002, 373),
                                 (1333, 1316, 2583)]),
            ("corn", "Toledo", [(19, 0, 25), (79, 69, 15), (2584, 2584, 800),
                                (2682, 2653, 840)]),
            ("soybeans", "Chicago", [(164, 163, 54), (8, 5, 0), (4310, 4293, 894),
                                     (4482, 4461, 948)]))],
    }[family]
    corpus = {f"{family}-{k}": text for k, text in enumerate(texts)}
    corpus[f"{family}-0-resent"] = texts[0]
    assert clusters_of(corpus) == [{f"{family}-0", f"{family}-0-resent"}]


def test_check_of_a_new_notice_against_an_index_of_the_series_finds_nothing(
        tmp_path: Path) -> None:
    """The CI false alarm of issue 18: a notice on the terms of the indexed ones, for
    another borrower, is no copy of them; the same notice sent again is."""
    issues = [("NV Nederlandse Gasunie", "Citicorp Investment Bank Ltd"),
              ("Brierley Investments Overseas NV", "Banque Paribas Capital Markets"),
              ("Japan Development Bank", "Nomura International Ltd"),
              ("Mercedes-Benz Credit Corp", "Deutsche Bank Capital Markets")]
    indexed, new = tmp_path / "indexed", tmp_path / "new"
    indexed.mkdir()
    new.mkdir()
    for k, (issuer, manager) in enumerate(issues):
        (indexed / f"notice-{k}.txt").write_text(wire_notice(issuer, manager), encoding="utf-8")
    (new / "mcdonalds.txt").write_text(wire_notice("McDonalds Corp", "Morgan Guaranty Ltd"),
                                       encoding="utf-8")
    (new / "gasunie-again.txt").write_text(wire_notice(*issues[0]), encoding="utf-8")
    index = tmp_path / "index.sqlite"
    runner = CliRunner()
    added = runner.invoke(main, ["index", "add", str(indexed), "--index", str(index), "--quiet"])
    assert added.exit_code == 0, added.output

    def findings(name: str) -> list[dict]:
        result = runner.invoke(main, ["check", str(new / name), "--index", str(index),
                                      "--format", "json", "--quiet"])
        assert result.exit_code in (0, 1), result.output
        return json.loads(result.stdout)["findings"]

    assert findings("mcdonalds.txt") == []
    again = findings("gasunie-again.txt")
    assert [m["id"] for f in again for m in f["matches"]] == ["notice-0"]


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


@pytest.mark.skipif(not REUTERS.is_dir(), reason="Reuters-21578 not at ../shared/data")
def test_reuters_bond_and_prime_rate_notices_cluster_only_within_one_issuer(
        tmp_path: Path) -> None:
    from benchmarks.reuters import iter_reuters

    notice = re.compile(r"^(.+?)\s+(?:<[^>]*>\s*)?(?:ISSUES|RAISES PRIME|HIKES PRIME)\b")
    rows = [r for r in iter_reuters(REUTERS) if notice.match(r["title"])]
    corpus = tmp_path / "notices.jsonl"  # read in place, written only under tmp_path
    corpus.write_text("".join(json.dumps({"id": r["id"], "text": r["text"], "title": r["title"]})
                              + "\n" for r in rows), encoding="utf-8")
    articles, _ = load_articles([str(corpus)])
    analysis = analyze(articles)
    issuer = {a.id: _first_word(notice, a.title or "") for a in articles}
    assert len(set(issuer.values())) >= 100
    for cluster in analysis.clusters:
        members = [articles[m.index].id for m in cluster.members]
        assert len({issuer[m] for m in members}) == 1, members
    texts = {a.id: " ".join(a.text.lower().split()) for a in articles}
    clustered = {articles[m.index].id for c in analysis.clusters for m in c.members}
    resent = [ids for ids in _same_text_groups(texts).values() if len(ids) > 1]
    assert len(resent) >= 10 and all(set(ids) <= clustered for ids in resent)


def _first_word(notice: re.Pattern[str], title: str) -> str:
    """The issuer's first word in a notice's title ("QUEBEC'S CAISSE DES JARDINS ISSUES")."""
    match = notice.match(title)
    assert match is not None
    return re.sub(r"'S$", "", match.group(1).split()[0])
