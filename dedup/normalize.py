"""Stage 2: normalize text for matching while keeping a map back to the original.

Matching never sees the article text directly: it sees word tokens, each carrying the
``[start, end)`` character offsets of the word in ``Article.text``. Everything that
differs between two copies of the same wire story without changing its words is folded
away here: Unicode compatibility forms (NFKC), curly and straight quotes and apostrophes,
dashes and non-breaking spaces (they separate tokens like any space), hard-wrapped lines,
letter case, dotted abbreviations ("U.S." = "US") and agency house style ("mln" =
"million", "pct" = "percent").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ._accel import core

# A word: letters/digits with internal apostrophes ("don't", "Iran's"), or a dotted
# abbreviation ("U.S.", "a.m."). Underscores are not word characters in prose.
TOKEN_RE = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:['’ʼ`´][^\W_]+)*")

APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "´": "'", ".": ""})

# Wire-service abbreviations that outlets expand when they restyle copy. Folding both
# sides to one form lets a restyled copy still match the wire verbatim.
HOUSE_STYLE = {
    "mln": "million",
    "mn": "million",
    "bln": "billion",
    "bn": "billion",
    "pct": "percent",
    "dlrs": "dollars",
    "dlr": "dollar",
    "cts": "cents",
    "stg": "sterling",
    "yrs": "years",
}


@dataclass(frozen=True)
class Tokens:
    """Word tokens of one text: normalized forms and their original offsets."""

    words: list[str]
    # int32: every token of the corpus has both, and no article is 2 GB long.
    starts: np.ndarray  # int32, offset of each token in the original text
    ends: np.ndarray  # int32, exclusive end offset

    def __len__(self) -> int:
        return len(self.words)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Tokens travel from worker processes to the parent by pickle: one joined string
        # pickles and splits far faster than a list of short strings, and a dict on
        # arrival shares each word between articles again, as in a single process.
        joined = join_words(self.words)
        if joined is None:
            return (Tokens, (self.words, self.starts, self.ends))
        return (_joined_tokens, (joined, len(self.words), self.starts, self.ends))


_WORD_SEPARATOR = "\x00"  # never part of a token: tokens are word characters


_arrived_words: dict[str, str] = {}


def _joined_tokens(joined: str, count: int, starts: np.ndarray, ends: np.ndarray) -> Tokens:
    return Tokens(joined_words(joined, count), starts, ends)


def join_words(words: list[str]) -> str | None:
    """``words`` as one string for pickling (see ``Tokens.__reduce__``), or None if a
    word holds the separator."""
    joined = _WORD_SEPARATOR.join(words)
    return joined if joined.count(_WORD_SEPARATOR) == max(0, len(words) - 1) else None


def joined_words(joined: str, count: int) -> list[str]:
    """The words of ``join_words``, each shared with the same word of earlier arrivals."""
    words = joined.split(_WORD_SEPARATOR) if count else []
    if len(_arrived_words) < 2_000_000:
        words = list(map(_arrived_words.setdefault, words, words))
    return words


@lru_cache(maxsize=1 << 18)
def normalize_word(raw: str) -> str:
    """The matching form of one raw token."""
    word = unicodedata.normalize("NFKC", raw).casefold().translate(APOSTROPHES)
    return HOUSE_STYLE.get(word, word)


_normal_forms: dict[str, str] = {}


def _normal(raw: str) -> str:
    # A plain dict in front of normalize_word: this runs once per token of the corpus.
    word = _normal_forms.get(raw)
    if word is None:
        word = normalize_word(raw)
        if len(_normal_forms) < 1_000_000:
            _normal_forms[raw] = word
    return word


# TOKEN_RE on ASCII text, where its classes are these ranges, as a split: one string list
# instead of a match object per token (tokenizing was a quarter of the signature stage).
_ASCII_TOKEN_SPLIT = re.compile(r"((?:[A-Za-z]\.){2,}|[A-Za-z0-9]+(?:['`][A-Za-z0-9]+)*)")


TOKENIZE_STEP = 1 << 20  # characters tokenized at a time (see tokenize)
_CUT_RE = re.compile(r"[ \n]")  # never inside a token: a long text is cut there


def tokenize(text: str, start: int = 0, end: int | None = None) -> Tokens:
    """Tokens of ``text[start:end]``, offsets relative to the whole ``text``.

    A long text is tokenized a stretch at a time, cut at a space or line break (no token
    holds one, so the tokens are the same): its pieces between tokens, or its match
    objects, all at once took about 100 bytes a token, a gigabyte for a 50 MB article."""
    end = len(text) if end is None else end
    if end - start <= TOKENIZE_STEP:
        return _tokenize(text, start, end)
    parts = []
    while start < end:
        cut = _CUT_RE.search(text, min(start + TOKENIZE_STEP, end), end)
        stop = cut.start() if cut else end
        parts.append(_tokenize(text, start, stop))
        start = stop
    return Tokens([w for p in parts for w in p.words], np.concatenate([p.starts for p in parts]),
                  np.concatenate([p.ends for p in parts]))


def _tokenize(text: str, start: int, end: int) -> Tokens:
    if core is not None:
        return Tokens(*core.tokenize(text, start, end, _normal_forms, _normal))
    return _tokenize_reference(text, start, end)


def _tokenize_reference(text: str, start: int, end: int) -> Tokens:
    """``_tokenize`` in Python and ``re``: the reference the compiled core must match."""
    dtype = np.int32 if len(text) < 2**31 else np.int64
    part = text if start == 0 and end == len(text) else text[start:end]
    if part.isascii():
        pieces = _ASCII_TOKEN_SPLIT.split(part)  # text between tokens, token, text, ...
        lengths = np.fromiter(map(len, pieces), np.int64, len(pieces))
        token_ends = (np.cumsum(lengths) + start)[1::2]
        return Tokens(normal_forms(pieces[1::2]), (token_ends - lengths[1::2]).astype(dtype),
                      token_ends.astype(dtype))
    matches = list(TOKEN_RE.finditer(text, start, end))
    count = len(matches)
    # map() over C-level methods: this runs once per token of the corpus.
    raws = list(map(re.Match.group, matches))
    starts = np.fromiter(map(re.Match.start, matches), dtype=dtype, count=count)
    ends = starts + np.fromiter(map(len, raws), dtype=dtype, count=count)
    return Tokens(normal_forms(raws), starts, ends)


def normal_forms(raws: list[str]) -> list[str]:
    """``_normal`` of each raw token, with the cache probed in bulk."""
    forms = _normal_forms
    for raw in set(raws).difference(forms):
        _normal(raw)
    words = list(map(forms.get, raws))
    if None in words:  # the cache is full: the rest one by one
        return [_normal(raw) for raw in raws]
    return words  # type: ignore[return-value]


def token_words(text: str) -> list[str]:
    """Just the normalized words, for callers that need no offsets (faster)."""
    if core is not None:
        return core.words(text, _normal_forms, _normal)  # type: ignore[no-any-return]
    return normal_forms(TOKEN_RE.findall(text))


# Opening and closing quotation marks. Straight double quotes toggle.
_OPEN_QUOTES = "“„«‹"
_CLOSE_QUOTES = "”»›"


def quote_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` character ranges inside quotation marks.

    News prose often leaves a quote open across a paragraph break (the next paragraph
    reopens it), so an open quote ends at the next blank line or wire indentation.
    """
    if core is not None:
        return core.quote_spans(text)  # type: ignore[no-any-return]
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for m in re.finditer(r"[\"“”„«»‹›]|\n\s*\n|\n[ \t]+", text):
        mark, pos = m.group(), m.start()
        if mark[0] == "\n":
            if open_at is not None:
                spans.append((open_at, pos))
            open_at = None
        elif open_at is None:
            if mark in _OPEN_QUOTES or mark == '"':
                open_at = pos
        elif mark in _CLOSE_QUOTES or mark == '"':
            spans.append((open_at, pos + 1))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(text)))
    return spans


def quoted_mask(text: str, tokens: Tokens) -> np.ndarray:
    """Which tokens sit inside quotation marks.

    Two agencies quoting the same speech share the quote, not copy: verification
    discounts shared words that are inside quotes.
    """
    if core is not None and tokens.starts.dtype == np.int32:
        return core.quoted(text, np.ascontiguousarray(tokens.starts))  # type: ignore[no-any-return]
    inside = np.zeros(len(tokens), dtype=bool)
    spans = quote_spans(text) if len(tokens) else []
    if not spans:
        return inside
    bounds = np.asarray(spans, dtype=np.int64)
    idx = np.searchsorted(bounds[:, 0], tokens.starts, side="right") - 1
    valid = idx >= 0
    inside[valid] = tokens.starts[valid] < bounds[idx[valid], 1]
    return inside


def mask_quotes(text: str) -> str:
    """``text`` with quoted material blanked out, same length (offsets still hold)."""
    chars = list(text)
    for start, end in quote_spans(text):
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


@dataclass(frozen=True)
class Block:
    """A paragraph-like unit of text: ``text[start:end]``, surrounding space excluded."""

    __slots__ = ("end", "start")  # one per paragraph of the corpus: no __dict__ each
    start: int
    end: int

    def __reduce__(self) -> tuple[type, tuple[int, int]]:
        # Frozen slots cannot be set back by pickle's default; worker results travel by it.
        return (Block, (self.start, self.end))


_LINE_RE = re.compile(r"[^\n]*\n?")
_TERMINAL = tuple('.!?"”’»)…')


def blocks(text: str) -> list[Block]:
    """Split text into paragraph-like blocks, re-joining hard-wrapped lines.

    Wire copy (Reuters-21578, AFP feeds) wraps paragraphs at ~65 columns and marks a new
    paragraph by indentation; web copy puts one paragraph per line or blank lines between
    them. A line continues the previous block when the previous line does not end a
    sentence and looks wrapped (long enough), or when it starts in lower case.
    """
    if core is not None:
        return [Block(start, end)
                for start, end in core.block_bounds(text, is_hard_wrapped(text), _TERMINAL)]
    result: list[Block] = []
    cur_start = cur_end = -1
    prev_line = ""
    wrapped = is_hard_wrapped(text)
    for match in _LINE_RE.finditer(text):
        raw = match.group()
        if not raw:
            break
        line = raw.rstrip("\r\n")
        stripped = line.strip()
        if not stripped:
            if cur_start >= 0:
                result.append(Block(cur_start, cur_end))
            cur_start = -1
            prev_line = ""
            continue
        lead = len(line) - len(line.lstrip())
        start = match.start() + lead
        end = match.start() + len(line.rstrip())
        if cur_start >= 0 and wrapped and _continues(prev_line, line):
            cur_end = end
        else:
            if cur_start >= 0:
                result.append(Block(cur_start, cur_end))
            cur_start, cur_end = start, end
        prev_line = line
    if cur_start >= 0:
        result.append(Block(cur_start, cur_end))
    return result


def is_hard_wrapped(text: str) -> bool:
    """Whether the text's lines were wrapped at a fixed width (wire style).

    Scraped web text has one paragraph per line, often hundreds of characters long; only
    in wrapped text may a line break fall in the middle of a sentence.
    """
    if core is not None:
        return core.is_hard_wrapped(text)  # type: ignore[no-any-return]
    lengths = [len(line.rstrip()) for line in text.splitlines() if line.strip()]
    if len(lengths) < 3:
        return False
    long_lines = sum(1 for n in lengths if n > 100)
    return long_lines <= len(lengths) // 20


def _continues(prev_line: str, line: str) -> bool:
    prev = prev_line.rstrip()
    if line[:1] in " \t":  # indented: a new wire paragraph
        return False
    first = line.lstrip()[:1]
    if first.islower():
        return True
    if prev.endswith(_TERMINAL):
        return False
    return (len(prev) >= 45 and not first.isupper()) or len(prev) >= 55


_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"”’»)\]]*(?=\s+[\"“‘«(\[]?[A-Z0-9]|\s*$)")


def sentences(text: str, block: Block) -> list[Block]:
    """Sentence spans inside one block (a light splitter: news prose, not legal text)."""
    spans: list[Block] = []
    start = block.start
    for match in _SENTENCE_END_RE.finditer(text, block.start, block.end):
        end = match.end()
        if _is_abbreviation(text, start, match.start()):
            continue
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = end
    if text[start : block.end].strip():
        spans.append(_trim(text, start, block.end))
    return spans


_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sen rep gov gen col lt sgt st jr sr inc corp co ltd jan feb mar apr "
    "jun jul aug sep sept oct nov dec no vs u.s u.k u.n e.g i.e".split()
)


def _is_abbreviation(text: str, start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lower().lstrip("(\"“")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _trim(text: str, start: int, end: int) -> Block:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Block(start, end)
