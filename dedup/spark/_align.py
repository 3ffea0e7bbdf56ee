"""Stage 8 on Spark: alignment. The stage is ``align_clusters``: ``align.align_cluster`` on
each cluster's members, grouped by cluster, which also renders the cluster's JSON report
object where the member texts are."""

from __future__ import annotations

import dataclasses
import json
import pickle
from collections.abc import Sequence
from typing import Any

import pandas as pd
from pyspark import StorageLevel
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..align import MemberAlignment, align_cluster
from ..candidates import CandidateStats
from ..pipeline import Analysis, ClusterResult
from ..report import to_dict
from ._rows import PICKLE, _article

__all__ = ["align_clusters"]


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
