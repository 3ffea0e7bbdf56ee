"""The distributed result (``SparkRun``) and its two ways out: ``to_analysis`` collects it
into the ``Analysis`` the report module renders, ``write_parquet`` writes the JSON report as
Parquet datasets from the executors."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..candidates import CandidateStats
from ..pipeline import Analysis, ClusterResult
from ..related import Related
from ..verify import PairEvidence
from ..vocabulary import SAME_STORY
from ._input import numbered
from ._rows import _article

__all__ = ["MEMBERS_SCHEMA", "SparkRun", "to_analysis", "write_parquet"]


@dataclass
class SparkRun:
    """The distributed result: DataFrames, nothing collected yet."""

    articles: DataFrame  # idx, id, text, title, outlet, date, url
    clusters: DataFrame  # number, id, source, alignment (pickled), report (JSON)
    related: DataFrame  # a, b, score
    copies: DataFrame  # a, b and the evidence of every verified pair
    candidate_stats: CandidateStats


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
