"""Plain near-duplicate baselines, scored with the same scorer as dedup.

``python -m benchmarks.baselines ARTICLES.jsonl --method minhash|tfidf|textdedup
--threshold T -o REPORT.json``

Each writes a report with ``documents`` and ``clusters`` only (no spans, flags or related
pairs), so benchmarks.score reports those metrics as n/a for them.

- minhash: datasketch MinHash (128 permutations) over lowercased word 5-gram shingles of the
  whole document, MinHashLSH at the threshold, every LSH candidate pair unioned (union-find).
- tfidf: scikit-learn TfidfVectorizer (sublinear tf) over whole documents, cosine similarity
  by chunked sparse products, every pair at or above the threshold unioned.
- textdedup: the ``text_dedup.minhash`` command of the text-dedup package (5-grams, 128
  permutations, threshold) run from its own venv (benchmarks/out/textdedup-venv), clusters read
  from its union-find dump.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import OUT_DIR, UnionFind, read_jsonl, words, write_json

TEXTDEDUP_VENV = OUT_DIR / "textdedup-venv"


def shingles(text: str, n: int = 5) -> list[bytes]:
    toks = words(text)
    if len(toks) < n:
        return [" ".join(toks).encode()]
    return sorted({" ".join(toks[i : i + n]).encode() for i in range(len(toks) - n + 1)})


def _report(articles: list[dict[str, Any]], groups: list[list[str]],
            fraction: dict[tuple[str, str], float] | None = None) -> dict[str, Any]:
    documents = [{"id": a["id"], "outlet": a.get("outlet"), "title": a.get("title"),
                  "date": a.get("date"), "length": len(a["text"])} for a in articles]
    clusters = []
    for g in groups:
        if len(g) < 2:
            continue
        src = g[0]
        members = [{"id": i, "relation": "source" if i == src else "copy",
                    "shared_fraction": 1.0 if i == src else
                    (fraction or {}).get((src, i))} for i in g]
        clusters.append({"id": f"C{len(clusters) + 1}", "source": src, "members": members})
    return {"documents": documents, "clusters": clusters}


def minhash_signatures(texts: list[str], num_perm: int = 128, seed: int = 1) -> list[Any]:
    from datasketch import MinHash

    sigs = []
    for t in texts:
        m = MinHash(num_perm=num_perm, seed=seed)
        m.update_batch(shingles(t))
        sigs.append(m)
    return sigs


def minhash_clusters(ids: list[str], texts: list[str], threshold: float, num_perm: int = 128
                     ) -> tuple[list[list[str]], dict[tuple[str, str], float]]:
    """MinHash + MinHashLSH + union-find over LSH candidates; also Jaccard estimates."""
    from datasketch import MinHashLSH

    sigs = minhash_signatures(texts, num_perm)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for i, m in zip(ids, sigs, strict=True):
        lsh.insert(i, m)
    uf = UnionFind()
    for i, m in zip(ids, sigs, strict=True):
        uf.find(i)
        for j in sorted(lsh.query(m)):
            uf.union(i, j)
    groups = uf.groups(ids)
    index = {i: k for k, i in enumerate(ids)}
    frac = {(g[0], x): float(sigs[index[g[0]]].jaccard(sigs[index[x]]))
            for g in groups if len(g) > 1 for x in g[1:]}
    return groups, frac


def tfidf_clusters(ids: list[str], texts: list[str], threshold: float, chunk: int = 1000
                   ) -> tuple[list[list[str]], dict[tuple[str, str], float]]:
    """TF-IDF cosine over whole documents, union of all pairs >= threshold."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    X = TfidfVectorizer(sublinear_tf=True, dtype=np.float32).fit_transform(texts)
    XT = X.T.tocsr()
    uf = UnionFind()
    for i in ids:
        uf.find(i)
    for start in range(0, X.shape[0], chunk):
        S = (X[start : start + chunk] @ XT).tocoo()
        keep = (S.data >= threshold) & (S.row + start < S.col)
        for r, c in zip(S.row[keep], S.col[keep], strict=True):
            uf.union(ids[start + int(r)], ids[int(c)])
    groups = uf.groups(ids)
    index = {i: k for k, i in enumerate(ids)}
    frac = {}
    for g in groups:
        if len(g) > 1:
            sims = (X[[index[x] for x in g[1:]]] @ X[index[g[0]]].T).toarray().ravel()
            frac.update({(g[0], x): round(float(v), 4) for x, v in zip(g[1:], sims, strict=True)})
    return groups, frac


def textdedup_clusters(jsonl: Path, threshold: float, workdir: Path, num_perm: int = 128
                       ) -> list[list[str]]:
    """Run text-dedup's MinHash from its own venv on ``jsonl``; clusters from its union-find."""
    py = TEXTDEDUP_VENV / "bin" / "python"
    if not py.exists():
        raise RuntimeError(
            f"text-dedup venv missing: python3 -m venv {TEXTDEDUP_VENV} && "
            f"{TEXTDEDUP_VENV}/bin/pip install text-dedup"
        )
    out = workdir / "td-output"
    env = dict(os.environ, HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1",
               HF_DATASETS_CACHE=str(workdir / "hf-cache"), TQDM_DISABLE="1")
    cmd = [str(py), "-m", "text_dedup.minhash", "--path", "json", "--data_files",
           str(Path(jsonl).resolve()), "--split", "train", "--column", "text", "--idx_column",
           "id", "--output", str(out), "--debug", "--num_perm", str(num_perm), "--threshold",
           str(threshold), "--ngram", "5", "--min_length", "0", "--cache_dir",
           str(workdir / "cache"), "--num_proc", str(os.cpu_count() or 1)]
    proc = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"text_dedup.minhash failed ({proc.returncode}): {' | '.join(tail)}")
    dump = subprocess.run(
        [str(py), "-c", "import json,pickle,sys; uf=pickle.load(open(sys.argv[1],'rb')); "
         "print(json.dumps({str(k): str(uf.find(k)) for k in uf.parent}))",
         str(out / "uf.pkl")], capture_output=True, text=True, check=True)
    roots: dict[str, str] = json.loads(dump.stdout)
    uf = UnionFind()
    for k in sorted(roots):
        uf.union(k, roots[k])
    ids = [str(a["id"]) for a in read_jsonl(jsonl)]
    return uf.groups(ids)


def run_baseline(method: str, threshold: float, jsonl: str | Path,
                 articles: list[dict[str, Any]] | None = None) -> tuple[dict[str, Any], float]:
    """Report and in-process wall seconds (excluding reading the JSONL) of one baseline."""
    arts = articles if articles is not None else read_jsonl(jsonl)
    ids = [str(a["id"]) for a in arts]
    texts = [a["text"] for a in arts]
    t0 = time.perf_counter()
    frac: dict[tuple[str, str], float] | None = None
    if method == "minhash":
        groups, frac = minhash_clusters(ids, texts, threshold)
    elif method == "tfidf":
        groups, frac = tfidf_clusters(ids, texts, threshold)
    elif method == "textdedup":
        with tempfile.TemporaryDirectory(dir=OUT_DIR if OUT_DIR.exists() else None) as tmp:
            groups = textdedup_clusters(Path(jsonl), threshold, Path(tmp))
    else:
        raise ValueError(f"unknown method {method!r}")
    wall = time.perf_counter() - t0
    return _report(arts, groups, frac), wall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.baselines", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("articles", help="articles.jsonl (id, text, ...)")
    ap.add_argument("--method", choices=["minhash", "tfidf", "textdedup"], required=True)
    ap.add_argument("--threshold", type=float, required=True)
    ap.add_argument("-o", "--output", required=True, help="report JSON to write")
    args = ap.parse_args(argv)
    if not Path(args.articles).is_file():
        print(f"error: not found: {args.articles}", file=sys.stderr)
        return 2
    try:
        report, wall = run_baseline(args.method, args.threshold, args.articles)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    report["timing"] = {"method": args.method, "threshold": args.threshold,
                        "in_process_seconds": round(wall, 3)}
    write_json(args.output, report, indent=None)
    n = sum(len(c["members"]) for c in report["clusters"])
    print(f"{args.method}@{args.threshold}: {len(report['clusters'])} clusters "
          f"({n} articles) in {wall:.2f}s -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
