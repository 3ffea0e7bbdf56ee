"""The related-coverage day window: which articles were published close enough together
to be coverage of one story. Light (numpy only), so that the command line's default for
``--related-days`` comes from here without loading SciPy.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["RELATED_WINDOW_DAYS", "UNDATED", "day_numbers", "within_window"]

RELATED_WINDOW_DAYS = 7  # the same story is covered within a week (the default window)
UNDATED = np.iinfo(np.int64).min  # day number of an article without a usable date


def day_numbers(dates: Sequence[str | None]) -> np.ndarray:
    """Proleptic Gregorian day number of each ISO date (its first ten characters, so
    "2016-07-03T12:00Z" counts too); ``UNDATED`` for a missing or other date."""
    parsed: dict[str | None, int] = {None: int(UNDATED)}
    out = np.empty(len(dates), np.int64)
    for i, date in enumerate(dates):
        day = parsed.get(date)
        if day is None:
            try:
                day = _dt.date.fromisoformat(date[:10]).toordinal()  # type: ignore[index]
            except ValueError:
                day = int(UNDATED)
            parsed[date] = day
        out[i] = day
    return out


def within_window(day_a: Any, day_b: Any, window_days: int) -> Any:
    """May two articles published on these days be related coverage of one story?
    Day numbers or arrays of them (elementwise, hence ``|``)."""
    return (day_a == UNDATED) | (day_b == UNDATED) | (abs(day_a - day_b) <= window_days)
