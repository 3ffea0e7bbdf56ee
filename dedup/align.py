"""Stage 8: align each cluster member with the others: what it kept, cut, changed, added.

- Verbatim: every content word of a member that lies in a word 5-gram found in another
  member is kept (overlapping shared 5-grams chain into runs: seed-and-extend).
- Reworded: a sentence with little verbatim overlap whose TF-IDF vector is close to a
  sentence of another member was rewritten from the copy: kept, and listed as changed.
- Added: every remaining stretch of at least ``MIN_ADDED_WORDS`` words, cut at
  paragraph and sentence boundaries and at spliced-in clauses, labelled commentary or
  other (see ``label``); site chrome is added as boilerplate.
- Cut: sentences that most of the other members carry and this one does not.

Verbatim runs are found against everything the other members share (one count for the
cluster). Sentence-level judgements (reworded, edited, cut) compare a member with each
other member, which costs n^2 in a cluster of n; past ``ALIGN_REFERENCES`` members they
compare it with the reference members only (``_reference_members``).

The stage is ``align_clusters`` (``analyze`` calls it with every cluster); ``align_cluster``
is the same for one cluster (the Spark engine's call), not a second implementation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix, vstack

from .arrays import held_by_several, in_sorted
from .boilerplate import BOILERPLATE, CONTENT, LabelledBlock
from .label import (
    CLAUSE_SPLIT_RE,
    COMMENTARY,
    find_credit,
    is_short_opinion,
    is_unreported_opinion,
    label_addition,
    label_spliced_clause,
    mask_quotes_by_block,
    voice,
)
from .load import Article
from .normalize import Block, sentences, tokenize
from .signatures import SHINGLE_SIZE, Features
from .similar import best_matches
from .vocabulary import COPY, EDITED, EXCERPT, EXTENDED, REWORDED, REWRITE, SOURCE, TRIMMED

__all__ = [
    "ALIGN_REFERENCES",
    "FULL",
    "MIN_ADDED_WORDS",
    "REWORDED_MIN_COSINE",
    "VERBATIM_SENTENCE",
    "Change",
    "MemberAlignment",
    "Passage",
    "Span",
    "align_cluster",
    "align_clusters",
    "sentence_words",
]

FULL = 0.8  # "most of": a copy that keeps 80% of the source has kept it
MIN_ADDED_WORDS = 3  # shorter unaligned runs are edits (a changed figure), not additions
REWORDED_MIN_COSINE = 0.5  # sentence TF-IDF cosine above which a sentence is a rewording
VERBATIM_SENTENCE = 0.5  # a sentence this much covered verbatim is kept as it is
# Members each member is compared with, sentence by sentence: every member with every
# other costs n^2 in a cluster of n (benchmarks/README.md); past this many, the references.
ALIGN_REFERENCES = 32
_CLOSERS = ".,;:!?\"”’»)]…"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True)
class Passage:
    """A stretch of another article: ``article`` is an index into the corpus."""

    article: int
    start: int
    end: int


@dataclass(frozen=True)
class Change:
    """A kept sentence that was edited: here at ``[start, end)``, from ``origin``."""

    start: int
    end: int
    origin: Passage
    kind: str  # REWORDED (rewritten) or EDITED (verbatim with words changed)


@dataclass
class MemberAlignment:
    index: int
    relation: str
    shared_fraction: float  # share of the member's content words aligned to the copy
    source_coverage: float  # share of the source's content words this member carries
    added: list[Span] = field(default_factory=list)
    cut: list[Passage] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    credit: str | None = None

    @property
    def adds_commentary(self) -> bool:
        return any(s.label == COMMENTARY for s in self.added)


def _covered_words(features: Features, shingle_pool: np.ndarray) -> np.ndarray:
    """Bool mask over ``features.tokens``: words inside a 5-gram found in ``shingle_pool``
    (sorted, as ``np.unique`` returns it)."""
    n = len(features.tokens)
    mask = np.zeros(n, dtype=bool)
    if not len(features.shingles) or not len(shingle_pool):
        return mask
    hits = in_sorted(features.shingles, shingle_pool)
    # Each hit shingle at position p covers words p .. p + SHINGLE_SIZE - 1: a word is
    # covered when a hit starts within the SHINGLE_SIZE positions up to it.
    running = np.cumsum(np.concatenate(([0], hits.astype(np.int32), np.zeros(SHINGLE_SIZE - 1,
                                                                           np.int32))))
    positions = np.arange(n)
    mask[:] = running[positions + 1] - running[np.maximum(positions - SHINGLE_SIZE + 1, 0)] > 0
    return mask


@dataclass
class _Member:
    """Working state of one member during alignment."""

    index: int
    article: Article
    features: Features
    blocks: list[LabelledBlock]
    sentences: list[Block]
    sentence_block: list[int]  # index of the block each sentence is in
    sentence_of: np.ndarray  # sentence index of each content token (non-decreasing)
    pool: np.ndarray  # its distinct shingles
    # Token range of each sentence, [first[s], last[s]): tokens are in text order, so a
    # sentence's tokens are one run, found by a slice instead of a scan of every token.
    first: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    last: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    kept: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    verbatim: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    changes: list[Change] = field(default_factory=list)
    # (own sentence, other member's position in the cluster, its sentence) per rewording
    reworded: list[tuple[int, int, int]] = field(default_factory=list)


def _prepare(index: int, article: Article, features: Features,
             blocks: list[LabelledBlock]) -> _Member:
    sents: list[Block] = []
    sentence_block: list[int] = []
    for k, b in enumerate(blocks):
        if b.kind == CONTENT:
            for sent in sentences(article.text, b):
                sents.append(sent)
                sentence_block.append(k)
    starts = np.asarray([s.start for s in sents], dtype=np.int64)
    sentence_of = np.searchsorted(starts, features.tokens.starts, side="right") - 1
    ids = np.arange(len(sents))
    return _Member(index, article, features, blocks, sents, sentence_block, sentence_of,
                   np.unique(features.shingles), first=np.searchsorted(sentence_of, ids, "left"),
                   last=np.searchsorted(sentence_of, ids, "right"))


def _sentence_shingles(m: _Member, s: int) -> np.ndarray:
    """The shingles that start at a token of sentence ``s``."""
    count = len(m.features.shingles)
    return m.features.shingles[min(int(m.first[s]), count) : min(int(m.last[s]), count)]


def _sentence_words(member: _Member) -> list[list[str]]:
    words: list[list[str]] = [[] for _ in member.sentences]
    for word, s in zip(member.features.tokens.words, member.sentence_of.tolist(), strict=True):
        if s >= 0:
            words[s].append(word)
    return words


def _sentence_coverage(member: _Member, mask: np.ndarray) -> np.ndarray:
    n = len(member.sentences)
    total = np.bincount(member.sentence_of[member.sentence_of >= 0], minlength=n)
    hit = np.bincount(member.sentence_of[(member.sentence_of >= 0) & mask], minlength=n)
    return np.divide(hit, total, out=np.zeros(n), where=total > 0)


def _align_reworded(members: list[_Member], vectors: list[csr_matrix],
                    refs: Sequence[int]) -> None:
    """Sentences with little verbatim overlap that match a reference member's sentence."""
    for k, m in enumerate(members):
        others = [j for j in refs if j != k and vectors[j].shape[0]]
        if not others or not vectors[k].shape[0]:
            continue
        coverage = _sentence_coverage(m, m.kept)
        loose = np.flatnonzero(coverage < VERBATIM_SENTENCE)
        if not len(loose):
            continue
        # Against every other member's sentences, stacked in member order, so the first
        # best match wins ties exactly as a loop over members would; only the pairs that
        # may reach the threshold are scored (``similar``), not every pair.
        stacked = vstack([vectors[j] for j in others]).tocsr()
        owners = np.concatenate([np.full(vectors[j].shape[0], j) for j in others])
        firsts = np.concatenate([np.arange(vectors[j].shape[0]) for j in others])
        best, _ = best_matches(vectors[k][loose], stacked, REWORDED_MIN_COSINE)
        for s, col in zip(loose.tolist(), best.tolist(), strict=True):
            if col < 0:
                continue
            j, t = int(owners[col]), int(firsts[col])
            m.kept[m.first[s] : m.last[s]] = True
            sent, other = m.sentences[s], members[j].sentences[t]
            origin = Passage(members[j].index, other.start, other.end)
            m.changes.append(Change(sent.start, sent.end, origin, REWORDED))
            m.reworded.append((s, j, t))


def _edited_sentences(m: _Member, members: list[_Member],
                      positions: dict[int, _Positions]) -> None:
    """Sentences kept verbatim in part only: a figure, a name or a quote changed."""
    coverage = _sentence_coverage(m, m.verbatim)
    reworded = {(c.start, c.end) for c in m.changes}
    others: list[tuple[_Member, _Positions]] | None = None
    for s, covered in enumerate(coverage):
        sent = m.sentences[s]
        if not VERBATIM_SENTENCE <= covered < 0.95 or (sent.start, sent.end) in reworded:
            continue
        if others is None:  # most members have no edited sentence
            others = [(o, _positions_of(o, positions)) for o in members if o is not m]
        origin = _origin_sentence(_sentence_shingles(m, s), others)
        if origin is not None:
            m.changes.append(Change(sent.start, sent.end, origin, EDITED))


class _Positions:
    """Where each shingle of a member occurs: one sort, then the occurrences of a few
    shingles are found by binary search instead of a scan of the whole member."""

    def __init__(self, shingles: np.ndarray) -> None:
        self.order = np.argsort(shingles, kind="stable")
        self.values = shingles[self.order]

    def of(self, pool: np.ndarray) -> np.ndarray:
        """Sorted positions whose shingle is in ``pool``."""
        lo = np.searchsorted(self.values, pool, "left")
        hi = np.searchsorted(self.values, pool, "right")
        if not (hi > lo).any():
            return np.empty(0, np.int64)
        runs = [self.order[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
        return np.sort(np.concatenate(runs))


def _positions_of(o: _Member, cache: dict[int, _Positions]) -> _Positions:
    if o.index not in cache:
        cache[o.index] = _Positions(o.features.shingles)
    return cache[o.index]


def _origin_sentence(shingles: np.ndarray,
                     others: list[tuple[_Member, _Positions]]) -> Passage | None:
    """The sentence of another member that shares the most of ``shingles``."""
    best: tuple[int, _Member, int] | None = None
    pool = np.unique(shingles)  # sorted once, searched in every other member
    for o, positions in others:
        hits = positions.of(pool)
        if not len(hits):
            continue
        sentence_ids = o.sentence_of[hits]
        sentence_ids = sentence_ids[sentence_ids >= 0]
        if not len(sentence_ids):
            continue
        counts = np.bincount(sentence_ids)
        t = int(np.argmax(counts))
        if best is None or counts[t] > best[0]:
            best = (int(counts[t]), o, t)
    if best is None:
        return None
    _, o, t = best
    return Passage(o.index, o.sentences[t].start, o.sentences[t].end)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) index runs where ``mask`` is False."""
    runs: list[tuple[int, int]] = []
    n = len(mask)
    i = 0
    while i < n:
        if mask[i]:
            i += 1
            continue
        j = i
        while j < n and not mask[j]:
            j += 1
        runs.append((i, j))
        i = j
    return runs


def _extend_end(text: str, end: int, limit: int) -> int:
    while end < limit and text[end] in _CLOSERS:
        end += 1
    return end


def _label_stretch(text: str, voice_text: str, start: int, end: int,
                   spliced: bool = False) -> list[Span]:
    """Split an added stretch at spliced-in clauses and label each part.

    ``voice_text`` is ``text`` with quotations blanked: quotes are the sources' voice.
    """
    pieces: list[tuple[int, int]] = []
    cursor = start
    for match in CLAUSE_SPLIT_RE.finditer(text, start, end):
        pieces.append((cursor, match.start()))
        cursor = match.start()  # the dash or semicolon opens the next clause
    pieces.append((cursor, end))
    spans: list[Span] = []
    for a, b in pieces:
        if not text[a:b].strip(" \t\n–—-;"):
            continue
        label = (label_spliced_clause if spliced else label_addition)(voice_text[a:b])
        if spans and spans[-1].label == label:
            prev = spans.pop()
            a = prev.start
        spans.append(Span(a, b, label, text[a:b]))
    return spans


@dataclass(frozen=True)
class _Piece:
    """An unaligned stretch inside one sentence."""

    start: int
    end: int
    sentence: int
    edited: bool  # the sentence is otherwise kept verbatim
    spliced: bool  # set off by a comma, dash or bracket and running to the sentence end


_OPENER_RE = re.compile(r"[,;:–—(\[-]\s*(?=(?:[^\W\d_]{1,3}\s+){0,2}\Z)")


_GAP_OPENER_RE = re.compile(r"[,;:–—(\[-]\s*")


def _gap_opener(m: _Member, k: int, s: int) -> re.Match[str] | None:
    """The last comma, dash or bracket between the shared word before token ``k`` and
    token ``k``: only non-content words lie there (", which tells ...")."""
    if k == 0 or s < 0 or m.sentence_of[k - 1] != s:
        return None
    gap_start, start = int(m.features.tokens.ends[k - 1]), int(m.features.tokens.starts[k])
    marks = list(_GAP_OPENER_RE.finditer(m.article.text, gap_start, start))
    return marks[-1] if marks else None


def _pieces(m: _Member) -> list[_Piece]:
    text = m.article.text
    tokens = m.features.tokens
    edited = _sentence_coverage(m, m.verbatim) >= VERBATIM_SENTENCE
    pieces: list[_Piece] = []
    for i, j in _runs(m.kept):
        k = i
        while k < j:  # never let one addition run across a sentence boundary
            s = int(m.sentence_of[k])
            e = k
            while e < j and m.sentence_of[e] == s:
                e += 1
            start = int(tokens.starts[k])
            end = int(tokens.ends[e - 1])
            at_sentence_end = e == len(tokens) or m.sentence_of[e] != s
            if e - k < MIN_ADDED_WORDS and not (s >= 0 and edited[s] and at_sentence_end):
                k = e  # a short edit that cannot be a spliced clause
                continue
            if at_sentence_end:
                end = _extend_end(text, end, m.sentences[s].end if s >= 0 else len(text))
            # Set off by a comma, dash or bracket, maybe past a short word the copy shares
            # (", a gamble that ..."): the clause then starts at that word.
            opener = _OPENER_RE.search(text, max(0, start - 16), start) or _gap_opener(m, k, s)
            spliced = bool(s >= 0 and edited[s] and at_sentence_end and opener)
            if spliced and opener:
                start = opener.end()
            # A shorter run is an edit, unless it is opinion spliced in (", mercifully.").
            if e - k >= MIN_ADDED_WORDS or (spliced and is_short_opinion(text[start:end])):
                pieces.append(_Piece(start, end, s, bool(s >= 0 and edited[s]), spliced))
            k = e
    return pieces


def _added_spans(m: _Member) -> list[Span]:
    """Chrome, plus every unaligned piece with its label.

    In a sentence kept mostly verbatim, an unaligned piece is an edit (listed under
    changed) unless it is opinion spliced into the wire sentence. Added sentences are
    judged together with the rest of their added paragraph: opinion builds up over a
    paragraph, and one plain sentence inside an opinion paragraph is still opinion.
    """
    text = m.article.text
    voice_text = mask_quotes_by_block(text, m.blocks)
    spans = [Span(b.start, b.end, BOILERPLATE, text[b.start : b.end])
             for b in m.blocks if b.kind == BOILERPLATE]
    free: list[_Piece] = []
    for piece in _pieces(m):
        if piece.edited:
            labelled = _label_stretch(text, voice_text, piece.start, piece.end, piece.spliced)
            spans.extend(x for x in labelled if x.label == COMMENTARY)
        else:
            free.append(piece)
    for group in _paragraph_groups(m, free):
        joined = " ".join(voice_text[p.start : p.end] for p in group)
        opinion = voice(joined).is_commentary or is_unreported_opinion(joined)
        for p in group:
            parts = _label_stretch(text, voice_text, p.start, p.end)
            if opinion and not any(x.label == COMMENTARY for x in parts):
                # Upgrade plain parts of an opinion paragraph, but not attributed ones;
                # a piece whose clauses already split into opinion and fact keeps them.
                parts = [x if _attributed(voice_text[x.start : x.end])
                         else Span(x.start, x.end, COMMENTARY, x.text) for x in parts]
            spans.extend(parts)
    return _merge_adjacent(sorted(spans, key=lambda s: (s.start, s.end)), text)


def _attributed(text: str) -> bool:
    own = voice(text)
    return own.reporting >= 1.5 and own.reporting > own.opinion


def _paragraph_groups(m: _Member, pieces: list[_Piece]) -> list[list[_Piece]]:
    """Consecutive pieces that lie in the same paragraph with only white space between."""
    text = m.article.text
    groups: list[list[_Piece]] = []
    for p in pieces:
        prev = groups[-1][-1] if groups else None
        if (prev is not None and m.sentence_block[prev.sentence] == m.sentence_block[p.sentence]
                and not text[prev.end : p.start].strip()):
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


def _merge_adjacent(spans: list[Span], text: str) -> list[Span]:
    """Join consecutive same-label spans of one paragraph separated only by spaces."""
    # Bounds first, texts at the end: a long run of joins would copy its text each time.
    merged: list[tuple[int, int, str]] = []
    for span in spans:
        start = span.start
        if merged and merged[-1][2] == span.label and span.label != BOILERPLATE \
                and not text[merged[-1][1] : span.start].strip() \
                and "\n" not in text[merged[-1][1] : span.start]:
            start = merged.pop()[0]
        merged.append((start, span.end, span.label))
    return [Span(a, b, label, text[a:b]) for a, b, label in merged]


def _cut_passages(k: int, members: list[_Member], carried: dict[int, list[np.ndarray]],
                  holders: dict[int, np.ndarray], refs: Sequence[int]) -> list[Passage]:
    """Sentences most other reference members carry that member ``k`` does not.

    ``carried[j][i]`` is the per-sentence coverage of reference member j's sentences by
    member i; ``holders[j]`` counts, per sentence of j, the reference members that carry
    it (j itself included), from ``_sentence_holders``.
    """
    others = [j for j in refs if j != k]
    cut: list[Passage] = []
    seen: set[int] = set()  # a set: a sorted union grown per sentence costs n^2
    for j in others:
        m = members[j]
        # Sentences member k does not carry: k is then not among their holders, so the
        # holders counted over all members are those counted over the others.
        missing = (carried[j][k] < VERBATIM_SENTENCE) & (holders[j] * 2 >= len(others))
        for s in np.flatnonzero(missing).tolist():
            sent = m.sentences[s]
            shingles = _sentence_shingles(m, s).tolist()
            if shingles and sum(map(seen.__contains__, shingles)) >= 0.5 * len(shingles):
                continue  # the same passage, already reported from another member
            seen.update(shingles)
            cut.append(Passage(m.index, sent.start, sent.end))
    return cut


def _sentence_holders(carried: dict[int, list[np.ndarray]],
                     refs: Sequence[int]) -> dict[int, np.ndarray]:
    """Per reference member j, per sentence: 1 + the other reference members that carry it
    verbatim. Counted once per cluster, not once per member (that would cost n^3)."""
    holders = {}
    for j in refs:
        count = np.ones(len(carried[j][j]), dtype=np.int64)
        for i in refs:
            if i != j:
                count += carried[j][i] >= VERBATIM_SENTENCE
        holders[j] = count
    return holders


def _reference_members(work: list[_Member], held_twice: np.ndarray, limit: int) -> list[int]:
    """Positions in ``work`` (the source at 0) of the members the others are compared with:
    all of them in a cluster of at most ``limit``; else the source and the members that
    carry the most of the copy the cluster shares (ties: the earlier), in ``work`` order."""
    if len(work) <= limit:
        return list(range(len(work)))
    carried = [int(in_sorted(m.pool, held_twice).sum()) for m in work]
    best = sorted(range(1, len(work)), key=lambda k: (-carried[k], k))[: limit - 1]
    return [0, *sorted(best)]


def _exact_copies(work: list[_Member]) -> dict[int, int]:
    """Position -> copy group of the members whose text is word for word another's
    (``verify.text_key``: the whole text as tokenized)."""
    by_words: dict[tuple[str, ...], list[int]] = {}
    for k, m in enumerate(work):
        if m.features.tokens.words:  # an article without content has nothing to align
            by_words.setdefault(tuple(tokenize(m.article.text).words), []).append(k)
    groups = [group for group in by_words.values() if len(group) > 1]
    return {k: g for g, group in enumerate(groups) for k in group}


def _same_words(copied: dict[int, int], k: int, j: int) -> bool:
    """Whether the members at ``k`` and ``j`` are exact copies (``_exact_copies``): each
    then carries all of the other, shingles or not."""
    return k in copied and copied[k] == copied.get(j)


def _relation(shared: float, coverage: float, covered_source: np.ndarray,
              reworded_share: float) -> str:
    if reworded_share > 0.5 * shared and shared > 0:
        return REWRITE
    if coverage >= FULL:
        return COPY if shared >= FULL else EXTENDED
    positions = np.nonzero(covered_source)[0]
    if len(positions) and positions[-1] < 0.9 * len(covered_source):
        prefix = covered_source[: positions[-1] + 1]
        if prefix.mean() >= FULL:
            return TRIMMED
    return EXCERPT


def align_cluster(
    members: Sequence[int],
    source: int,
    articles: Sequence[Article],
    features: Mapping[int, Features] | Sequence[Features],
    blocks: Mapping[int, list[LabelledBlock]] | Sequence[list[LabelledBlock]],
) -> list[MemberAlignment]:
    """Alignment of every member; the source first, then the others in index order."""
    return align_clusters([(members, source)], articles, features, blocks)[0]


def align_clusters(
    clusters: Sequence[tuple[Sequence[int], int]],
    articles: Sequence[Article],
    features: Mapping[int, Features] | Sequence[Features],
    blocks: Mapping[int, list[LabelledBlock]] | Sequence[list[LabelledBlock]],
) -> list[list[MemberAlignment]]:
    """``align_cluster`` of each (members, source).

    A member's figures depend on its cluster alone: sentences are weighed by TF-IDF over
    the cluster's own sentences (``_cluster_sentence_vectors``), not the corpus's, which
    moved them when unrelated articles were added."""
    aligned = []
    for members, source in clusters:
        work = [_prepare(i, articles[i], features[i], blocks[i])
                for i in [source, *[m for m in members if m != source]]]
        vectors = _cluster_sentence_vectors([_sentence_words(m) for m in work])
        aligned.append(_align_members(work, vectors))
    return aligned


def _cluster_sentence_vectors(members: Sequence[Sequence[list[str]]]) -> list[csr_matrix]:
    """L2-normalized TF-IDF rows of each member's sentences, each sentence a document of
    the cluster: sublinear term frequency times smoothed IDF, ln((1 + n) / (1 + df)) + 1,
    as scikit-learn weighs them, with n and df counted over the cluster's sentences."""
    vocabulary: dict[str, int] = {}
    ids = [[[vocabulary.setdefault(w, len(vocabulary)) for w in sentence] for sentence in m]
           for m in members]
    rows = [len(m) for m in members]
    total = sum(rows)
    width = max(1, len(vocabulary))
    lengths = np.fromiter((len(s) for m in ids for s in m), np.int64, total)
    flat = np.fromiter((w for m in ids for s in m for w in s), np.int64, int(lengths.sum()))
    keys = np.repeat(np.arange(total, dtype=np.int64), lengths) * width + flat
    keys, counts = np.unique(keys, return_counts=True)  # by sentence, then by word
    row, column = keys // width, keys % width
    df = np.bincount(column, minlength=width)
    idf = np.log((1 + total) / (1 + df)) + 1
    values = (1 + np.log(counts)) * idf[column]
    norms = np.sqrt(np.bincount(row, weights=values**2, minlength=total))
    values /= np.where(norms > 0, norms, 1)[row]
    matrix = csr_matrix((values, (row, column)), shape=(total, width))
    bounds = np.cumsum([0, *rows])
    return [matrix[bounds[k] : bounds[k + 1]] for k in range(len(members))]


def _align_members(work: list[_Member], vectors: list[csr_matrix]) -> list[MemberAlignment]:
    held_twice = held_by_several([w.pool for w in work])
    copied = _exact_copies(work)
    for k, m in enumerate(work):
        m.verbatim = _covered_words(m.features, held_twice)
        if k in copied:  # under five words an exact copy has no shingle to share
            m.verbatim[:] = True
        m.kept = m.verbatim.copy()
    refs = _reference_members(work, held_twice, ALIGN_REFERENCES)
    ref_members = [work[j] for j in refs]
    _align_reworded(work, vectors, refs)
    positions: dict[int, _Positions] = {}  # of reference members, made when first asked
    for m in work:
        _edited_sentences(m, ref_members, positions)
    # carried[j][i]: how much of each of reference member j's sentences member i carries
    carried = {j: [_sentence_coverage(work[j], _covered_words(work[j].features, mi.pool)
                                      | _same_words(copied, j, i))
                   for i, mi in enumerate(work)] for j in refs}
    for k, m in enumerate(work):
        for s, j, t in m.reworded:  # j is a reference member: rewordings match those only
            if k in carried:
                carried[k][j][s] = 1.0
            carried[j][k][t] = 1.0
    holders = _sentence_holders(carried, refs)
    src = work[0]
    result: list[MemberAlignment] = []
    for k, m in enumerate(work):
        n = len(m.kept)
        shared = float(m.kept.mean()) if n else 0.0
        reworded = int(np.isin(m.sentence_of, [s for s, _, _ in m.reworded]).sum())
        if k == 0:
            relation, coverage = SOURCE, 1.0
        else:
            covered_source = _covered_words(src.features, m.pool)
            if _same_words(copied, k, 0):
                covered_source[:] = True
            coverage = float(covered_source.mean()) if len(covered_source) else 0.0
            relation = _relation(shared, coverage, covered_source, reworded / n if n else 0.0)
        result.append(MemberAlignment(
            index=m.index,
            relation=relation,
            shared_fraction=shared,
            source_coverage=coverage,
            added=_added_spans(m),
            cut=_cut_passages(k, work, carried, holders, refs),
            changed=sorted(m.changes, key=lambda c: c.start),
            credit=find_credit(m.article.text),
        ))
    return result


def sentence_words(index: int, article: Article, features: Features,
                   blocks: list[LabelledBlock]) -> list[list[str]]:
    """The content words of each sentence of one article: what related-story matching
    compares sentence by sentence."""
    return _sentence_words(_prepare(index, article, features, blocks))
