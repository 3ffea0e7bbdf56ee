"""Template series on Reuters-21578: re-sends kept clustered, series pairs kept apart.

Reuters writes whole families of stories to one template: a bond notice per issuer, a
dividend declaration per company, a daily money-market report, a weekly slaughter estimate.
Two stories of one family with different text are a *series pair* and must not be clustered
as copies; the same text sent again under a new NEWID is a *re-send* and must stay clustered.
Gold comes only from the text and the family regexes below (never from dedup's own slot
rules): a re-send is a pair whose word 5-gram sets have a Jaccard index of at least
``RESEND_JACCARD`` and whose headlines do not name two different stock symbols; every other
pair of one family is a series pair.

Given the Reuters-21578 directory and a ``dedup cluster --format json`` report of all its
stories, this counts per family the re-send pairs clustered (of all re-send pairs) and the
series pairs clustered, beside the figures of main at 7860357 (``BEFORE``, fixed).

``python -m benchmarks.template_series REPORT.json [--reuters DIR] [--list FAMILY]``
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xxhash

from benchmarks.common import fail, words

# Re-sends differ from their first sending by a corrected figure or word at most; series
# pairs share the skeleton but not the figures (benchmarks/README.md gives the measured gap).
RESEND_JACCARD = 0.9
SHINGLE = 5
OPENING_CHARS = 200


@dataclass(frozen=True)
class Family:
    """Stories written to one template: a headline pattern or an opening pattern."""

    name: str
    title: str | None = None  # regex searched in the headline
    opening: str | None = None  # regex searched in the first OPENING_CHARS of the text

    def matches(self, title: str, text: str) -> bool:
        return bool((self.title and re.search(self.title, title))
                    or (self.opening and re.search(self.opening, text[:OPENING_CHARS])))


FAMILIES: tuple[Family, ...] = (
    Family("bond notices",
           title=r"\b(ISSUES?|ISSUING|LAUNCH(ES)?|BRINGS?|PRICES?|SELLS|OFFERS|OFFERING|UPPED|"
                 r"RAISED|INCREASED?S?)\b.*\b(EURO\w*|BONDS?|NOTES?|DEBENTURES?)\b",
           opening=r"(?i)\bis (issuing|launching) an?\b|\blead manager\b"),
    Family("debt ratings (Moody's, S&P, Duff and Phelps)",
           opening=r"^\s*(Standard and Poor's|Moody's Investors Service|Duff and Phelps)"),
    Family("dividend declarations",
           opening=r"(?i)^\s*(qtly|qtrly|quarterly|mthly|monthly|semi-?annual|semi-?ann|annual|"
                   r"initial|special|extra|regular|year-end|final|interim)?\s*(cash )?"
                   r"(div|dividend|distribution|payout)\b"),
    Family("earnings tables",
           opening=r"(?i)^\s*(oper )?shr\b"),
    Family("hog and cattle slaughter estimates",
           title=r"SLAUGHTER (GUESS|ES)TIMATES|ESTIMATED U\.S\. \w+ SLAUGHTER"),
    Family("hog and cattle market calls",
           title=r"\b(HOGS?|CATTLE)\b.*\b(SEEN|OPEN|STDY|UP|OFF|DOWN|STEADY)\b.*(PRIVATE|USDA)"),
    Family("cash grain and meat tables",
           title=r"CASH GRAIN|CASH WHOLESALE|GRAIN FUTURES \d|TERMINAL MARKET VALUES|"
                 r"NATIONAL AVERAGE PRICES FOR FARMER"),
    Family("money-market reports",
           title=r"MONEY MARKET|\bJAPAN TO SELL .*BILLS|^FED (ADDS|SETS|BUYS|SELLS|DRAINS|"
                 r"EXPECTED|NOT EXPECTED)|CUSTOMER REPURCHASE|SYSTEM REPURCHASE"),
    Family("prime and base rate notes",
           title=r"^(?!.*(PRIME MINISTER|ANALYSTS|OUTLOOK|HOPES|LIKELY|EUROBONDS)).*"
                 r"(\bBASE (LENDING )?RATE|PRIME( LENDING| INTEREST)? RATES?\b|"
                 r"\b(RAISES?|RAISING|CUTS?|CUTTING|LIFTS?|LOWERS?|HIKES?|INCREASES?|UPS|TRIMS|"
                 r"REDUCES?|MATCH\w*|SETS?) (ITS |AUSTRALIAN |SPLIT |U\.S\. )?PRIME\b)"),
    Family("CFTC and USDA reports",
           title=r"\bCFTC\b|\bUSDA\b|^CCC (ACCEPTS|CREDITS)\b"),
)

# Main at 7860357 (/tmp/base7860/ref/reuters.json, made by `dedup cluster` on every story),
# counted once by this module with these families: re-send pairs clustered, series pairs
# clustered. Recount with `python -m benchmarks.template_series REPORT --json` if the
# families or RESEND_JACCARD change.
BEFORE_COMMIT = "7860357"
BEFORE: dict[str, tuple[int, int | None]] = {
    "bond notices": (42, 57),
    "debt ratings (Moody's, S&P, Duff and Phelps)": (1, 1),
    "dividend declarations": (0, 0),
    "earnings tables": (5, 0),
    "hog and cattle slaughter estimates": (0, 1),
    "hog and cattle market calls": (1, 1),
    "cash grain and meat tables": (0, 9),
    "money-market reports": (7, 7),
    "prime and base rate notes": (5, 20),
    "CFTC and USDA reports": (1, 34),
    "all stories": (408, None),
}


def shingles(text: str, n: int = SHINGLE) -> frozenset[int]:
    """Hashed word n-grams (lowercase, punctuation and line breaks dropped); a text shorter
    than n words is one shingle of all its words."""
    toks = words(text)
    h = xxhash.xxh64_intdigest
    if len(toks) < n:
        return frozenset({h(" ".join(toks).encode())}) if toks else frozenset()
    return frozenset(h(" ".join(toks[i:i + n]).encode()) for i in range(len(toks) - n + 1))


def tickers(title: str) -> frozenset[str]:
    """Stock symbols in a headline ("<TM>", "<PARC.O>" -> "PARC")."""
    return frozenset(t.split(".")[0] for t in re.findall(r"<([A-Z][A-Z0-9.]*)>", title))


def same_issuer(title_a: str, title_b: str) -> bool:
    """False only when both headlines carry stock symbols and share none: a dividend table's
    body names no company, so one text may be sent for two."""
    ta, tb = tickers(title_a), tickers(title_b)
    return not (ta and tb and not ta & tb)


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def resend_pairs(sets: dict[str, frozenset[int]], threshold: float = RESEND_JACCARD
                 ) -> set[tuple[str, str]]:
    """Every pair with Jaccard >= threshold, exactly, by prefix filtering: ordering each
    set's shingles rarest first, two sets that reach the threshold share a shingle among
    the first len - ceil(threshold * len) + 1 of either."""
    df: dict[int, int] = {}
    for s in sets.values():
        for g in s:
            df[g] = df.get(g, 0) + 1
    index: dict[int, list[str]] = {}
    for doc, s in sorted(sets.items()):
        order = sorted(s, key=lambda g: (df[g], g))
        keep = len(order) - int(-(-threshold * len(order) // 1)) + 1
        for g in order[:max(keep, 1)]:
            index.setdefault(g, []).append(doc)
    candidates: set[tuple[str, str]] = set()
    for docs in index.values():
        for i, a in enumerate(docs):
            for b in docs[i + 1:]:
                candidates.add((a, b) if a < b else (b, a))
    return {p for p in candidates if jaccard(sets[p[0]], sets[p[1]]) >= threshold}


def family_members(articles: Iterable[dict[str, Any]],
                   families: Iterable[Family] | None = None) -> dict[str, list[str]]:
    """Ids of each family's stories (a story may match several families)."""
    fams = list(FAMILIES if families is None else families)
    out: dict[str, list[str]] = {f.name: [] for f in fams}
    for art in articles:
        for f in fams:
            if f.matches(art.get("title") or "", art["text"]):
                out[f.name].append(art["id"])
    return out


def clustered_pairs(report: dict[str, Any]) -> set[tuple[str, str]]:
    """Pairs of ids that are members of one cluster (the source included)."""
    pairs: set[tuple[str, str]] = set()
    for c in report["clusters"]:
        ids = sorted({m["id"] for m in c["members"]})
        pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
    return pairs


def count(members: dict[str, list[str]], resends: set[tuple[str, str]],
          clustered: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """Per family: articles, re-send pairs (all, clustered), series pairs clustered; then a
    row for all stories (re-sends anywhere in the corpus)."""
    rows = []
    for name, ids in members.items():
        fam = set(ids)
        fam_resends = {p for p in resends if p[0] in fam and p[1] in fam}
        fam_clustered = {p for p in clustered if p[0] in fam and p[1] in fam}
        rows.append({"family": name, "articles": len(fam), "resend_pairs": len(fam_resends),
                     "resend_clustered": len(fam_clustered & fam_resends),
                     "series_clustered": len(fam_clustered - fam_resends)})
    rows.append({"family": "all stories", "articles": None, "resend_pairs": len(resends),
                 "resend_clustered": len(clustered & resends), "series_clustered": None})
    return rows


def series_pairs(members: dict[str, list[str]], resends: set[tuple[str, str]],
                 clustered: set[tuple[str, str]], sets: dict[str, frozenset[int]]
                 ) -> dict[str, list[list[Any]]]:
    """The clustered series pairs of each family with their Jaccard (ids only, to read them
    in the collection: updated versions of one story count here too)."""
    out: dict[str, list[list[Any]]] = {}
    for name, ids in members.items():
        fam = set(ids)
        out[name] = [[a, b, round(jaccard(sets[a], sets[b]), 3)]
                     for a, b in sorted(clustered - resends) if a in fam and b in fam]
    return out


def load_articles(reuters: str | Path) -> list[dict[str, Any]]:
    from benchmarks.reuters import iter_reuters

    if not Path(reuters).is_dir():
        fail(f"error: {reuters}: no Reuters-21578 directory (see benchmarks/README.md)")
    articles = list(iter_reuters(reuters))
    if not articles:
        fail(f"error: {reuters}: no reut2-*.sgm stories")
    return articles


def load_report(path: str | Path) -> dict[str, Any]:
    try:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"error: {path}: not a readable dedup JSON report ({exc.__class__.__name__})")
    if not isinstance(report, dict) or not isinstance(report.get("clusters"), list):
        fail(f"error: {path}: no 'clusters' list (want `dedup cluster --format json`)")
    return report


def evaluate(articles: list[dict[str, Any]], report: dict[str, Any],
             families: Iterable[Family] | None = None) -> dict[str, Any]:
    """Rows of ``count`` for ``report`` (the "now" column), beside ``BEFORE``."""
    sets = {a["id"]: shingles(a["text"]) for a in articles}
    known = set(sets)
    clustered = {p for p in clustered_pairs(report) if p[0] in known and p[1] in known}
    titles = {a["id"]: a.get("title") or "" for a in articles}
    resends = {p for p in resend_pairs(sets) if same_issuer(titles[p[0]], titles[p[1]])}
    members = family_members(articles, families)
    rows = count(members, resends, clustered)
    return {"rows": rows, "series_pairs": series_pairs(members, resends, clustered, sets),
            "before": {k: list(v) for k, v in BEFORE.items()},
            "before_commit": BEFORE_COMMIT, "threshold": RESEND_JACCARD,
            "stories": len(articles)}


def run(articles: list[dict[str, Any]], out_dir: Path, dedup: list[str]) -> dict[str, Any]:
    """``dedup cluster`` on every story (ids, titles, texts), then ``evaluate``."""
    from benchmarks.common import write_jsonl

    corpus = out_dir / "reuters.jsonl"
    write_jsonl(corpus, ({"id": a["id"], "title": a.get("title") or "", "date": a.get("date"),
                          "text": a["text"]} for a in articles))
    report = out_dir / "template-series-dedup.json"
    subprocess.run([*dedup, "cluster", str(corpus), "--format", "json", "-q", "-o",
                    str(report)], check=True)
    return evaluate(articles, load_report(report))


def _frac(num: int | None, den: int | None) -> str:
    return "n/a" if num is None or den is None else f"{num} / {den}"


def markdown(res: dict[str, Any]) -> str:
    before = res.get("before") or {}
    tag = res.get("before_commit", BEFORE_COMMIT)
    out = [f"| family | articles | re-send pairs clustered / all, {tag} | series pairs "
           f"clustered, {tag} | re-send pairs clustered / all, now | series pairs clustered, "
           "now |", "|---|---|---|---|---|---|"]
    for r in res["rows"]:
        b = before.get(r["family"])
        b_resend = _frac(b[0], r["resend_pairs"]) if b else "n/a"
        b_series = "n/a" if b is None or b[1] is None else str(b[1])
        now_series = "n/a" if r["series_clustered"] is None else str(r["series_clustered"])
        arts = "all" if r["articles"] is None else f"{r['articles']:,}"
        out.append(f"| {r['family']} | {arts} | {b_resend} | {b_series} | "
                   f"{_frac(r['resend_clustered'], r['resend_pairs'])} | {now_series} |")
    out += ["", f"{res['stories']:,} stories. A re-send pair: word {SHINGLE}-gram Jaccard >= "
            f"{res['threshold']} and headlines not naming two different stock symbols; a "
            "series pair: any other pair of one family (updated versions of one story "
            "included, benchmarks/README.md section 8); a pair is "
            "clustered when both are members of one cluster. Families are headline/opening "
            "regexes (benchmarks/template_series.py) and may overlap. The "
            f"{tag} columns are fixed figures from main at {tag}'s report; the now columns "
            "come from this run."]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    from benchmarks.common import DEFAULT_REUTERS

    ap = argparse.ArgumentParser(prog="python -m benchmarks.template_series",
                                 description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("report", help="dedup cluster --format json report of all Reuters stories")
    ap.add_argument("--reuters", default=str(DEFAULT_REUTERS), help="Reuters-21578 directory")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--list", metavar="FAMILY", default=None,
                    help="list a family's matches (id and headline) instead")
    args = ap.parse_args(argv)
    report = load_report(args.report) if args.list is None else None
    articles = load_articles(args.reuters)
    if report is None:
        fams = [f for f in FAMILIES if f.name == args.list]
        if not fams:
            fail(f"error: no family {args.list!r}; families: "
                 + ", ".join(f.name for f in FAMILIES))
        for art in articles:
            if fams[0].matches(art.get("title") or "", art["text"]):
                print(art["id"], art.get("title") or "")
        return 0
    res = evaluate(articles, report)
    print(json.dumps(res, indent=1) if args.json else markdown(res), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
