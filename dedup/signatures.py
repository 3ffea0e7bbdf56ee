"""Stage 4: per-article features and MinHash signatures.

Each article becomes the sequence of its content tokens (boilerplate and headline
removed, offsets kept), the hashes of its word n-gram shingles, and MinHash signatures
of the whole content and of overlapping passages. Hashing is vectorized in numpy; the
signatures are exactly what datasketch's ``MinHash(scheme="affine32")`` computes for
the same 32-bit shingle hashes, so they go straight into datasketch's LSH.

The stage is ``featurize_many``: a batch of articles, their shingles hashed in one call,
as the pipeline's signature stage runs it. ``featurize`` is one article's, for the
articles the pipeline prepares again and for Spark and the index; tests/test_pipeline.py's
``test_features_kept_from_the_signature_stage_or_made_again_give_the_same_report`` ties
the two (every array of the features compared), tests/test_signatures.py ties the batched
shingles and signatures to each article's own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import xxhash

from ._accel import core
from .boilerplate import CONTENT, LabelledBlock
from .load import Article
from .normalize import Tokens, quoted_mask, tokenize

if TYPE_CHECKING:  # datasketch loads SciPy (0.35 s): imported where used, not by 'dedup check'
    from datasketch import LeanMinHash

__all__ = [
    "PERMUTED_STEP",
    "SHINGLE_SIZE",
    "WORD_HASH_CACHE",
    "Features",
    "MinHasher",
    "affine32_permutations",
    "batch_shingle_hashes",
    "batch_token_shingles",
    "content_tokens",
    "featurize",
    "featurize_many",
    "figure_hashes",
    "shingle_hashes",
    "word_hashes",
]

SHINGLE_SIZE = 5

_word_hash_cache: dict[str, int] = {}
WORD_HASH_CACHE = 2_000_000  # words whose hash is kept


def _hash_word(word: str) -> int:
    return xxhash.xxh3_64_intdigest(word.encode("utf-8"))


def word_hashes(words: list[str]) -> np.ndarray:
    """64-bit hashes of words (cached: news vocabulary is small next to its volume)."""
    if core is not None:
        return core.word_hashes(  # type: ignore[no-any-return]
            words if type(words) is list else list(words), _word_hash_cache, _hash_word,
            WORD_HASH_CACHE)
    return _word_hashes_reference(words)


def _word_hashes_reference(words: list[str]) -> np.ndarray:
    cache = _word_hash_cache
    for word in set(words).difference(cache):
        if len(cache) >= WORD_HASH_CACHE:
            return np.fromiter((xxhash.xxh3_64_intdigest(w.encode("utf-8")) for w in words),
                               dtype=np.uint64, count=len(words))
        cache[word] = xxhash.xxh3_64_intdigest(word.encode("utf-8"))
    return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))


_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_ROT = np.uint64(0x9E3779B97F4A7C15)


def _mix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer: spreads every input bit over the output."""
    values = values ^ (values >> np.uint64(33))
    values = values * _MIX1
    values = values ^ (values >> np.uint64(33))
    values = values * _MIX2
    return values ^ (values >> np.uint64(33))


def shingle_hashes(hashes: np.ndarray, size: int = SHINGLE_SIZE) -> np.ndarray:
    """Order-sensitive 64-bit hashes of every run of ``size`` consecutive words."""
    if core is not None:
        return core.shingle_hashes(  # type: ignore[no-any-return]
            np.ascontiguousarray(hashes, np.uint64), size)
    return _shingle_hashes_reference(hashes, size)


def _shingle_hashes_reference(hashes: np.ndarray, size: int = SHINGLE_SIZE) -> np.ndarray:
    count = len(hashes) - size + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        acc = hashes[:count].copy()
        for k in range(1, size):
            acc = _mix64(acc * _ROT + hashes[k : k + count])
    return acc


def batch_shingle_hashes(hash_arrays: Sequence[np.ndarray], size: int = SHINGLE_SIZE
                         ) -> tuple[np.ndarray, np.ndarray]:
    """``shingle_hashes`` of each array, concatenated, and where each one's begin
    (``offsets[k]:offsets[k + 1]``): the same values, in a few numpy calls for the whole
    batch instead of a dozen per article (an article's arithmetic is a few microseconds;
    the calls' overhead was most of the stage's hashing time)."""
    if core is not None:  # compiled, an article at a time costs no more
        parts = [shingle_hashes(h, size) for h in hash_arrays]
        offsets = np.zeros(len(parts) + 1, np.int64)
        np.cumsum(np.fromiter(map(len, parts), np.int64, len(parts)), out=offsets[1:])
        return _flat(parts), offsets
    lengths = np.fromiter(map(len, hash_arrays), np.int64, len(hash_arrays))
    counts = np.maximum(lengths - size + 1, 0)
    offsets = np.zeros(len(hash_arrays) + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    flat = np.concatenate(hash_arrays) if len(hash_arrays) else np.empty(0, np.uint64)
    total = len(flat) - size + 1
    if total <= 0 or not offsets[-1]:
        return np.empty(0, np.uint64), offsets
    with np.errstate(over="ignore"):
        acc = flat[:total].copy()
        for k in range(1, size):
            acc = _mix64(acc * _ROT + flat[k : k + total])
    # Keep the runs that start and end inside one article: its first counts[k] positions.
    word_starts = np.cumsum(lengths) - lengths
    at = np.arange(offsets[-1]) + np.repeat(word_starts - offsets[:-1], counts)
    return acc[at], offsets


def _flat(arrays: Sequence[np.ndarray]) -> np.ndarray:
    return np.concatenate(arrays) if len(arrays) else np.empty(0, np.uint64)


def batch_token_shingles(tokens: Sequence[Tokens]) -> tuple[np.ndarray, np.ndarray]:
    """``batch_shingle_hashes`` of each one's words: the batch's words hashed at once."""
    hashes = word_hashes([w for t in tokens for w in t.words])
    ends = np.cumsum(np.fromiter(map(len, tokens), np.int64, len(tokens)))
    if core is not None:
        return core.batch_shingles(hashes, ends, SHINGLE_SIZE)  # type: ignore[no-any-return]
    return batch_shingle_hashes(np.split(hashes, ends[:-1]) if len(tokens) else [])


@dataclass
class Features:
    """What matching needs to know about one article."""

    tokens: Tokens  # content tokens only, offsets into Article.text
    quoted: np.ndarray  # bool per token: inside quotation marks
    shingles: np.ndarray  # uint64 per shingle start (len(tokens) - SHINGLE_SIZE + 1)
    figures: np.ndarray  # sorted distinct uint64 hashes of the numbers written in the content

    @property
    def size(self) -> int:
        return len(self.tokens)


def featurize(article: Article, labelled: list[LabelledBlock]) -> Features:
    """Content tokens (all non-boilerplate blocks, in order) and their shingles."""
    content = [(b.start, b.end) for b in labelled if b.kind == CONTENT]
    tokens = content_tokens(article.text, content)
    return Features(tokens, quoted_mask(article.text, tokens),
                    shingle_hashes(word_hashes(tokens.words)), figure_hashes(article.text, tokens))


def featurize_many(articles: Sequence[Article], labelled: Sequence[list[LabelledBlock]],
                   every: Sequence[Tokens] | None = None
                   ) -> tuple[list[Features], np.ndarray, np.ndarray]:
    """``featurize`` of each article, and all their shingles as one array with each
    article's offsets into it (``batch_shingle_hashes``); each ``Features.shingles`` is
    its slice of that array. ``every``: each article's ``tokenize``, if already made."""
    every = every if every is not None else [None] * len(articles)  # type: ignore[list-item]
    tokens = [content_tokens(a.text, [(b.start, b.end) for b in blocks if b.kind == CONTENT],
                             everything)
              for a, blocks, everything in zip(articles, labelled, every, strict=True)]
    shingles, offsets = batch_token_shingles(tokens)
    features = [
        Features(t, quoted_mask(a.text, t), shingles[offsets[k] : offsets[k + 1]],
                 figure_hashes(a.text, t))
        for k, (a, t) in enumerate(zip(articles, tokens, strict=True))
    ]
    return features, shingles, offsets


_DIGIT = re.compile(r"\d")
_FIGURE_GLUE = frozenset(".,/-")


def figure_hashes(text: str, tokens: Tokens) -> np.ndarray:
    """Sorted distinct hashes of the figures in ``tokens``: the facts a copy keeps and a
    templated report (a daily market report, an earnings table) changes.

    The tokenizer splits "9-7/8", "1.143" and "7,500" at their punctuation, and the
    pieces ("7", "8", "1") are in any two reports; so digit tokens joined by one of
    ``.,/-`` are put back together into the figure as written.
    """
    words = tokens.words
    if core is not None and tokens.starts.dtype == np.int32:
        figures = core.figures(text, words, np.ascontiguousarray(tokens.starts),
                               np.ascontiguousarray(tokens.ends))
        return np.unique(word_hashes(figures)) if figures else np.empty(0, np.uint64)
    # Most words are letters only: isalpha() rules them out faster than the regex.
    digits = {w for w in set(words) if not w.isalpha() and _DIGIT.search(w)}
    if not digits:
        return np.empty(0, np.uint64)
    at = np.flatnonzero(np.fromiter(map(digits.__contains__, words), bool, len(words)))
    starts, ends = tokens.starts[at], tokens.ends[at]
    follows = np.zeros(len(at), bool)  # right after the previous digit token, one char apart
    follows[1:] = (at[1:] == at[:-1] + 1) & (starts[1:] == ends[:-1] + 1)
    figures: list[str] = []
    for k, i in enumerate(at.tolist()):
        glue = text[int(starts[k]) - 1] if follows[k] else ""
        if glue in _FIGURE_GLUE:
            figures[-1] += glue + words[i]
        else:
            figures.append(words[i])
    return np.unique(word_hashes(figures))


def content_tokens(text: str, content: list[tuple[int, int]],
                   everything: Tokens | None = None) -> Tokens:
    """The tokens of ``text`` that lie in the ``content`` spans (sorted, disjoint);
    ``everything`` is ``tokenize(text)`` if the caller has it.

    One tokenizer pass over the whole text, then a selection by offset: blocks end at line
    breaks, so no token straddles two of them, and one pass costs less than one per block.
    """
    if not content:
        return Tokens([], np.empty(0, np.int32), np.empty(0, np.int32))
    everything = tokenize(text) if everything is None else everything
    bounds = np.asarray(content, dtype=np.int64)
    if core is not None and everything.starts.dtype == np.int32:
        at = core.inside_spans(np.ascontiguousarray(everything.starts),
                               np.ascontiguousarray(everything.ends), bounds)
        if at is None:
            return everything
        return Tokens(core.take(everything.words, at), everything.starts[at],
                      everything.ends[at])
    block = np.searchsorted(bounds[:, 0], everything.starts, side="right") - 1
    inside = block >= 0
    inside[inside] = everything.ends[inside] <= bounds[block[inside], 1]
    if inside.all():
        return everything
    keep = np.flatnonzero(inside)
    words = everything.words
    # A slice of positions at a time: as a list of Python ints, 36 bytes each at once.
    kept = [words[i] for lo in range(0, len(keep), 1 << 16)
            for i in keep[lo : lo + (1 << 16)].tolist()]
    return Tokens(kept, everything.starts[keep], everything.ends[keep])


_MASK32 = np.uint64(0xFFFFFFFF)
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))


def _fmix32(values: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2 = _FMIX32
    values = values ^ (values >> s1)
    values = values * m1
    values = values ^ (values >> s2)
    values = values * m2
    return values ^ (values >> s1)


def _hash32(shingles: np.ndarray) -> np.ndarray:
    """The 32-bit value each permutation maps: the shingle's low half, mixed."""
    return _fmix32((shingles & _MASK32).astype(np.uint32))


PERMUTED_STEP = 1 << 15  # shingles permuted at a time (16 MB for 128 permutations)


def affine32_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) uint32 arrays: h -> a * h + b mod 2**32, drawn as datasketch 2's
    ``MinHash(scheme="affine32")`` draws them (odd ``a``: a bijection). Drawn here so the
    signatures do not depend on datasketch's default scheme (1.x drew other permutations)
    nor import it; tests/test_signatures.py ties the two."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


class MinHasher:
    """Vectorized MinHash with datasketch's affine32 permutations."""

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        self.num_perm = num_perm
        self.seed = seed
        self._a, self._b = affine32_permutations(num_perm, seed)

    def permuted(self, shingles: np.ndarray) -> np.ndarray:
        """(n_shingles, num_perm) matrix of permuted 32-bit hashes."""
        hv = _hash32(shingles)
        with np.errstate(over="ignore"):
            return hv[:, None] * self._a[None, :] + self._b[None, :]

    def permuted_by_row(self, shingles: np.ndarray) -> np.ndarray:
        """``permuted`` transposed, (num_perm, n_shingles): minima over runs of shingles
        are then taken along rows, which numpy's reduceat does ten times faster."""
        hv = _hash32(shingles)
        with np.errstate(over="ignore"):
            return self._a[:, None] * hv[None, :] + self._b[:, None]

    def signature(self, shingles: np.ndarray) -> np.ndarray:
        if core is not None:
            return self.batch_signatures(shingles, np.array([0, len(shingles)], np.int64))[0]
        out = np.full(self.num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
        # A slice at a time: permuted, a shingle takes num_perm * 4 bytes (half a kB), and
        # one long article's at once were gigabytes.
        for lo in range(0, len(shingles), PERMUTED_STEP):
            np.minimum(out, self.permuted(shingles[lo : lo + PERMUTED_STEP]).min(axis=0),
                       out=out)
        return out

    def _block_minima(self, shingles: np.ndarray, block_starts: np.ndarray) -> np.ndarray:
        """(blocks, num_perm) minima of the permuted shingles of each block, a block
        running from its start to the next one's (the last to the end of ``shingles``):
        ``np.minimum.reduceat`` of ``permuted_by_row``, a slice of blocks at a time."""
        out = np.empty((len(block_starts), self.num_perm), np.uint32)
        ends = np.append(block_starts[1:], len(shingles))
        b = 0
        while b < len(block_starts):
            lo = int(block_starts[b])
            # Whole blocks up to about PERMUTED_STEP shingles (at least one block).
            e = max(b + 1, int(np.searchsorted(ends, lo + PERMUTED_STEP, "right")))
            hi = int(ends[e - 1])
            out[b:e] = np.minimum.reduceat(self.permuted_by_row(shingles[lo:hi]),
                                           block_starts[b:e] - lo, axis=1).T
            b = e
        return out

    def passage_signatures(
        self, shingles: np.ndarray, window: int, stride: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Signatures of overlapping windows of ``window`` shingles every ``stride``.

        Returns (window start positions, (n_windows, num_perm) signatures). Windows are
        built from per-stride block minima so each shingle is permuted once.
        """
        n = len(shingles)
        if core is not None:
            sigs, rows = self.batch_passage_signatures(
                shingles, np.array([0, n], np.int64), window, stride)
            return np.arange(int(rows[0]), dtype=np.int64) * stride, sigs
        if n == 0:
            return np.empty(0, np.int64), np.empty((0, self.num_perm), np.uint32)
        if n <= window:
            return np.zeros(1, np.int64), self.signature(shingles)[None, :]
        block_starts = np.arange(0, n, stride)
        block_mins = self._block_minima(shingles, block_starts)
        per_window = max(1, window // stride)
        count = max(1, len(block_starts) - per_window + 1)
        sigs = block_mins[:count].copy()
        for k in range(1, per_window):
            np.minimum(sigs, block_mins[k : k + count], out=sigs)
        return block_starts[:count], sigs

    def batch_signatures(self, shingles: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """``signature`` of each ``shingles[offsets[k]:offsets[k + 1]]``, as rows."""
        if core is not None:
            return core.batch_signatures(  # type: ignore[no-any-return]
                np.ascontiguousarray(shingles, np.uint64),
                np.ascontiguousarray(offsets, np.int64), self._a, self._b)
        counts = np.diff(offsets)
        out = np.full((len(counts), self.num_perm), np.iinfo(np.uint32).max, np.uint32)
        filled = counts > 0
        if not filled.any():
            return out
        # Empty articles are left out of the segments: each one then runs to the next.
        # A long article is cut into slices (``_block_minima``), their minima joined.
        starts = offsets[:-1][filled]
        cuts = [starts]
        for k in np.flatnonzero(counts > PERMUTED_STEP).tolist():
            cuts.append(np.arange(offsets[k] + PERMUTED_STEP, offsets[k + 1], PERMUTED_STEP))
        pieces = np.unique(np.concatenate(cuts)) if len(cuts) > 1 else starts
        minima = self._block_minima(shingles[starts[0] : offsets[-1]], pieces - starts[0])
        article = np.searchsorted(offsets[:-1], pieces, side="right") - 1
        if len(pieces) == len(starts):
            out[filled] = minima
        else:
            np.minimum.at(out, article, minima)
        return out

    def batch_passage_signatures(self, shingles: np.ndarray, offsets: np.ndarray,
                                 window: int, stride: int) -> tuple[np.ndarray, np.ndarray]:
        """``passage_signatures`` of each ``shingles[offsets[k]:offsets[k + 1]]``: all
        their rows, and how many rows each has (0 for an article without shingles)."""
        if core is not None:
            return core.batch_passage_signatures(  # type: ignore[no-any-return]
                np.ascontiguousarray(shingles, np.uint64),
                np.ascontiguousarray(offsets, np.int64), self._a, self._b, window, stride)
        counts = np.diff(offsets)
        filled = np.flatnonzero(counts > 0)
        per_window = max(1, window // stride)
        blocks = -(-counts // stride)  # per-stride blocks of each article
        # An article up to a window long has one row over all its blocks.
        rows = np.where(counts <= window, np.minimum(counts, 1),
                        np.maximum(1, blocks - per_window + 1))
        if not len(filled):
            return np.empty((0, self.num_perm), np.uint32), rows
        block_starts = np.concatenate([offsets[k] + np.arange(0, counts[k], stride)
                                       for k in filled.tolist()])
        block_mins = self._block_minima(shingles[block_starts[0] : offsets[-1]],
                                        block_starts - block_starts[0])
        first_block = np.cumsum(blocks) - blocks
        row_article = np.repeat(np.arange(len(counts)), rows)
        row_block = first_block[row_article] + (np.arange(int(rows.sum()))
                                                - np.repeat(np.cumsum(rows) - rows, rows))
        span = np.where(counts <= window, blocks, per_window)[row_article]
        sigs = block_mins[row_block].copy()
        for k in range(1, int(span.max())):
            more = np.flatnonzero(span > k)
            sigs[more] = np.minimum(sigs[more], block_mins[row_block[more] + k])
        return sigs, rows

    def lean(self, signature: np.ndarray) -> LeanMinHash:
        """A datasketch LeanMinHash holding ``signature`` (no permutations regenerated)."""
        from datasketch import LeanMinHash

        return LeanMinHash(seed=self.seed, hashvalues=signature, scheme="affine32")
