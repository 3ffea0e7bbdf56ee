"""What several tests share, imported as ``tests.helpers`` (the fixtures are in conftest.py):
the seed corpus's paths and roles, the wire sentences, a templated daily report and a
pseudo-terminal to run a command on."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# The seed ids, by the role each plays (see ../shared/README.md).
REWRITE_2016 = "000_f75c96cb487ccd06"  # independent rewrite: copies no text
SOLVE_ISRAEL = "001_14993c057e754b8b"  # AFP 2016 copy with commentary
NEW_ARAB = "002_02662ee57eea0c09"  # AFP 2016 copy with background reporting
INDIAVISION = "003_8c73973eb25d2eab"  # AFP 2014 copy
BUSINESS_STANDARD = "004_85a14eddb205e668"  # AFP 2014 copy

# Four wire sentences, one a paragraph, that tests copy and edit.
WIRE = [
    "The central bank raised its main interest rate by half a point on Thursday, citing "
    "inflation that has stayed above its target for eleven consecutive months.",
    "Governor Maria Lindqvist told a news conference in the capital that further increases "
    "could not be ruled out if wage growth continued to accelerate through the summer.",
    "The decision was expected by most economists polled before the meeting, although two "
    "of the nine board members voted to keep the rate unchanged.",
    "The currency rose against the euro after the announcement, while shares of the "
    "country's largest lenders gained between one and three percent in afternoon trading.",
]

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


def templated_report(day: dict[str, object]) -> str:
    """One day of the templated report: shares its sentences with every other day."""
    return REPORT.format(**day)


T = TypeVar("T")


def run_on_terminal(run: Callable[[int], T]) -> tuple[T, bytes]:
    """``run(fd)`` with ``fd`` a pseudo-terminal 120 columns wide (a new one is 0 wide, and
    tqdm cuts its bars to the width); returns what ``run`` returned and all it wrote there."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    try:
        result = run(slave)
        os.close(slave)
        slave = -1
        shown = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal is closed once everything is read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    return result, shown
