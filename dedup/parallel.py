"""Run per-article and per-cluster work on all cores, results in input order.

Workers are forked after the corpus is in memory, so they read the articles and
features the parent already holds (copy-on-write) instead of receiving them pickled;
only each item's result travels back. Where fork is unavailable (Windows, macOS
spawn default) or the work is small, everything runs in this process: the results are
the same either way, which the test suite checks.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any, TypeVar

__all__ = [
    "MIN_ITEMS_PER_WORKER",
    "Clock",
    "default_jobs",
    "imap_ordered",
    "map_ordered",
    "return_freed_memory",
    "work_chunks",
]

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items per worker, forking costs more than it saves: an article's
# features take about 1 ms; a cluster's alignment 10-20 ms (so align passes a lower floor).
MIN_ITEMS_PER_WORKER = 64

_shared: Any = None  # what the current pool's workers read; set just before forking


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _run_chunk(args: tuple[Callable[[Any, Any], Any], Sequence[Any]]) -> list[Any]:
    func, chunk = args
    return [func(_shared, item) for item in chunk]


def map_ordered(
    func: Callable[[Any, Item], Result],
    items: Sequence[Item],
    shared: Any,
    jobs: int,
    on_done: Callable[[int], None] | None = None,
    min_per_worker: int = MIN_ITEMS_PER_WORKER,
) -> list[Result]:
    """``[func(shared, item) for item in items]``, on up to ``jobs`` processes.

    ``func`` must be a module-level function. ``on_done(n)`` is called as chunks
    of ``n`` items finish (for progress bars). Fewer than ``min_per_worker`` items per
    worker run in this process. Items whose work varies a lot can be grouped first
    (``work_chunks`` with a cost), each group then one item.
    """
    return list(imap_ordered(func, items, shared, jobs, on_done, min_per_worker))


def imap_ordered(
    func: Callable[[Any, Item], Result],
    items: Sequence[Item],
    shared: Any,
    jobs: int,
    on_done: Callable[[int], None] | None = None,
    min_per_worker: int = MIN_ITEMS_PER_WORKER,
) -> Iterator[Result]:
    """``map_ordered`` as its results arrive, for a caller that shrinks each one before
    the next (the workers keep going meanwhile)."""
    global _shared
    jobs = min(jobs, len(items) // max(1, min_per_worker))
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            yield func(shared, item)
            if on_done:
                on_done(1)
        return
    chunks = work_chunks(items, jobs)
    _shared = shared
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=_start_worker, initargs=(os.getpid(),)) as pool:
            for part in pool.imap(_run_chunk, ((func, c) for c in chunks)):
                yield from part
                if on_done:
                    on_done(len(part))
    finally:
        _shared = None


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _start_worker(parent: int) -> None:
    """A worker leaves Ctrl-C to its parent, which terminates the pool (a worker that took
    the SIGINT of the terminal's process group would print its own traceback), and ends
    when its parent ends, even by kill -9 (it would otherwise write into a closed pipe)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl: the pool's own clean-up still runs on a normal exit
    if os.getppid() != parent:  # the parent ended before prctl took effect
        os._exit(0)


MAX_CHUNK = 256  # items per work item: fewer round trips, but a coarser share of the work


def work_chunks(items: Sequence[Item], jobs: int,
                cost: Callable[[Item], int] | None = None) -> list[Sequence[Item]]:
    """``items`` cut into consecutive work items of about an eighth of a worker's share.

    By count when every item costs about the same; by ``cost`` otherwise, so that a run of
    expensive items (the largest clusters, which come first) is not one work item: chunks
    of 256 clusters gave one worker the 256 largest of the 1M scale-up, and it aligned them
    while the other waited.
    """
    if cost is None:
        size = max(1, min(MAX_CHUNK, len(items) // (jobs * 8)))
        return [items[i : i + size] for i in range(0, len(items), size)]
    costs = [max(1, cost(item)) for item in items]
    budget = max(1, sum(costs) // (jobs * 8))
    chunks: list[Sequence[Item]] = []
    start = spent = 0
    for i, c in enumerate(costs):
        if i > start and (spent + c > budget or i - start >= MAX_CHUNK):
            chunks.append(items[start:i])
            start, spent = i, 0
        spent += c
    if start < len(items):
        chunks.append(items[start:])
    return chunks


class Clock:
    """Wall time per stage, for the benchmark's per-stage table; between stages it gives
    the memory a stage let go back to the system (``return_freed_memory``)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        return_freed_memory()  # between stages: what one let go is not the next one's
        now = time.perf_counter()
        self.laps[stage] = round(now - self._last, 4)
        self._last = now


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc: nothing to call
        return None


def return_freed_memory() -> None:
    """Give the free pages inside the C heap back to the system (glibc's malloc_trim).

    A stage frees millions of small arrays (a digest's band hashes, its word lists); glibc
    keeps their pages for reuse, so resident memory stays at its high-water mark (figures
    in benchmarks/README.md).
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
