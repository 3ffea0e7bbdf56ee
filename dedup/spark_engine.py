"""The pipeline on Apache Spark DataFrames: ``dedup cluster --engine spark``.

Same stages, same functions, same results as ``pipeline.analyze``; only the corpus-wide
steps change shape so that no step needs the whole corpus on one machine:

- per-article work (paragraphs, block keys, boilerplate, tokens, shingles, MinHash band
  keys, TF-IDF rows) runs in ``mapInPandas`` over partitions, calling the local functions;
- corpus-wide counts (block recurrence, template shingles, TF-IDF document frequencies)
  are Spark aggregations; what an article needs of them is joined back to it, or, when
  small or needed everywhere (template shingles, the vocabulary with its IDF), broadcast;
- candidate pairs come from grouping exploded band keys, verified pairs from a join of
  the pairs with both articles' fingerprints, clusters from an iterative connected
  components (large-star / small-star) on DataFrames;
- round-up splitting, source choice and alignment run per component / cluster in
  ``groupBy().applyInPandas``, with cluster.py, align.py and related.py doing the work.

Exactness: every float the local engine compares (pair cosines, related-coverage
similarities) is computed here from the same float32 rows, summed in the same order, so
clusters, alignments and related coverage are the local engine's. See README "Running
on Spark" for what is broadcast and what reaches the driver.

The stages are in ``dedup/spark/``, one module per concept: the session (``_session``),
reading and numbering the input (``_input``), the rows stages hand each other (``_rows``),
stages 1-2 (``_features``), 3-5 (``_copies``), 6-7 (``_clusters``), 8 (``_align``), 9
(``_related``) and the result with its two ways out (``_report``). ``run`` here strings
them together, as ``pipeline.analyze`` does the local stages.

pyspark is an optional dependency (``pip install news-dedup[spark]``): only this module and
``dedup/spark/`` import it, and only ``dedup cluster --engine spark`` imports this module.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from pyspark import StorageLevel
from pyspark.errors import AnalysisException
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

# Absolute imports: this file also runs as a script under spark-submit (see the end).
from dedup.candidates import CandidateStats
from dedup.pipeline import Settings
from dedup.spark._align import align_clusters
from dedup.spark._clusters import MAX_CC_ROUNDS, build_spark_clusters, connected_components
from dedup.spark._copies import (
    Vocabulary,
    candidate_pairs,
    corpus_vocabulary,
    fingerprints,
    template_shingles,
    verified_copies,
)
from dedup.spark._features import article_features, recurring_counts
from dedup.spark._input import OPTIONAL_COLUMNS, numbered, read_articles
from dedup.spark._related import related_coverage
from dedup.spark._report import MEMBERS_SCHEMA, SparkRun, to_analysis, write_parquet
from dedup.spark._rows import PICKLE
from dedup.spark._session import spark_session

__all__ = [
    "MAX_CC_ROUNDS",
    "MEMBERS_SCHEMA",
    "OPTIONAL_COLUMNS",
    "PICKLE",
    "AnalysisException",
    "SparkRun",
    "SparkSession",
    "Vocabulary",
    "align_clusters",
    "article_features",
    "build_spark_clusters",
    "candidate_pairs",
    "connected_components",
    "corpus_vocabulary",
    "fingerprints",
    "numbered",
    "read_articles",
    "recurring_counts",
    "related_coverage",
    "run",
    "spark_session",
    "template_shingles",
    "to_analysis",
    "verified_copies",
    "write_parquet",
]


def run(spark: SparkSession, paths: Sequence[str], settings: Settings | None = None) -> SparkRun:
    """Every stage of ``analyze`` on Spark, for the articles at ``paths``."""
    settings = settings or Settings()
    articles = read_articles(spark, paths)
    n_docs = articles.count()
    counts = recurring_counts(articles)
    feats = article_features(articles, counts, settings)
    pairs, buckets = candidate_pairs(feats, settings.candidates.max_bucket)
    pairs = pairs.persist(StorageLevel.MEMORY_AND_DISK)
    stats = CandidateStats(documents=n_docs)
    stats.passages = int(feats.agg(F.sum("passages")).first()[0] or 0)
    stats.skipped_buckets = buckets.where(
        F.col("n") > settings.candidates.max_bucket).count()
    stats.pairs = pairs.count()
    common = spark.sparkContext.broadcast(template_shingles(feats, n_docs, settings))
    vocabulary = corpus_vocabulary(feats, n_docs)
    width = vocabulary.width
    shared_vocabulary = spark.sparkContext.broadcast(vocabulary)
    fps = fingerprints(feats, common, shared_vocabulary)
    copies = verified_copies(pairs, fps, settings, width)
    clusters = build_spark_clusters(copies, fps, feats, articles)
    aligned = align_clusters(clusters, articles, feats)
    related = related_coverage(clusters, fps, feats, articles, shared_vocabulary, width,
                               settings.related_days)
    return SparkRun(articles, aligned, related, copies, stats)


if __name__ == "__main__":  # spark-submit .../dedup/spark_engine.py INPUT... [options]
    from dedup.cli import main

    main(["cluster", "--engine", "spark", *sys.argv[1:]])
