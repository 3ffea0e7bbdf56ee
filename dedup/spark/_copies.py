"""Stages 3 to 5 on Spark: candidate pairs, the corpus statistics verification needs, and
the verified copies.

Stage 3 is ``candidate_pairs`` (band keys grouped into buckets). Stage 4 is
``template_shingles`` and ``corpus_vocabulary`` (collected and broadcast), then
``fingerprints`` per article. Stage 5 is ``verified_copies``: each pair joined with both
fingerprints and judged by ``verify.verify_pairs``."""

from __future__ import annotations

import dataclasses
import pickle
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pyspark import StorageLevel
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize as normalize_rows

from ..pipeline import Settings
from ..verify import Fingerprints, build_fingerprints, pretokenized, verify_pairs
from ._rows import PICKLE, _Fingerprint, _rows_matrix

__all__ = [
    "Vocabulary",
    "candidate_pairs",
    "corpus_vocabulary",
    "fingerprints",
    "template_shingles",
    "verified_copies",
]


def candidate_pairs(feats: DataFrame, max_bucket: int) -> tuple[DataFrame, DataFrame]:
    """(pairs (a, b) with a < b, bucket sizes) from equal band keys.

    Same rule as ``find_candidates``: every pair of distinct articles sharing a bucket,
    buckets with more than ``max_bucket`` articles skipped (templates, not copies).
    """
    exploded = feats.select("idx", F.explode("bands").alias("key"))
    buckets = exploded.groupBy("key").agg(F.collect_list("idx").alias("docs"))
    buckets = buckets.select("docs", F.size("docs").alias("n")).where("n >= 2")
    kept = buckets.where(F.col("n") <= max_bucket)
    pairs = (kept.select(F.explode("docs").alias("a"), "docs")
             .select("a", F.explode("docs").alias("b"))
             .where(F.col("a") < F.col("b"))
             .distinct())
    return pairs, buckets.select("n")


# --- stage 4: corpus statistics for verification ---------------------------------------------


def template_shingles(feats: DataFrame, n_docs: int, settings: Settings) -> np.ndarray:
    """Shingles in more articles than the template limit (``build_fingerprints``' rule);
    few by construction, so collected and broadcast."""
    vs = settings.verify
    limit = max(vs.common_df_floor, int(vs.common_df_fraction * n_docs))
    common = (feats.select(F.explode("shingles").alias("s")).groupBy("s").count()
              .where(F.col("count") > limit).select("s").collect())
    return np.unique(np.asarray([r["s"] for r in common], dtype=np.int64).view(np.uint64))


@dataclass
class Vocabulary:
    """The corpus vectorizer, exactly as ``verify.tfidf_matrix`` fits it, plus each
    word's rank in fit order.

    sklearn numbers words alphabetically but stores each row's entries in the order the
    words were first seen in the corpus; sums over a row (L2 norm, cosines, sparse
    products) follow that order, and float32 sums depend on order. Rows built here keep
    it, so every similarity is bit for bit the local engine's.
    """

    vectorizer: TfidfVectorizer
    rank: dict[str, int] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return max(1, len(self.vectorizer.vocabulary_))

    def row(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, float32 values) of one article's TF-IDF row, in fit order."""
        counts = Counter(words)
        if not counts or not self.rank:
            return np.empty(0, np.int32), np.empty(0, np.float32)
        ordered = sorted(counts, key=self.rank.__getitem__)
        vocabulary = self.vectorizer.vocabulary_
        indices = np.asarray([vocabulary[w] for w in ordered], dtype=np.int32)
        values = np.asarray([counts[w] for w in ordered], dtype=np.float32)
        # What TfidfTransformer.transform does to the rows of fit_transform.
        matrix = csr_matrix((values, indices, [0, len(ordered)]), shape=(1, self.width))
        np.log(matrix.data, out=matrix.data)
        matrix.data += 1
        matrix.data *= self.vectorizer.idf_[matrix.indices]
        matrix = normalize_rows(matrix, norm="l2", copy=False)
        return matrix.indices.astype(np.int32), matrix.data.astype(np.float32)


def corpus_vocabulary(feats: DataFrame, n_docs: int) -> Vocabulary:
    """Document frequency and first occurrence of every word (a Spark aggregation),
    turned into the vectorizer ``tfidf_matrix`` would fit. The vocabulary is collected:
    the IDF of every word is needed wherever sentences are compared."""
    stats = (feats.select("idx", F.posexplode("terms").alias("pos", "term"))
             .groupBy("term")
             .agg(F.count("*").alias("df"), F.min(F.struct("idx", "pos")).alias("first"))
             .collect())
    vectorizer = TfidfVectorizer(analyzer=pretokenized, sublinear_tf=True, dtype=np.float32)
    if not stats:
        vectorizer.fit([["empty"]])  # as tfidf_matrix does for a corpus without words
        return Vocabulary(vectorizer)
    terms = sorted(r["term"] for r in stats)
    vocabulary = {t: i for i, t in enumerate(terms)}
    df = np.zeros(len(terms), dtype=np.float32)
    firsts: list[tuple[int, int, str]] = []
    for r in stats:
        df[vocabulary[r["term"]]] = r["df"]
        firsts.append((r["first"]["idx"], r["first"]["pos"], r["term"]))
    # TfidfTransformer.fit, smooth_idf: idf = ln((1 + n) / (1 + df)) + 1, in float32.
    df += 1.0
    idf = np.full_like(df, n_docs + 1, dtype=np.float32)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    vectorizer = TfidfVectorizer(analyzer=pretokenized, sublinear_tf=True, dtype=np.float32,
                                 vocabulary=vocabulary)
    vectorizer.idf_ = idf
    rank = {term: k for k, (_, _, term) in enumerate(sorted(firsts))}
    return Vocabulary(vectorizer, rank)


def _fingerprint_rows(common: Any, vocabulary: Any) -> Any:
    def run(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for frame in frames:
            fps = []
            for blob in frame["blob"]:
                _, features = pickle.loads(blob)
                # One article alone has no templates: distinct and quoted shingles.
                fp = build_fingerprints([features], Settings().verify)
                distinct = fp.distinct[0]
                if len(common.value):
                    distinct = distinct[~np.isin(distinct, common.value, assume_unique=True)]
                indices, values = vocabulary.value.row(features.tokens.words)
                fps.append(pickle.dumps(_Fingerprint(distinct, fp.quoted[0], indices, values,
                                                     fp.figures[0]), protocol=PICKLE))
            yield pd.DataFrame({"idx": frame["idx"], "fp": fps})
    return run


def fingerprints(feats: DataFrame, common: Any, vocabulary: Any) -> DataFrame:
    """(idx, fp): distinct shingles without templates, quoted shingles, TF-IDF row,
    figures."""
    return feats.select("idx", "blob").mapInPandas(
        _fingerprint_rows(common, vocabulary), "idx long, fp binary",
    ).persist(StorageLevel.MEMORY_AND_DISK)


_EVIDENCE_SCHEMA = ("a long, b long, shared long, unquoted long, containment_a double, "
                    "containment_b double, cosine double, facts long, facts_shared long")


def _verify_rows(settings: Settings, width: int) -> Any:
    def run(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for frame in frames:
            # The batch's articles, renumbered, go through verify_pairs itself: whatever
            # it computes per pair (evidence, cosine) is computed the same way here.
            local: dict[int, int] = {}
            fps: list[_Fingerprint] = []
            for idx, blob in [*zip(frame["a"], frame["fp_a"], strict=True),
                              *zip(frame["b"], frame["fp_b"], strict=True)]:
                if idx not in local:
                    local[idx] = len(fps)
                    fps.append(pickle.loads(blob))
            nodes = list(local)
            fp = Fingerprints([f.distinct for f in fps], [f.quoted for f in fps],
                              np.empty(0, np.uint64), [f.figures for f in fps])
            pairs = [(local[a], local[b]) for a, b in zip(frame["a"], frame["b"], strict=True)]
            copies, _ = verify_pairs(pairs, fp, _rows_matrix(fps, width), settings.verify)
            yield pd.DataFrame(
                [(nodes[e.a], nodes[e.b], *dataclasses.astuple(e)[2:]) for e in copies],
                columns=["a", "b", "shared", "unquoted", "containment_a", "containment_b",
                         "cosine", "facts", "facts_shared"])
    return run


def verified_copies(pairs: DataFrame, fps: DataFrame, settings: Settings,
                    width: int) -> DataFrame:
    """Copy pairs with their evidence: each candidate pair joined with both articles'
    fingerprints, then ``verify.pair_evidence`` and ``is_copy`` on the pair alone."""
    joined = (pairs.join(fps.select(F.col("idx").alias("a"), F.col("fp").alias("fp_a")), "a")
              .join(fps.select(F.col("idx").alias("b"), F.col("fp").alias("fp_b")), "b"))
    copies = joined.mapInPandas(_verify_rows(settings, width), _EVIDENCE_SCHEMA)
    return copies.persist(StorageLevel.MEMORY_AND_DISK)
