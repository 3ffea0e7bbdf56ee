"""What the signature stage keeps of each article, packed for memory.

Past ``pipeline.KEEP_PREPARED_UP_TO`` articles the signature stage keeps of every article
only what matching needs: a ``DigestBatch`` per batch of articles (words, distinct
shingles, band hashes, figures), each field one array for the whole batch. Up to it, a
batch also keeps the labelled blocks and features alignment needs (``KeptBatch``). The
words are turned into 4-byte ids as they arrive (``Terms``), and the band hashes are let
go batch by batch as candidates are found (``take_stacked``).

``pack`` makes a batch and ``unpack_prepared`` gives an article back; the test that ties
them is tests/test_pipeline.py's
``test_features_kept_from_the_signature_stage_or_made_again_give_the_same_report``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._accel import core
from .boilerplate import BOILERPLATE, CONTENT, HEADLINE, LabelledBlock
from .candidates import BandRows
from .normalize import Tokens, join_words, joined_words
from .signatures import Features
from .verify import quoted_shingles

__all__ = [
    "NO_IDS",
    "NO_WORDS",
    "DigestBatch",
    "KeptBatch",
    "Terms",
    "cut",
    "flat",
    "pack",
    "take_distinct",
    "take_stacked",
    "unpack_prepared",
]

_KINDS = (CONTENT, BOILERPLATE, HEADLINE)  # LabelledBlock.kind as a byte


@dataclass
class DigestBatch:
    """What matching needs of a batch of consecutive articles past the signature stage.

    Each field is one array for the whole batch, cut per article by its ``*_ends``
    (cumulative counts, one per article): the parent unpickles what the workers send on its
    own, about 5 us an array, and nine arrays an article were 0.8 s of Reuters' 19k.
    """

    __slots__ = ("distinct", "distinct_ends", "doc_bands", "doc_owner", "exact", "figure_ends",
                 "figures", "kept", "passage_bands", "passage_counts", "quoted", "quoted_ends",
                 "word_ends", "word_ids", "words")
    # Content words, for TF-IDF: the batch's distinct words in order of first occurrence,
    # and each token as an index into them. The worker maps the words; the parent, which
    # does all of that alone, then maps a batch's distinct words, not every token.
    words: list[str]
    word_ids: np.ndarray  # uint32 per token
    word_ends: np.ndarray  # per article; its content tokens are its words
    figures: np.ndarray  # Features.figures of each
    figure_ends: np.ndarray
    distinct: np.ndarray  # sorted distinct shingles of each
    distinct_ends: np.ndarray
    quoted: np.ndarray  # verify.quoted_shingles of each
    quoted_ends: np.ndarray
    doc_bands: np.ndarray  # candidates.BandRows: a row per article with shingles
    doc_owner: np.ndarray  # the article of each row, within the batch
    passage_bands: np.ndarray
    passage_counts: np.ndarray  # passage rows of each article (BandRows.passage_counts)
    kept: KeptBatch | None  # labelled blocks and features, if kept
    exact: np.ndarray  # verify.text_key of each (uint64)

    def __len__(self) -> int:
        return len(self.word_ends)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Words as one string (see Tokens.__reduce__).
        joined = join_words(self.words)
        fields = tuple(getattr(self, name) for name in self.__slots__ if name != "words")
        if joined is None:
            return (_digest_batch, (None, self.words, fields))
        return (_digest_batch, (joined, len(self.words), fields))

    def article_words(self, k: int) -> list[str]:
        return list(map(self.words.__getitem__, cut(self.word_ids, self.word_ends, k).tolist()))


def _digest_batch(joined: str | None, words: Any, fields: tuple[Any, ...]) -> DigestBatch:
    batch = DigestBatch.__new__(DigestBatch)
    batch.words = words if joined is None else joined_words(joined, words)
    for name, value in zip([n for n in DigestBatch.__slots__ if n != "words"], fields,
                           strict=True):
        setattr(batch, name, value)
    return batch


@dataclass
class KeptBatch:
    """The rest of a batch's labelled blocks and features, as flat arrays like the
    batch's (the words are the batch's)."""

    starts: np.ndarray  # Tokens.starts of each article, cut by the batch's word_ends
    ends: np.ndarray
    quoted_mask: np.ndarray  # Features.quoted
    shingles: np.ndarray  # Features.shingles, in order
    shingle_ends: np.ndarray
    blocks: np.ndarray  # (n, 3) int64: start, end, kind (index into _KINDS)
    block_ends: np.ndarray


def cut(values: np.ndarray, ends: np.ndarray, k: int) -> np.ndarray:
    """Article ``k``'s part of a batch's flat array ``values``."""
    return values[ends[k - 1] if k else 0 : ends[k]]


def _ends(arrays: Sequence[Any]) -> np.ndarray:
    return np.cumsum(np.fromiter(map(len, arrays), np.int64, len(arrays)))


def flat(arrays: Sequence[np.ndarray], dtype: Any) -> np.ndarray:
    """``arrays`` concatenated, an empty array of ``dtype`` if there are none."""
    return np.concatenate(arrays) if len(arrays) else np.empty(0, dtype)


def pack(features: list[Features], labelled: list[list[LabelledBlock]], bands: BandRows,
         keep: bool, exact: np.ndarray) -> DigestBatch:
    """The digest of a batch's articles; with their blocks and features if ``keep``."""
    tokens = [w for f in features for w in f.tokens.words]
    index: dict[str, int] = {}  # distinct words in order of first occurrence
    word_ids = (core.word_ids(tokens, index) if core is not None else
                np.fromiter((index.setdefault(w, len(index)) for w in tokens), np.uint32,
                            len(tokens)))
    distinct = [_distinct(f.shingles) for f in features]
    # Without a quoted word there is no quoted shingle (a tenth of the stage's time else).
    quoted = [quoted_shingles(f) if f.quoted.any() else _NO_SHINGLES for f in features]
    figures = [f.figures for f in features]
    kept = None
    if keep:
        kept = KeptBatch(
            flat([f.tokens.starts for f in features], np.int32),
            flat([f.tokens.ends for f in features], np.int32),
            flat([f.quoted for f in features], bool),
            flat([f.shingles for f in features], np.uint64), _ends([f.shingles for f in features]),
            np.array([(b.start, b.end, _KINDS.index(b.kind)) for bs in labelled for b in bs],
                     np.int64).reshape(-1, 3),
            _ends(labelled))
    return DigestBatch(
        list(index), word_ids, _ends([f.tokens.words for f in features]),
        flat(figures, np.uint64), _ends(figures),
        flat(distinct, np.uint64), _ends(distinct),
        flat(quoted, np.uint64), _ends(quoted),
        bands.docs, bands.doc_owner, bands.passages, bands.passage_counts, kept, exact)


def unpack_prepared(batch: DigestBatch, k: int) -> tuple[list[LabelledBlock], Features]:
    """Article ``k`` of a batch with kept features: its labelled blocks and features."""
    kept = batch.kept
    assert kept is not None
    labelled = [LabelledBlock(start, end, _KINDS[kind])
                for start, end, kind in cut(kept.blocks, kept.block_ends, k).tolist()]
    tokens = Tokens(batch.article_words(k), cut(kept.starts, batch.word_ends, k),
                    cut(kept.ends, batch.word_ends, k))
    return labelled, Features(tokens, cut(kept.quoted_mask, batch.word_ends, k),
                              cut(kept.shingles, kept.shingle_ends, k),
                              cut(batch.figures, batch.figure_ends, k))


def _distinct(values: np.ndarray) -> np.ndarray:
    # np.unique without its checks and options: it runs once per article.
    ordered = np.sort(values)
    if not len(ordered):
        return ordered
    first = np.empty(len(ordered), bool)  # np.r_ took longer than the sort
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def take_stacked(batches: list[DigestBatch], name: str) -> np.ndarray:
    """Every batch's array ``name`` stacked into one, in batch order; each batch's array
    is replaced by an empty one as it is copied, so nothing is held twice."""
    parts = [getattr(b, name) for b in batches]
    filled = [p for p in parts if len(p)]
    tail, dtype = (filled[0].shape[1:], filled[0].dtype) if filled else ((), np.uint64)
    del filled
    out = np.empty((sum(map(len, parts)), *tail), dtype)
    del parts
    at = 0
    for batch in batches:
        part = getattr(batch, name)
        if len(part):
            out[at : at + len(part)] = part
            at += len(part)
        setattr(batch, name, np.empty((0, *part.shape[1:]), part.dtype))
    return out


def take_distinct(batches: list[DigestBatch]) -> tuple[np.ndarray, np.ndarray]:
    """Every article's distinct shingles in one array, and how many each has."""
    lengths = flat([np.diff(b.distinct_ends, prepend=0) for b in batches], np.int64)
    return take_stacked(batches, "distinct"), lengths


_NO_SHINGLES = np.empty(0, np.uint64)
NO_WORDS: list[str] = []  # shared by every digest whose words were taken (never changed)
NO_IDS = np.empty(0, np.uint32)


class Terms:
    """Every article's content words, as 4-byte ids into one table of the corpus's words:
    a list of words costs 8 bytes a word (a pointer), 1.1 GB at the 1M scale-up."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._words: list[str] = []
        self._documents: list[np.ndarray] = []

    def take_batch(self, words: list[str], word_ids: np.ndarray, word_ends: np.ndarray
                   ) -> None:
        """Add the articles of a batch as the next documents, given as the batch's distinct
        words in order of first occurrence, each token's index into them and each
        article's end (``DigestBatch``). New words get the next ids in that order: the
        corpus's words numbered by first occurrence, document by document."""
        new = [w for w in words if w not in self._ids]
        self._ids.update(zip(new, range(len(self._words), len(self._words) + len(new)),
                             strict=True))
        self._words.extend(new)
        ids = np.fromiter(map(self._ids.__getitem__, words), np.uint32, len(words))[word_ids]
        self._documents.extend(np.split(ids, word_ends[:-1]) if len(word_ends) else [])

    def __len__(self) -> int:
        return len(self._documents)

    @property
    def documents(self) -> list[np.ndarray]:
        """Each document's words as ids: the corpus's words numbered in order of first
        occurrence, as scikit-learn numbers them while it counts (``tfidf_from_ids``)."""
        return self._documents

    @property
    def words(self) -> list[str]:
        """The word of each id."""
        return self._words
