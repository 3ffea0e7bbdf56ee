"""benchmarks/template_series.py: family regexes, re-send gold and the pair counts."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path
from random import Random
from typing import Any

import pytest

from benchmarks import template_series as ts

ROOT = Path(__file__).resolve().parents[2]
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"

BOND = ("{issuer} is issuing a {amount} billion yen eurobond due June 25, 1992 paying {coupon} "
        "pct and priced at 101-1/2 pct, lead manager Nomura International Ltd said. The non-"
        "callable bond is available in denominations of one mln yen and will be listed in "
        "Luxembourg. The selling concession is 1-1/4 pct while management and underwriting "
        "combined pays 5/8 pct.\n Reuter")
DIVIDEND = "Qtly div {cts} cts vs {cts} cts prior\n Pay April {day}\n Record March {rec}\n Reuter"
NEWS = ("The city council of Springfield voted on Tuesday to close the old harbour bridge for "
        "repairs that engineers expect to last until the end of the summer, officials said.")


def _art(aid: str, title: str, text: str) -> dict[str, Any]:
    return {"id": aid, "title": title, "text": text}


def _corpus() -> list[dict[str, Any]]:
    return [
        _art("b1", "ACME FINANCE ISSUES 80 BILLION YEN EUROBOND",
             BOND.format(issuer="Acme Finance", amount=80, coupon="4-3/8")),
        # b2 is b1 sent again under a new number: a re-send.
        _art("b2", "ACME FINANCE ISSUES 80 BILLION YEN EUROBOND",
             BOND.format(issuer="Acme Finance", amount=80, coupon="4-3/8")),
        # b3: the same template for another issuer: a series pair with b1 and with b2.
        _art("b3", "ZENITH BANK ISSUES 15 BILLION YEN EUROBOND",
             BOND.format(issuer="Zenith Bank", amount=15, coupon="5-1/8")),
        _art("d1", "ACME CORP <ACM> QTLY DIVIDEND", DIVIDEND.format(cts=10, day=1, rec=13)),
        _art("d2", "ACME CORP <ACM> SETS QUARTERLY", DIVIDEND.format(cts=10, day=1, rec=13)),
        # d3: word for word d1's table, for another company: no re-send.
        _art("d3", "ZENITH INC <ZEN> REGULAR DIVIDEND", DIVIDEND.format(cts=10, day=1, rec=13)),
        _art("d4", "ZENITH INC <ZEN> RAISES PAYOUT", DIVIDEND.format(cts=12, day=15, rec=30)),
        _art("n1", "BRIDGE TO CLOSE FOR REPAIRS", NEWS),
        _art("n2", "(CORRECTED) - BRIDGE TO CLOSE FOR REPAIRS", NEWS),
    ]


def _report(*clusters: list[str]) -> dict[str, Any]:
    return {"documents": [], "related": [],
            "clusters": [{"id": f"C{i}", "members": [{"id": m} for m in c]}
                         for i, c in enumerate(clusters, 1)]}


def _rows(res: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["family"]: r for r in res["rows"]}


FAMILIES = (ts.Family("bonds", title=r"EUROBOND"),
            ts.Family("dividends", opening=r"^Qtly div\b"))


def test_families_match_by_headline_or_opening() -> None:
    members = ts.family_members(_corpus(), FAMILIES)
    assert members == {"bonds": ["b1", "b2", "b3"], "dividends": ["d1", "d2", "d3", "d4"]}


def test_resends_are_near_identical_text_of_one_issuer_only() -> None:
    arts = _corpus()
    sets = {a["id"]: ts.shingles(a["text"]) for a in arts}
    titles = {a["id"]: a["title"] for a in arts}
    pairs = {p for p in ts.resend_pairs(sets) if ts.same_issuer(*(titles[x] for x in p))}
    # d1/d3 share every word but name two stock symbols; b1/b3 share the skeleton only.
    assert pairs == {("b1", "b2"), ("d1", "d2"), ("n1", "n2")}
    assert ts.jaccard(sets["b1"], sets["b3"]) < ts.RESEND_JACCARD


def test_counts_resends_and_series_pairs_per_family() -> None:
    # Clustered: the bond re-send with the other issuer's notice (two series pairs), the
    # news re-send; the dividend re-send d1/d2 is left out, d3 with d4 is a series pair.
    report = _report(["b1", "b2", "b3"], ["n1", "n2"], ["d3", "d4"])
    res = ts.evaluate(_corpus(), report, FAMILIES)
    rows = _rows(res)
    assert rows["bonds"] == {"family": "bonds", "articles": 3, "resend_pairs": 1,
                             "resend_clustered": 1, "series_clustered": 2}
    assert rows["dividends"] == {"family": "dividends", "articles": 4, "resend_pairs": 1,
                                 "resend_clustered": 0, "series_clustered": 1}
    assert rows["all stories"]["resend_pairs"] == 3
    assert rows["all stories"]["resend_clustered"] == 2
    assert [p[:2] for p in res["series_pairs"]["bonds"]] == [["b1", "b3"], ["b2", "b3"]]
    assert res["series_pairs"]["dividends"] == [["d3", "d4", pytest.approx(0.0)]]
    md = ts.markdown(res)
    assert "| bonds | 3 | n/a | n/a | 1 / 1 | 2 |" in md
    assert "| dividends | 4 | n/a | n/a | 0 / 1 | 1 |" in md


def test_markdown_puts_the_fixed_before_figures_beside_now() -> None:
    res = ts.evaluate(_corpus(), _report(["b1", "b2"]), FAMILIES)
    res["before"] = {"bonds": [1, 5], "all stories": [2, None]}
    md = ts.markdown(res)
    assert "| bonds | 3 | 1 / 1 | 5 | 1 / 1 | 0 |" in md
    assert "| all stories | all | 2 / 3 | n/a | 1 / 3 | n/a |" in md


def test_prefix_filter_finds_every_pair_over_the_threshold() -> None:
    rng = Random(5)
    base = [frozenset(rng.sample(range(400), rng.randint(5, 60))) for _ in range(40)]
    sets: dict[str, frozenset[int]] = {}
    for i, s in enumerate(base):
        sets[f"a{i}"] = s
        drop = set(rng.sample(sorted(s), rng.randint(0, max(1, len(s) // 8))))
        sets[f"b{i}"] = frozenset((s - drop) | {1000 + i})
    for thr in (0.5, 0.8, 0.9):
        brute = {(a, b) if a < b else (b, a) for a, b in combinations(sets, 2)
                 if ts.jaccard(sets[a], sets[b]) >= thr}
        assert ts.resend_pairs(sets, thr) == brute
        assert thr < 0.9 or brute  # the test has pairs to find


def test_cli_prints_the_table_and_bad_report_exits_2(tmp_path: Path, capsys: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ts, "load_articles", lambda _d: _corpus())
    monkeypatch.setattr(ts, "FAMILIES", FAMILIES)
    report = tmp_path / "r.json"
    report.write_text(json.dumps(_report(["b1", "b2"])), encoding="utf-8")
    assert ts.main([str(report), "--reuters", str(tmp_path)]) == 0
    assert "| bonds | 3 |" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        ts.main([str(bad), "--reuters", str(tmp_path)])
    assert exc.value.code == 2
    assert "no 'clusters' list" in capsys.readouterr().err


@pytest.mark.skipif(not REUTERS.is_dir(), reason="Reuters-21578 not at ../shared/data")
def test_reuters_families_and_resends(tmp_path: Path) -> None:
    from benchmarks.reuters import iter_reuters

    arts = list(iter_reuters(REUTERS))  # read in place; nothing written but ids
    members = ts.family_members(arts)
    assert set(members) == {f.name for f in ts.FAMILIES} == set(ts.BEFORE) - {"all stories"}
    assert all(len(ids) >= 20 for ids in members.values()), \
        {k: len(v) for k, v in members.items()}
    # A report clustering every stored-text re-send and nothing else: full re-send recall
    # and no series pair clustered in any family.
    sets = {a["id"]: ts.shingles(a["text"]) for a in arts}
    titles = {a["id"]: a["title"] for a in arts}
    resends = sorted(p for p in ts.resend_pairs(sets) if ts.same_issuer(*(titles[x] for x in p)))
    assert len(resends) > 300
    res = ts.evaluate(arts, _report(*[list(p) for p in resends]))
    for row in res["rows"]:
        assert row["resend_clustered"] == row["resend_pairs"]
        assert row["series_clustered"] in (0, None)


def test_benchmark_results_carry_the_template_series_section() -> None:
    from benchmarks.run import results_markdown

    res = ts.evaluate(_corpus(), _report(["b1", "b2"]), FAMILIES)
    md = results_markdown({"template_series": res, "environment": {
        "cpus": 2, "python": "3.11", "platform": "test"}})
    assert "### Template series on Reuters-21578" in md
    assert "| bonds | 3 | n/a | n/a | 1 / 1 | 0 |" in md
