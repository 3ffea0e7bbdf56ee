"""Template series: stories written to one skeleton with other names and amounts.

A wire service sends many stories to one template: a bond issue notice per borrower, a
dividend declaration per company, a central bank's daily money-market report, the weekly
slaughter estimates. Two of them share most of their sentences, yet neither copies the
other: what each says lies in its *slots*, the names and figures the template leaves open.

A slot is a run of figures and names (a capitalized word inside a sentence, a number written
in digits or in words) between the words around it. Two articles share a slot when the same
words stand around it (two before, one after); they *fill* it alike when the run is the same
too. A copy keeps the slots it shares filled as the source filled them (a correction changes
one); a template series fills them otherwise. So a pair is template-shaped when it changes
the fill of at least ``MIN_CHANGED`` shared slots and of more shared slots than it keeps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import xxhash

from .normalize import Tokens
from .signatures import Features
from .verify import PairEvidence

# Numbers written as words: "one billion dlrs" and "1.5 billion dlrs" fill the same slot.
NUMBER_WORDS = frozenset("""
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
hundred half quarter third fourth fifth first second
""".split())
LEFT_WORDS = 2  # words before a slot that name it
RIGHT_WORDS = 1  # words after it
MIN_CHANGED = 2  # changed fills that make a pair template-shaped (a correction changes one)
_EDGE = "\x00"  # stands for the start or the end of the content


@dataclass(frozen=True)
class Slots:
    """An article's slots: the context hash of each and the hash of context plus fill."""

    keys: np.ndarray  # uint64 per slot
    fills: np.ndarray  # uint64 per slot, aligned with keys
    figures: np.ndarray  # bool per slot: its fill holds a number (else only names)


@dataclass(frozen=True)
class SlotEvidence:
    shared: int  # slots both articles have (same words around them)
    kept: int  # of which both fill alike
    changed: int  # of which they fill otherwise
    kept_figures: int = 0  # kept slots that hold a number
    changed_figures: int = 0  # changed slots that hold a number

    @property
    def template_shaped(self) -> bool:
        """More slots refilled than kept, or as many of its amounts refilled as kept: a copy
        keeps the figures of the text it shares (a daily report keeps its names and
        changes its figures), while outlets do change a name's form now and then."""
        return (self.changed >= MIN_CHANGED and self.changed > self.kept) or (
            self.changed_figures >= 1 and self.changed_figures >= self.kept_figures)


def _is_number(word: str) -> bool:
    return word in NUMBER_WORDS or any(c.isdigit() for c in word)


def _is_slot_word(word: str, raw: str, sentence_start: bool) -> bool:
    if _is_number(word):
        return True
    # A capitalized word inside a sentence is a name; a sentence's first word may be any.
    return not sentence_start and raw[:1].isupper()


def article_slots(text: str, tokens: Tokens) -> Slots:
    """The slots of an article's content ``tokens`` (offsets into ``text``)."""
    words = tokens.words
    n = len(words)
    if n == 0:
        empty = np.empty(0, np.uint64)
        return Slots(empty, empty, np.empty(0, bool))
    starts, ends = tokens.starts.tolist(), tokens.ends.tolist()
    raws = [text[s:e] for s, e in zip(starts, ends, strict=True)]
    opens = [True] + [any(c in ".!?\n:" for c in text[ends[i - 1] : starts[i]])
                      for i in range(1, n)]
    slot = [_is_slot_word(words[i], raws[i], opens[i]) for i in range(n)]
    # A sentence's capitalized first word belongs to the name that follows it
    # ("Tokyo Optical Co Ltd is issuing").
    for i in range(n - 1):
        if opens[i] and raws[i][:1].isupper() and slot[i + 1] and not opens[i + 1]:
            slot[i] = True
    keys: list[int] = []
    fills: list[int] = []
    figures: list[bool] = []
    context = [i for i in range(n) if not slot[i]]  # positions of the template's own words
    at = 0  # index into context of the first context word after the current position
    i = 0
    while i < n:
        if not slot[i]:
            i += 1
            continue
        j = i
        while j < n and slot[j]:
            j += 1
        while at < len(context) and context[at] < i:
            at += 1
        left = [words[k] for k in context[max(0, at - LEFT_WORDS) : at]]
        right = [words[k] for k in context[at : at + RIGHT_WORDS]]
        left = [_EDGE] * (LEFT_WORDS - len(left)) + left
        right = right + [_EDGE] * (RIGHT_WORDS - len(right))
        key = xxhash.xxh64_intdigest(" ".join([*left, "|", *right]).encode())
        fill = xxhash.xxh64_intdigest((str(key) + " " + " ".join(words[i:j])).encode())
        keys.append(key)
        fills.append(fill)
        figures.append(any(_is_number(w) for w in words[i:j]))
        i = j
    return Slots(np.asarray(keys, np.uint64), np.asarray(fills, np.uint64),
                 np.asarray(figures, bool))


def slot_evidence(a: Slots, b: Slots) -> SlotEvidence:
    """How the two articles fill the slots they share."""
    shared = np.intersect1d(a.keys, b.keys)
    if not len(shared):
        return SlotEvidence(0, 0, 0)
    alike = np.isin(a.fills, b.fills)
    kept = np.intersect1d(a.keys[alike], shared)
    changed = np.setdiff1d(shared, kept, assume_unique=True)
    # A slot holds a number if either article fills it with one.
    numeric = np.union1d(a.keys[a.figures], b.keys[b.figures])
    return SlotEvidence(len(shared), len(kept), len(changed),
                        int(np.isin(kept, numeric).sum()), int(np.isin(changed, numeric).sum()))


def drop_template_pairs(copies: Sequence[PairEvidence], texts: Callable[[int], str],
                        features: Mapping[int, Features]) -> list[PairEvidence]:
    """The copy pairs that are not template-shaped (see the module docstring). An
    article's slots are worked out once, for the articles of copy pairs only."""
    slots: dict[int, Slots] = {}

    def of(i: int) -> Slots:
        if i not in slots:
            slots[i] = article_slots(texts(i), features[i].tokens)
        return slots[i]

    return [e for e in copies if not slot_evidence(of(e.a), of(e.b)).template_shaped]
