"""Stage 9: render an ``Analysis`` as text, JSON or CSV.

The JSON form is the stable contract (documented in the README): same input and
options, byte-identical output. Offsets in it are Python string indices into the
article text as loaded.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .pipeline import Analysis, ClusterResult

FORMATS = ("text", "json", "csv")


def _ordered_members(cluster: ClusterResult, analysis: Analysis) -> list[Any]:
    source, *others = cluster.members
    return [source, *sorted(others, key=lambda m: analysis.articles[m.index].id)]


def to_dict(analysis: Analysis) -> dict[str, Any]:
    articles = analysis.articles
    documents = [
        {"id": a.id, "outlet": a.outlet, "title": a.title, "date": a.date, "length": len(a.text)}
        for a in articles
    ]
    clusters = []
    for cluster in analysis.clusters:
        members = [
            {
                "id": articles[m.index].id,
                "relation": m.relation,
                "shared_fraction": round(m.shared_fraction, 4),
            }
            for m in _ordered_members(cluster, analysis)
        ]
        clusters.append(
            {"id": cluster.id, "source": articles[cluster.source].id, "members": members}
        )
    return {"documents": documents, "clusters": clusters}


def render_json(analysis: Analysis) -> str:
    return json.dumps(to_dict(analysis), ensure_ascii=False, indent=2) + "\n"


def render_csv(analysis: Analysis) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["cluster", "id", "outlet", "date", "relation", "shared_fraction", "is_source", "title"]
    )
    for cluster in analysis.clusters:
        for m in _ordered_members(cluster, analysis):
            a = analysis.articles[m.index]
            writer.writerow([
                cluster.id, a.id, a.outlet or "", a.date or "", m.relation,
                f"{m.shared_fraction:.4f}", int(m.index == cluster.source), a.title or "",
            ])
    return out.getvalue()


def _name(analysis: Analysis, index: int) -> str:
    a = analysis.articles[index]
    return a.outlet or a.id


def render_text(analysis: Analysis) -> str:
    articles = analysis.articles
    lines: list[str] = []
    clustered = {m.index for c in analysis.clusters for m in c.members}
    for cluster in analysis.clusters:
        source = articles[cluster.source]
        headline = source.title or source.id
        lines.append(f"{cluster.id}  {headline}  ({len(cluster.members)} articles)")
        when = f", {source.date}" if source.date else ""
        lines.append(f"    likely source: {_name(analysis, cluster.source)} [{source.id}]{when}")
        width = max(len(_name(analysis, m.index)) for m in cluster.members)
        for m in _ordered_members(cluster, analysis):
            a = articles[m.index]
            lines.append(
                f"    {_name(analysis, m.index):<{width}}  {m.relation:<8}  "
                f"shared {m.shared_fraction:>4.0%}  {a.id}"
            )
        lines.append("")
    unclustered = len(articles) - len(clustered)
    lines.append(
        f"{len(articles)} articles: {len(analysis.clusters)} copy clusters holding "
        f"{len(clustered)} articles; {unclustered} in no cluster."
    )
    stats = analysis.candidate_stats
    lines.append(
        f"{stats.pairs} candidate pairs from MinHash LSH, {len(analysis.copy_pairs)} verified "
        "as sharing copy."
    )
    return "\n".join(lines) + "\n"


def render(analysis: Analysis, fmt: str) -> str:
    if fmt == "json":
        return render_json(analysis)
    if fmt == "csv":
        return render_csv(analysis)
    return render_text(analysis)
