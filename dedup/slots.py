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

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import xxhash

from .normalize import Tokens, is_hard_wrapped, tokenize
from .signatures import Features
from .verify import PairEvidence

# Numbers written as words: "one billion dlrs" and "1.5 billion dlrs" fill the same slot.
NUMBER_WORDS = frozenset("""
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
hundred half quarter third fourth fifth first second
""".split())
# Words that open a sentence with a capital and name nothing.
NOT_NAMES = frozenset("""
a an the and or but of to in on at by for from with as it its this that these those he she
they we i his her their our there here which who what when where while if after before
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
    names: tuple[frozenset[str], ...] = ()  # per slot, the words of a fill of names only
    words: frozenset[str] = frozenset()  # every word the slots were read from
    lead: int = 0  # key of the slot that opens the article (its subject), 0 if none
    lead_name: frozenset[str] = frozenset()  # the words of that slot's name

    def name_words(self) -> frozenset[str]:
        """The words of all its names, legal forms aside."""
        return frozenset().union(self.lead_name, *self.names) - _LEGAL_FORMS


@dataclass(frozen=True)
class SlotEvidence:
    shared: int  # slots both articles have (same words around them)
    kept: int  # of which both fill alike
    changed: int  # of which they fill otherwise (a name only reworded is neither)
    kept_figures: int = 0  # kept slots that hold a number
    changed_figures: int = 0  # changed slots that hold a number
    lead_changed: bool = False  # both open with a name and neither names the other's
    names_differ: bool = False  # at most half the names of the one with fewer in the other

    @property
    def template_shaped(self) -> bool:
        """Another subject, more slots refilled than kept, or an amount refilled and as
        many of them as kept or other names: a copy tells of the same company and keeps
        the names and figures of the text it shares (a daily report keeps its names and
        changes its figures), while outlets do change a name's form now and then, and a
        correction one figure."""
        return self.lead_changed or (
            self.changed >= MIN_CHANGED and self.changed > self.kept) or (
            self.changed_figures >= 1 and (self.changed_figures >= self.kept_figures
                                           or self.names_differ))


def _is_number(word: str) -> bool:
    # Most words are letters only: isalpha() rules them out before the digit scan.
    return word in NUMBER_WORDS or (not word.isalpha() and any(c.isdigit() for c in word))


def _is_figure(fill: list[str]) -> bool:
    """A fill holds a number: digits, or only number words ("one billion"); "First" in
    "First Chicago Corp" is part of a name."""
    return any(any(c.isdigit() for c in w) for w in fill) or all(w in NUMBER_WORDS
                                                                 for w in fill)


def _is_slot_word(word: str, raw: str, sentence_start: bool) -> bool:
    if _is_number(word):
        return True
    # A capitalized word inside a sentence is a name; a sentence's first word may be any.
    return not sentence_start and raw[:1].isupper()


def article_slots(text: str, tokens: Tokens) -> Slots:
    """The slots of an article's content ``tokens`` (offsets into ``text``), with the
    lines of its wrapped sentences the content left out and the rows of its tables."""
    running = _without_tickers(text, slot_tokens(text, tokens))
    keys, fills, figures, names, (lead, lead_name) = _running_slots(text, running)
    for key, fill in table_rows(text):
        keys.append(key)
        fills.append(fill)
        figures.append(True)
        names.append(frozenset())
    return Slots(np.asarray(keys, np.uint64), np.asarray(fills, np.uint64),
                 np.asarray(figures, bool), tuple(names), frozenset(running.words), lead,
                 lead_name)


_TERMINAL = tuple('.!?"\u201d\u2019\u00bb)')


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text``, without its line break."""
    spans = []
    at = 0
    for line in text.split("\n"):
        spans.append((at, at + len(line)))
        at += len(line) + 1
    return spans


def _without_tickers(text: str, tokens: Tokens) -> Tokens:
    """``tokens`` without stock tickers ("<HAN>", "(CAWL.L)"): outlets write them each
    their own way, and they are no part of the name."""
    keep = [not (s > 0 and text[s - 1] in "<(" and text[s:e].isupper())
            for s, e in zip(tokens.starts.tolist(), tokens.ends.tolist(), strict=True)]
    if all(keep):
        return tokens
    at = np.flatnonzero(keep)
    return Tokens([tokens.words[i] for i in at.tolist()], tokens.starts[at], tokens.ends[at])


MAX_CUT_LINES = 2  # lines of a sentence the content may have left out, at either end


def slot_tokens(text: str, tokens: Tokens) -> Tokens:
    """The content ``tokens`` and, in wrapped wire copy, the rest of the sentences they
    begin or end: a wire story's first line ("McDonalds Corporation is issuing a 75
    mln") is often too short for a paragraph and left out of the content, and with it
    the name that tells one notice of a series from the next. A sentence starts a
    paragraph and ends with a stop: lines of chrome stacked above the story do not."""
    if not len(tokens) or not is_hard_wrapped(text):
        return tokens
    spans = _lines(text)
    line_ends = np.asarray([e for _, e in spans], np.int64)
    content = np.zeros(len(spans), bool)
    content[np.searchsorted(line_ends, tokens.starts, side="left")] = True
    raws = [text[s:e] for s, e in spans]
    blank = [not r.strip() for r in raws]
    stops = [r.rstrip().endswith(_TERMINAL) for r in raws]
    # A paragraph starts at the text's first line, after a blank line or indented.
    starts = [i == 0 or blank[i - 1] or raws[i][:1].isspace() for i in range(len(raws))]
    taken = content.copy()
    for i in np.flatnonzero(content).tolist():
        if i > 0 and not content[i - 1] and not starts[i]:  # the sentence's start, above
            for k in range(i - 1, max(-1, i - 1 - MAX_CUT_LINES), -1):
                if blank[k] or stops[k]:
                    break
                if starts[k]:
                    taken[k:i] = True
                    break
        if i + 1 < len(raws) and not content[i + 1] and not stops[i]:  # its end, below
            for k in range(i + 1, min(len(raws), i + 1 + MAX_CUT_LINES)):
                if blank[k] or starts[k]:
                    break
                if stops[k]:
                    taken[i + 1 : k + 1] = True
                    break
    if taken.sum() == content.sum():
        return tokens
    whole = tokenize(text)
    at = np.flatnonzero(taken[np.searchsorted(line_ends, whole.starts, side="left")])
    return Tokens([whole.words[i] for i in at.tolist()], whole.starts[at], whole.ends[at])


_WORD = re.compile(r"\w")
_COLUMN_GAP = re.compile(r"\S(?: {2,}|\t)\S")
MAX_ROW_LABEL = 6  # words naming a table row: more is prose with a double space


def table_rows(text: str) -> list[tuple[int, int]]:
    """(key, fill) of each row of a table laid out in columns: the row's words name it,
    its figures fill it ("CCC STOCKS   10022   10022   2373"). The boilerplate stage
    leaves such rows out of the content, and they hold all the figures of a table."""
    rows = []
    for line in text.split("\n"):
        if not _COLUMN_GAP.search(line.strip()):
            continue
        words = tokenize(line).words
        label = [w for w in words if not _is_number(w)]
        if not label or len(label) > MAX_ROW_LABEL or len(label) == len(words):
            continue
        key = xxhash.xxh64_intdigest(("\x01" + " ".join(label)).encode())
        fill = xxhash.xxh64_intdigest(f"{key} {' '.join(words)}".encode())
        rows.append((key, fill))
    return rows


_STOPS = frozenset(".!?:")


def _opens(gap: str, wrapped: bool) -> bool:
    """Whether the text between two words starts a sentence: a stop, or a line break
    that is not the wrapping of a wire story's line (a blank or indented line is)."""
    if not _STOPS.isdisjoint(gap):
        return True
    if "\n" not in gap:
        return False
    return not wrapped or gap.count("\n") > 1 or gap.endswith((" ", "\t"))


_PARTICLES = frozenset("of de du des del della di da van von der".split())


def _opening_name(words: list[str], slot: list[bool]) -> frozenset[str]:
    """The words of the name an article opens with, across its particles ("The Bank of
    Tokyo Ltd", "Caisse Centrale Desjardins du Quebec")."""
    end = 0
    while end < len(words) and (slot[end] or (
            words[end] in _PARTICLES and end + 1 < len(words) and slot[end + 1])):
        end += 1
    return frozenset(words[:end]) - _PARTICLES - NOT_NAMES


def _running_slots(text: str, tokens: Tokens) -> tuple[
        list[int], list[int], list[bool], list[frozenset[str]], tuple[int, frozenset[str]]]:
    """The slots of running text: keys, fills, whether each fill holds a number, the
    words of each fill of names only, and the name the text opens with (the key of its
    slot, 0 if a lone word opens it, and its words)."""
    words = tokens.words
    n = len(words)
    keys: list[int] = []
    fills: list[int] = []
    figures: list[bool] = []
    names: list[frozenset[str]] = []
    if n == 0:
        return keys, fills, figures, names, (0, frozenset())
    starts, ends = tokens.starts.tolist(), tokens.ends.tolist()
    raws = [text[s:e] for s, e in zip(starts, ends, strict=True)]
    wrapped = is_hard_wrapped(text)
    opens = [True] + [_opens(text[ends[i - 1] : starts[i]], wrapped) for i in range(1, n)]
    slot = [_is_slot_word(words[i], raws[i], opens[i]) for i in range(n)]
    # A sentence's capitalized first word belongs to the name that follows it
    # ("Tokyo Optical Co Ltd is issuing").
    for i in range(n - 1):
        if opens[i] and raws[i][:1].isupper() and slot[i + 1] and not opens[i + 1]:
            slot[i] = True
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
        figure = _is_figure(words[i:j])
        keys.append(key)
        fills.append(fill)
        figures.append(figure)
        names.append(frozenset() if figure else frozenset(words[i:j]))
        i = j
    # The subject is the name the article opens with: no word before it, kept or not.
    if _WORD.search(text, 0, starts[0]):
        return keys, fills, figures, names, (0, frozenset())
    if slot[0] and not figures[0]:
        return keys, fills, figures, names, (keys[0], _opening_name(words, slot))
    if raws[0][:1].isupper() and words[0] not in NOT_NAMES and not _is_number(words[0]) \
            and words[1:2] and words[1] in _SUBJECT_VERBS:
        return keys, fills, figures, names, (0, frozenset(words[:1]))  # "Canada is issuing"
    return keys, fills, figures, names, (0, frozenset())


SAME_WORD = 0.8  # spelling similarity of two words taken for one (a typo corrected)


def _same_word(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4
                      and difflib.SequenceMatcher(None, a, b).ratio() >= SAME_WORD)


# A lone capitalized word opening an article names its subject if one of these follows.
_SUBJECT_VERBS = frozenset("said says is has was will".split())
# Words of a company's legal form (and the words joining a name): "Zenchiku Co Ltd" and
# "Tokyo Optical Co Ltd" differ.
_LEGAL_FORMS = frozenset("""
co corp corporation inc incorporated ltd limited plc llc lp ag sa nv bv spa ab as oy gmbh kk
pte pty proprietary bhd group holdings holding company cos the of and
""".split())


def _same_name(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether most words of the shorter name, its legal form aside, are in the other
    ("Taft Broadcasting Co", "Taft Braodcasting Co"; "South Africa", "South African")."""
    a, b = (a - _LEGAL_FORMS) or a, (b - _LEGAL_FORMS) or b
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    found = sum(any(_same_word(w, v) for v in long) for w in short)
    return 2 * found > len(short)


def _reworded(a: Slots, b: Slots, key: int) -> bool:
    """Whether a slot both fill with names only names the same in both: one's name is
    among the other article's words ("Chase Manhattan Bank", "The Chase Manhattan
    Bank"), or most of its words are in the other's name."""
    fills_a = [a.names[i] for i in np.flatnonzero(a.keys == key).tolist()]
    fills_b = [b.names[i] for i in np.flatnonzero(b.keys == key).tolist()]
    if not all(fills_a) or not all(fills_b):  # a figure in one of them
        return False
    return (any(f <= b.words for f in fills_a) or any(f <= a.words for f in fills_b)
            or any(_same_name(f, g) for f in fills_a for g in fills_b))


def _named_in(name: frozenset[str], words: frozenset[str]) -> bool:
    """Whether half the words of ``name`` or more are among ``words``, spelt alike or
    nearly ("Fieldcor" corrected to "Fidelcor")."""
    found = sum(w in words or (len(w) >= 6 and any(
        v[:1] == w[:1] and abs(len(v) - len(w)) <= 2 and _same_word(w, v) for v in words))
        for w in name)
    return 2 * found >= len(name)


def _leads_differ(a: Slots, b: Slots) -> bool:
    """Both articles open with a name, and neither names the other's anywhere (the
    words their names do not share, legal forms aside): two notices of one template
    about two companies ("Chemical Bank said it is raising its prime lending rate",
    "Marine Midland Banks Inc said it is raising ...")."""
    if not a.lead_name or not b.lead_name:
        return False
    own_a = a.lead_name - b.lead_name - _LEGAL_FORMS
    own_b = b.lead_name - a.lead_name - _LEGAL_FORMS
    return (bool(own_a) and bool(own_b) and not _named_in(own_a, b.words)
            and not _named_in(own_b, a.words))


MIN_NAMES = 4  # names of the article with fewer, for their agreement to tell


def _names_differ(a: Slots, b: Slots) -> bool:
    """At most half the names of the article with fewer are in the other ("Banca
    Nazionale del Lavoro ... Tokai International" and "Canada ... Nomura International")."""
    names_a, names_b = a.name_words(), b.name_words()
    fewer = min(len(names_a), len(names_b))
    return fewer >= MIN_NAMES and 2 * len(names_a & names_b) <= fewer


def _fills_by_key(s: Slots, keys: np.ndarray) -> dict[int, set[int]]:
    """The distinct fills of each of ``keys`` (sorted) in ``s``."""
    inside = np.isin(s.keys, keys)
    fills: dict[int, set[int]] = {}
    for key, fill in zip(s.keys[inside].tolist(), s.fills[inside].tolist(), strict=True):
        fills.setdefault(key, set()).add(fill)
    return fills


def slot_evidence(a: Slots, b: Slots) -> SlotEvidence:
    """How the two articles fill the slots they share. A context found several times
    ("at about 275,000 to 285,000 head", "at about 120,000 to 126,000 head") is kept
    only if every fill of the article with fewer is in the other."""
    shared = np.intersect1d(a.keys, b.keys)
    if not len(shared):
        return SlotEvidence(0, 0, 0, lead_changed=_leads_differ(a, b))  # no figure refilled
    fills_a, fills_b = _fills_by_key(a, shared), _fills_by_key(b, shared)
    numeric_a, numeric_b = set(a.keys[a.figures].tolist()), set(b.keys[b.figures].tolist())
    kept = changed = kept_figures = changed_figures = 0
    lead = False
    for key in shared.tolist():
        if (key in numeric_a) != (key in numeric_b):  # a number in one, a name in the other
            continue
        numeric = key in numeric_a
        fa, fb = fills_a[key], fills_b[key]
        other = int(len(fa & fb) < min(len(fa), len(fb)))
        alike = 1 - other
        if other and not numeric and a.names and b.names and _reworded(a, b, key):
            other = 0
        kept += alike
        changed += other
        if numeric:
            kept_figures += alike
            changed_figures += other
        elif other and key == a.lead == b.lead:
            lead = True
    return SlotEvidence(len(shared), kept, changed, kept_figures, changed_figures,
                        lead or _leads_differ(a, b), _names_differ(a, b))


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
