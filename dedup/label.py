"""Labels for what an outlet added, and the agency credit an article carries.

An addition is ``commentary`` when it speaks in the outlet's own voice: evaluative words
("lucrative", "reckless", "brazen"), framing that contradicts or corrects the copy
("in reality, however", "despite the fact that"), obligation ("should", "must"), first
person ("we", "our"), rhetorical questions and exclamations. It is ``other`` when it
reads as reporting: attributed ("said", "according to", "reported"), figures and dates.
Quoted words are the sources' voice, not the outlet's, and are not scored.

The lexicon is deliberately general (opinion-writing vocabulary), not tuned to any one
corpus; the benchmark reports how well it does on held-out generated commentary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMMENTARY = "commentary"
BOILERPLATE = "boilerplate"
OTHER = "other"

# Phrases that frame, judge or argue. Weight 2: one is enough to call it commentary.
_STRONG_PHRASES = [
    r"in reality", r"in truth", r"the truth is", r"the reality is", r"of course",
    r"needless to say", r"make no mistake", r"let'?s be (honest|clear|frank)",
    r"let us be (honest|clear|frank)", r"it is (clear|obvious|plain|high time|time) (that|to|for)",
    r"despite the fact that", r"one (wonders|has to wonder|might ask|can only)",
    r"(we|i) (believe|think|argue|suspect|fear|hope|must|should)", r"in (our|my) (view|opinion)",
    r"the (real|only|obvious|bigger) (question|problem|story|lesson|issue)",
    r"(it|this) (is|was|remains) (nothing|little) (more|less|short) than",
    r"at the expense of", r"what (else|more) (could|would|did) (anyone|we|you)",
    r"if (history|past experience) is any guide", r"tells you (all|everything)",
    r"(comes|came) as no surprise", r"should (surprise|shock) no one",
    r"(long|well) overdue", r"(remains|remain) to be seen", r"(hard|difficult) to (believe|see)",
    r"has (yet|still) to (learn|explain|answer)", r"time will tell",
    r"not (that|as if) (it|anyone|they)", r"(plain|simple) (truth|fact)",
    # the publication speaking of itself or to its readers
    r"this (newspaper|paper|column|columnist|writer|publication|website|site|blog)",
    r"(our|dear) readers?", r"readers (should|will|may|might|would|can)",
    # stock opinion idioms
    r"(can|could) only be described", r"strains? credulity", r"beggars? belief",
    r"wishful (thinking|accounting)", r"a recipe for", r"rings? hollow", r"smoke and mirrors",
    r"kick(ing|s)? the can", r"too little,? too late", r"elephant in the room",
    r"wake-up call", r"writing (is )?on the wall", r"window[- ]dressing", r"lip service",
    r"business as usual", r"learned nothing", r"the same old", r"fig leaf",
    r"(pay|paying|pays) the price", r"(had|have|has) no say", r"a far cry from",
    r"(it is|it's) (worth|tempting|telling|striking|hard to avoid)",
    r"there is something", r"one suspects", r"as ever", r"if only", r"so much for",
    r"(spare|save) (us|me)", r"(who|whom) (really )?benefits", r"(mark|note) (my|our) words",
    r"in plain english", r"the emperor has no clothes", r"(reads|read) like",
]
_STRONG_RE = re.compile(r"\b(?:" + "|".join(_STRONG_PHRASES) + r")\b", re.IGNORECASE)

# Evaluative and loaded words. Weight 1 each.
_EVALUATIVE = """
absurd absurdly alarming alarmingly appalling arrogant arrogance astonishing astonishingly
baffling bizarre blatant blatantly brazen brazenly callous careless catastrophic
clearly conveniently cowardly cronies cronyism cynical cynically dangerous dangerously
deplorable disastrous disgrace disgraceful dishonest dismal disturbing dubious embarrassing
embarrassingly exposed farce farcical fiasco foolish foolishly frankly glaring greed greedy
hapless hollow hypocrisy hypocrite hypocritical hypocritically ill-advised ill-conceived
incompetence incompetent inexcusable infamous insane ironic ironically irresponsible
laughable lucrative ludicrous mess misguided mockery naive naively needlessly notorious
obviously outrageous outrageously pathetic perverse pitiful pointless preposterous
propaganda questionable reckless recklessly regrettable regrettably ridiculous rightly
sadly scandal scandalous shameful shamefully shameless shamelessly sham shocking
short-sighted shortsighted sloppy staggering stunning stupid surely tacit tellingly
terrible thankfully troubling unacceptable undoubtedly unfortunately unforgivable unjust
unsurprisingly wasteful welcome whitewash woeful woefully wrongly wrongheaded
so-called sectarian sinister cynicism spin gamble gambling charade debacle dithering meddling
remarkable unremarkable uncomfortable convenient tidy wishful bold brilliant polite deafening
unmistakable persuasive impressive unimpressive reassuring unreassuring worrying worried alarm
embarrassment shame shameful clumsy awkward timid feeble weak lame hollow empty vague murky
opaque cosy cozy chummy smug complacent complacency arrogant entitled tone-deaf out-of-touch
laughably comically absurdity nonsense rubbish drivel posturing grandstanding theatre theater
gimmick stunt hype hyped overhyped spin-doctors cheerleaders sceptics skeptics critics doubters
naysayers insiders elites fat-cat fat-cats bosses cronies pals mates lucky luckily unlucky
wrong mistaken mistake blunder folly madness crazy wild dreadful awful horrible ugly dire grim
bleak sorry sorrier sad tragic tragedy farce joke trust distrust mistrust credibility credible
incredible unbelievable believable plausible implausible dodgy shady murky fishy suspicious
""".split()
_EVALUATIVE_SET = frozenset(_EVALUATIVE)

_OBLIGATION_RE = re.compile(r"\b(should|must|ought to|need to|needs to|has to)\b", re.IGNORECASE)
# Case-sensitive: "US" is a country, not the outlet speaking.
_FIRST_PERSON_RE = re.compile(r"\b([Ww]e|[Oo]urs?|us|[Oo]urselves|I|[Mm]y|me)\b")
_SECOND_PERSON_RE = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)
_CONTRAST_OPENING_RE = re.compile(
    r"^\W*(but|yet|still|so|however|instead|surely|indeed|sadly|alas|worse|tellingly|"
    r"predictably|perhaps|whatever|once again|in short|in other words|then again|"
    r"in plain english|here is|call it|so much for|never mind|meanwhile|small wonder|"
    r"no wonder|little wonder|good news|bad news)\b",
    re.IGNORECASE,
)

# Hedges and stance: the writer weighing the facts rather than reporting them.
_STANCE = """
perhaps maybe arguably seemingly presumably supposedly allegedly hardly barely merely simply
absolutely utterly entirely truly really quite rather fairly hopelessly painfully remarkably
notably strikingly curiously oddly strangely conveniently suspiciously tellingly predictably
inevitably unsurprisingly understandably admittedly honestly frankly bluntly seriously
""".split()
_STANCE_SET = frozenset(_STANCE)
_STANCE_RE = re.compile(
    r"\b(it seems|seems to|appears to|looks like|sounds like|one suspects|one can|one could|"
    r"one might|one would|no one|nobody|anyone|everyone|anything but|none of|nothing (more|less)|"
    r"little more than|at best|at worst|if anything|of all|as ever|as usual|yet again|"
    r"to put it|it is hard|it is difficult|it is easy|hard to|difficult to|easy to|"
    r"is no|was no|is not a|are not|does not|did not|has not|have not|will not|would not|"
    r"cannot|can't|won't|isn't|aren't|doesn't|wasn't|wouldn't|shouldn't|couldn't)\b",
    re.IGNORECASE,
)
# Modal verbs of speculation: the writer guessing, not a source forecasting.
_SPECULATION_RE = re.compile(r"\b(would|could|might|may well)\b", re.IGNORECASE)

# Reporting: somebody said it, or it is a figure or a date.
_ATTRIBUTION_RE = re.compile(
    r"\b(said|says|told|tells|according to|reported|reports|announced|stated|added|noted|"
    r"estimated|forecast|showed|shows|statement|spokesman|spokeswoman|spokesperson|officials?|"
    r"analysts?|data|figures|survey|filing|quoted|cited|confirmed|disclosed|alleged|claims?|"
    r"predicted|expects?|expected|declined to comment|told reporters|press release|"
    r"citing|cited|called for|calls for|urged|urges|ruled out|warned|warns|insisted|"
    r"accused|denied|denies|pledged|vowed|demanded|rejected|agreed|signed|announcement|"
    r"minister|secretary|president|chairman|governor|ambassador|director|executive|"
    r"spokesman|agency|ministry|department|committee|court|council|complains?|complained|"
    r"january|february|march|april|june|july|august|september|october|november|december|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|"
    r"percent|pct|mln|million|billion|dlrs|dollars)\b",
    re.IGNORECASE,
)
_FIGURE_RE = re.compile(r"\d")
_QUOTED_RE = re.compile(r"[\"“][^\"“”]*[\"”]?")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

COMMENTARY_MIN_OPINION = 2.0


@dataclass(frozen=True)
class Voice:
    """How much a stretch of text sounds like the outlet's opinion vs reporting."""

    opinion: float
    reporting: float

    @property
    def is_commentary(self) -> bool:
        return self.opinion >= COMMENTARY_MIN_OPINION and self.opinion > self.reporting


def voice(text: str) -> Voice:
    """Score a stretch of added text (quoted material excluded)."""
    own = _QUOTED_RE.sub(" ", text)
    opinion = 2.0 * len(_STRONG_RE.findall(own))
    words = [w.lower() for w in _WORD_RE.findall(own)]
    opinion += sum(1.0 for w in words if w in _EVALUATIVE_SET)
    opinion += 0.75 * sum(1 for w in words if w in _STANCE_SET)
    opinion += 0.75 * min(3, len(_STANCE_RE.findall(own)))
    opinion += 0.5 * min(2, len(_SPECULATION_RE.findall(own)))
    opinion += 1.0 * len(_OBLIGATION_RE.findall(own))
    opinion += 1.5 * min(2, len(_FIRST_PERSON_RE.findall(own)))
    opinion += 1.5 * min(2, len(_SECOND_PERSON_RE.findall(own)))
    stripped = own.strip()
    if stripped.endswith("?") or stripped.endswith("!"):
        opinion += 2.0
    if _CONTRAST_OPENING_RE.search(stripped):
        opinion += 1.0
    reporting = 1.5 * len(_ATTRIBUTION_RE.findall(own))
    if _FIGURE_RE.search(own):
        reporting += 1.0
    return Voice(opinion, reporting)


def is_unreported_opinion(text: str) -> bool:
    """Opinion by absence of reporting: an added paragraph with some stance and no
    attribution, figure or date. Added background reporting nearly always names its
    source or carries a number; an outlet's own view rarely does."""
    v = voice(text)
    return v.reporting == 0 and v.opinion >= 0.75 and len(_WORD_RE.findall(text)) >= 8


def label_spliced_clause(text: str) -> str:
    """Label a clause an outlet spliced into a sentence it otherwise kept verbatim.

    Agencies' clients add background as sentences of their own; a clause pushed into
    the middle or onto the end of a wire sentence is, unless attributed or factual,
    the outlet editorializing (both of the seeds' inline additions are such).
    """
    v = voice(text)
    if v.reporting == 0 and (v.opinion >= 0.75 or len(_WORD_RE.findall(text)) >= 6):
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
