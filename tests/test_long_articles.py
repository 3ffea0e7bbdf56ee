"""Cost that grows with an article's length, not with its square (issue 19, item 1).

Work and memory are measured here as counts and allocation peaks, which do not depend on
the machine; the wall time of long articles is in benchmarks/long_bench.py."""

from __future__ import annotations

import random
import tracemalloc
from typing import Any

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from dedup import signatures
from dedup.load import Article
from dedup.pipeline import Settings, analyze

_COMMON = "the of and to in said on for with was that by at from as its".split()


def invented_sentences(count: int, seed: int = 1) -> list[str]:
    """``count`` distinct sentences of invented words among common English ones (every
    pair of them shares a common word, as sentences of real text do). The invented words
    are drawn from a vocabulary that grows with the text, as a long article made of many
    stories brings the names and terms of each."""
    rng = random.Random(seed)
    sentences = []
    for k in range(count):
        words = [f"w{rng.randrange(10 * count)}" for _ in range(rng.randint(8, 14))]
        words += rng.sample(_COMMON, 5)
        rng.shuffle(words)
        sentences.append(f"Item {k} " + " ".join(words) + ".")
    return sentences


def long_pair(sentences: int) -> list[Article]:
    """A long source (a paragraph of three sentences at a time) and an excerpt: a fifth of
    it verbatim, with one sentence in ten of the rest reworded into the excerpt."""
    text = invented_sentences(sentences)
    paragraphs = [" ".join(text[k : k + 3]) for k in range(0, len(text), 3)]
    lo, hi = len(paragraphs) * 2 // 5, len(paragraphs) * 3 // 5
    reworded = [" ".join(reversed(s.rstrip(".").split())) + "." for s in text[::10]]
    excerpt = paragraphs[lo:hi] + [" ".join(reworded[k : k + 3])
                                   for k in range(0, len(reworded), 3)]
    return [Article("source", "\n\n".join(paragraphs), None, "a", "2020-01-01"),
            Article("excerpt", "\n\n".join(excerpt), None, "b", "2020-01-02")]


def _products(monkeypatch: pytest.MonkeyPatch, articles: list[Article]) -> int:
    """Entries of every sparse product the analysis computes: the pairs it compared."""
    entries = 0
    product = csr_matrix.__matmul__

    def counted(self: csr_matrix, other: Any) -> Any:
        nonlocal entries
        result = product(self, other)
        entries += result.nnz if hasattr(result, "nnz") else np.size(result)
        return result

    with monkeypatch.context() as patch:
        patch.setattr(csr_matrix, "__matmul__", counted)
        analysis = analyze(articles, Settings(jobs=1))
    assert len(analysis.clusters) == 1  # the excerpt was found, and aligned
    return entries


def test_sentence_pairs_compared_grow_linearly_with_article_length(
        monkeypatch: pytest.MonkeyPatch) -> None:
    short = _products(monkeypatch, long_pair(600))
    long = _products(monkeypatch, long_pair(2400))
    # Four times the sentences: about four times the pairs (every pair: sixteen).
    assert long <= 8 * short


def _peak(articles: list[Article]) -> int:
    tracemalloc.start()
    try:
        analyze(articles, Settings(jobs=1))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_of_one_long_article_grows_with_its_length_not_with_its_shingles_permuted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # About 50,000 words. Permuted for MinHash all at once, its shingles took 128
    # permutations of 4 bytes each, 26 MB (the 50 MB article: 6.5 GB), about 200
    # bytes a character at the peak; a slice at a time, the rest is about 50.
    monkeypatch.setattr(signatures, "PERMUTED_STEP", 1024)
    sentences = invented_sentences(3000, seed=2)
    text = "\n\n".join(" ".join(sentences[k : k + 3]) for k in range(0, 3000, 3))
    peak = _peak([Article("long", text, None, "a", "2020-01-01")])
    assert peak < 100 * len(text)
