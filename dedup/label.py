"""Labels for what an outlet added, and the agency credit an article carries.

An addition is ``commentary`` when it speaks in the outlet's own voice and ``other`` when it
reads as reporting. The outlet's voice is scored from a published sentiment lexicon (VADER's,
shipped in the vaderSentiment package, MIT licence: the valence of ~7,500 English words rated
by people, see docs/commentary.md), each word weighed by its word class from Brill's tagger
lexicon (shipped in the textblob package, MIT/BSD: adjectives judge, nouns and verbs mostly
name and narrate), and from grammatical cues, closed classes a linguist would name: first
and second person (the outlet and its readers), modals of obligation and speculation,
epistemic stance, people generalised over, contractions, VADER's intensifiers and negators,
questions and exclamations, a contrastive opening. Reporting is scored from the structure
of the addition: attribution (verbs of saying and believing, "according to"), figures,
dates and named sources. Quoted words are the sources' voice, not the outlet's, and are
not scored; opinion attributed to somebody ("X said", "analysts expect") is reporting.

No open-class word or phrase here was written against the benchmark's commentary: the only
hand-written opinion phrases are ``OPINION_PHRASES`` (stock stance frames), and
tests/test_benchmarks_generate.py checks that none of them occurs in its held-out part.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .normalize import mask_quotes
from .vocabulary import COMMENTARY, OTHER

# Stance frames: the writer announcing a view. Weight 2 each: one is enough.
OPINION_PHRASES: list[str] = [
    r"in (reality|truth)", r"the (truth|reality) is", r"despite the fact that",
    r"in (our|my) (view|opinion)",
    r"let'?s be (honest|clear|frank)", r"make no mistake", r"needless to say",
    r"the (real|bigger) (question|problem|story|lesson)", r"this (newspaper|column|columnist)",
    r"(our|dear) readers?", r"it is (high )?time (to|for|that)",
]
_PHRASE_RE = re.compile(r"\b(?:" + "|".join(OPINION_PHRASES) + r")\b", re.IGNORECASE)

# Grammatical cues (closed classes, not phrases: any writing has them).
_OBLIGATION_RE = re.compile(r"\b(should|must|ought to|need to|needs to|has to|have to)\b",
                            re.IGNORECASE)
_SPECULATION_RE = re.compile(r"\b(would|could|might|may well|will)\b", re.IGNORECASE)
# Case-sensitive: "US" is a country, not the outlet speaking.
_FIRST_PERSON_RE = re.compile(r"\b([Ww]e|[Oo]urs?|us|[Oo]urselves|I|[Mm]y|me)\b")
_SECOND_PERSON_RE = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)
# Stance adverbs and verbs of appearance: the writer weighing evidence ("it seems").
_EPISTEMIC_RE = re.compile(
    r"\b(seems?|seemed|perhaps|surely|clearly|obviously|of course|arguably|"
    r"presumably|no doubt|undoubtedly|certainly|admittedly|frankly|plainly|evidently)\b",
    re.IGNORECASE)
# Generalising over people ("anyone", "everybody"): the writer's view, not a source's.
_INDEFINITE_RE = re.compile(r"\b(anyone|anybody|everyone|everybody|someone|somebody)\b",
                            re.IGNORECASE)
_CONTRAST_OPENING_RE = re.compile(
    r"^\W*(but|yet|still|so|however|instead|then|and yet|though|although)\b", re.IGNORECASE)

# Reporting: somebody said or holds it (verbs of saying and believing, in every form),
# or it is a figure, a date or a named source.
_REPORTING_VERBS = """
acknowledge add admit agree allege announce argue assert believe claim comment complain
concede conclude condemn confirm contend criticise criticize declare deny describe disclose
dispute estimate expect explain forecast insist maintain note predict propose recommend remark
report reveal say state stress suggest tell urge warn vow pledge reject accuse welcome
""".split()


def _inflect(verb: str) -> list[str]:
    stem = verb[:-1] if verb.endswith("e") else verb
    third = verb + ("es" if verb.endswith(("s", "sh", "ch")) else "s")
    if verb.endswith("y") and verb not in ("say",):
        third = verb[:-1] + "ies"
    return [verb, third, stem + "ed"]  # not -ing: "a telling sign" attributes nothing


_IRREGULAR = ["said", "says", "told", "tells", "held", "thought", "thinks", "according to",
              "quoted", "cited", "citing", "statement", "spokesman",
              "spokeswoman", "spokesperson", "press release", "declined to comment",
              "described", "called", "calls for", "called for", "sources",
              "officials", "analysts?", "economists?", "data", "figures", "survey", "filing",
              "records? show", "pointed out", "points out", "indicated", "indicates"]


def _participle(verb: str) -> str:
    stem = verb[:-1] if verb.endswith("e") and not verb.endswith("ee") else verb
    return stem + "ing"


# ", saying ...", ", adding that ...": a verb of saying in -ing after a comma reports.
_PARTICIPLE_RE = re.compile(
    r",\s+(" + "|".join(sorted({_participle(v) for v in _REPORTING_VERBS}, key=len, reverse=True))
    + r")\b", re.IGNORECASE)
_ATTRIBUTION_RE = re.compile(
    r"\b(" + "|".join(sorted({f for v in _REPORTING_VERBS for f in _inflect(v)}
                             | set(_IRREGULAR), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
# A verb of saying after one of these is not somebody's reported words: a modal, negation
# or infinitive ("will say", "did not say", "to tell"), a passive ("be described as"), or
# the outlet and its readers as the speaker.
_NOT_REPORTING_BEFORE = frozenset("""
will would could should may might must can cannot to not never did do does be been being
is was are were we you i a an the no this which
""".split())


_OWN_VOICE = frozenset({"we", "i", "you"})  # "we have said": the outlet, not a source
# Indefinite pronouns: "as if anyone still believed" names no source; it generalises.
_INDEFINITE = frozenset("""
anyone anybody everyone everybody nobody someone somebody
""".split())
# Adverbs that may stand between a verb and what governs it ("are simply expected",
# "has long argued"): skipped when looking for the modal, negation or subject.
_ADVERBS_BETWEEN = frozenset("""
still also long already just even often once ever only simply rightly always again
""".split())
# A verb of saying addressed to the reader ("tells you") is the outlet talking.
_TO_READER_RE = re.compile(r"\s+(you|us)\b", re.IGNORECASE)


def _attributions(own: str) -> int:
    n = 0
    for m in _ATTRIBUTION_RE.finditer(own):
        window = own[max(0, m.start() - 40) : m.start()]  # a window, not the whole text before
        head = window.rstrip()
        if m.group(0)[0].isupper() and head and head[-1] not in '.!?"”\n':
            continue  # a name ("the United States"), not a verb
        before = [w.lower() for w in _WORD_RE.findall(window)]
        while before and (before[-1] in _ADVERBS_BETWEEN or before[-1].endswith("ly")):
            before.pop()
        if before and (before[-1] in _NOT_REPORTING_BEFORE
                       or before[-1].endswith(("n't", "n’t"))
                       or (_OWN_VOICE | _INDEFINITE) & set(before[-2:])):
            continue
        if _TO_READER_RE.match(own, m.end()):
            continue
        n += 1
    return n + len(_PARTICIPLE_RE.findall(own))


_DATE_RE = re.compile(
    r"\b(january|february|march|april|june|july|august|september|october|november|december|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|"
    r"(this|last|next) (week|month|quarter|year)|"
    r"percent|pct|mln|million|billion|dlrs|dollars)\b",
    re.IGNORECASE,
)
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[\"“'‘(]?[A-Z])")
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
# A named source: a capitalised word that does not open a sentence or clause.
_NAME_RE = re.compile(r"(?<=[\w,] )[A-Z][\w'’&.-]*")
_QUOTED_RE = re.compile(r"[\"“][^\"“”]*[\"”]?")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

COMMENTARY_MIN_OPINION = 2.0
UNREPORTED_MIN_OPINION = 0.5  # with no source, figure or date: stance enough to be a view


@dataclass(frozen=True)
class _Lexicon:
    valence: dict[str, float]  # word -> VADER mean valence, -4 (negative) to +4
    boosters: frozenset[str]  # VADER's intensifiers ("utterly", "hardly")
    negators: frozenset[str]  # VADER's negations ("never", "nothing", "without")


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """VADER's lexicon, read from the installed vaderSentiment package."""
    spec = importlib.util.find_spec("vaderSentiment")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the vaderSentiment package is not installed "
                           "(pip install vaderSentiment): its lexicon labels commentary")
    root = Path(next(iter(spec.submodule_search_locations)))
    valence: dict[str, float] = {}
    with open(root / "vader_lexicon.txt", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and _WORD_RE.fullmatch(parts[0]):
                valence[parts[0].lower()] = float(parts[1])
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE

    return _Lexicon(valence, frozenset(w for w in BOOSTER_DICT if " " not in w),
                    frozenset(NEGATE))


@dataclass(frozen=True)
class Voice:
    """How much a stretch of text sounds like the outlet's opinion vs reporting."""

    opinion: float
    reporting: float  # attribution, dates and figures
    named: float = 0.0  # named people, places and firms: reporting's subjects, opinion's too

    @property
    def is_commentary(self) -> bool:
        return (self.opinion >= COMMENTARY_MIN_OPINION
                and self.opinion > self.reporting + self.named)


_PREDICATIVE_BEFORE = frozenset("""
be is are was were been being am seem seems seemed look looks looked feel feels felt become
becomes became remain remains remained get gets got very so too more most less quite rather
""".split())


@lru_cache(maxsize=1)
def word_classes() -> dict[str, str]:
    """Each word's most frequent part of speech (Penn tag) in Brill's tagger lexicon
    (trained on the Brown corpus and the Penn Treebank), as the textblob package ships it
    (en/en-lexicon.txt, from pattern; MIT/BSD). Only the file is read: textblob and nltk
    are never imported."""
    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the textblob package is not installed (pip install textblob): "
                           "its word-class lexicon labels commentary")
    path = Path(next(iter(spec.submodule_search_locations))) / "en" / "en-lexicon.txt"
    tags: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2 and parts[0].islower() and not line.startswith(";"):
                tags.setdefault(parts[0], parts[1])
    return tags


def _word_class_weight(word: str) -> float:
    """Adjectives and adverbs judge ("reckless", "recklessly"); nouns and verbs mostly name
    and narrate ("profits", "bombing", "killed"): their valence is the event's, not the
    writer's. Words the lexicon lacks are guessed from their ending."""
    tag = word_classes().get(word)
    if tag is None:
        tag = "RB" if word.endswith("ly") else "VB" if word.endswith(("ing", "ed")) else "JJ"
    if tag.startswith("RB"):
        return 1.5 if word.endswith("ly") else 1.0
    if tag.startswith("NN"):
        return 0.5
    if tag.startswith("VB"):
        return 0.25
    return 1.0


def _lexical_opinion(words: list[str]) -> float:
    lex = lexicon()
    score = 0.0
    for i, w in enumerate(words):
        v = abs(lex.valence.get(w, 0.0))
        if v:
            # After a copula or degree word a participle is an adjective ("is worried").
            predicative = i > 0 and words[i - 1] in _PREDICATIVE_BEFORE
            score += 0.5 * min(v, 3.0) * (1.0 if predicative else _word_class_weight(w))
    score += 0.5 * min(4, sum(1 for w in words if w in lex.boosters))
    score += 0.5 * min(3, sum(1 for w in words if w in lex.negators))
    return score


_QUESTION_RE = re.compile(r"[?!][\"”’')]*\s*\Z")


# Contractions outside quotes: a spoken register that agency copy keeps for quotes.
_CONTRACTION_RE = re.compile(
    r"\b(\w+n['’]t|\w+['’](re|ve|ll|d|m)|(it|that|here|there|what|let)['’]s)\b",
    re.IGNORECASE)


def _stance_cues(sentence: str) -> float:
    """Closed-class cues of the writer's stance in one sentence: speculation, weighing
    evidence, generalising over people, a spoken register."""
    score = 0.5 * min(2, len(_SPECULATION_RE.findall(sentence)))
    score += 0.75 * min(2, len(_EPISTEMIC_RE.findall(sentence)))
    score += 0.5 * min(2, len(_INDEFINITE_RE.findall(sentence)))
    score += 0.75 * min(2, len(_CONTRACTION_RE.findall(sentence)))
    return score


def voice(text: str) -> Voice:
    """Score a stretch of added text (quoted material excluded)."""
    own = _QUOTED_RE.sub(" ", text)
    opinion = 2.0 * len(_PHRASE_RE.findall(own))
    asks = False
    for sentence in _SENTENCE_RE.split(own):
        # Indirect speech ("He said the union will stress job security") is the source's
        # view: its evaluative words and predictions count a quarter.
        weight = 0.25 if _attributions(sentence) else 1.0
        words = [w.lower() for w in _WORD_RE.findall(sentence)]
        opinion += weight * (_lexical_opinion(words) + _stance_cues(sentence))
        # A question or exclamation outside quotes is the writer's: reported ones end in "."
        asks = asks or bool(_QUESTION_RE.search(sentence))
    if asks:
        opinion += 2.0
    opinion += 1.0 * len(_OBLIGATION_RE.findall(own))
    opinion += 1.5 * min(2, len(_FIRST_PERSON_RE.findall(own)))
    opinion += 1.5 * min(1, len(_SECOND_PERSON_RE.findall(own)))
    stripped = own.strip()
    if _CONTRAST_OPENING_RE.search(stripped):
        opinion += 1.0
    reporting = 1.5 * _attributions(own) + 1.5 * len(_DATE_RE.findall(own))
    reporting += 1.0 * min(3, len(_NUMBER_RE.findall(own)))
    return Voice(opinion, reporting, 0.75 * min(4, len(_NAME_RE.findall(own))))


_QUOTE_MARKS_RE = re.compile(r"[\"“”„«»‹›]")


def mask_quotes_by_block(text: str, blocks: Sequence[Any]) -> str:
    """``text`` with quoted material blanked (same length), except paragraphs that hold no
    quotation mark: a quotation that runs on into the next paragraph reopens it with a
    mark, so a paragraph without one is the outlet's own, whatever mark was left open
    before it. ``blocks`` have ``start`` and ``end``."""
    masked = mask_quotes(text)
    if masked == text:
        return text
    parts: list[str] = []
    cursor = 0
    for b in blocks:
        if b.start < cursor or _QUOTE_MARKS_RE.search(text, b.start, b.end):
            continue
        parts += [masked[cursor : b.start], text[b.start : b.end]]
        cursor = b.end
    parts.append(masked[cursor:])
    return "".join(parts)


_OPENS_SENTENCE_RE = re.compile(r"\s*[\"“'‘(]?[A-Z0-9]")


def is_unreported_opinion(text: str) -> bool:
    """Opinion by absence of reporting: an added paragraph with some stance and no
    attribution, figure or date. Added background reporting nearly always names its
    source or carries a number; an outlet's own view rarely does. It must open a
    sentence: a stretch that starts mid-sentence is the wire's sentence, cut or edited."""
    if not _OPENS_SENTENCE_RE.match(text):
        return False
    v = voice(text)
    return (v.reporting == 0 and v.named <= 1.5 and v.opinion >= UNREPORTED_MIN_OPINION
            and len(_WORD_RE.findall(text)) >= 8)


def is_short_opinion(text: str) -> bool:
    """A clause of a word or two spliced into a wire sentence (", mercifully,") that
    judges: opinion words or the outlet's own person, and no figure, date, source or name."""
    v = voice(text)
    return v.reporting == 0 and v.named == 0 and v.opinion >= 0.5


def label_spliced_clause(text: str) -> str:
    """Label a clause an outlet spliced into a sentence it otherwise kept verbatim.

    Agencies' clients add background as sentences of their own; a clause pushed into
    the middle or onto the end of a wire sentence is, unless attributed or factual,
    the outlet editorializing (both of the seeds' inline additions are such).
    """
    v = voice(text)
    if v.reporting == 0 and (v.opinion >= 0.4 or len(_WORD_RE.findall(text)) >= 6):
        return COMMENTARY
    return COMMENTARY if v.is_commentary else OTHER


def label_addition(text: str) -> str:
    return COMMENTARY if voice(text).is_commentary else OTHER


# Clause boundaries inside one sentence where an outlet splices in its own words.
CLAUSE_SPLIT_RE = re.compile(r"\s+[–—]\s+|\s+-{1,2}\s+|;\s+")


# --- agency credit -------------------------------------------------------------------

_AGENCIES = {
    "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP",
    "reuters": "Reuters", "reuter": "Reuters", "thomson reuters": "Reuters",
    "ap": "AP", "associated press": "AP", "the associated press": "AP",
    "dpa": "dpa", "deutsche presse-agentur": "dpa", "efe": "EFE", "ansa": "ANSA",
    "xinhua": "Xinhua", "upi": "UPI", "united press international": "UPI",
    "pti": "PTI", "press trust of india": "PTI", "ians": "IANS", "kyodo": "Kyodo",
    "yonhap": "Yonhap", "tass": "TASS", "anadolu": "Anadolu", "bloomberg": "Bloomberg",
}
_AGENCY_ALT = "|".join(sorted((re.escape(k) for k in _AGENCIES), key=len, reverse=True))
_AGENCY = rf"(?P<agency>{_AGENCY_ALT})"
# Each credit pattern with the substrings (casefolded) without one of which it cannot match:
# a plain substring scan is far cheaper than trying the agency alternation at every word
# boundary. No substrings: always tried.
_CREDIT_PATTERNS: list[tuple[str, tuple[str, ...]]] = [
    (rf"\b{_AGENCY}\b[^.\n]{{0,40}}\bcontributed to this (report|story|article)",
     ("contributed",)),
    (rf"\((?:{_AGENCY})\)", ("(",)),  # "TEHRAN (AFP) -", "(Reuters)"
    (rf"^\s*{_AGENCY}\s*$", ()),  # a credit line of its own
    (rf"^\s*{_AGENCY}\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)?\s*$", ()),  # "AFP Tehran"
    (rf"^\s*[A-Z][A-Za-z .'’-]{{1,40}},?\s+\w+\.?\s+\d{{1,2}}\s*\(\s*{_AGENCY}\s*\)", ("(",)),
    (rf"(?:source|via|courtesy(?: of)?|copyright)\s*:?\s*{_AGENCY}\b",
     ("source", "via", "courtesy", "copyright")),
    (rf"[–—-]\s*{_AGENCY}\s*$", ()),  # "... - AFP" at the end of a line
    (rf"\b(?:reporting|writing|editing) by\b[^\n]*\b{_AGENCY}\b",
     ("reporting by", "writing by", "editing by")),
    (r"(?P<agency>Reuter)\s*$", ()),  # Reuters wire sign-off, last line of the body
]
_CREDIT_RES = [(re.compile(p, re.IGNORECASE | re.MULTILINE), needs)
               for p, needs in _CREDIT_PATTERNS]
_CASE_SENSITIVE = frozenset({"ap", "afp", "upi", "pti", "ians", "efe", "ansa", "dpa", "tass"})


def find_credit(text: str) -> str | None:
    """The agency an article credits, by the earliest credit in the text, or None."""
    best: tuple[int, str] | None = None
    folded = text.casefold()
    for pattern, needs in _CREDIT_RES:
        if needs and not any(n in folded for n in needs):
            continue
        for match in pattern.finditer(text):
            raw = match.group("agency")
            # Acronyms only count in capitals: "ap" or "Efe" in prose are not credits.
            if raw.lower() in _CASE_SENSITIVE and raw != raw.upper() and raw.lower() != "dpa":
                continue
            agency = _AGENCIES[raw.lower()]
            if best is None or match.start() < best[0]:
                best = (match.start(), agency)
            break
    return best[1] if best else None
