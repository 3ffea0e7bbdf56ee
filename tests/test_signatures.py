"""Vectorized MinHash equals datasketch's, so its LSH can hold our signatures."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash

from dedup.signatures import MinHasher, batch_shingle_hashes, shingle_hashes, word_hashes


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


def _word_lists() -> list[list[str]]:
    # Lengths around every edge: no shingle, one, a window, a stride past it, long.
    lengths = [0, 3, 4, 5, 6, 24, 25, 44, 45, 46, 64, 65, 66, 130, 0, 1, 301]
    return [[f"w{(7 * i + k * k) % 97}" for i in range(n)] for k, n in enumerate(lengths)]


def test_batch_shingles_equal_each_articles_own() -> None:
    arrays = [word_hashes(words) for words in _word_lists()]
    flat, offsets = batch_shingle_hashes(arrays)
    assert len(offsets) == len(arrays) + 1
    for k, hashes in enumerate(arrays):
        assert np.array_equal(flat[offsets[k] : offsets[k + 1]], shingle_hashes(hashes))
    empty, none = batch_shingle_hashes([])
    assert len(empty) == 0 and list(none) == [0]


@pytest.mark.parametrize(("window", "stride"), [(40, 20), (50, 20), (30, 7), (20, 20)])
def test_batch_signatures_equal_each_articles_own(window: int, stride: int) -> None:
    flat, offsets = batch_shingle_hashes([word_hashes(w) for w in _word_lists()])
    hasher = MinHasher(32, 5)
    docs = hasher.batch_signatures(flat, offsets)
    sigs, rows = hasher.batch_passage_signatures(flat, offsets, window, stride)
    assert len(sigs) == rows.sum()
    at = 0
    for k in range(len(offsets) - 1):
        shingles = flat[offsets[k] : offsets[k + 1]]
        assert np.array_equal(docs[k], hasher.signature(shingles))
        _, own = hasher.passage_signatures(shingles, window, stride)
        assert np.array_equal(sigs[at : at + rows[k]], own)
        at += rows[k]


@pytest.mark.parametrize(("num_perm", "seed"), [(128, 1), (64, 2), (1, 0), (256, 12345)])
def test_permutations_are_datasketchs_affine32(num_perm: int, seed: int) -> None:
    # Drawn without datasketch (and without depending on its default scheme), they must be
    # exactly the permutations datasketch's affine32 MinHash uses.
    from dedup.signatures import affine32_permutations

    a, b = affine32_permutations(num_perm, seed)
    reference = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    assert a.dtype == b.dtype == np.uint32 and np.all(a % 2 == 1)
    assert np.array_equal(a, reference[0]) and np.array_equal(b, reference[1])
