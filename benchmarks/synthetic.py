"""An invented base corpus (no real news text) for tests and offline demos of the generator.

``python -m benchmarks.synthetic OUT.jsonl`` writes it as a ``--base-jsonl`` file.
"""

from __future__ import annotations

import json
import random
import sys
import textwrap

# Invented material only: no Reuters (or any real) text in the repository.
_FIRMS = ["Alder Works Inc", "Brookfield Marine Corp", "Cinder Valley Mills Ltd",
          "Dunmore Freight Co", "Elmstead Foods Inc", "Farrow Chemical Corp",
          "Glenhaven Mining Ltd", "Hartwell Textiles Co"]
_PLACES = ["Oslo", "Lyon", "Osaka", "Porto", "Quebec", "Rosario", "Tampere", "Utrecht"]
_NOUNS = ["output", "sales", "orders", "exports", "shipments", "margins", "deliveries",
          "bookings", "volumes", "revenues", "inventories", "receipts"]
_VERBS = ["rose", "fell", "climbed", "eased", "recovered", "slipped", "jumped", "weakened"]
_REASONS = ["after a cold winter slowed deliveries", "because rail strikes delayed cargo",
            "as new contracts began to take effect", "following heavy rains in the north",
            "as a rival plant closed for repairs", "after the harbour reopened in spring",
            "because customers stocked up before a price change", "as fuel costs eased"]
_MONTHS = ["January", "February", "March", "April", "May", "June"]


def _sentence(rng: random.Random, firm: str, place: str) -> str:
    kind = rng.randrange(4)
    n = rng.randint(2, 40)
    noun, verb, reason = rng.choice(_NOUNS), rng.choice(_VERBS), rng.choice(_REASONS)
    month = rng.choice(_MONTHS)
    other = rng.choice(_NOUNS)
    if kind == 0:
        return f"{firm} said its {noun} {verb} {n} pct in {month} {reason}."
    if kind == 1:
        return (f"The plant near {place} handled {n} mln dlrs of {noun} last quarter, "
                f"while {other} {verb} slightly, a spokesman said.")
    if kind == 2:
        return (f"Analysts in {place} expect {other} to improve by {month} {reason}, "
                f"the company said.")
    return (f"Directors of {firm} will meet in {month} to review {noun} and {other} "
            f"plans for the {place} region.")


def synthetic_base(n_long: int = 40, n_briefs: int = 10, n_short: int = 30,
                   seed: int = 5) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for i in range(n_long):
        firm, place = rng.choice(_FIRMS), rng.choice(_PLACES)
        paras = [" ".join(_sentence(rng, firm, place) for _ in range(rng.randint(1, 3)))
                 for _ in range(rng.randint(5, 8))]
        lines = []
        for k, p in enumerate(paras):
            wrapped = textwrap.wrap(p, 62)
            lines.append(("    " if k else "") + wrapped[0])
            lines.extend(wrapped[1:])
        title = f"{firm.upper()} REPORTS {rng.choice(_NOUNS).upper()}"
        rows.append({"id": f"syn-{i}", "title": title,
                     "date": f"1987-03-{1 + i % 28:02d}", "text": "\n".join(lines) + "\n Reuter",
                     "topics": ["trade"] if i % 3 else ["earn"], "places": ["canada"]})
    for i in range(n_briefs):
        a, b = rng.randint(5, 90), rng.randint(5, 90)
        text = (f"Shr {a} cts vs {b} cts\n    Net {a * 1013:,} vs {b * 987:,}\n"
                f"    Revs {a + b}.{i} mln vs {a + 3}.{i} mln\n Reuter")
        rows.append({"id": f"brief-{i}", "title": f"FIRM {i} QTR NET", "text": text})
    for i in range(n_short):
        firm, place = rng.choice(_FIRMS), rng.choice(_PLACES)
        text = " ".join(_sentence(rng, firm, place) for _ in range(4)) + "\n Reuter"
        rows.append({"id": f"short-{i}", "title": f"{firm.upper()} NOTE {i}", "text": text})
    return rows


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m benchmarks.synthetic OUT.jsonl", file=sys.stderr)
        return 2
    with open(argv[0], "w", encoding="utf-8") as fh:
        for row in synthetic_base():
            fh.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
