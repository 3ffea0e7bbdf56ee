"""Run one command and record its wall time and peak RSS: ``python -m benchmarks.measure
RESULT.json -- CMD [ARGS...]``.

The peak RSS that ``wait4`` reports for a child includes the memory of the process it was
forked from (Linux keeps the high-water mark across exec), so a large parent inflates it. This
small wrapper is exec'ed first and forks the measured command from its own small image; the
figure it writes is the command's own peak (plus at most this wrapper's few MB).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print("usage: python -m benchmarks.measure RESULT.json -- CMD [ARGS...]", file=sys.stderr)
        return 2
    result, cmd = argv[0], argv[2:]
    start = time.perf_counter()
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    except OSError as exc:
        print(f"error: could not start {cmd[0]}: {exc}", file=sys.stderr)
        with open(result, "w", encoding="utf-8") as fh:
            json.dump({"rc": 127, "wall_s": 0.0, "maxrss_kb": 0, "error": str(exc)}, fh)
        return 127
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    rc = os.waitstatus_to_exitcode(status)
    proc.returncode = rc
    with open(result, "w", encoding="utf-8") as fh:
        json.dump({"rc": rc, "wall_s": wall, "maxrss_kb": usage.ru_maxrss}, fh)
    return rc if rc >= 0 else 128 - rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
