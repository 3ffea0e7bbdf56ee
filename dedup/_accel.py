"""The compiled core (``dedup._core``, built from _core.pyx at install), or None.

Every compiled function has a pure-Python reference in the module that calls it; where
the extension is not built, or ``DEDUP_PURE=1`` asks for the reference, those run instead.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType


def _load() -> ModuleType | None:
    if os.environ.get("DEDUP_PURE", "") not in ("", "0"):
        return None
    try:
        from . import _core
    except ImportError as exc:
        # Once per process: this module is imported once, and workers are forked from it.
        print(f"dedup: compiled core not available ({exc}); running the pure-Python "
              "reference, slower (reinstall with 'pip install .' and a C "
              "compiler to build it)", file=sys.stderr)
        return None
    return _core


core = _load()
