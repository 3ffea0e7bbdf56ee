"""Stage 6: decide which candidate pairs really share copy.

A candidate pair is a copy pair when the two articles share a verbatim stretch of
distinctive text that is not just a quotation, the shared text is a real part of at
least one of them, and the two are about the same thing. In numbers:

- exact shingle overlap: distinct word 5-grams both contain, ignoring 5-grams so common
  in the corpus that they are templates ("the company said in a");
- of those, how many lie outside quotation marks: two agencies covering one speech
  share its quotes, not copy;
- containment both ways: the shared share of each article's distinct 5-grams;
- TF-IDF cosine of the cleaned texts (content blocks only): rules out a stray shared
  sentence between articles on different subjects;
- the facts agree: a copy keeps the wire's figures, so when two articles share only a
  small part of their text, most numbers of the one with fewer must be in the other.
  Series written to a template (a central bank's daily money-market report, earnings
  tables, bond-issue notices) share whole sentences but never their figures.

Two articles about the same event that share no copy have a high cosine but almost no
unquoted shared 5-grams, so they are not a copy pair (they are reported as related).

The stage is ``verify_pairs``, given ``Fingerprints`` and TF-IDF rows. The pipeline makes
them with ``fingerprints_from_flat`` and ``tfidf_from_ids``; ``build_fingerprints`` and
``tfidf_matrix`` make them from a list of ``Features`` (Spark, tests). Fingerprints have
one implementation (``build_fingerprints`` -> ``fingerprints_from`` ->
``fingerprints_from_flat``); ``tfidf_from_ids`` counts in numpy what scikit-learn counts
in ``tfidf_from_words``, its oracle, and tests/test_verify.py's
``test_tfidf_from_ids_is_bit_for_bit_the_vectorizers`` ties the two.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import xxhash
from scipy.sparse import csr_matrix

from .arrays import in_sorted
from .signatures import SHINGLE_SIZE, Features

if TYPE_CHECKING:  # imported where used (_import_tfidf): 1 s of every start, with scipy.stats
    from sklearn.feature_extraction.text import TfidfVectorizer


def _import_tfidf() -> tuple[type, type]:
    """scikit-learn's TfidfVectorizer and TfidfTransformer, imported with pandas hidden.

    scikit-learn imports pandas whenever it is installed, only to keep a module global
    that nothing uses (``sklearn.utils.fixes.pd``). That costs 0.4-0.6 s of every
    ``dedup check`` in CI. Hiding it while scikit-learn loads changes nothing else: pandas
    stays importable afterwards (the Spark engine needs it), and scikit-learn imports it on
    its own where it works with DataFrames.
    """
    hide = "pandas" not in sys.modules
    if hide:
        sys.modules["pandas"] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
    finally:
        if hide:
            del sys.modules["pandas"]
    return TfidfVectorizer, TfidfTransformer


@dataclass(frozen=True)
class VerifySettings:
    min_shared: int = 12  # distinct shared 5-grams: a run of ~16 words
    min_unquoted: int = 8  # of which outside quotation marks
    min_containment: float = 0.12  # shared part of the article that shares most
    min_cosine: float = 0.15
    common_df_floor: int = 50  # a 5-gram in more articles than this ...
    common_df_fraction: float = 0.01  # ... and this share of the corpus is a template
    # Fact check: below this containment, an article with at least ``min_facts`` distinct
    # numbers must find this share of them in the other (the one with fewer numbers).
    fact_check_below: float = 0.8
    min_facts: int = 3
    min_fact_agreement: float = 0.5


@dataclass(frozen=True)
class PairEvidence:
    a: int
    b: int
    shared: int
    unquoted: int
    containment_a: float
    containment_b: float
    cosine: float
    facts: int = 0  # distinct numbers in the article with fewer of them
    facts_shared: int = 0  # of which the other article has too

    @property
    def containment(self) -> float:
        return max(self.containment_a, self.containment_b)

    @property
    def fact_agreement(self) -> float:
        return self.facts_shared / self.facts if self.facts else 1.0


@dataclass
class Fingerprints:
    """Per-article distinct shingles, ready for set operations."""

    distinct: list[np.ndarray]  # sorted unique shingles per article, templates removed
    # Sorted unique shingles found only with a quoted word: a few per article where the
    # shingles outside quotes would be most of them (the 1M scale-up: 1 GB less).
    quoted: list[np.ndarray]
    common: np.ndarray  # sorted template shingles
    figures: list[np.ndarray]  # Features.figures per article (Spark has no Features there)
    # ``text_key`` of each article (None: not known, no pair is judged on it).
    exact: np.ndarray | None = None


def text_key(words: Sequence[str]) -> int:
    """Identity of an article's words as normalized (0: no words): of its whole text, as
    ``tokenize`` reads it. Two articles with the same key are exact copies, a copy pair
    whatever their length (a short one has too few shingles for the thresholds: a
    13-word article 9 of the 12 asked for). Not of the content words alone: two earnings
    tables whose figures are all chrome would share their one line of content."""
    if not words:
        return 0
    return xxhash.xxh3_64_intdigest("\x00".join(words).encode("utf-8", "surrogatepass")) or 1


def same_text(fp: Fingerprints, a: int, b: int) -> bool:
    """Whether articles a and b are exact copies after normalization (``text_key``)."""
    return fp.exact is not None and fp.exact[a] != 0 and fp.exact[a] == fp.exact[b]


def quoted_shingles(features: Features) -> np.ndarray:
    """Sorted distinct shingles every occurrence of which has a quoted word."""
    n = len(features.shingles)
    if n == 0:
        return features.shingles
    quoted = features.quoted.astype(np.int32)
    # A shingle is quoted if any of its words is: sliding window sum over the mask.
    window = np.convolve(quoted, np.ones(SHINGLE_SIZE, dtype=np.int32), mode="valid")[:n]
    inside = window > 0
    if not inside.any():
        return np.empty(0, features.shingles.dtype)
    return np.setdiff1d(np.unique(features.shingles[inside]), features.shingles[~inside])


def build_fingerprints(features: Sequence[Features], settings: VerifySettings) -> Fingerprints:
    return fingerprints_from([np.unique(f.shingles) for f in features],
                             [quoted_shingles(f) for f in features],
                             [f.figures for f in features], settings)


def fingerprints_from(distinct: list[np.ndarray], quoted: list[np.ndarray],
                      figures: list[np.ndarray], settings: VerifySettings) -> Fingerprints:
    """Fingerprints from each article's distinct shingles (``np.unique``), its
    ``quoted_shingles`` and its figures: the corpus-wide part, template removal.

    Pass ``distinct`` as a list nobody else holds: its arrays are let go as they are
    copied into one, and templates are removed in place, so the corpus's shingles are
    held once, plus two bytes each and a slice, at the peak (8 bytes a shingle is 1.2 GB
    at the 1M scale-up)."""
    if not distinct:
        return Fingerprints(distinct, quoted, np.empty(0, np.uint64), figures)
    # One pass over the whole corpus: each shingle's document frequency, per occurrence.
    lengths = np.fromiter(map(len, distinct), np.int64, len(distinct))
    flat = np.empty(int(lengths.sum()), np.uint64)
    at = 0
    for k, shingles in enumerate(distinct):
        flat[at : at + len(shingles)] = shingles
        at += len(shingles)
        distinct[k] = _NO_SHINGLES
    distinct.clear()
    return fingerprints_from_flat(flat, lengths, quoted, figures, settings)


def fingerprints_from_flat(flat: np.ndarray, lengths: np.ndarray, quoted: list[np.ndarray],
                           figures: list[np.ndarray], settings: VerifySettings) -> Fingerprints:
    """``fingerprints_from`` with every article's distinct shingles already in one array
    (``lengths`` of them each), which is kept and changed in place."""
    limit = max(settings.common_df_floor, int(settings.common_df_fraction * len(lengths)))
    if not len(lengths):
        return Fingerprints([], quoted, np.empty(0, np.uint64), figures)
    common = _held_by_more_than(flat, limit)
    if not len(common):
        return Fingerprints(np.split(flat, np.cumsum(lengths)[:-1]), quoted, common, figures)
    # Templates are few: a binary search of each shingle among them, and the rest moved
    # forward in place, a slice at a time (the write end never passes the read end).
    kept = 0
    removed = []
    for lo in range(0, len(flat), _KEEP_STEP):
        part = flat[lo : lo + _KEEP_STEP]
        template = in_sorted(part, common)
        removed.append(np.flatnonzero(template) + lo)
        rest = part[~template]
        flat[kept : kept + len(rest)] = rest
        kept += len(rest)
    doc_ends = np.cumsum(lengths)
    per_doc = np.bincount(np.searchsorted(doc_ends, np.concatenate(removed), side="right"),
                          minlength=len(lengths))
    return Fingerprints(np.split(flat[:kept], np.cumsum(lengths - per_doc)[:-1]), quoted,
                        common, figures)


_KEEP_STEP = 1 << 20  # shingles per binary search (8 bytes of positions each)
_NO_SHINGLES = np.empty(0, np.uint64)
_VALUE_RANGES = 8  # shingles sorted a range of values at a time (a power of two)


def _held_by_more_than(flat: np.ndarray, limit: int) -> np.ndarray:
    """Sorted values found more than ``limit`` times in ``flat`` (uint64 hashes).

    In sorted order, a value found more than ``limit`` times equals the one ``limit``
    places further on: no counts array is needed. The values are sorted one range of
    their top bits at a time, so the sorted copy is an eighth of the corpus's shingles,
    not all of them (1.2 GB at the 1M scale-up); ranges in order keep the result sorted.
    """
    shift = np.uint64(64 - _VALUE_RANGES.bit_length() + 1)
    top = np.empty(len(flat), np.uint8)  # a byte a shingle, filled a slice at a time
    for lo in range(0, len(flat), _KEEP_STEP):
        top[lo : lo + _KEEP_STEP] = flat[lo : lo + _KEEP_STEP] >> shift
    parts = []
    for value in range(_VALUE_RANGES):
        ordered = np.sort(flat[top == value])
        parts.append(np.unique(ordered[:-limit][ordered[:-limit] == ordered[limit:]]))
    return np.concatenate(parts)


def pretokenized(words: list[str]) -> list[str]:
    """TF-IDF analyzer for documents that are already lists of normalized words."""
    return words


def tfidf_matrix(features: Sequence[Features]) -> tuple[csr_matrix, TfidfVectorizer]:
    """L2-normalized TF-IDF rows of each article's content words, and the vectorizer
    (its corpus IDF also weighs words when sentences are compared in alignment)."""
    return tfidf_from_words([f.tokens.words for f in features])


def tfidf_from_words(docs: Collection[list[str]]) -> tuple[csr_matrix, TfidfVectorizer]:
    """``tfidf_matrix`` from each article's content words (read twice at most: ``docs`` may
    make each list as it is read)."""
    TfidfVectorizer, _ = _import_tfidf()
    vectorizer = TfidfVectorizer(analyzer=pretokenized, sublinear_tf=True, dtype=np.float32)
    if not any(docs):
        vectorizer.fit([["empty"]])
        return csr_matrix((len(docs), 1), dtype=np.float32), vectorizer
    return vectorizer.fit_transform(docs).tocsr(), vectorizer


def tfidf_from_ids(documents: Sequence[np.ndarray], words: Sequence[str]
                   ) -> tuple[csr_matrix, TfidfVectorizer | TermWeights]:
    """``tfidf_from_words`` of documents given as ids into ``words``, where ids number the
    words in order of first occurrence in the corpus (``packing.Terms``): bit for bit
    the same matrix and vectorizer, with the counting done in numpy.

    scikit-learn counts in a Python loop: 0.7 s of Reuters' 19k articles, and a list of
    8-byte pointers per nonzero, several GB at 1M. Its rows hold their words in that same
    first-occurrence order (it numbers words as it meets them, sorts each row, then
    renumbers alphabetically without sorting again), and row sums depend on the order;
    the counts here are laid out the same way, and weighed and normalized as scikit-learn's
    TfidfTransformer does (``_tfidf_weigh``), without importing it (1 s of a CI check).
    """
    n = len(documents)
    if not any(len(d) for d in documents):
        return tfidf_from_words([[] for _ in range(n)])
    width = len(words)
    column = np.empty(width, np.int32)  # each id's column: words numbered alphabetically
    column[sorted(range(width), key=words.__getitem__)] = np.arange(width, dtype=np.int32)
    indptr = np.zeros(n + 1, np.int64)
    indices, counts = [], []
    for lo in range(0, n, TFIDF_STEP):
        part = documents[lo : lo + TFIDF_STEP]
        lengths = np.fromiter(map(len, part), np.int64, len(part))
        keys = np.repeat(np.arange(len(part), dtype=np.int64) * width, lengths)
        keys += np.concatenate(part)
        keys, found = np.unique(keys, return_counts=True)  # by row, then by id
        indices.append(column[keys % width])
        counts.append(found.astype(np.float32))
        indptr[lo + 1 : lo + len(part) + 1] = indptr[lo] + np.cumsum(
            np.bincount(keys // width, minlength=len(part)))
    index_type = np.int32 if indptr[-1] <= np.iinfo(np.int32).max else np.int64
    data = np.concatenate(counts)
    del counts
    columns = np.concatenate(indices).astype(index_type, copy=False)
    del indices
    matrix = csr_matrix((data, columns, indptr.astype(index_type)), shape=(n, width),
                        dtype=np.float32)
    del data, columns
    idf = _tfidf_weigh(matrix)
    vocabulary = {w: int(c) for w, c in zip(words, column.tolist(), strict=True)}
    return matrix, TermWeights(vocabulary, idf)


def _tfidf_weigh(counts: csr_matrix) -> np.ndarray:
    """scikit-learn's ``TfidfTransformer(norm="l2", smooth_idf=True, sublinear_tf=True)``
    fitted on float32 ``counts`` and applied to them in place, step for step; the idf.

    Its L2 norm sums float32 squares in a double, in order; every weight is at least 1
    (log tf + 1, idf >= 1), so every square is a multiple of 2^-23 and every partial sum
    below 2^30 is exact in a double: numpy's sums in any order give the same bits
    (tests/test_verify.py). A row summing past that is summed in order, as there."""
    n, width = counts.shape
    df = np.bincount(counts.indices, minlength=width).astype(np.float32, copy=False)
    df += 1.0
    idf = np.full_like(df, fill_value=n + 1, dtype=np.float32)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    data = counts.data
    np.log(data, data)
    data += 1.0
    data *= idf[counts.indices]
    squares = (data * data).astype(np.float64)
    lengths = np.diff(counts.indptr)
    rows = np.flatnonzero(lengths)
    sums = np.zeros(n, np.float64)
    sums[rows] = np.add.reduceat(squares, counts.indptr[:-1][rows])
    for row in np.flatnonzero(sums >= EXACT_SUM_LIMIT).tolist():
        total = 0.0
        for square in squares[counts.indptr[row] : counts.indptr[row + 1]].tolist():
            total += square
        sums[row] = total
    norms = np.sqrt(np.repeat(sums, lengths))
    data[:] = (data.astype(np.float64) / norms).astype(np.float32)
    return idf


EXACT_SUM_LIMIT = float(1 << 30)  # sums of squares >= 1 held exactly below this


class TermWeights:
    """The corpus vocabulary and idf of ``tfidf_from_ids``: what a fitted TfidfVectorizer
    holds, and its ``transform``, with scikit-learn imported on the first call only (a CI
    check never makes one)."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray) -> None:
        self.vocabulary_ = vocabulary
        self.idf_ = idf
        self._vectorizer: TfidfVectorizer | None = None

    def transform(self, docs: Collection[list[str]]) -> Any:
        if self._vectorizer is None:
            TfidfVectorizer, _ = _import_tfidf()
            vectorizer = TfidfVectorizer(analyzer=pretokenized, sublinear_tf=True,
                                         dtype=np.float32, vocabulary=self.vocabulary_)
            vectorizer.idf_ = self.idf_
            self._vectorizer = vectorizer
        return self._vectorizer.transform(docs)


TFIDF_STEP = 1 << 13  # documents counted at a time (about 16 bytes a word of them)


def cosine(matrix: csr_matrix, a: int, b: int) -> float:
    return float(matrix[a].multiply(matrix[b]).sum())


def pair_evidence(fp: Fingerprints, tfidf: csr_matrix, a: int, b: int,
                  cosine_ab: float | None = None) -> PairEvidence:
    da, db = fp.distinct[a], fp.distinct[b]
    shared = np.intersect1d(da, db, assume_unique=True)
    # A shared shingle is outside quotes in one of the two unless both hold it quoted only.
    quoted_in_both = np.intersect1d(fp.quoted[a], fp.quoted[b], assume_unique=True)
    unquoted = len(shared) - int(in_sorted(quoted_in_both, shared).sum())
    na, nb = fp.figures[a], fp.figures[b]
    return PairEvidence(
        a=a,
        b=b,
        shared=len(shared),
        unquoted=unquoted,
        containment_a=len(shared) / len(da) if len(da) else 0.0,
        containment_b=len(shared) / len(db) if len(db) else 0.0,
        cosine=cosine(tfidf, a, b) if cosine_ab is None else cosine_ab,
        facts=min(len(na), len(nb)),
        facts_shared=len(np.intersect1d(na, nb, assume_unique=True)),
    )


def is_copy(evidence: PairEvidence, settings: VerifySettings) -> bool:
    return (
        evidence.shared >= settings.min_shared
        and evidence.unquoted >= settings.min_unquoted
        and evidence.containment >= settings.min_containment
        and evidence.cosine >= settings.min_cosine
        and facts_agree(evidence, settings)
    )


def facts_agree(evidence: PairEvidence, settings: VerifySettings) -> bool:
    """Whether the pair's figures allow it to be a copy (see the module docstring)."""
    return (
        evidence.containment >= settings.fact_check_below
        or evidence.facts < settings.min_facts
        or evidence.fact_agreement >= settings.min_fact_agreement
    )


def pair_cosines(matrix: csr_matrix,
                 pairs: Sequence[tuple[int, int]] | np.ndarray) -> np.ndarray:
    """Cosine of every pair at once (rows are L2-normalized): one sparse product per side
    instead of two row slices per pair."""
    if not len(pairs):
        return np.zeros(0)
    index = np.asarray(pairs, dtype=np.int64)
    parts = []
    # A slice of pairs at a time: both sides' rows are copied, and for every candidate
    # pair of a large corpus at once that is several times the matrix itself.
    for lo in range(0, len(index), PAIR_COSINE_STEP):
        part = index[lo : lo + PAIR_COSINE_STEP]
        left, right = matrix[part[:, 0]], matrix[part[:, 1]]
        parts.append(np.asarray(left.multiply(right).sum(axis=1)).ravel())
    return np.concatenate(parts)


PAIR_COSINE_STEP = 1 << 16


def verify_pairs(
    pairs: Sequence[tuple[int, int]] | np.ndarray,
    fp: Fingerprints,
    tfidf: csr_matrix,
    settings: VerifySettings,
    on_done: Callable[[int], None] | None = None,
    keep_rejected: bool = True,
) -> tuple[list[PairEvidence], list[PairEvidence]]:
    """Split candidate pairs into (copy pairs, rejected pairs), both with evidence.
    ``on_done(n)`` is called as ``n`` more pairs are judged (for a progress bar).
    ``keep_rejected=False`` returns no rejected pairs: most candidates are rejected, and
    a caller that only clusters need not hold their evidence."""
    copies: list[PairEvidence] = []
    rejected: list[PairEvidence] = []
    cosines = pair_cosines(tfidf, pairs)
    for lo in range(0, len(pairs), 1024):
        part = pairs[lo : lo + 1024]
        rows = part.tolist() if isinstance(part, np.ndarray) else part  # ints, not numpy's
        for (a, b), cos in zip(rows, cosines[lo : lo + 1024].tolist(), strict=True):
            evidence = pair_evidence(fp, tfidf, a, b, cos)
            if is_copy(evidence, settings) or same_text(fp, a, b):
                copies.append(evidence)
            elif keep_rejected:
                rejected.append(evidence)
        if on_done is not None:
            on_done(len(part))
    return copies, rejected
