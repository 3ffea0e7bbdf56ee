"""Stages 6 and 7 on Spark: connected components of the copy pairs, then clusters.

Stage 6 is ``connected_components`` (large-star / small-star on DataFrames). Stage 7 is
``build_spark_clusters``: ``cluster.build_clusters`` on each component (round-up splitting,
source choice), numbered in the local engine's report order."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
from pyspark import StorageLevel
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..cluster import build_clusters
from ..verify import Fingerprints, PairEvidence
from ._input import numbered
from ._rows import _text

__all__ = ["MAX_CC_ROUNDS", "build_spark_clusters", "connected_components"]


MAX_CC_ROUNDS = 100  # large-star/small-star needs O(log^2 n) rounds; this is a safety net


def _large_star(edges: DataFrame) -> DataFrame:
    """Link every neighbour larger than a node to the node's smallest neighbour (or
    itself). Edges are (u, v) with u > v throughout."""
    both = edges.select("u", "v").union(edges.select(F.col("v").alias("u"),
                                                     F.col("u").alias("v")))
    smallest = both.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("m"))
    return (both.join(smallest, "u").where(F.col("v") > F.col("u"))
            .select(F.col("v").alias("u"), F.col("m").alias("v")).distinct())


def _small_star(edges: DataFrame) -> DataFrame:
    """Link a node and all its smaller neighbours to the smallest of them."""
    smallest = edges.groupBy("u").agg(F.min("v").alias("m"))
    linked = edges.join(smallest, "u")
    moved = linked.where(F.col("v") != F.col("m")).select(F.col("v").alias("u"),
                                                          F.col("m").alias("v"))
    return moved.union(smallest.select("u", F.col("m").alias("v"))).distinct()


def _is_star_forest(edges: DataFrame) -> bool:
    """Every node has at most one parent and every parent is a root (one job)."""
    children = edges.groupBy("u").agg(F.count("*").alias("parents"))
    parents = edges.select(F.col("v").alias("u"), F.lit(True).alias("is_parent")).distinct()
    bad = children.join(parents, "u", "full_outer").where(
        (F.col("parents") > 1) | (F.col("parents").isNotNull() & F.col("is_parent")))
    return bad.limit(1).count() == 0


def connected_components(pairs: DataFrame, max_rounds: int = MAX_CC_ROUNDS) -> DataFrame:
    """(node, comp) for every node of an edge; comp is the smallest node of its
    component (the root union-find would pick too).

    Large-star / small-star (Kiveris et al., "Connected Components in MapReduce and
    Beyond", 2014): both steps keep connectivity and shrink the graph towards one star
    per component; when it is a star forest, each star is a component. Each round is
    checkpointed (materialized by its convergence check) so the query plan does not
    grow with the rounds.
    """
    edges = (pairs.select(F.greatest("a", "b").alias("u"), F.least("a", "b").alias("v"))
             .where(F.col("u") != F.col("v")).distinct())
    for _ in range(max_rounds):
        edges = _small_star(_large_star(edges)).localCheckpoint(eager=False)
        if _is_star_forest(edges):
            break
    else:
        raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
    roots = edges.select(F.col("v").alias("node")).distinct().withColumn("comp", F.col("node"))
    return edges.select(F.col("u").alias("node"), F.col("v").alias("comp")).union(roots)


# --- stage 7: clusters -----------------------------------------------------------------------


def _split_component(frame: pd.DataFrame) -> pd.DataFrame:
    """``build_clusters`` on one component, renumbered in index order so every
    index-based tie-break (roots, source choice, order) is the local engine's."""
    frame = frame.sort_values("node")
    nodes = frame["node"].tolist()
    local = {node: k for k, node in enumerate(nodes)}
    copies = [PairEvidence(local[a], local[b], 0, 0, 0.0, 0.0, 0.0)
              for a, neighbours in zip(nodes, frame["neighbours"], strict=True)
              for b in neighbours if a < b]
    distinct = [pickle.loads(fp).distinct for fp in frame["fp"]]
    fp = Fingerprints(distinct, [], np.empty(0, np.uint64), [])
    clusters = build_clusters(len(nodes), copies, fp, [_text(d) for d in frame["date"]],
                              frame["size"].tolist())
    return pd.DataFrame({
        "members": [[nodes[m] for m in c.members] for c in clusters],
        "source": [nodes[c.source] for c in clusters],
    })


def build_spark_clusters(copies: DataFrame, fps: DataFrame, feats: DataFrame,
                         articles: DataFrame) -> DataFrame:
    """(number, members, source), numbered 1.. in the local engine's report order
    (biggest first, then by first member)."""
    components = connected_components(copies.select("a", "b"))
    both = copies.select("a", "b").union(copies.select(F.col("b").alias("a"), "a"))
    neighbours = both.groupBy(F.col("a").alias("node")).agg(
        F.collect_list("b").alias("neighbours"))
    members = (components.join(neighbours, "node")
               .join(fps.select(F.col("idx").alias("node"), "fp"), "node")
               .join(feats.select(F.col("idx").alias("node"), "size"), "node")
               .join(articles.select(F.col("idx").alias("node"), "date"), "node"))
    clusters = members.groupBy("comp").applyInPandas(
        _split_component, "members array<long>, source long")
    order = [F.desc(F.size("members")), F.col("members")[0]]
    result = numbered(clusters, order, "number").withColumn("number", F.col("number") + 1)
    return result.persist(StorageLevel.MEMORY_AND_DISK)
