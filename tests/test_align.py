"""What each member kept, cut, changed and added, with exact offsets."""

from __future__ import annotations

import numpy as np

from dedup.align import MemberAlignment
from dedup.arrays import in_sorted
from dedup.load import Article
from dedup.pipeline import Analysis, analyze
from dedup.vocabulary import BOILERPLATE, COMMENTARY, OTHER
from tests.helpers import BUSINESS_STANDARD, INDIAVISION, NEW_ARAB, SOLVE_ISRAEL, WIRE


def _member(analysis: Analysis, article_id: str) -> MemberAlignment:
    for cluster in analysis.clusters:
        for m in cluster.members:
            if analysis.articles[m.index].id == article_id:
                return m
    raise AssertionError(f"{article_id} is in no cluster")


def _labels(m: MemberAlignment, label: str) -> list[str]:
    return [s.text for s in m.added if s.label == label]


def test_every_seed_span_indexes_the_text_as_loaded(seed_analysis: Analysis) -> None:
    checked = 0
    for cluster in seed_analysis.clusters:
        for m in cluster.members:
            text = seed_analysis.articles[m.index].text
            for s in m.added:
                assert text[s.start : s.end] == s.text
                checked += 1
            for c in m.changed:
                assert 0 <= c.start < c.end <= len(text)
    assert checked > 20


def test_only_solve_israel_adds_commentary_on_the_seeds(seed_analysis: Analysis) -> None:
    flagged = {
        seed_analysis.articles[m.index].id
        for c in seed_analysis.clusters for m in c.members if m.adds_commentary
    }
    assert flagged == {SOLVE_ISRAEL}


def test_solve_israel_commentary_is_the_three_passages(seed_analysis: Analysis) -> None:
    commentary = _labels(_member(seed_analysis, SOLVE_ISRAEL), COMMENTARY)
    assert len(commentary) == 3
    assert commentary[0].lstrip(" –").startswith("though the regime and its allies")
    assert commentary[1].startswith("In reality, however, European companies")
    assert commentary[2].lstrip(" –").startswith("despite the fact that he himself")
    # The wire part of the spliced sentence stays out of the commentary span.
    assert not any("including those of the Islamic State" in c for c in commentary)


def test_new_arab_background_is_other_not_commentary(seed_analysis: Analysis) -> None:
    m = _member(seed_analysis, NEW_ARAB)
    other = " ".join(_labels(m, OTHER))
    assert "The Washington Post reported last week" in other
    assert "Bashar al-Assad" in other
    assert not _labels(m, COMMENTARY)


def test_site_chrome_is_boilerplate(seed_analysis: Analysis) -> None:
    chrome = _labels(_member(seed_analysis, SOLVE_ISRAEL), BOILERPLATE)
    assert "Leave a Reply" in chrome
    assert any("All Rights Reserved" in c for c in chrome)
    subscription = " ".join(_labels(_member(seed_analysis, BUSINESS_STANDARD), BOILERPLATE))
    assert "Renews automatically, cancel anytime" in subscription


def test_cut_passages_point_into_the_other_copy(seed_analysis: Analysis) -> None:
    # 004 opens with a lede that 003 cut; 003 carries wire paragraphs that 004 cut.
    ids = [a.id for a in seed_analysis.articles]
    lede = "Iran said today it rejected a US request"
    cut_by_003 = _member(seed_analysis, INDIAVISION).cut
    assert any(
        ids[p.article] == BUSINESS_STANDARD
        and seed_analysis.articles[p.article].text[p.start : p.end].startswith(lede)
        for p in cut_by_003
    )
    cut_by_004 = [seed_analysis.articles[p.article].text[p.start : p.end]
                  for p in _member(seed_analysis, BUSINESS_STANDARD).cut]
    assert any("Philip Hammond" in t for t in cut_by_004)


def test_credit_lines_and_datelines(seed_analysis: Analysis) -> None:
    assert _member(seed_analysis, SOLVE_ISRAEL).credit == "AFP"  # "AFP contributed ..."
    assert _member(seed_analysis, BUSINESS_STANDARD).credit == "AFP"  # "AFP Tehran"
    assert _member(seed_analysis, INDIAVISION).credit is None


def _copies(*texts: str) -> Analysis:
    return analyze([Article(f"a{i}", t) for i, t in enumerate(texts)])


def test_cut_is_what_most_other_members_carry_reported_once() -> None:
    """A sentence counts as cut from a member when at least half of the other members
    carry it; one member's own addition is never "cut" from the rest."""
    wire = "\n\n".join(WIRE)
    extra = ("The bank last raised rates in March, when it lifted the benchmark by a quarter "
             "point, according to figures published on its website.")
    analysis = _copies(wire, wire, "\n\n".join([*WIRE, extra]), "\n\n".join(WIRE[:3]))
    assert len(analysis.clusters) == 1 and len(analysis.clusters[0].members) == 4

    def cut_texts(article_id: str) -> list[str]:
        return [analysis.articles[p.article].text[p.start : p.end]
                for p in _member(analysis, article_id).cut]

    assert cut_texts("a3") == [WIRE[3]]
    assert cut_texts("a0") == cut_texts("a1") == cut_texts("a2") == []


def test_inline_commentary_clause_is_cut_out_of_a_copied_sentence() -> None:
    wire = "\n\n".join(WIRE)
    clause = ", a reckless gamble that will shamefully punish ordinary borrowers"
    spliced = WIRE[0][:-1] + clause + "."
    copy = "\n\n".join([spliced, *WIRE[1:]])
    m = _member(_copies(wire, copy), "a1")
    commentary = _labels(m, COMMENTARY)
    assert len(commentary) == 1
    assert commentary[0].startswith("a reckless gamble")
    assert "interest rate" not in commentary[0]
    assert m.adds_commentary


def test_reworded_sentence_counts_as_kept_not_added() -> None:
    wire = "\n\n".join(WIRE)
    reworded = (
        "On Thursday the central bank lifted its main rate by half a point, pointing to "
        "inflation that has remained above target for eleven months in a row."
    )
    copy = "\n\n".join([reworded, *WIRE[1:]])
    m = _member(_copies(wire, copy), "a1")
    assert not [s for s in m.added if s.label != BOILERPLATE]
    assert [c.kind for c in m.changed] == ["reworded"]
    assert m.shared_fraction > 0.95


def test_background_paragraph_is_other() -> None:
    background = (
        "The bank last raised rates in March, when it lifted the benchmark by a quarter point, "
        "according to figures published on its website."
    )
    copy = "\n\n".join([*WIRE, background])
    m = _member(_copies("\n\n".join(WIRE), copy), "a1")
    assert _labels(m, OTHER) == [background]
    assert not m.adds_commentary


def test_offsets_hold_on_non_ascii_text_and_hard_wrapped_lines() -> None:
    wrapped = "\n".join(
        line for para in WIRE for line in _wrap("    " + para.replace("euro", "€uro – “euro”"))
    )
    opinion = "Frankly, this is a shameful surrender that we should all deplore, naïve café."
    copy = "Ünïcödé Dáily\n\n" + wrapped + "\n    " + opinion + "\n"
    analysis = _copies("\n\n".join(WIRE), copy)
    m = _member(analysis, "a1")
    text = analysis.articles[1].text
    commentary = [s for s in m.added if s.label == COMMENTARY]
    assert [text[s.start : s.end] for s in commentary] == [opinion]
    assert all(text[s.start : s.end] == s.text for s in m.added)


def _wrap(paragraph: str, width: int = 64) -> list[str]:
    lines, line = [], ""
    for word in paragraph.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line]


def test_changed_sentences_point_into_another_member(seed_analysis: Analysis) -> None:
    changes = 0
    for cluster in seed_analysis.clusters:
        members = {m.index for m in cluster.members}
        for m in cluster.members:
            for c in m.changed:
                changes += 1
                assert c.origin.article != m.index
                assert c.origin.article in members
                other = seed_analysis.articles[c.origin.article].text
                assert 0 <= c.origin.start < c.origin.end <= len(other)
    assert changes >= 3


def test_in_sorted_agrees_with_isin() -> None:
    rng = np.random.default_rng(7)
    for size in (0, 1, 5, 300):
        pool = np.unique(rng.integers(0, 50, size, dtype=np.uint64))
        values = rng.integers(0, 60, 200, dtype=np.uint64)
        assert in_sorted(values, pool).tolist() == np.isin(values, pool).tolist()


_WORDS = (
    "apple orchards barley harvests cattle auctions dairy cooperatives eggs exports fishing "
    "fleets granite quarries hemp mills iron foundries jute looms kelp farms lumber yards "
    "marble workshops nickel smelters oyster beds pottery sheds quartz mines rice paddies "
    "salt pans timber depots umbrella makers violin builders wool carders yarn spinners zinc "
    "platers amber polishers brick kilns cider presses denim weavers enamel painters felt "
    "hatters glass blowers honey packers ink grinders jam boilers knife forgers lace tatters "
    "malt roasters net menders olive pressers pearl divers quilt stitchers rope walkers "
    "soap renderers tile glazers"
).split()
_PLACES = ["Aarhus", "Bergen", "Cork", "Dundee", "Espoo", "Faro", "Graz", "Haarlem", "Izmir",
           "Jena", "Kaunas", "Lille", "Malmo", "Nantes"]


def test_a_large_cluster_is_aligned_against_its_reference_members(monkeypatch) -> None:
    """Past ALIGN_REFERENCES members, each member is compared with the reference members
    only (alignment would otherwise cost n^2): members that all carry the wire get the same
    alignment as when every member is compared with every other."""
    import dedup.align as align

    wire = "\n\n".join(WIRE)
    texts = [wire]
    for k, place in enumerate(_PLACES):  # each copy adds its own local background
        own = " ".join(_WORDS[6 * k : 6 * k + 6])  # no word in common with another copy
        texts.append("\n\n".join([*WIRE, f"In {place} {own}."]))
    texts.append("\n\n".join(WIRE[:3]))  # trimmed: the last wire paragraph is cut
    calls = 0
    coverage = align._sentence_coverage

    def counted(*args: object) -> np.ndarray:
        nonlocal calls
        calls += 1
        return coverage(*args)

    monkeypatch.setattr(align, "_sentence_coverage", counted)
    full = _copies(*texts)
    full_calls, calls = calls, 0
    monkeypatch.setattr(align, "ALIGN_REFERENCES", 4)
    limited = _copies(*texts)
    # The sentence comparisons are bounded: 4 references x 16 members, not 16 x 16.
    assert calls < full_calls / 2
    assert len(full.clusters) == 1 and len(full.clusters[0].members) == len(texts)
    assert limited.clusters[0].members == full.clusters[0].members
    trimmed = _member(limited, f"a{len(texts) - 1}")
    assert [limited.articles[p.article].text[p.start : p.end] for p in trimmed.cut] == [WIRE[3]]
    for k, place in enumerate(_PLACES, start=1):
        added = [s.text for s in _member(limited, f"a{k}").added]
        assert len(added) == 1 and place in added[0]


def test_reference_members_are_the_source_and_the_fullest_copies() -> None:
    from dedup.align import _prepare, _reference_members
    from dedup.arrays import held_by_several

    wire = "\n\n".join(WIRE)
    texts = ["\n\n".join(WIRE[:2]), wire, "\n\n".join(WIRE[:3]), wire, "\n\n".join(WIRE[1:])]
    analysis = _copies(*texts)
    cluster = analysis.clusters[0]
    order = [cluster.source, *[m.index for m in cluster.members if m.index != cluster.source]]
    work = [_prepare(i, analysis.articles[i], analysis.features[i], analysis.blocks[i])
            for i in order]
    shared = held_by_several([w.pool for w in work])
    assert _reference_members(work, shared, limit=len(work)) == list(range(len(work)))
    picked = [order[p] for p in _reference_members(work, shared, limit=3)]
    # The source, then the two members carrying the most shared copy (a3 beats a2's three
    # paragraphs; among equals the earlier wins), in alignment order.
    full = [i for i in order[1:] if analysis.articles[i].text == wire]
    assert picked[0] == cluster.source and len(picked) == 3
    assert set(picked[1:]) <= {*full, 2, 4} and (set(full) - {cluster.source}) <= set(picked)
