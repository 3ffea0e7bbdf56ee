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

pyspark is an optional dependency (``pip install news-dedup[spark]``): only this module
imports it, and only ``dedup cluster --engine spark`` imports this module.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pyspark import StorageLevel
from pyspark.errors import AnalysisException
from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize as normalize_rows

# Absolute imports: this file also runs as a script under spark-submit (see the end).
from dedup.align import MemberAlignment, align_cluster, sentence_words
from dedup.boilerplate import RecurringBlocks, block_keys, classify_blocks
from dedup.candidates import (
    CandidateSettings,
    CandidateStats,
    article_bands,
    hashers,
    lsh_shape,
)
from dedup.cluster import build_clusters
from dedup.load import Article, InputError
from dedup.normalize import blocks as split_blocks
from dedup.pipeline import Analysis, ClusterResult, Settings
from dedup.related import (
    RELATED_MIN_COSINE,
    RELATED_MIN_SHARE,
    RELATED_PER_ARTICLE,
    RELATED_SENTENCE_COSINE,
    RELATED_WINDOW_DAYS,
    Related,
    day_numbers,
    related_chunk_rows,
    within_window,
)
from dedup.report import to_dict
from dedup.signatures import Features, MinHasher, featurize
from dedup.verify import (
    Fingerprints,
    PairEvidence,
    build_fingerprints,
    pretokenized,
    verify_pairs,
)
from dedup.vocabulary import SAME_STORY

__all__ = ["AnalysisException", "SparkRun", "SparkSession", "read_articles", "run", "spark_session",
           "to_analysis", "write_parquet"]

OPTIONAL_COLUMNS = ("title", "outlet", "date", "url")
_INPUT_SCHEMA = "id string, text string, title string, outlet string, date string, url string"
_DOC_BAND, _PASSAGE_BAND = 0, 1  # band key namespaces: whole-article and passage LSH
MAX_CC_ROUNDS = 100  # large-star/small-star needs O(log^2 n) rounds; this is a safety net
PICKLE = 5  # in-flight blobs only: nothing pickled is ever written out


# --- session and input ----------------------------------------------------------------------


# Spark's own log lines (WARN about the host name, native Hadoop ...) are not dedup's to
# show: the driver logs errors only, on stderr, in Spark's format.
_LOG4J2 = """\
rootLogger.level = {level}
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{{yy/MM/dd HH:mm:ss}} %p %c{{1}}: %m%n%ex
"""


def spark_session(master: str | None = None, conf: dict[str, str] | None = None,
                  quiet: bool | None = None) -> SparkSession:
    """The active session (spark-submit's), or a new one on ``master``.

    In local mode the Python workers must be this interpreter, or they will not find
    dedup and its dependencies; on a cluster, spark-submit's configuration says which
    Python the executors run (see README).

    ``quiet``: True, nothing on stderr but an error that stops the run (no log lines, no
    stage bars); False, Spark's stage bars when stderr is a terminal, as the local engine's
    bars, and its error lines; None, Spark's own logging and console settings.
    """
    builder = SparkSession.builder.appName("dedup")
    if master:
        builder = builder.master(master)
    # Under spark-submit (which sets PYSPARK_GATEWAY_PORT) without --spark-master, the
    # master is spark-submit's and so is the executors' Python.
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    if (master or ("yarn" if submitted else "local")).startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    log_config = None
    if quiet is not None:
        bars = not quiet and sys.stderr.isatty()
        builder = builder.config("spark.ui.showConsoleProgress", str(bars).lower())
        log_config = _log_config("off" if quiet else "error")
        # Read when the driver's JVM starts (here, unless one is already running).
        builder = builder.config("spark.driver.extraJavaOptions",
                                 f"-Dlog4j2.configurationFile=file:{log_config}")
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    try:
        session = _quiet_launch(builder) if quiet else builder.getOrCreate()
    finally:
        if log_config:
            os.unlink(log_config)
    if quiet is not None:  # a JVM already running kept its logging: set its level here
        session.sparkContext.setLogLevel("OFF" if quiet else "ERROR")
    return session


def _log_config(level: str) -> str:
    fd, path = tempfile.mkstemp(prefix="dedup-log4j2-", suffix=".properties")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(_LOG4J2.format(level=level))
    return path


def _quiet_launch(builder: Any) -> SparkSession:
    """``getOrCreate`` with the JVM's own start-up lines (the JDK's "Using incubator
    modules", printed before any logging is set up) kept off stderr."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)  # the JVM inherits the descriptor; it keeps it after we restore
        return builder.getOrCreate()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _input_format(paths: Sequence[str]) -> str:
    parquet = [p.rstrip("/").lower().endswith((".parquet", ".pq")) for p in paths]
    if any(parquet) and not all(parquet):
        raise InputError(paths[0], "mix of Parquet and JSONL inputs: run them separately")
    return "parquet" if all(parquet) else "json"


def read_articles(spark: SparkSession, paths: Sequence[str]) -> DataFrame:
    """Articles from JSONL or Parquet (local, HDFS, S3 ...), numbered in input order.

    ``idx`` is 0, 1, ... by file path, then position in the file, as the local loader
    reads a sorted directory walk: indices break ties (source choice, cluster order), so
    they must be the local engine's. Blank texts are skipped and blank metadata is null,
    as the local loader does; a missing id or text, or a duplicate id, is an InputError.
    """
    paths = list(paths)
    if _input_format(paths) == "parquet":
        raw = spark.read.parquet(*paths)
        raw = raw.select(
            F.col("id").cast("string").alias("id"), F.col("text"),
            *[(F.col(c) if c in raw.columns else F.lit(None)).cast("string").alias(c)
              for c in OPTIONAL_COLUMNS],
            "_metadata",
        )
    else:
        # A string schema reads integer ids as their digits, as the local loader does.
        raw = spark.read.schema(_INPUT_SCHEMA).option("mode", "FAILFAST").json(paths)
        raw = raw.select("*", "_metadata")
    located = raw.select(
        "id", "text", *OPTIONAL_COLUMNS,
        F.col("_metadata.file_path").alias("_file"),
        F.col("_metadata.file_block_start").alias("_block"),
        F.monotonically_increasing_id().alias("_row"),  # increasing within a file split
    )
    missing = located.where(F.col("id").isNull() | F.col("text").isNull()).limit(1).collect()
    if missing:
        field_name = "id" if missing[0]["id"] is None else "text"
        raise InputError(missing[0]["_file"], f"missing field {field_name!r}")
    tidy = located.mapInPandas(_tidy_rows, located.schema)
    articles = numbered(tidy, ["_file", "_block", "_row"], "idx").select(
        "idx", "id", "text", *OPTIONAL_COLUMNS)
    articles = articles.persist(StorageLevel.MEMORY_AND_DISK)
    duplicate = articles.groupBy("id").count().where("count > 1").limit(1).collect()
    if duplicate:  # the local loader names both sources; here the id must do
        raise InputError(paths[0], f"duplicate id {duplicate[0]['id']!r}")
    return articles


def numbered(frame: DataFrame, order: Sequence[str | Column], name: str) -> DataFrame:
    """``frame`` with a column ``name`` = 0, 1, 2 ... in ``order`` (ties: any order).

    zipWithIndex without leaving DataFrames: after a sort, monotonically_increasing_id
    is increasing but has gaps (partition number in the high bits); the rows per sorted
    partition (one small row each, collected) give each partition its offset.
    """
    ordered = (frame.orderBy(*order)
               .withColumn("_mid", F.monotonically_increasing_id())
               .persist(StorageLevel.MEMORY_AND_DISK))
    part = F.shiftright("_mid", 33)
    sizes = sorted((r["p"], r["n"]) for r in
                   ordered.groupBy(part.alias("p")).agg(F.count("*").alias("n")).collect())
    offsets, total = [], 0
    for p, n in sizes:
        offsets.append((p, total))
        total += n
    spark = frame.sparkSession
    starts = spark.createDataFrame(offsets or [(0, 0)], "p long, offset long")
    within = F.col("_mid") - F.shiftleft(F.col("p"), 33)
    return (ordered.withColumn("p", part).join(F.broadcast(starts), "p")
            .withColumn(name, F.col("offset") + within)
            .drop("_mid", "p", "offset"))


def _blank_to_none(value: Any) -> str | None:
    # As load._blank_to_none: metadata is tidied, text never is.
    return (value.strip() or None) if isinstance(value, str) else None


def _tidy_rows(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Python's own str.strip decides what is blank, as in the local loader."""
    for frame in frames:
        frame = frame[[bool(text.strip()) for text in frame["text"]]].copy()
        for column in OPTIONAL_COLUMNS:
            frame[column] = [_blank_to_none(v) for v in frame[column]]
        yield frame


def _text(value: Any) -> str | None:
    # pandas may hand a null string over as NaN rather than None.
    return value if isinstance(value, str) else None


def _article(row: Any) -> Article:
    return Article(id=row.id, text=row.text, title=_text(row.title),
                   outlet=_text(row.outlet), date=_text(row.date), url=_text(row.url))


# --- stage 1: block recurrence (boilerplate by recurrence) -----------------------------------


def _block_key_rows(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    for frame in frames:
        keys = [_signed(np.fromiter(block_keys(text, split_blocks(text)), np.uint64))
                for text in frame["text"]]
        yield pd.DataFrame({"idx": frame["idx"], "outlet": frame["outlet"], "keys": keys})


def recurring_counts(articles: DataFrame) -> DataFrame:
    """(idx, counts): for each block of each article that recurs at all, how many
    articles and how many articles of the same outlet contain it.

    ``RecurringBlocks.is_chrome`` only ever asks about an article's own blocks, so the
    counts joined back here are all it needs; a block found in one article only cannot
    be chrome by recurrence and is dropped before the join.
    """
    keys = articles.select("idx", "text", "outlet").mapInPandas(
        _block_key_rows, "idx long, outlet string, keys array<long>")
    exploded = keys.select("idx", "outlet", F.explode("keys").alias("key"))
    doc_counts = exploded.groupBy("key").agg(F.count("*").alias("docs")).where("docs >= 2")
    outlet_counts = (exploded.where(F.col("outlet").isNotNull())
                     .groupBy("outlet", "key").agg(F.count("*").alias("in_outlet")))
    joined = (exploded.join(doc_counts, "key")
              .join(outlet_counts, ["outlet", "key"], "left")
              .fillna(0, ["in_outlet"]))
    return joined.groupBy("idx").agg(
        F.collect_list(F.struct("key", "docs", "in_outlet")).alias("counts"))


def _recurring(outlet: str | None, counts: Any) -> RecurringBlocks:
    """A RecurringBlocks holding just the counts of one article's recurring blocks."""
    recurring = RecurringBlocks()
    for item in counts if counts is not None else ():
        key = int(np.int64(item["key"]).view(np.uint64))
        recurring.doc_counts[key] = int(item["docs"])
        if outlet:
            recurring.outlet_counts[(outlet, key)] = int(item["in_outlet"])
    return recurring


# --- stage 2: per-article features -----------------------------------------------------------

_FEATURES_SCHEMA = ("idx long, size int, passages int, blob binary, shingles array<long>, "
                    "terms array<string>, bands array<binary>")


def _signed(values: np.ndarray) -> list[int]:
    """uint64 hashes as Spark longs (same bits)."""
    return values.astype(np.uint64).view(np.int64).tolist()


@dataclass(frozen=True)
class _Banding:
    """What band keys are made with: built once on the driver (``lsh_shape`` is slow)."""

    settings: CandidateSettings
    doc_shape: tuple[int, int]
    passage_shape: tuple[int, int]

    @classmethod
    def of(cls, settings: CandidateSettings) -> _Banding:
        return cls(settings, lsh_shape(settings.doc_threshold, settings.doc_perm),
                   lsh_shape(settings.passage_threshold, settings.passage_perm))


def _band_keys(features: Features, banding: _Banding,
               doc_hasher: MinHasher, passage_hasher: MinHasher) -> tuple[list[bytes], int]:
    """LSH band keys of the whole article and of its passages, and the passage count.

    A key is (namespace, band, band hash): articles with equal keys share a bucket in
    ``find_candidates``, whose band rows are ``article_bands``'s too.
    """
    if not len(features.shingles):
        return [], 0
    doc, passages = article_bands(features.shingles, banding.settings, doc_hasher,
                                  passage_hasher)
    keys: list[bytes] = []
    for namespace, hashes, shape in ((_DOC_BAND, doc, banding.doc_shape),
                                     (_PASSAGE_BAND, passages, banding.passage_shape)):
        for band in range(shape[0]):
            # A band hash repeated across passages is one bucket entry for the article.
            for value in np.unique(hashes[:, band]).tolist():
                keys.append(bytes([namespace]) + band.to_bytes(2, "big")
                            + int(value).to_bytes(8, "big"))
    return keys, len(passages)


def _first_seen(words: list[str]) -> list[str]:
    """Distinct words in order of first occurrence (their TF-IDF fit order, see below)."""
    return list(dict.fromkeys(words))


def _feature_rows(banding: _Banding) -> Any:
    def run(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        doc_hasher, passage_hasher = hashers(banding.settings)
        for frame in frames:
            out: dict[str, list[Any]] = {c: [] for c in
                                         ("idx", "size", "passages", "blob", "shingles",
                                          "terms", "bands")}
            for row in frame.itertuples(index=False):
                article = _article(row)
                spans = split_blocks(article.text)
                labelled = classify_blocks(article.text, article.title, article.outlet,
                                           _recurring(article.outlet, row.counts), spans)
                features = featurize(article, labelled)
                bands, passages = _band_keys(features, banding, doc_hasher, passage_hasher)
                out["idx"].append(row.idx)
                out["size"].append(features.size)
                out["passages"].append(passages)
                out["blob"].append(pickle.dumps((labelled, features), protocol=PICKLE))
                out["shingles"].append(_signed(np.unique(features.shingles)))
                out["terms"].append(_first_seen(features.tokens.words))
                out["bands"].append(bands)
            yield pd.DataFrame(out)
    return run


def article_features(articles: DataFrame, counts: DataFrame, settings: Settings) -> DataFrame:
    """Per article: labelled blocks and Features (one blob), distinct shingles, distinct
    words in first-seen order, LSH band keys. Persisted: every later stage reads it."""
    joined = articles.join(counts, "idx", "left")
    feats = joined.mapInPandas(_feature_rows(_Banding.of(settings.candidates)), _FEATURES_SCHEMA)
    return feats.persist(StorageLevel.MEMORY_AND_DISK)


# --- stage 3: candidates ---------------------------------------------------------------------


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
                fps.append(pickle.dumps((distinct, fp.quoted[0], indices, values,
                                         fp.figures[0]), protocol=PICKLE))
            yield pd.DataFrame({"idx": frame["idx"], "fp": fps})
    return run


def fingerprints(feats: DataFrame, common: Any, vocabulary: Any) -> DataFrame:
    """(idx, fp): distinct shingles without templates, quoted shingles, TF-IDF row,
    figures."""
    return feats.select("idx", "blob").mapInPandas(
        _fingerprint_rows(common, vocabulary), "idx long, fp binary",
    ).persist(StorageLevel.MEMORY_AND_DISK)


# --- stage 5: verification -------------------------------------------------------------------

_EVIDENCE_SCHEMA = ("a long, b long, shared long, unquoted long, containment_a double, "
                    "containment_b double, cosine double, facts long, facts_shared long")


def _rows_matrix(fps: Sequence[tuple[Any, ...]], width: int) -> csr_matrix:
    """The TF-IDF rows of several fingerprints as one matrix, entries in stored order."""
    lengths = [len(f[2]) for f in fps]
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    data = np.concatenate([f[3] for f in fps]) if fps else np.empty(0, np.float32)
    indices = np.concatenate([f[2] for f in fps]) if fps else np.empty(0, np.int32)
    return csr_matrix((data.astype(np.float32), indices, indptr), shape=(len(fps), width))


def _verify_rows(settings: Settings, width: int) -> Any:
    def run(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for frame in frames:
            # The batch's articles, renumbered, go through verify_pairs itself: whatever
            # it computes per pair (evidence, cosine) is computed the same way here.
            local: dict[int, int] = {}
            fps: list[tuple[Any, ...]] = []
            for idx, blob in [*zip(frame["a"], frame["fp_a"], strict=True),
                              *zip(frame["b"], frame["fp_b"], strict=True)]:
                if idx not in local:
                    local[idx] = len(fps)
                    fps.append(pickle.loads(blob))
            nodes = list(local)
            fp = Fingerprints([f[0] for f in fps], [f[1] for f in fps], np.empty(0, np.uint64),
                              [f[4] for f in fps])
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


# --- stage 6: connected components -----------------------------------------------------------


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
    distinct = [pickle.loads(fp)[0] for fp in frame["fp"]]
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


# --- stage 8: alignment ----------------------------------------------------------------------


def _global(alignment: MemberAlignment, nodes: Sequence[int]) -> MemberAlignment:
    """A member's alignment with cluster-local article numbers made corpus indices."""
    return dataclasses.replace(
        alignment,
        index=nodes[alignment.index],
        cut=[dataclasses.replace(p, article=nodes[p.article]) for p in alignment.cut],
        changed=[dataclasses.replace(
            c, origin=dataclasses.replace(c.origin, article=nodes[c.origin.article]))
            for c in alignment.changed],
    )


def _align_rows() -> Any:
    def run(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.sort_values("idx")
        nodes = frame["idx"].tolist()
        number, source = int(frame["number"].iloc[0]), int(frame["source"].iloc[0])
        articles = [_article(row) for row in frame.itertuples(index=False)]
        unpacked = [pickle.loads(blob) for blob in frame["blob"]]
        blocks = [labelled for labelled, _ in unpacked]
        features = [f for _, f in unpacked]
        local_source = nodes.index(source)
        aligned = align_cluster(range(len(nodes)), local_source, articles, features, blocks)
        cluster_id = f"C{number}"
        # The report's cluster object, rendered here where the member texts are.
        local = Analysis(articles, [], [], [ClusterResult(cluster_id, local_source, aligned)],
                         [], [], CandidateStats())
        report = json.dumps(to_dict(local)["clusters"][0], ensure_ascii=False)
        members = [_global(m, nodes) for m in aligned]
        return pd.DataFrame({"number": [number], "id": [cluster_id], "source": [source],
                             "alignment": [pickle.dumps(members, protocol=PICKLE)],
                             "report": [report]})
    return run


def align_clusters(clusters: DataFrame, articles: DataFrame, feats: DataFrame) -> DataFrame:
    """(number, id, source, alignment, report) per cluster: ``align_cluster`` on the
    members, grouped by cluster; ``report`` is the cluster's JSON report object."""
    members = (clusters.select("number", "source", F.explode("members").alias("idx"))
               .join(articles, "idx").join(feats.select("idx", "blob"), "idx"))
    return members.groupBy("number").applyInPandas(
        _align_rows(),
        "number long, id string, source long, alignment binary, report string",
    ).persist(StorageLevel.MEMORY_AND_DISK)


# --- stage 9: related coverage ---------------------------------------------------------------


def _similar_rows(members: Any, width: int, window_days: int | None) -> Any:
    """Per partition of all articles: each member's TF-IDF cosine with them, as
    ``related.related_candidates`` computes it (members' rows times the articles' rows), for the
    articles within the member's window."""
    def run(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        nodes, matrix, cluster_of, member_days = members.value
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
                         or within_window(member_days[lo + r], days[c], window_days)))
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
    members = spark.sparkContext.broadcast((nodes, matrix, cluster_of, member_days))
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


# --- the whole run ---------------------------------------------------------------------------


@dataclass
class SparkRun:
    """The distributed result: DataFrames, nothing collected yet."""

    articles: DataFrame  # idx, id, text, title, outlet, date, url
    clusters: DataFrame  # number, id, source, alignment (pickled), report (JSON)
    related: DataFrame  # a, b, score
    copies: DataFrame  # a, b and the evidence of every verified pair
    candidate_stats: CandidateStats


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


def to_analysis(result: SparkRun, with_pairs: bool = False) -> Analysis:
    """Collect a run into the ``Analysis`` the report module renders.

    Brings to the driver what a one-file report holds anyway: every article (the
    report lists them all), every cluster's alignment and the related pairs. Blocks
    and features stay on the executors (the reports do not read them); the verified
    pairs are collected only with ``with_pairs`` (they can be many).
    """
    rows = result.articles.orderBy("idx").collect()
    articles = [_article(row) for row in rows]
    clusters = [
        ClusterResult(row["id"], row["source"], pickle.loads(row["alignment"]))
        for row in result.clusters.orderBy("number").collect()
    ]
    related = [Related(row["a"], row["b"], SAME_STORY, row["score"])
               for row in result.related.orderBy("a", "b").collect()]
    copies: list[PairEvidence] = []
    if with_pairs:
        copies = [PairEvidence(*row) for row in
                  result.copies.orderBy("a", "b").collect()]
    return Analysis(articles, {}, {}, clusters, copies, related, result.candidate_stats)


# --- Parquet output --------------------------------------------------------------------------

_SPAN = "struct<start:int,end:int,label:string,text:string>"
_CHANGE = ("struct<start:int,end:int,kind:string,text:string,"
           "from:struct<id:string,start:int,end:int>>")
_CUT = "struct<id:string,start:int,end:int,text:string>"
MEMBERS_SCHEMA = (f"array<struct<id:string,relation:string,shared_fraction:double,"
                  f"adds_commentary:boolean,credit:string,added:array<{_SPAN}>,"
                  f"changed:array<{_CHANGE}>,cut:array<{_CUT}>>>")


def write_parquet(result: SparkRun, out_dir: str) -> None:
    """The JSON report as three Parquet datasets under ``out_dir`` (documents, clusters,
    related), same fields plus ``position`` (the order of the JSON report: Parquet
    readers do not keep row order), written by the executors: nothing is collected."""
    base = out_dir.rstrip("/")
    (result.articles
     .select(F.col("idx").alias("position"), "id", "outlet", "title", "date",
             F.length("text").alias("length"))
     .write.parquet(f"{base}/documents"))
    report = F.from_json("report", f"struct<id:string,source:string,members:{MEMBERS_SCHEMA}>")
    (result.clusters.select((F.col("number") - 1).alias("position"), report.alias("c"))
     .select("position", "c.id", "c.source", "c.members").write.parquet(f"{base}/clusters"))
    ids = result.articles.select("idx", "id")
    related = (
        result.related
        .join(ids.select(F.col("idx").alias("a"), F.col("id").alias("a_id")), "a")
        .join(ids.select(F.col("idx").alias("b"), F.col("id").alias("b_id")), "b")
    )
    (numbered(related, ["a", "b"], "position")
     .select("position", F.col("a_id").alias("a"), F.col("b_id").alias("b"),
             F.lit(SAME_STORY).alias("kind"), "score")
     .write.parquet(f"{base}/related"))


if __name__ == "__main__":  # spark-submit .../dedup/spark_engine.py INPUT... [options]
    from dedup.cli import main

    main(["cluster", "--engine", "spark", *sys.argv[1:]])
