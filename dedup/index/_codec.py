"""How values are stored: text deflated, keys as little-endian arrays and signed integers.

An index may come from an untrusted pull request, so nothing is pickled and everything read
back is typed and checked again: a blob's length, a text's inflated size, a value shown in a
message."""

from __future__ import annotations

import zlib

import numpy as np

from ..load import InputError

__all__ = ["MAX_TEXT_BYTES"]

MAX_TEXT_BYTES = 256 << 20  # a stored text inflating past this is corrupt (or a zip bomb)
_U64 = np.dtype("<u8")
_I64 = np.dtype("<i8")


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _deflate(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8", "surrogatepass"))


def _inflate(path: str, blob: object, article_id: str) -> str:
    where = f"the text of {_short(str(article_id))}"
    if not isinstance(blob, bytes):
        raise InputError(path, f"corrupt index ({where} is not a blob)")
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(blob, MAX_TEXT_BYTES)
        if inflater.unconsumed_tail or not inflater.eof:
            raise InputError(path, f"corrupt index ({where} is truncated or too large)")
        return data.decode("utf-8")
    except (zlib.error, UnicodeDecodeError) as error:
        raise InputError(path, f"corrupt index ({where}: {error})") from None


def _array(path: str, blob: object, dtype: np.dtype, what: str) -> np.ndarray:
    if not isinstance(blob, bytes) or len(blob) % dtype.itemsize:
        raise InputError(path, f"corrupt index ({what} are not a whole number array)")
    return np.frombuffer(blob, dtype=dtype)


def _as_signed(keys: np.ndarray) -> list[int]:
    return keys.astype(_U64).view(_I64).tolist()  # SQLite integers are signed


def _short(value: str | None, width: int = 40) -> str:
    # Values come from an untrusted file and end up in a one-line message.
    if value is None:
        return "missing"
    shown = repr(value)
    return shown if len(shown) <= width else shown[: width - 3] + "..."
