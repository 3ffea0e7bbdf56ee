"""Stage 5: candidate pairs from MinHash LSH, over whole articles and over passages.

Whole-article LSH finds copies that kept most of the text. Copies that were trimmed to
two paragraphs, or buried under commentary and chrome, share too little of the whole to
collide, but one of their passages still collides with a passage of the original: so
overlapping windows of each article are indexed too. LSH buckets are read directly
(every pair that shares a bucket is a candidate) instead of querying article by
article, and oversized buckets, which only templated text produces, are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHashLSH

from .signatures import Features, MinHasher


@dataclass(frozen=True)
class CandidateSettings:
    doc_perm: int = 128
    doc_threshold: float = 0.5
    passage_perm: int = 64
    passage_threshold: float = 0.4
    passage_window: int = 40  # shingles per passage
    passage_stride: int = 20
    max_bucket: int = 200  # buckets larger than this hold templates, not copies
    seed: int = 1


@dataclass
class CandidateStats:
    documents: int = 0
    passages: int = 0
    pairs: int = 0
    skipped_buckets: int = 0


def _bucket_pairs(lsh: MinHashLSH, owner: Sequence[int], max_bucket: int,
                  pairs: set[tuple[int, int]], stats: CandidateStats) -> None:
    """Add every pair of distinct documents that share an LSH bucket."""
    for table in lsh.hashtables:
        for band_key in table.keys():  # noqa: SIM118 (a datasketch storage, not a dict)
            members = table.get(band_key)
            if len(members) < 2:
                continue
            docs = sorted({owner[m] for m in members})
            if len(docs) < 2:
                continue
            if len(docs) > max_bucket:
                stats.skipped_buckets += 1
                continue
            for i, a in enumerate(docs):
                for b in docs[i + 1 :]:
                    pairs.add((a, b))


def find_candidates(
    features: Sequence[Features],
    settings: CandidateSettings = CandidateSettings(),
    progress: Iterable[int] | None = None,
) -> tuple[list[tuple[int, int]], CandidateStats]:
    """Sorted candidate pairs ``(i, j)``, ``i < j``, as indices into ``features``."""
    stats = CandidateStats(documents=len(features))
    doc_hasher = MinHasher(settings.doc_perm, settings.seed)
    passage_hasher = MinHasher(settings.passage_perm, settings.seed + 1)
    doc_lsh = MinHashLSH(threshold=settings.doc_threshold, num_perm=settings.doc_perm)
    passage_lsh = MinHashLSH(threshold=settings.passage_threshold, num_perm=settings.passage_perm)
    passage_owner: list[int] = []
    order = progress if progress is not None else range(len(features))
    for i in order:
        shingles = np.unique(features[i].shingles)
        if not len(shingles):
            continue
        doc_lsh.insert(i, doc_hasher.lean(doc_hasher.signature(shingles)), check_duplication=False)
        _, sigs = passage_hasher.passage_signatures(
            features[i].shingles, settings.passage_window, settings.passage_stride
        )
        for sig in sigs:
            passage_lsh.insert(len(passage_owner), passage_hasher.lean(sig),
                               check_duplication=False)
            passage_owner.append(i)
    stats.passages = len(passage_owner)
    pairs: set[tuple[int, int]] = set()
    _bucket_pairs(doc_lsh, range(len(features)), settings.max_bucket, pairs, stats)
    _bucket_pairs(passage_lsh, passage_owner, settings.max_bucket, pairs, stats)
    stats.pairs = len(pairs)
    return sorted(pairs), stats
