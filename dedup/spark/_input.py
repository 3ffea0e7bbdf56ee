"""Reading articles into a DataFrame numbered as the local loader numbers them, and the
numbering itself (``numbered``), which later stages use for report order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd
from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from ..load import InputError

__all__ = ["OPTIONAL_COLUMNS", "numbered", "read_articles"]


OPTIONAL_COLUMNS = ("title", "outlet", "date", "url")
_INPUT_SCHEMA = "id string, text string, title string, outlet string, date string, url string"


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
