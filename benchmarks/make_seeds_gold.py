"""Write benchmarks/seeds_gold.json: hand labels for the five articles in seeds/.

``python -m benchmarks.make_seeds_gold [--check]``

Offsets are found by searching each file's text (read with ``newline=""``) for the exact
substring of every labelled element; each must occur exactly once (or at the given
occurrence). ``--check`` verifies that the committed JSON matches what this script builds.

001 and 002 carry one AFP story (2016-07-03), 003 and 004 another (2014-09-15); 000 is an
independent rewrite of the 2016 story that copies no text (related, in no cluster).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any

from benchmarks.common import REPO_ROOT, write_json

SEEDS = REPO_ROOT / "seeds"
OUT = Path(__file__).resolve().parent / "seeds_gold.json"
STORY_2016 = "afp-2016-07-03-khamenei-us-coordination"
STORY_2014 = "afp-2014-09-15-iran-rejects-coalition"

A000 = "000_f75c96cb487ccd06"
A001 = "001_14993c057e754b8b"
A002 = "002_02662ee57eea0c09"
A003 = "003_8c73973eb25d2eab"
A004 = "004_85a14eddb205e668"

B, C, OTHER = "boilerplate", "commentary", "other"

# (substring, label) per article, in text order. A substring may be (text, occurrence).
LABELS: dict[str, list[tuple[str | tuple[str, int], str]]] = {
    A000: [
        ("Ayatollah-Ali-Khamenei", B),  # image alt text glued to the first paragraph
        ("kerry", B),  # image alt text glued inside the second paragraph
        ("Leave a Reply", B),
        ("Your email address will not be published.", B),
    ],
    A001: [
        ("July 3, 2016 \u00a0", B),
        (" \u2013 though the regime and its allies have been exposed engaging in tacit "
         "agreements with the jihadist terror group.", C),
        ("In reality, however, European companies have lined up to do business with Tehran, "
         "which has already upped its support for Middle Eastern terrorist groups and other "
         "sectarian proxies since receiving\u00a0lucrative sanctions relief under the nuclear "
         "deal.", C),
        (" \u2013 despite the fact that he himself gave the deal his blessing.", C),
        ("AFP contributed to this report.", B),
        ("Protect and Support Israel by Sharing our Articles", B),
        ("Similar posts", B),
        ("Leave a Reply", B),
        ("\u00a9 2007-2023 Solve Israel's Problems. All Rights Reserved", B),
    ],
    A002: [
        ("2 min read", B),
        ("03 July, 2016", B),
        ("The Supreme Leader urged the US to stop interfering in the region [Getty]", B),
        ("The remarks follow claims by Syria's embattled President Bashar al-Assad", OTHER),
        ('"They [Western governments] attack us politically', OTHER),
        ('"They don\'t want to upset the United States.', OTHER),
        ("Western powers are increasingly concerned about the threat of", OTHER),
        ("The Washington Post reported last week that the Obama administration", OTHER),
        ("In exchange, Russia would pressure the Syrian regime", OTHER),
        ("The deal, which was reportedly approved by President Barack Obama", OTHER),
        ("Russia and Iran have thrown their weight behind Damascus", OTHER),
    ],
    A003: [
        ("8:01 am - Thursday August 18, 2022", B),
        ("771 Viewed Alka Anand Singh Comments Off on Iran rejects US-led coalition against IS",
         B),
        ("Don't miss the stories followIndiaVision India News & Information and let's be smart!",
         B),
        ("0/5 - 0", B),
        ("You need login to vote.", B),
        ("Filed in", B),
        ("Arab states mull air strikes on ISIS", B),
        ("Libya\u2019s Zawiya refinery, El Sharara oil field shut: Report", B),
        ("Related posts", B),
    ],
    A004: [
        ("Image", B),
        ("AFP Tehran", B),
        ("Last Updated : Sep 15 2014 | 8:36 PM IST", B),
        ("*Subscribe to Business Standard digital", B),  # the whole block, see BLOCK_ENDS
        ("More From This Section", B),
        ("First Published: Sep 15 2014 | 8:36 PM IST", B),
        ("Next Story", B),
    ],
}

# Needles labelled as they are, not extended to the end of their line (glued image alt text).
EXACT: set[tuple[str, str]] = {(A000, "Ayatollah-Ali-Khamenei"), (A000, "kerry")}

# Labels given by a prefix extend to the end of their paragraph (line), or to this end marker.
BLOCK_ENDS: dict[tuple[str, str], str] = {
    (A004, "*Subscribe to Business Standard digital"):
        "Access Business Standard across devices \u2014 mobile, tablet, or PC, via web or app",
}

ARTICLES: dict[str, dict[str, Any]] = {
    A000: {"story": None, "kind": "rewrite-negative", "outlet": "", "adds_commentary": False,
           "related_to": STORY_2016},
    A001: {"story": STORY_2016, "kind": "commentary", "outlet": "Solve Israel's Problems",
           "adds_commentary": True, "related_to": None},
    A002: {"story": STORY_2016, "kind": "background", "outlet": "", "adds_commentary": False,
           "related_to": None},
    A003: {"story": STORY_2014, "kind": "verbatim", "outlet": "IndiaVision",
           "adds_commentary": False, "related_to": None},
    A004: {"story": STORY_2014, "kind": "trimmed", "outlet": "Business Standard",
           "adds_commentary": False, "related_to": None},
}


def _find(text: str, needle: str, occurrence: int | None) -> int:
    hits = []
    start = text.find(needle)
    while start != -1:
        hits.append(start)
        start = text.find(needle, start + 1)
    if occurrence is None:
        assert len(hits) == 1, f"{needle!r} occurs {len(hits)} times"
        return hits[0]
    return hits[occurrence]


def _full_line(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend [start, end) to the end of its line when the needle is a line prefix."""
    line_start = text.rfind("\n", 0, start) + 1
    if line_start != start:
        return start, end
    nl = text.find("\n", end)
    return start, len(text) if nl == -1 else nl


def build() -> dict[str, Any]:
    gold_articles: dict[str, Any] = {}
    for aid, meta in ARTICLES.items():
        text = (SEEDS / f"{aid}.txt").open(encoding="utf-8", newline="").read()
        spans = []
        for needle_spec, label in LABELS[aid]:
            needle, occ = (needle_spec if isinstance(needle_spec, tuple) else (needle_spec, None))
            s = _find(text, needle, occ)
            e = s + len(needle)
            if (aid, needle) in BLOCK_ENDS:
                end_marker = BLOCK_ENDS[(aid, needle)]
                e = _find(text, end_marker, None) + len(end_marker)
            elif label != C and (aid, needle) not in EXACT:
                s, e = _full_line(text, s, e)
            assert text[s:e].strip() and "\n" not in (text[s], text[e - 1]), (aid, needle)
            if (aid, needle) not in BLOCK_ENDS and label != C:
                assert text[s:e].startswith(needle), (aid, needle)
            spans.append({"start": s, "end": e, "label": label})
        spans.sort(key=lambda sp: (sp["start"], sp["end"]))
        for a, b in itertools.pairwise(spans):
            assert a["end"] <= b["start"], (aid, a, b)
        gold_articles[aid] = {**meta, "source": None, "spans": spans}
    clusters: dict[str, list[str]] = {}
    for aid, meta in ARTICLES.items():
        if meta["story"]:
            clusters.setdefault(meta["story"], []).append(aid)
    return {
        "seed": None,
        "clusters": sorted(sorted(c) for c in clusters.values() if len(c) >= 2),
        "articles": gold_articles,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.make_seeds_gold",
                                 description=__doc__)
    ap.add_argument("--check", action="store_true", help="compare with the committed JSON")
    args = ap.parse_args(argv)
    gold = build()
    if args.check:
        same = OUT.exists() and json.loads(OUT.read_text(encoding="utf-8")) == gold
        print("seeds_gold.json is up to date" if same else "seeds_gold.json differs")
        return 0 if same else 1
    write_json(OUT, gold)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
