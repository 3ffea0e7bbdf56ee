"""Stage 3: find site chrome, which is excluded from matching and labelled boilerplate.

Two kinds of evidence:
- patterns: what chrome looks like on any site (copyright lines, share and comment
  prompts, subscription blurbs, timestamps, bylines, captions, credit lines, lists of
  short non-sentence lines such as related-links and price tables);
- recurrence: a short or non-sentence block that recurs across several articles of the
  corpus, or that recurs within one outlet. Wire paragraphs recur too (that is what
  copying is), so long sentence-like blocks are chrome only when one outlet repeats them.

The stage is ``classify_blocks`` with the corpus's ``RecurringBlocks``. The pattern rules
run in the compiled core when it is built (``_chrome_flags``); ``_looks_like_chrome`` is
their pure-Python reference, which tests/test_core.py's
``test_the_chrome_prefilter_matches_the_reference`` ties to the core.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import xxhash

from ._accel import core
from .load import MONTH_NAMES, WEEKDAY_NAMES
from .normalize import TOKEN_RE, Block, blocks, token_words
from .vocabulary import BOILERPLATE, CONTENT, HEADLINE

__all__ = [
    "BOILERPLATE",
    "CHROME_RE",
    "CONTENT",
    "HEADLINE",
    "NEIGHBOUR_BLOCK_WORDS",
    "PROSE_WORDS",
    "SENTENCE_CHROME_RE",
    "SHORT_BLOCK_WORDS",
    "TIMESTAMP_WORDS",
    "LabelledBlock",
    "RecurringBlocks",
    "block_key",
    "block_keys",
    "classify_blocks",
    "may_be_chrome",
]

# Each pattern matches a whole block of chrome (searched case-insensitively).
_CHROME_PATTERNS = [
    r"©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved",
    r"^\s*(share|tweet|email|print|like)\b.{0,60}$",
    r"\b(share|sharing) (this|our|on)\b.{0,60}$|\bfacebook\b|\btwitter\b|\bwhatsapp\b|\blinkedin\b",
    r"\bleave a (reply|comment)\b|\bcomments? (are )?(off|closed)\b|\bpost a comment\b",
    r"email address will not be published|required fields are marked",
    r"\b(log ?in|sign ?in|sign ?up|register) (to|for)\b|\byou need (to )?log ?in\b",
    r"\bsubscri(be|ption)\b|\bnewsletter\b|\bpaywall\b|\bpremium\b|\bcancel anytime\b",
    r"\brenews? automatically\b|\bsave \d+ ?%|/\s?month\b|\bper month\b|\bfree trial\b",
    r"^\s*(related|similar|more|recommended|popular|trending|latest|top)"
    r"( posts?| stories| articles?| news| reads?| videos?| coverage)?\s*:?\s*$",
    r"^\s*(read more|see also|also read|read also|tags?|categories|filed (in|under))\b",
    r"contributed to this report|\(?(additional )?reporting by\b|\bediting by\b|\bwriting by\b",
    r"\bclick here\b|\bfollow us\b|\bdon'?t miss\b|\bdownload (our|the) app\b",
    r"\b\d+\s+(views?|viewed|comments?|shares?)\b|^\s*viewed\b|\bcomments off on\b",
    r"^\s*\d+(\.\d+)?\s*/\s*\d+\s*(-\s*\d+)?\s*$",  # star ratings "0/5 - 0"
    r"^\s*by [A-Z][\w.'’-]+( [A-Z][\w.'’-]+){0,3}\s*(,.{0,40})?$",  # bylines
    r"\[(getty|photo|image|file|afp|reuters|ap)[^\]]*\]\s*$|\b(photo|image|picture)\s*:|"
    r"\bgetty images\b|\bafp photo\b|\bphoto credit\b",
    r"^\s*(home|menu|search|skip to content)\s*(\||›|»|$)|(\s\|\s[^|]*){3,}",
    r"^\s*advertisement\s*$|^\s*sponsored\b|^\s*ad\s*$",
]
CHROME_RE = re.compile("|".join(f"(?:{p})" for p in _CHROME_PATTERNS), re.IGNORECASE | re.M)
# The few kinds of chrome that come as full sentences. Prose blocks, the bulk of any
# corpus, are only searched for these: the full pattern set is the slow part.
SENTENCE_CHROME_RE = re.compile(
    r"©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved|contributed to this report|"
    r"reporting by\b|editing by\b|\bsubscri(be|ption)\b|\bnewsletter\b|email address|"
    r"\bsign ?up\b|\blog ?in\b|\bclick here\b|\bcomments? (are )?(off|closed)\b",
    re.IGNORECASE,
)
PROSE_WORDS = 15

# What CHROME_RE needs, checked on the lowercased block before it runs (the regex is most
# of this stage's time, and few blocks are chrome): each of its patterns needs one of
# these substrings anywhere, both of a pair, one with a digit, or one at a line's start.
_CHROME_ANYWHERE = (
    "(c)", "copyright", "all rights reserved", "share this", "share our", "share on",
    "sharing this", "sharing our", "sharing on", "facebook", "twitter", "whatsapp",
    "linkedin", "leave a ", "comment", "email address will not be published",
    "required fields are marked", "log in", "login", "sign in", "signin", "sign up", "signup",
    "register ", "you need", "subscri", "newsletter", "paywall", "premium", "cancel anytime",
    "renew", "per month", "free trial", "contributed to this report", "reporting by",
    "editing by", "writing by", "click here", "follow us", "don't miss", "dont miss",
    "download our app", "download the app", "[", "getty images", "afp photo", "photo credit",
    "|",
)
_CHROME_PAIRS = (("save ", "%"), ("/", "month"), ("photo", ":"), ("image", ":"),
                 ("picture", ":"))
_CHROME_WITH_DIGIT = ("share", "view")  # "1,200 views", "35 shares"
_CHROME_LINE_STARTS = (
    "share", "tweet", "email", "print", "like", "related", "similar", "more", "recommended",
    "popular", "trending", "latest", "top", "read more", "see also", "also read",
    "read also", "tag", "categories", "filed ", "viewed", "by ", "home", "menu", "search",
    "skip to content", "advertisement", "sponsored", "ad",
)
_DIGITS = frozenset("0123456789")


def may_be_chrome(block_text: str) -> bool:
    """False only where ``CHROME_RE`` cannot match: none of what its patterns need is
    there. Text that is not all ASCII always may: re's IGNORECASE folds a few other
    letters onto ASCII ones (the Kelvin sign onto k) that str.lower() leaves apart."""
    if core is not None:
        return core.may_be_chrome(block_text, _CHROME_ANYWHERE,  # type: ignore[no-any-return]
                                  _CHROME_PAIRS, _CHROME_WITH_DIGIT, _CHROME_LINE_STARTS)
    if not block_text.isascii():
        return True
    lowered = block_text.lower()
    if any(h in lowered for h in _CHROME_ANYWHERE):
        return True
    if any(a in lowered and b in lowered for a, b in _CHROME_PAIRS):
        return True
    digits = not _DIGITS.isdisjoint(lowered)
    if digits and any(h in lowered for h in _CHROME_WITH_DIGIT):
        return True
    for line in lowered.split("\n"):
        start = line.lstrip()
        # A star rating ("4.5/5 - 12") is a line of a number, a slash and numbers.
        if start.startswith(_CHROME_LINE_STARTS) or (start[:1] in _DIGITS and "/" in start):
            return True
    return False
# Substrings one of which every SENTENCE_CHROME_RE match contains: a plain substring
# scan rules out almost every prose block before the regex runs.
_SENTENCE_CHROME_HINTS = ("©", "(c)", "copyright", "reserved", "contributed", "reporting by",
                          "editing by", "subscri", "newsletter", "email address", "sign",
                          "log", "click here", "comment")

# Words a timestamp line is made of: "8:01 am - Thursday August 18, 2022",
# "Last Updated : Sep 15 2014 | 8:36 PM IST", "2 min read". Unlike a title that is only a
# date (load.is_timestamp_line), a reading time or "3 hours ago" is chrome too.
_DATE_WORDS = MONTH_NAMES | WEEKDAY_NAMES | frozenset(
    """am pm gmt utc ist et est edt bst cet cest pst pdt updated update published posted last
    on at min mins minute minutes read ago hour hours day days h""".split()
)

_SENTENCE_END = tuple('.!?"”’»…')
SHORT_BLOCK_WORDS = 8  # a non-sentence block shorter than this is a label, not prose
NEIGHBOUR_BLOCK_WORDS = 16  # a non-sentence block this short next to chrome is chrome


def block_key(text: str) -> int:
    """Identity of a block for recurrence counting: its words, case and spacing folded."""
    return xxhash.xxh64_intdigest(" ".join(text.casefold().split()).encode("utf-8"))


def block_keys(text: str, spans: list[Block]) -> set[int]:
    return {block_key(text[b.start : b.end]) for b in spans}


@dataclass
class RecurringBlocks:
    """How many articles, and how many articles of each outlet, contain each block."""

    doc_counts: Counter[int] = field(default_factory=Counter)
    outlet_counts: Counter[tuple[str, int]] = field(default_factory=Counter)
    min_docs: int = 3

    def add(self, text: str, outlet: str | None, spans: list[Block] | None = None) -> None:
        self.add_keys(block_keys(text, blocks(text) if spans is None else spans), outlet)

    def add_keys(self, keys: set[int], outlet: str | None) -> None:
        """Count one article given its distinct block keys (see ``block_keys``)."""
        self.doc_counts.update(keys)
        if outlet:
            self.outlet_counts.update((outlet, k) for k in keys)

    def remove_keys(self, keys: Iterable[int], outlet: str | None) -> None:
        """Count one article out, given its distinct block keys: ``add_keys`` undone. The
        keys stay in the counts at zero, so a later ``add_corpus`` counts them as known."""
        keys = list(keys)
        self.doc_counts.subtract(keys)
        if outlet:
            self.outlet_counts.subtract((outlet, k) for k in keys)

    def add_corpus(self, keys: Sequence[np.ndarray], outlets: Sequence[str | None]) -> None:
        """Count many articles at once, each given its distinct block keys (uint64).

        The same counts as ``add_keys`` on each, except for blocks found in only one of
        these articles and never counted before: no rule calls a block seen once chrome,
        and they are most blocks of a corpus (about ten a article; a Counter entry with its
        int key takes about 75 bytes, an outlet entry about 100 more, by tracemalloc).
        """
        if not keys:
            return
        # Asked once: the outlet Counter fills up outlet by outlet below.
        docs_before, outlets_before = bool(self.doc_counts), bool(self.outlet_counts)
        self._add_counts(np.concatenate(keys), None, docs_before)
        by_outlet: dict[str, list[np.ndarray]] = {}
        for article_keys, outlet in zip(keys, outlets, strict=True):
            if outlet:
                by_outlet.setdefault(outlet, []).append(article_keys)
        for outlet in sorted(by_outlet):
            self._add_counts(np.concatenate(by_outlet[outlet]), outlet, outlets_before)

    def _add_counts(self, flat: np.ndarray, outlet: str | None, counted_before: bool) -> None:
        values, counts = np.unique(flat, return_counts=True)
        keep = counts >= min(2, self.min_docs)
        counter = self.doc_counts if outlet is None else self.outlet_counts
        names = values.tolist() if outlet is None else [(outlet, v) for v in values.tolist()]
        if counted_before:  # an index's corpus: a block it holds once more counts too
            keep |= np.fromiter(map(counter.__contains__, names), bool, len(names))
        counter.update({names[i]: c for i, c in zip(np.flatnonzero(keep).tolist(),
                                                        counts[keep].tolist(), strict=True)})

    def is_chrome(self, block_text: str, outlet: str | None, words: int,
                  key: int | None = None) -> bool:
        """Whether a block recurs like chrome; ``key`` is its ``block_key`` if known."""
        key = block_key(block_text) if key is None else key
        sentence_like = words > 12 and block_text.rstrip().endswith(_SENTENCE_END)
        # Chrome recurs on most of an outlet's pages; a sentence of prose an outlet
        # happens to reuse once or twice (a pet phrase) is still its own writing.
        if outlet and self.outlet_counts[(outlet, key)] >= (5 if sentence_like else 2):
            return True
        count = self.doc_counts[key]
        if not block_text.rstrip().endswith(_SENTENCE_END):
            return count >= self.min_docs
        # A short sentence may be wire copy carried by a handful of outlets; site chrome
        # in sentence form ("Your email address will not be published.") recurs far more.
        return words <= 12 and count >= max(self.min_docs, 10)


@dataclass(frozen=True)
class LabelledBlock:
    # About ten per article, kept for every article: with slots an object takes 56 bytes;
    # a __dict__ took 96 more each (sys.getsizeof), about 1 GB over a million articles.
    __slots__ = ("end", "kind", "start")
    start: int
    end: int
    kind: str  # CONTENT, BOILERPLATE or HEADLINE

    def __reduce__(self) -> tuple[type, tuple[int, int, str]]:
        # Frozen slots cannot be set back by pickle's default; worker results travel by it.
        return (LabelledBlock, (self.start, self.end, self.kind))


def classify_blocks(
    text: str,
    title: str | None = None,
    outlet: str | None = None,
    recurring: RecurringBlocks | None = None,
    spans: list[Block] | None = None,
    keys: Sequence[int] | None = None,
) -> list[LabelledBlock]:
    """Label every block of ``text`` (``spans``, if already split; ``keys``, their
    ``block_key`` if known) as content, boilerplate or headline."""
    spans = blocks(text) if spans is None else spans
    texts = [text[b.start : b.end] for b in spans]
    # White-space words: close enough to tokens for length thresholds, and much cheaper.
    word_counts = (core.word_counts(texts) if core is not None
                   else [len(t.split()) for t in texts])
    kinds = [BOILERPLATE if chrome else CONTENT for chrome in _chrome_flags(texts, word_counts)]
    if recurring is not None:
        for i, t in enumerate(texts):
            if kinds[i] == CONTENT and recurring.is_chrome(
                    t, outlet, word_counts[i], None if keys is None else keys[i]):
                kinds[i] = BOILERPLATE
    _mark_headlines(texts, kinds, title)
    _spread_to_neighbours(texts, word_counts, kinds)
    return [LabelledBlock(b.start, b.end, k) for b, k in zip(spans, kinds, strict=True)]


def _chrome_flags(texts: list[str], word_counts: list[int]) -> list[bool]:
    """``_looks_like_chrome`` of each block."""
    if core is not None:
        return core.chrome_flags(texts, word_counts, _rules())  # type: ignore[no-any-return]
    return [_looks_like_chrome(t, n) for t, n in zip(texts, word_counts, strict=True)]


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    """What ``_looks_like_chrome`` reads, for the compiled core's copy of it."""
    return {"chrome": CHROME_RE, "sentence_chrome": SENTENCE_CHROME_RE,
            "sentence_end": _SENTENCE_END, "hints": _SENTENCE_CHROME_HINTS,
            "anywhere": _CHROME_ANYWHERE, "pairs": _CHROME_PAIRS,
            "with_digit": _CHROME_WITH_DIGIT, "line_starts": _CHROME_LINE_STARTS,
            "date_words": _DATE_WORDS, "prose_words": PROSE_WORDS,
            "short_words": SHORT_BLOCK_WORDS, "timestamp_words": TIMESTAMP_WORDS}


def _looks_like_chrome(block_text: str, words: int) -> bool:
    if words == 0:
        return True  # punctuation or symbols only
    prose = words >= PROSE_WORDS and block_text.rstrip().endswith(_SENTENCE_END)
    if words <= 40:
        if prose:
            lowered = block_text.lower()
            if _any_in(_SENTENCE_CHROME_HINTS, lowered) \
                    and SENTENCE_CHROME_RE.search(block_text):
                return True
        elif may_be_chrome(block_text) and CHROME_RE.search(block_text):
            return True
    if words <= 14 and _is_timestamp(block_text):
        return True
    return words < SHORT_BLOCK_WORDS and not block_text.rstrip().endswith(_SENTENCE_END)


def _any_in(needles: tuple[str, ...], haystack: str) -> bool:
    if core is not None:
        return core.any_in(needles, haystack)  # type: ignore[no-any-return]
    return any(n in haystack for n in needles)


TIMESTAMP_WORDS = 14  # tokens of a timestamp line at most


def _is_timestamp(block_text: str) -> bool:
    if core is not None:
        return core.is_timestamp(  # type: ignore[no-any-return]
            block_text, _DATE_WORDS, TIMESTAMP_WORDS)
    words = [w.lower() for w in TOKEN_RE.findall(block_text)]
    if not words or len(words) > TIMESTAMP_WORDS:
        return False
    has_date = any(w.isdigit() for w in words)
    return has_date and all(w.isdigit() or w in _DATE_WORDS for w in words)


def _spread_to_neighbours(texts: list[str], word_counts: list[int], kinds: list[str]) -> None:
    """Short non-sentence blocks next to chrome are chrome: lists, price tables, menus.

    A run of such blocks next to chrome becomes chrome as a whole: one pass forwards
    carries chrome down each run, one backwards up it (repeating passes until nothing
    changed took one pass per block of a long run, n^2 on a page of short lines)."""
    spreads = [kinds[i] == CONTENT and word_counts[i] < NEIGHBOUR_BLOCK_WORDS
               and not t.rstrip().endswith(_SENTENCE_END) for i, t in enumerate(texts)]
    for order in (range(1, len(kinds)), range(len(kinds) - 2, -1, -1)):
        step = 1 if order.step == 1 else -1
        for i in order:
            if spreads[i] and kinds[i] == CONTENT and kinds[i - step] == BOILERPLATE:
                kinds[i] = BOILERPLATE


def _mark_headlines(texts: list[str], kinds: list[str], title: str | None) -> None:
    """The article's own headline (possibly repeated) is neither chrome nor copy."""
    if not title:
        return
    wanted = token_words(title)
    if not wanted:
        return
    for i, t in enumerate(texts[:8]):
        # Cheap length check first: most blocks are paragraphs, not headlines.
        if len(title) // 2 <= len(t) <= 2 * len(title) + 10 and token_words(t) == wanted:
            kinds[i] = HEADLINE
