"""Candidate generation finds what datasketch's MinHashLSH finds, and copies of passages."""

from __future__ import annotations

import numpy as np
from datasketch import MinHashLSH

from dedup.candidates import (
    CandidateSettings,
    CandidateStats,
    article_bands,
    batch_article_bands,
    hashers,
    lsh_pairs,
    lsh_shape,
)


def _shingle_sets(rng: np.random.Generator) -> list[np.ndarray]:
    """Documents sharing a base set in varying degrees: Jaccard from near 0 to near 1."""
    base = rng.integers(0, 2**63, size=400, dtype=np.uint64)
    docs = []
    for keep in np.linspace(0.05, 1.0, 40):
        kept = base[: int(keep * len(base))]
        own = rng.integers(0, 2**63, size=len(base) - len(kept), dtype=np.uint64)
        docs.append(np.concatenate([kept, own]))
    return docs


def test_banded_pairs_equal_datasketch_minhashlsh_query_results() -> None:
    docs = _shingle_sets(np.random.default_rng(7))
    settings = CandidateSettings()
    doc_hasher, _ = hashers(settings)
    signatures = np.stack([doc_hasher.signature(d) for d in docs])

    lsh = MinHashLSH(threshold=settings.doc_threshold, num_perm=settings.doc_perm)
    for i, sig in enumerate(signatures):
        lsh.insert(i, doc_hasher.lean(sig))
    expected = {
        (min(i, j), max(i, j))
        for i, sig in enumerate(signatures)
        for j in lsh.query(doc_hasher.lean(sig))
        if i != j
    }

    found: set[tuple[int, int]] = set()
    shape = lsh_shape(settings.doc_threshold, settings.doc_perm)
    assert shape == (lsh.b, lsh.r)
    lsh_pairs(signatures, np.arange(len(docs)), shape, 10_000, found, CandidateStats())
    assert expected  # the corpus has near-duplicates: the comparison is not vacuous
    assert found == expected


def test_oversized_buckets_are_skipped_and_counted() -> None:
    signatures = np.zeros((5, 128), dtype=np.uint32)  # five identical signatures
    stats = CandidateStats()
    found: set[tuple[int, int]] = set()
    lsh_pairs(signatures, np.arange(5), lsh_shape(0.5, 128), 4, found, stats)
    assert found == set()
    assert stats.skipped_buckets > 0


def test_batched_banding_finds_the_same_pairs_as_one_batch(monkeypatch) -> None:
    """Signatures are banded a slice at a time (memory stays bounded on a large corpus)
    and each article apart (in the worker that computed them): neither must change a
    single band hash or candidate pair."""
    import dedup.candidates as candidates
    from dedup.candidates import article_bands, band_hashes, find_candidates
    from dedup.normalize import Tokens
    from dedup.signatures import Features

    docs = _shingle_sets(np.random.default_rng(11))
    features = [Features(Tokens([], np.empty(0, np.int32), np.empty(0, np.int32)),
                         np.zeros(0, bool), d, np.empty(0, np.uint64)) for d in docs]
    signatures = np.stack([hashers(CandidateSettings())[0].signature(d) for d in docs])
    whole = band_hashes(signatures, *lsh_shape(0.5, 128))
    whole_pairs, whole_stats = find_candidates(features)
    monkeypatch.setattr(candidates, "BAND_ROWS_PER_STEP", 3)
    assert np.array_equal(band_hashes(signatures, *lsh_shape(0.5, 128)), whole)
    apart = [article_bands(d, CandidateSettings(), *hashers(CandidateSettings())) for d in docs]
    assert np.array_equal(np.concatenate([doc for doc, _ in apart]), whole)
    pairs, stats = find_candidates(features)
    assert whole_pairs and pairs == whole_pairs and stats == whole_stats


def test_batch_article_bands_equal_each_articles_own() -> None:
    rng = np.random.default_rng(11)
    docs = [*_shingle_sets(rng), np.empty(0, np.uint64), rng.integers(0, 2**63, 3, np.uint64)]
    offsets = np.r_[0, np.cumsum([len(d) for d in docs])]
    settings = CandidateSettings()
    batch = batch_article_bands(np.concatenate(docs), offsets, settings, *hashers(settings))
    own = [article_bands(shingles, settings, *hashers(settings)) for shingles in docs]
    assert batch.doc_owner.tolist() == [k for k, d in enumerate(docs) if len(d)]
    assert np.array_equal(batch.docs, np.concatenate([d for d, _ in own if len(d)]))
    assert batch.passage_counts.tolist() == [len(p) for _, p in own]
    assert np.array_equal(batch.passages, np.concatenate([p for _, p in own if len(p)]))
    assert batch.passage_owner.tolist() == [k for k, (_, p) in enumerate(own) for _ in p]


def test_candidates_report_progress_once_per_band_of_either_kind() -> None:
    """The candidates progress bar counts bands: both LSHs' bands, each once, and the pairs
    are the same with or without the callback."""
    from dedup.candidates import band_count, candidates_from_rows

    docs = _shingle_sets(np.random.default_rng(5))
    offsets = np.r_[0, np.cumsum([len(d) for d in docs])]
    settings = CandidateSettings()
    bands = batch_article_bands(np.concatenate(docs), offsets, settings, *hashers(settings))
    kinds = [(bands.docs, bands.doc_owner), (bands.passages, bands.passage_owner)]
    assert len(bands.docs) and len(bands.passages)
    steps: list[None] = []
    pairs, _ = candidates_from_rows(kinds, len(docs), settings, lambda: steps.append(None))
    assert len(steps) == band_count(settings) == bands.docs.shape[1] + bands.passages.shape[1]
    assert np.array_equal(pairs, candidates_from_rows(kinds, len(docs), settings)[0])


def test_known_shapes_are_datasketchs_and_spare_its_import() -> None:
    # The default settings' (bands, rows) are written down so that 'dedup check' need not
    # import datasketch (and SciPy) to find them; each must be datasketch's own optimum.
    from dedup.candidates import KNOWN_SHAPES

    defaults = CandidateSettings()
    assert (defaults.doc_threshold, defaults.doc_perm) in KNOWN_SHAPES
    assert (defaults.passage_threshold, defaults.passage_perm) in KNOWN_SHAPES
    for (threshold, num_perm), shape in KNOWN_SHAPES.items():
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        assert shape == (lsh.b, lsh.r)
    lsh = MinHashLSH(threshold=0.7, num_perm=96)  # any other setting asks datasketch
    assert lsh_shape(0.7, 96) == (lsh.b, lsh.r)
