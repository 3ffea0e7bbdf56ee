"""The signature stage alone, on one core, against what its hashing arithmetic allows.

``python -m benchmarks.signature_bench ARTICLES.jsonl OUT.json`` times, in this process and
on one core, each step that turns article text into MinHash signatures:

- tokenize: the normalizing tokenizer over every text (offsets kept);
- shingle hashes: xxh3 word hashes and the rolling 5-gram shingle hash;
- MinHash: the whole-article signature (128 permutations) and the passage signatures
  (64 permutations, windows of 40 shingles every 20), an article at a time and, as the
  pipeline does it, 64 articles at a time (``batch_signatures``);
- datasketch: ``MinHash(num_perm=128).update_batch`` per article on the same 5-grams (as
  bytes, hashed with datasketch's default SHA-1), the way the plain pipeline signs;
- batched: the same permutation arithmetic (32-bit mix, multiply-add, minimum) for every
  shingle of the corpus with 128 + 64 permutations, in batches across articles;
- arithmetic bound: the permutations need three 32-bit operations (multiply, add, min) per
  shingle and permutation; the bound is that count divided by the rate at which this core
  runs one such operation over cache-resident uint32 arrays in numpy (SIMD, no memory
  traffic). Hand-fused compiled code could go further; numpy cannot fuse the three.

- the whole stage as the pipeline runs it (``pipeline._digests``: chrome rules, tokens,
  shingles, figures, MinHash, bands, packing; the ``boilerplate+signatures`` stage), with
  the compiled core (dedup/_core.pyx) and with the pure-Python reference it falls back to
  (what ``DEDUP_PURE=1`` runs); the paragraph stage (``pipeline._paragraphs``) likewise.

Throughput is in MB of article text per second per core, so the rows compare directly.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

BATCH = 4096  # shingles per batch in the arithmetic bound: the block fits in L2 cache


def _texts(jsonl: Path) -> list[str]:
    with jsonl.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]


def _timed(fn: Any) -> tuple[Any, float]:
    start = time.process_time()
    value = fn()
    return value, time.process_time() - start


@contextlib.contextmanager
def _reference() -> Iterator[None]:
    """The pure-Python reference in place of the compiled core, in this process."""
    from dedup import _accel, boilerplate, candidates, normalize, packing, signatures

    modules = (boilerplate, candidates, normalize, packing, signatures)
    for module in modules:
        module.core = None  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module in modules:
            module.core = _accel.core  # type: ignore[attr-defined]


def _whole_stage(jsonl: Path) -> tuple[float, float]:
    """CPU seconds of the paragraph stage and of the signature stage (``_digests`` batch by
    batch, as ``analyze`` runs them on one core) over the articles of ``jsonl``."""
    from dedup.boilerplate import RecurringBlocks
    from dedup.candidates import CandidateSettings
    from dedup.load import load_articles
    from dedup.pipeline import DIGEST_BATCH, _DigestInput, _digests, _paragraphs

    articles, _ = load_articles([str(jsonl)])
    split, t_paragraphs = _timed(lambda: [_paragraphs(articles, i) for i in range(len(articles))])
    recurring = RecurringBlocks()
    recurring.add_corpus([keys for _, keys in split], [a.outlet for a in articles])
    shared = _DigestInput(articles, [s for s, _ in split], recurring, CandidateSettings(),
                          len(articles) <= 50_000)
    _, t_stage = _timed(lambda: [_digests(shared, (lo, min(lo + DIGEST_BATCH, len(articles))))
                                 for lo in range(0, len(articles), DIGEST_BATCH)])
    return t_paragraphs, t_stage


def signature_throughput(jsonl: Path) -> dict[str, Any]:
    from datasketch import MinHash

    from dedup.candidates import CandidateSettings, hashers
    from dedup.normalize import tokenize
    from dedup.pipeline import DIGEST_BATCH
    from dedup.signatures import batch_token_shingles, shingle_hashes, word_hashes

    texts = _texts(jsonl)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    settings = CandidateSettings()
    doc_hasher, passage_hasher = hashers(settings)

    tokens, t_tokenize = _timed(lambda: [tokenize(t) for t in texts])
    shingles, t_shingles_each = _timed(
        lambda: [shingle_hashes(word_hashes(t.words)) for t in tokens])

    batches, t_shingles = _timed(lambda: [  # as featurize_many does it
        batch_token_shingles(tokens[lo : lo + DIGEST_BATCH])
        for lo in range(0, len(tokens), DIGEST_BATCH)])

    def minhash_each() -> int:
        for s in shingles:
            if len(s):
                doc_hasher.signature(s)
                passage_hasher.passage_signatures(s, settings.passage_window,
                                                  settings.passage_stride)
        return 0

    def minhash() -> int:
        for flat, offsets in batches:
            doc_hasher.batch_signatures(flat, offsets)
            passage_hasher.batch_passage_signatures(flat, offsets, settings.passage_window,
                                                    settings.passage_stride)
        return 0

    _, t_minhash_each = _timed(minhash_each)
    _, t_minhash = _timed(minhash)

    def datasketch() -> int:
        for t in tokens:
            words = t.words
            grams = [" ".join(words[i : i + 5]).encode("utf-8") for i in range(len(words) - 4)]
            m = MinHash(num_perm=128)
            m.update_batch(grams)
        return 0

    _, t_datasketch = _timed(datasketch)

    everything = np.concatenate(shingles) if shingles else np.empty(0, np.uint64)

    def bound() -> int:
        for lo in range(0, len(everything), BATCH):
            block = everything[lo : lo + BATCH]
            doc_hasher.permuted(block).min(axis=0)
            passage_hasher.permuted(block).min(axis=0)
        return 0

    _, t_batched = _timed(bound)
    from dedup._accel import core

    compiled = core is not None
    t_paragraphs, t_stage = _whole_stage(jsonl)
    with _reference():
        t_paragraphs_ref, t_stage_ref = _whole_stage(jsonl)
    ops_per_s = _uint32_op_rate()
    t_bound = 3 * len(everything) * (settings.doc_perm + settings.passage_perm) / ops_per_s
    n_shingles = len(everything)
    rows = [
        ("signature stage as dedup runs it (boilerplate+signatures), "
         + ("compiled core" if compiled else "compiled core NOT BUILT"), t_stage),
        ("signature stage, pure-Python reference (DEDUP_PURE=1)", t_stage_ref),
        ("paragraph stage, " + ("compiled core" if compiled else "compiled core NOT BUILT"),
         t_paragraphs),
        ("paragraph stage, pure-Python reference", t_paragraphs_ref),
        ("tokenize", t_tokenize),
        ("shingle hashes (xxh3 words, rolling 5-grams), an article at a time",
         t_shingles_each),
        ("MinHash, whole article (128) + passages (64), an article at a time",
         t_minhash_each),
        (f"shingle hashes, {DIGEST_BATCH} articles at a time (as dedup does)", t_shingles),
        (f"MinHash, {DIGEST_BATCH} articles at a time (as dedup does)", t_minhash),
        ("signature stage (shingle hashes + MinHash, as dedup does)", t_shingles + t_minhash),
        ("datasketch MinHash.update_batch (128, SHA-1 of 5-gram bytes)", t_datasketch),
        ("same arithmetic batched across articles (128 + 64)", t_batched),
        ("arithmetic bound (3 uint32 ops per shingle and permutation)", t_bound),
    ]
    return {
        "input": str(jsonl),
        "compiled": compiled,
        "articles": len(texts),
        "mb": round(megabytes, 2),
        "shingles": n_shingles,
        "permutation_ops": n_shingles * (settings.doc_perm + settings.passage_perm),
        "rows": [
            {"step": name, "cpu_s": round(sec, 3),
             "mb_per_s_per_core": round(megabytes / sec, 2) if sec > 0 else None}
            for name, sec in rows
        ],
        "uint32_ops_per_s": round(ops_per_s),
        "minhash_vs_bound": round(t_minhash / t_bound, 2) if t_bound > 0 else None,
    }


def _uint32_op_rate() -> float:
    """uint32 operations per second of one numpy ufunc over an L1-resident array."""
    a = np.arange(4096, dtype=np.uint32)
    b = np.full(4096, 2654435761, dtype=np.uint32)
    rounds = 20000
    start = time.process_time()
    for _ in range(rounds):
        np.multiply(a, b, out=a)
    return rounds * len(a) / (time.process_time() - start)


def signature_table(res: dict[str, Any]) -> list[str]:
    if not res or res.get("error"):
        return [f"- signature benchmark not run: {res.get('error') if res else 'no result'}"]
    lines = ["| step (one core) | CPU s | MB/s per core |", "|---|---:|---:|"]
    for r in res["rows"]:
        lines.append(f"| {r['step']} | {r['cpu_s']:.2f} | {r['mb_per_s_per_core']} |")
    lines += ["", f"{res['articles']} articles, {res['mb']} MB, {res['shingles']:,} shingles, "
              f"{res['permutation_ops']:,} (shingle, permutation) pairs; one numpy uint32 "
              f"operation runs at {res['uint32_ops_per_s'] / 1e9:.2f} G/s on this core. dedup's "
              f"MinHash step takes {res['minhash_vs_bound']}x that numpy bound "
              + ("(compiled core: one fused multiply, add and minimum per lane, vectorized)."
                 if res.get("compiled") else
                 "(numpy writes each intermediate to memory before the minimum reads it back; "
                 "the compiled core was not built).")]
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m benchmarks.signature_bench ARTICLES.jsonl OUT.json",
              file=sys.stderr)
        return 2
    res = signature_throughput(Path(argv[0]))
    Path(argv[1]).write_text(json.dumps(res, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    for line in signature_table(res):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
