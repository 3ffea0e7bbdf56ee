"""Vectorized MinHash equals datasketch's, so its LSH can hold our signatures."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash

from dedup.signatures import MinHasher, shingle_hashes, word_hashes


def test_signature_matches_datasketch_minhash() -> None:
    shingles = shingle_hashes(word_hashes("the quick brown fox jumps over the lazy dog".split()))
    reference = MinHash(num_perm=64, seed=7, hashfunc=lambda v: int(v) & 0xFFFFFFFF)
    reference.update_batch([int(v) for v in shingles])
    assert np.array_equal(MinHasher(64, 7).signature(shingles), reference.hashvalues)


def test_shingles_depend_on_word_order() -> None:
    a = shingle_hashes(word_hashes("a b c d e".split()))
    b = shingle_hashes(word_hashes("e d c b a".split()))
    assert len(a) == 1 and a[0] != b[0]


def test_passage_signatures_equal_signatures_of_their_windows() -> None:
    words = [f"w{i}" for i in range(130)]
    shingles = shingle_hashes(word_hashes(words))
    hasher = MinHasher(32, 3)
    starts, sigs = hasher.passage_signatures(shingles, window=40, stride=20)
    assert list(starts) == [0, 20, 40, 60, 80, 100]
    for start, sig in zip(starts, sigs, strict=True):
        assert np.array_equal(sig, hasher.signature(shingles[start : start + 40]))
