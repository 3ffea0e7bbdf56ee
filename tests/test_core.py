"""The compiled core (dedup/_core.pyx) computes exactly what the pure-Python reference does.

Each comparison runs the same public function twice: once with the modules' ``core`` set to
the compiled extension, once set to None (the reference). Where the extension is not built
the comparisons are skipped with the reason; under CI (CI=true) it must be built.
"""

from __future__ import annotations

import importlib
import os
import random
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

import dedup
from dedup import _accel, boilerplate, candidates, normalize, packing, pipeline, signatures
from dedup.boilerplate import classify_blocks
from dedup.candidates import CandidateSettings, band_hashes, hashers, lsh_shape
from dedup.load import Article
from dedup.normalize import TOKEN_RE, token_words, tokenize
from dedup.pipeline import Settings, analyze
from dedup.report import render_json
from dedup.signatures import featurize, shingle_hashes, word_hashes

ROOT = Path(__file__).resolve().parent.parent
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"
MODULES = (normalize, signatures, candidates, packing, boilerplate)


def _compiled() -> ModuleType | None:
    try:
        return importlib.import_module("dedup._core")
    except ImportError:
        return None


COMPILED = _compiled()
needs_core = pytest.mark.skipif(
    COMPILED is None,
    reason="dedup._core is not built (pip install . or python setup.py build_ext --inplace): "
           "no compiled result to compare with the reference")


def test_the_extension_is_built_in_ci() -> None:
    if os.environ.get("CI") != "true":
        pytest.skip("CI is not 'true': a machine without a compiler may run the reference")
    assert COMPILED is not None, "CI must build dedup._core (setup.py, Cython)"
    if not os.environ.get("DEDUP_PURE"):
        assert _accel.core is COMPILED


def test_forcing_the_reference_and_a_missing_extension_warn_as_documented(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DEDUP_PURE", "1")
    assert _accel._load() is None
    assert capsys.readouterr().err == ""  # asked for: no warning
    monkeypatch.delenv("DEDUP_PURE")
    monkeypatch.setitem(sys.modules, "dedup._core", None)  # import fails as if not built
    monkeypatch.delattr(dedup, "_core", raising=False)
    assert _accel._load() is None
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pure-Python" in err and "pip install" in err


def both(monkeypatch: pytest.MonkeyPatch, fn: Callable[[], Any]) -> tuple[Any, Any]:
    """``fn()`` with the compiled core, then with the reference."""
    for module in MODULES:
        monkeypatch.setattr(module, "core", COMPILED)
    compiled = fn()
    for module in MODULES:
        monkeypatch.setattr(module, "core", None)
    return compiled, fn()


def _same(a: Any, b: Any) -> None:
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape
        assert np.array_equal(a, b)
    elif isinstance(a, tuple | list) and any(isinstance(x, np.ndarray | tuple | list) for x in a):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _same(x, y)
    else:
        assert a == b


def _tokens_of(text: str) -> tuple[list[str], list[int], list[int], str, str]:
    t = tokenize(text)
    return t.words, t.starts.tolist(), t.ends.tolist(), str(t.starts.dtype), str(t.ends.dtype)


# Characters by how Python's re sees them, from all of Unicode (surrogates left out).
_ALL = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
_WORD = [c for c in _ALL if re.match(r"\w", c)]
_NOT_WORD = [c for c in _ALL if not re.match(r"\w", c)]
_DIGITS = [c for c in _WORD if re.match(r"\d", c)]
_ASTRAL = [c for c in _WORD if ord(c) > 0xFFFF]
_MARKS = [c for c in _NOT_WORD if 0x300 <= ord(c) < 0x370 or 0x1AB0 <= ord(c) < 0x1B00]
_SPECIAL = [*"'’ʼ`´._-/,\n \t\r\u00a0\u2028", "\u0301", "\u200d", "\ufeff"]


def _random_text(rng: random.Random) -> str:
    length = rng.choice([0, 1, 2, 3, 4, 5, 7, 20, 63, 64, 65, 200])
    pools = [_WORD, _NOT_WORD, _DIGITS, _ASTRAL, _MARKS, _SPECIAL, list("aZ09. '")]
    weights = [4, 1, 1, 1, 1, 3, 4]
    return "".join(rng.choice(rng.choices(pools, weights)[0]) for _ in range(length))


def _random_texts(count: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(count):
        yield _random_text(rng)


@needs_core
def test_every_code_point_is_a_word_character_as_re_sees_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # [^\W_]: one token per word character, none for the others.
    text = " ".join(_ALL)
    spans = COMPILED.token_spans(text, 0, len(text))
    assert spans.tolist() == [list(m.span()) for m in TOKEN_RE.finditer(text)]
    # [^\W\d_]: "x.x." is one dotted abbreviation only where x is a letter, not a digit.
    text = " ".join(c + "." + c + "." for c in _WORD)
    spans = COMPILED.token_spans(text, 0, len(text))
    assert spans.tolist() == [list(m.span()) for m in TOKEN_RE.finditer(text)]


@needs_core
def test_random_unicode_tokenizes_like_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = list(_random_texts(3000, seed=21))
    assert "" in texts
    for text in texts:
        assert COMPILED.token_spans(text, 0, len(text)).tolist() == [
            list(m.span()) for m in TOKEN_RE.finditer(text)], repr(text)
    compiled, reference = both(monkeypatch, lambda: [_tokens_of(t) for t in texts])
    assert compiled == reference
    compiled, reference = both(monkeypatch, lambda: [token_words(t) for t in texts])
    assert compiled == reference


@needs_core
def test_a_slice_of_text_keeps_whole_text_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Ｆｕｌｌ width U.S. café – “naïve” Straße don’t 9-7/8 𝐀𝐁𝐂 𝟏𝟐 e\u0301te"
    for start, end in [(0, len(text)), (3, 20), (5, 6), (10, 10), (0, 200), (18, len(text))]:
        compiled, reference = both(monkeypatch, lambda s=start, e=end: (
            lambda t: (t.words, t.starts.tolist(), t.ends.tolist()))(
                normalize._tokenize(text, s, min(e, len(text)))))
        assert compiled == reference


@needs_core
def test_hashes_and_signatures_match_the_reference_at_edge_lengths(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(21)
    settings = CandidateSettings()
    doc, passage = hashers(settings)
    lengths = [0, 1, 4, 5, 6, 19, 20, 21, 39, 40, 41, 44, 45, 59, 60, 61, 64, 100, 1000]
    for n in lengths:
        words = [f"w{int(x)}" for x in rng.integers(0, 50, n)]
        _same(*both(monkeypatch, lambda w=words: word_hashes(w)))
        hashes = rng.integers(0, 2**64, n, dtype=np.uint64)
        _same(*both(monkeypatch, lambda h=hashes: shingle_hashes(h)))
        _same(*both(monkeypatch, lambda h=hashes: doc.signature(h)))
        _same(*both(monkeypatch, lambda h=hashes: passage.passage_signatures(h, 40, 20)))
        _same(*both(monkeypatch, lambda h=hashes: passage.passage_signatures(h, 30, 7)))
    arrays = [rng.integers(0, 2**64, n, dtype=np.uint64) for n in lengths + lengths[::-1]]
    offsets = np.r_[0, np.cumsum([len(a) for a in arrays])].astype(np.int64)
    flat = np.concatenate(arrays)
    _same(*both(monkeypatch, lambda: signatures.batch_shingle_hashes(arrays)))
    _same(*both(monkeypatch, lambda: signatures.batch_shingle_hashes([])))
    tokens = [normalize.Tokens([f"w{int(x)}" for x in rng.integers(0, 30, n)],
                               np.zeros(n, np.int32), np.zeros(n, np.int32)) for n in lengths]
    _same(*both(monkeypatch, lambda: signatures.batch_token_shingles(tokens)))
    _same(*both(monkeypatch, lambda: signatures.batch_token_shingles([])))
    _same(*both(monkeypatch, lambda: doc.batch_signatures(flat, offsets)))
    _same(*both(monkeypatch, lambda: passage.batch_passage_signatures(flat, offsets, 40, 20)))
    _same(*both(monkeypatch, lambda: passage.batch_passage_signatures(flat, offsets, 30, 7)))
    sigs = doc.batch_signatures(flat, offsets)
    for shape in [lsh_shape(0.5, 128), lsh_shape(0.4, 64), (1, 1), (3, 7)]:
        _same(*both(monkeypatch, lambda s=shape: band_hashes(sigs, *s)))
        _same(*both(monkeypatch, lambda s=shape: band_hashes(sigs[:0], *s)))


@needs_core
def test_figures_match_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["Sales rose 9-7/8 to 1.143 billion, 7,500 more; 3 / 4 and 12-13 and ٣.٤ and 𝟏,𝟐",
             "no figures here", "", "1", "1.", ".1", "1..2 1.-2 2024-01-05 a1b2 x9.5"]
    texts += list(_random_texts(2000, seed=13))
    for text in texts:
        _same(*both(monkeypatch, lambda t=text: signatures.figure_hashes(t, tokenize(t))))


@needs_core
def test_the_chrome_prefilter_matches_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(8)
    pieces = [*boilerplate._CHROME_ANYWHERE, *boilerplate._CHROME_LINE_STARTS,
              *(p for pair in boilerplate._CHROME_PAIRS for p in pair),
              *boilerplate._CHROME_WITH_DIGIT, "4.5/5 - 12", " 3/", "Share", "SUBSCRIBE",
              "\n", "\n  ", " ", "7", "K", "\u212a", "é", "the wire said", "prices rose"]
    texts = ["", "\n", "The minister said prices rose.", "12/05", "  by "]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(4000)]
    texts += list(_random_texts(1000, seed=5))
    compiled, reference = both(monkeypatch, lambda: [boilerplate.may_be_chrome(t) for t in texts])
    assert compiled == reference
    assert 0.1 < sum(compiled) / len(compiled) < 0.99  # both answers are exercised
    prose = [f"{t} The minister said the rate rose by half a point on Thursday after {t}."
             for t in texts[:1500]]
    timestamps = [f"Updated 8:01 am - {t}" for t in texts[:500]]
    blocks = texts + prose + timestamps
    counts = [len(t.split()) for t in blocks]
    compiled, reference = both(monkeypatch, lambda: boilerplate._chrome_flags(blocks, counts))
    assert compiled == reference
    assert 0.1 < sum(compiled) / len(compiled) < 0.9


@needs_core
def test_quotations_match_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    pieces = ['"', "“", "”", "„", "«", "»", "‹", "›", "\n", "\n\n", "\n \n", "\n\t", "\n ",
              "\r\n", "\n\u2028\n", " ", "\u00a0", "word", "He said ", "x"]
    texts = ["", '"', "\n", '"open\n\nnext"', "“a” «b» ‹c› „d“ e\n  f"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(4000)]
    texts += list(_random_texts(500, seed=9))
    compiled, reference = both(monkeypatch, lambda: [normalize.quote_spans(t) for t in texts])
    assert compiled == reference
    assert sum(map(len, compiled)) > 1000
    compiled, reference = both(monkeypatch, lambda: [
        (normalize.mask_quotes(t), normalize.quoted_mask(t, tokenize(t)).tolist())
        for t in texts])
    assert compiled == reference


@needs_core
def test_block_rules_match_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(4)
    pieces = ["Jan", "monday", "UPDATED", "8:01", "am", "2022", "١٢", "²", "Ⅻ", "-", " ",
              "\n", "\u3000", "\u00a0", "\u2028", "read", "word", "said.", "x"]
    texts = ["", " ", "\u00a0", "8:01 am - Thursday August 18, 2022", "2 min read", "²"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 20))) for _ in range(4000)]
    texts += list(_random_texts(1000, seed=4))
    compiled, reference = both(monkeypatch, lambda: (
        [boilerplate._is_timestamp(t) for t in texts],
        [boilerplate._any_in(boilerplate._SENTENCE_CHROME_HINTS, t.lower()) for t in texts],
        [len(t.split()) for t in texts] if boilerplate.core is None
        else boilerplate.core.word_counts(texts)))
    assert compiled == reference
    assert sum(compiled[0]) > 50


@needs_core
def test_paragraphs_match_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(6)
    short = "the bank said on Tuesday"
    pieces = ["\n", "\n\n", "\r\n", "\r", "\n    ", "\t", " ", "\u2028", "\x0c", "\u00a0",
              short, short.upper(), "It rose.", "x" * 60, "y " * 30, "z" * 120, "é", "É",
              "ǅ", "”", "1."]
    texts = ["", "\n", "\n\n\n", "a", "a\nb\nc", "    a\nb\n\n c\n"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    texts += list(_random_texts(500, seed=6))
    compiled, reference = both(monkeypatch, lambda: [
        (normalize.is_hard_wrapped(t), normalize.blocks(t)) for t in texts])
    assert compiled == reference
    assert sum(w for w, _ in compiled) > 300 and sum(len(b) > 2 for _, b in compiled) > 300


@needs_core
def test_content_tokens_match_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    for text in _random_texts(1500, seed=7):
        cuts = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, rng.randint(0, 8))))
        spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
        _same(*both(monkeypatch, lambda t=text, c=spans: (
            lambda x: (x.words, x.starts, x.ends))(signatures.content_tokens(t, c))))


@needs_core
def test_take_keeps_the_items_at_the_positions() -> None:
    assert COMPILED.take(["a", "b", "c"], np.array([2, 0, 2], np.int64)) == ["c", "a", "c"]
    assert COMPILED.take([], np.empty(0, np.int64)) == []


@needs_core
def test_bad_offsets_are_refused_not_read_past() -> None:
    shingles = np.arange(10, dtype=np.uint64)
    a = b = np.ones(4, np.uint32)
    for offsets in ([0, 11], [-1, 3], [0, 5, 3], []):
        with pytest.raises(ValueError):
            COMPILED.batch_signatures(shingles, np.array(offsets, np.int64), a, b)
        with pytest.raises(ValueError):
            COMPILED.batch_passage_signatures(shingles, np.array(offsets, np.int64), a, b, 4, 2)
    with pytest.raises(ValueError):
        COMPILED.band_hashes(np.zeros((2, 4), np.uint32), 3, 2)
    with pytest.raises(TypeError):
        COMPILED.tokenize(None, 0, 0, {}, str)


@needs_core
def test_word_ids_number_words_by_first_occurrence() -> None:
    index: dict[str, int] = {"b": 0}
    assert COMPILED.word_ids(["a", "b", "a", "c"], index).tolist() == [1, 0, 1, 2]
    assert list(index) == ["b", "a", "c"]


def _features(articles: list[Article]) -> list[Any]:
    out = []
    for a in articles:
        f = featurize(a, classify_blocks(a.text, a.title, a.outlet))
        out.append((f.tokens.words, f.tokens.starts, f.tokens.ends, f.quoted, f.shingles,
                    f.figures))
    return out


def _digests(articles: list[Article]) -> list[Any]:
    """The pipeline's signature stage on ``articles``, as plain lists."""
    spans = [pipeline._paragraphs(articles, i)[0] for i in range(len(articles))]
    shared = pipeline._DigestInput(articles, spans, pipeline.RecurringBlocks(),
                                   CandidateSettings(), True)
    batch = pipeline._digests(shared, (0, len(articles)))
    assert batch.kept is not None
    return [batch.words, batch.word_ids, batch.word_ends, batch.figures, batch.distinct,
            batch.quoted, batch.doc_bands, batch.doc_owner, batch.passage_bands,
            batch.passage_counts, batch.exact, batch.kept.starts, batch.kept.ends,
            batch.kept.shingles, batch.kept.blocks, batch.kept.quoted_mask]


def _report(articles: list[Article]) -> str:
    return render_json(analyze(articles, Settings(jobs=1)))


def _check_corpus(monkeypatch: pytest.MonkeyPatch, articles: list[Article]) -> None:
    compiled, reference = both(monkeypatch, lambda: _report(articles))
    assert compiled == reference  # the whole report, alignment and related coverage too
    compiled, reference = both(monkeypatch, lambda: _features(articles))
    for c, r in zip(compiled, reference, strict=True):
        _same(list(c), list(r))
    compiled, reference = both(monkeypatch, lambda: _digests(articles))
    for c, r in zip(compiled, reference, strict=True):
        _same(c, r)


@needs_core
def test_the_seeds_digest_alike(monkeypatch: pytest.MonkeyPatch,
                                seed_articles: list[Article]) -> None:
    _check_corpus(monkeypatch, seed_articles)


@needs_core
@pytest.mark.skipif(not REUTERS.is_dir(), reason=f"Reuters-21578 not at {REUTERS}")
def test_a_reuters_slice_digests_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks.reuters import iter_reuters

    articles = [Article(r["id"], r["text"], r["title"], "Reuters", r["date"])
                for _, r in zip(range(1500), iter_reuters(REUTERS, max_files=2), strict=False)]
    assert len(articles) == 1500
    _check_corpus(monkeypatch, articles)
