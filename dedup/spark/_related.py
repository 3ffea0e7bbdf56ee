"""Stage 9 on Spark: related coverage. The stage is ``related_coverage``: the local stage's
TF-IDF similarity (``related.related_candidates``) and sentence test
(``related.retold_pairs``) as Spark jobs."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any, NamedTuple

import pandas as pd
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F
from scipy.sparse import csr_matrix

from ..align import sentence_words
from ..related import (
    RELATED_MIN_COSINE,
    RELATED_MIN_SHARE,
    RELATED_PER_ARTICLE,
    RELATED_SENTENCE_COSINE,
    RELATED_WINDOW_DAYS,
    day_numbers,
    related_chunk_rows,
    within_window,
)
from ._rows import PICKLE, _article, _rows_matrix

__all__ = ["related_coverage"]


class _Members(NamedTuple):
    """The cluster members, broadcast to every partition of ``_similar_rows``."""

    nodes: list[int]  # corpus indices, ascending
    matrix: csr_matrix  # their TF-IDF rows, in that order
    cluster_of: dict[int, int]  # member -> cluster number
    days: list[int]  # day numbers of their dates (``window.day_numbers``)


def _similar_rows(members: Any, width: int, window_days: int | None) -> Any:
    """Per partition of all articles: each member's TF-IDF cosine with them, as
    ``related.related_candidates`` computes it (members' rows times the articles' rows), for the
    articles within the member's window."""
    def run(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        shared: _Members = members.value
        nodes, matrix, cluster_of = shared.nodes, shared.matrix, shared.cluster_of
        for frame in frames:
            others = frame["idx"].tolist()
            days = day_numbers(frame["date"].tolist()).tolist()
            block_t = _rows_matrix([pickle.loads(fp) for fp in frame["fp"]], width).T.tocsr()
            # The members a slice at a time, as the local engine does: the block of all
            # members against a partition would grow with both.
            step = related_chunk_rows(len(others))
            rows = []
            for lo in range(0, matrix.shape[0], step):
                sims = (matrix[lo : lo + step] @ block_t).tocoo()
                rows.extend(
                    (nodes[lo + r], others[c], v) for r, c, v in
                    zip(sims.row.tolist(), sims.col.tolist(), sims.data.tolist(), strict=True)
                    if v >= RELATED_MIN_COSINE and nodes[lo + r] != others[c]
                    and cluster_of.get(others[c]) != cluster_of[nodes[lo + r]]
                    and (window_days is None
                         or within_window(shared.days[lo + r], days[c], window_days)))
            yield pd.DataFrame(rows, columns=["a", "b", "score"])
    return run


def _sentence_rows(vocabulary: Any) -> Any:
    def run(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for frame in frames:
            out = []
            for row in frame.itertuples(index=False):
                labelled, features = pickle.loads(row.blob)
                words = sentence_words(row.idx, _article(row), features, labelled)
                vectorizer = vocabulary.value.vectorizer
                matrix = vectorizer.transform(words).tocsr() if words else None
                out.append(pickle.dumps(matrix, protocol=PICKLE))
            yield pd.DataFrame({"idx": frame["idx"], "sentences": out})
    return run


def _retold(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """``related.retold_pairs``'s sentence test on each wanted pair (symmetric in a and b)."""
    for frame in frames:
        rows = []
        for a, b, sa, sb in frame[["a", "b", "s_a", "s_b"]].itertuples(index=False):
            va, vb = pickle.loads(sa), pickle.loads(sb)
            if va is None or vb is None:
                continue
            s = (va @ vb.T).toarray()
            a_retold = s.max(axis=1) >= RELATED_SENTENCE_COSINE
            b_retold = s.max(axis=0) >= RELATED_SENTENCE_COSINE
            share = max(a_retold.mean(), b_retold.mean())
            retold = max(int(a_retold.sum()), int(b_retold.sum()))
            if share >= RELATED_MIN_SHARE and retold >= 2:
                rows.append((a, b, round(float(share), 4)))
        yield pd.DataFrame(rows, columns=["a", "b", "score"])


def related_coverage(clusters: DataFrame, fps: DataFrame, feats: DataFrame,
                     articles: DataFrame, vocabulary: Any, width: int,
                     window_days: int | None = RELATED_WINDOW_DAYS) -> DataFrame:
    """(a, b, score): the related-coverage stage (``related``) on Spark.

    The members' TF-IDF rows are broadcast and multiplied with every partition of the
    corpus; each member keeps its top ``RELATED_PER_ARTICLE`` articles outside its
    cluster and within ``window_days`` of it (a window function), and each such pair
    gets the sentence test once. Unlike the local engine, every member still meets every
    partition: the window filters the products, it does not avoid them.
    """
    spark = clusters.sparkSession
    dated = fps.join(articles.select("idx", "date"), "idx")
    member_rows = (clusters.select("number", F.explode("members").alias("idx"))
                   .join(dated, "idx").orderBy("idx").collect())
    if not member_rows:
        return spark.createDataFrame([], "a long, b long, score double")
    nodes = [r["idx"] for r in member_rows]
    matrix = _rows_matrix([pickle.loads(r["fp"]) for r in member_rows], width)
    cluster_of = {r["idx"]: r["number"] for r in member_rows}
    member_days = day_numbers([r["date"] for r in member_rows]).tolist()
    members = spark.sparkContext.broadcast(_Members(nodes, matrix, cluster_of, member_days))
    sims = dated.mapInPandas(_similar_rows(members, width, window_days),
                             "a long, b long, score float")
    best = Window.partitionBy("a").orderBy(F.desc("score"), F.asc("b"))
    wanted = (sims.withColumn("rank", F.row_number().over(best))
              .where(F.col("rank") <= RELATED_PER_ARTICLE)
              .select(F.least("a", "b").alias("a"), F.greatest("a", "b").alias("b"))
              .distinct())
    needed = wanted.select(F.col("a").alias("idx")).union(wanted.select(F.col("b")))
    sentences = (needed.distinct().join(articles, "idx").join(feats.select("idx", "blob"), "idx")
                 .mapInPandas(_sentence_rows(vocabulary), "idx long, sentences binary"))
    pairs = (wanted.join(sentences.select(F.col("idx").alias("a"), F.col("sentences").alias("s_a")),
                         "a")
             .join(sentences.select(F.col("idx").alias("b"), F.col("sentences").alias("s_b")),
                   "b"))
    return pairs.mapInPandas(_retold, "a long, b long, score double")
