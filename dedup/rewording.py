"""Light rewording: copies that keep the facts and the order, and change the words.

An outlet that rewrites wire copy lightly (a synonym for every other word, clauses
reordered, active turned passive, sentences merged) leaves few word 5-grams in common with
the source, so the shingle LSH never pairs the two, yet it keeps the names and figures,
about half of the word bigrams and the order of the sentences. Two steps find it:

- candidates: articles that share several of their most distinctive words (the top
  ``TOP_TERMS`` of each TF-IDF row: names, figures and rare words, which synonyms leave
  alone). A word that tops more than ``MAX_BUCKET`` articles says nothing and is skipped,
  so the pairs grow with the corpus, not its square;
- verification: the pair shares a good part of its word bigrams, weighted by the words'
  IDF, in the same order in both, its figures agree and it is not template-shaped. Two
  stories on one event share names and figures too, but tell them in other words and in
  another order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from .normalize import Tokens
from .signatures import Features, word_hashes
from .slots import NOT_NAMES, article_slots, slot_evidence
from .verify import PairEvidence, pair_cosines

TOP_TERMS = 16  # distinctive words of an article
MIN_SHARED_TERMS = 4  # of which a candidate pair shares at least
MAX_BUCKET = 64  # a word that tops more articles is skipped
MIN_BIGRAM_SHARE = 0.3  # IDF-weighted bigrams of the article with fewer, shared
MIN_BIGRAM_COVER = 0.25  # and of the article with more: a rewrite retells all it keeps
MIN_ORDER = 0.85  # pairs of shared bigrams in the same order in both (concordance)
MIN_COSINE = 0.3  # whole-article TF-IDF cosine
MIN_FACT_AGREEMENT = 0.8  # figures of the article with fewer found in the other
MIN_BIGRAMS = 12  # an article with fewer bigrams is too short to judge by them
# A bigram in more of the candidate articles than this (and this share of them) is a
# stock phrase of a series ("expect to hear more about"), not copy.
COMMON_BIGRAM_FLOOR = 10
COMMON_BIGRAM_FRACTION = 0.005
COMMON_BIGRAM_SAMPLE = 50_000  # articles counted at most, besides the candidates


@dataclass(frozen=True)
class RewriteEvidence:
    bigram_share: float  # of the article with fewer (IDF-weighted)
    bigram_cover: float  # of the article with more
    order: float
    facts: int
    facts_shared: int

    @property
    def fact_agreement(self) -> float:
        return self.facts_shared / self.facts if self.facts else 1.0

    def is_rewrite(self, cosine: float) -> bool:
        return (self.bigram_share >= MIN_BIGRAM_SHARE and self.bigram_cover >= MIN_BIGRAM_COVER
                and self.order >= MIN_ORDER
                and self.fact_agreement >= MIN_FACT_AGREEMENT and cosine >= MIN_COSINE)


def top_terms(tfidf: csr_matrix, k: int = TOP_TERMS) -> tuple[np.ndarray, np.ndarray]:
    """(rows, columns) of each row's ``k`` largest entries (ties by column)."""
    rows = np.repeat(np.arange(tfidf.shape[0], dtype=np.int64), np.diff(tfidf.indptr))
    order = np.lexsort((tfidf.indices, -tfidf.data, rows))
    rank = np.arange(len(order)) - np.repeat(tfidf.indptr[:-1], np.diff(tfidf.indptr))
    keep = order[rank < k]
    return rows[keep], tfidf.indices[keep].astype(np.int64)


def candidate_pairs(tfidf: csr_matrix, k: int = TOP_TERMS, min_shared: int = MIN_SHARED_TERMS,
                    max_bucket: int = MAX_BUCKET) -> np.ndarray:
    """Pairs (a < b, sorted) that share at least ``min_shared`` of their top ``k`` words."""
    n = tfidf.shape[0]
    rows, terms = top_terms(tfidf, k)
    order = np.lexsort((rows, terms))
    rows, terms = rows[order], terms[order]
    starts = np.flatnonzero(np.r_[True, terms[1:] != terms[:-1]])
    sizes = np.diff(np.r_[starts, len(terms)])
    small = (sizes >= 2) & (sizes <= max_bucket)
    firsts: list[np.ndarray] = []
    seconds: list[np.ndarray] = []
    for size in np.unique(sizes[small]).tolist():  # buckets of one size at a time
        at = starts[small & (sizes == size)]
        i, j = np.triu_indices(size, 1)
        firsts.append(rows[at[:, None] + i].ravel())
        seconds.append(rows[at[:, None] + j].ravel())
    if not firsts:
        return np.empty((0, 2), np.int64)
    codes = np.concatenate(firsts) * n + np.concatenate(seconds)  # rows sorted: a < b
    codes, counts = np.unique(codes, return_counts=True)
    codes = codes[counts >= min_shared]
    return np.stack([codes // n, codes % n], axis=1)


def _bigrams(doc: np.ndarray) -> np.ndarray:
    return (doc[:-1].astype(np.uint64) << np.uint64(32)) | doc[1:].astype(np.uint64)


ORDER_SAMPLE = 1024  # shared bigrams whose order is compared, at most (evenly spaced)


def _concordance(at_a: np.ndarray, at_b: np.ndarray) -> float:
    """Share of the pairs of shared bigrams in the same order in both articles (Kendall's
    concordance): a rewrite keeps the story's order, a retelling of picked sentences
    shuffles them (a longest ordered run would still find one long sentence in order)."""
    if len(at_a) < 2:
        return 0.0
    y = at_b[np.argsort(at_a, kind="stable")]
    if len(y) > ORDER_SAMPLE:
        y = y[np.linspace(0, len(y) - 1, ORDER_SAMPLE).astype(np.int64)]
    n = len(y)
    concordant = int(np.triu(y[None, :] > y[:, None], 1).sum())  # positions are distinct
    return concordant / (n * (n - 1) // 2)


def common_bigrams(documents: Sequence[np.ndarray], articles: np.ndarray) -> np.ndarray:
    """Sorted bigrams found in more than ``COMMON_BIGRAM_FLOOR`` (and
    ``COMMON_BIGRAM_FRACTION``) of the ``articles``."""
    if not len(articles):
        return np.empty(0, np.uint64)
    limit = max(COMMON_BIGRAM_FLOOR, int(COMMON_BIGRAM_FRACTION * len(articles)))
    codes, counts = np.unique(np.concatenate(
        [np.unique(_bigrams(documents[i])) for i in articles.tolist()]), return_counts=True)
    return codes[counts > limit]


@dataclass(frozen=True)
class _Bigrams:
    """An article's distinct bigrams (stock phrases out), where each first occurs, and the
    IDF weight of each there."""

    codes: np.ndarray
    first: np.ndarray
    weights: np.ndarray

    @property
    def total(self) -> float:
        return float(self.weights.sum())


def _article_bigrams(doc: np.ndarray, idf: np.ndarray, common: np.ndarray) -> _Bigrams | None:
    if len(doc) - 1 < MIN_BIGRAMS:
        return None
    codes, first = np.unique(_bigrams(doc), return_index=True)
    keep = ~np.isin(codes, common, assume_unique=True)
    first = first[keep]
    return _Bigrams(codes[keep], first, idf[doc[first]] + idf[doc[first + 1]])


def _evidence(a: _Bigrams, b: _Bigrams, figures_a: np.ndarray, figures_b: np.ndarray
              ) -> RewriteEvidence:
    _, in_a, in_b = np.intersect1d(a.codes, b.codes, assume_unique=True, return_indices=True)
    shared = float(a.weights[in_a].sum())
    fewer, more = min(a.total, b.total), max(a.total, b.total)
    share = shared / fewer if fewer > 0 else 0.0
    cover = shared / more if more > 0 else 0.0
    # The order is the costly part: not worked out for a pair that fails already.
    order = (_concordance(a.first[in_a], b.first[in_b])
             if share >= MIN_BIGRAM_SHARE and cover >= MIN_BIGRAM_COVER else 0.0)
    facts = min(len(figures_a), len(figures_b))
    facts_shared = len(np.intersect1d(figures_a, figures_b, assume_unique=True))
    return RewriteEvidence(share, cover, order, facts, facts_shared)


def rewrite_evidence(doc_a: np.ndarray, doc_b: np.ndarray, idf: np.ndarray,
                     figures_a: np.ndarray, figures_b: np.ndarray,
                     common: np.ndarray | None = None) -> RewriteEvidence | None:
    """How much of its bigrams, in order, and of its figures the pair shares; None if one
    of the two is too short to judge. ``doc_*`` are content word ids in order, ``idf``
    each id's IDF; ``common`` bigrams (sorted) are left out."""
    common = common if common is not None else np.empty(0, np.uint64)
    a, b = _article_bigrams(doc_a, idf, common), _article_bigrams(doc_b, idf, common)
    return None if a is None or b is None else _evidence(a, b, figures_a, figures_b)


def find_rewrites(tfidf: csr_matrix, documents: Sequence[np.ndarray], idf: np.ndarray,
                  figures: Sequence[np.ndarray], copies: set[tuple[int, int]]
                  ) -> list[tuple[int, int]]:
    """Pairs (a < b) that are light rewrites of each other, outside ``copies``."""
    pairs = candidate_pairs(tfidf)
    # Stock phrases are counted over the candidates and an even sample of the corpus.
    step = max(1, len(documents) // COMMON_BIGRAM_SAMPLE)
    common = common_bigrams(documents, np.union1d(np.unique(pairs),
                                                  np.arange(0, len(documents), step)))
    # Whole-article cosines of every candidate in one product each side: most pairs end here.
    cosines = pair_cosines(tfidf, pairs)
    bigrams: dict[int, _Bigrams | None] = {}  # an article is in several pairs

    def of(i: int) -> _Bigrams | None:
        if i not in bigrams:
            bigrams[i] = _article_bigrams(documents[i], idf, common)
        return bigrams[i]

    found = []
    for (a, b), cosine in zip(pairs.tolist(), cosines.tolist(), strict=True):
        if cosine < MIN_COSINE or (a, b) in copies:
            continue
        ba, bb = of(a), of(b)
        if ba is not None and bb is not None and _evidence(
                ba, bb, figures[a], figures[b]).is_rewrite(cosine):
            found.append((a, b))
    return found


MIN_NAME_AGREEMENT = 0.7  # names of a rewrite's article with fewer, found in the other
MIN_SHARED_NAMES = 3


def article_names(text: str, tokens: Tokens) -> np.ndarray:
    """Sorted distinct hashes of the capitalized words of ``tokens`` (function words out)."""
    names = [w for w, s in zip(tokens.words, tokens.starts.tolist(), strict=True)
             if text[s : s + 1].isupper() and w not in NOT_NAMES]
    return np.unique(word_hashes(names))


def names_agree(a: np.ndarray, b: np.ndarray) -> bool:
    """Most names of the article with fewer, and ``MIN_SHARED_NAMES`` at least, are in the
    other: a rewrite keeps the names of the story it retells."""
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared >= max(MIN_SHARED_NAMES, MIN_NAME_AGREEMENT * min(len(a), len(b)))


MIN_UNQUOTED_BIGRAMS = 0.3  # of a rewrite's bigrams outside quotes, shared outside quotes


def unquoted_bigrams(features: Features) -> np.ndarray:
    """Sorted distinct hashes of the bigrams of ``features`` with no quoted word."""
    h = word_hashes(features.tokens.words)
    if len(h) < 2:
        return np.empty(0, np.uint64)
    codes = h[:-1] * np.uint64(0x9E3779B97F4A7C15) ^ h[1:]
    outside = ~(features.quoted[:-1] | features.quoted[1:])
    return np.unique(codes[outside])


def unquoted_share(a: np.ndarray, b: np.ndarray) -> float:
    """Shared bigrams outside quotes over those of the article with fewer: two reports of
    one speech share its quotes, a rewrite shares its own sentences."""
    fewer = min(len(a), len(b))
    return len(np.intersect1d(a, b, assume_unique=True)) / fewer if fewer else 0.0


def confirm_rewrites(rewrites: Sequence[PairEvidence], texts: Callable[[int], str],
                     features: Mapping[int, Features]) -> list[PairEvidence]:
    """Of the pairs ``find_rewrites`` found by their bigrams, those whose names agree and
    that share their own sentences, not only quotes: a template story retold for another
    company shares its wording, two reports of one speech its quotes. Needs the articles'
    features (quotation marks, original case), which exist only after the signature stage
    let them go, for the clustered articles."""
    names: dict[int, np.ndarray] = {}

    def names_of(i: int) -> np.ndarray:
        if i not in names:
            names[i] = article_names(texts(i), features[i].tokens)
        return names[i]

    def refills(a: int, b: int) -> bool:
        """Whether a slot both share holds other names or figures in the two: a rewrite
        retells the story it copies, a template's retelling another company's."""
        return slot_evidence(article_slots(texts(a), features[a].tokens),
                             article_slots(texts(b), features[b].tokens)).changed > 0

    return [e for e in rewrites if names_agree(names_of(e.a), names_of(e.b)) and unquoted_share(
        unquoted_bigrams(features[e.a]), unquoted_bigrams(features[e.b])) >= MIN_UNQUOTED_BIGRAMS
        and not refills(e.a, e.b)]
