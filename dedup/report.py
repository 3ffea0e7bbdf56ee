"""Stage 9: render an ``Analysis`` as text, JSON or CSV.

The JSON form is the stable contract (documented in the README): same input and
options, byte-identical output. Every offset in it is a Python string index into the
text of the article it names, as loaded; every span carries its ``text`` so a consumer
can check that ``article_text[start:end] == text``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from .load import ArticleStore
from .vocabulary import BOILERPLATE, COMMENTARY, OTHER, SOURCE

if TYPE_CHECKING:  # the command line imports this module to start: keep SciPy out of it
    from .align import MemberAlignment
    from .pipeline import Analysis, ClusterResult

REPORT_FORMATS = ("text", "json", "csv", "html")


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun, singular for one: "1 article", "2 articles", "0 articles"."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
EXCERPT_CHARS = 110


def ordered_members(cluster: ClusterResult, analysis: Analysis) -> list[MemberAlignment]:
    """The source first, then the other members by article id."""
    source, *others = cluster.members
    return [source, *sorted(others, key=lambda m: analysis.articles[m.index].id)]


def _member_dict(m: MemberAlignment, analysis: Analysis) -> dict[str, Any]:
    articles = analysis.articles
    text = articles[m.index].text
    return {
        "id": articles[m.index].id,
        "relation": m.relation,
        "shared_fraction": round(m.shared_fraction, 4),
        "adds_commentary": m.adds_commentary,
        "credit": m.credit,
        "added": [
            {"start": s.start, "end": s.end, "label": s.label, "text": s.text} for s in m.added
        ],
        "changed": [
            {
                "start": c.start,
                "end": c.end,
                "kind": c.kind,
                "text": text[c.start : c.end],
                "from": {
                    "id": articles[c.origin.article].id,
                    "start": c.origin.start,
                    "end": c.origin.end,
                },
            }
            for c in m.changed
        ],
        "cut": [
            {
                "id": articles[p.article].id,
                "start": p.start,
                "end": p.end,
                "text": articles[p.article].text[p.start : p.end],
            }
            for p in m.cut
        ],
    }


def to_dict(analysis: Analysis) -> dict[str, Any]:
    report = _report(analysis)
    report["documents"] = list(report["documents"])
    return report


_DOCUMENT_FIELDS = ("id", "outlet", "title", "date", "length")


def _described(articles: Sequence[Any], i: int) -> tuple[Any, ...]:
    """``_DOCUMENT_FIELDS`` of article ``i``: a store has them without reading the text."""
    if isinstance(articles, ArticleStore):
        return articles.described(i)
    a = articles[i]
    return a.id, a.outlet, a.title, a.date, len(a.text)


class _Documents(list):  # type: ignore[type-arg]
    """The report's documents, made one at a time as the JSON encoder reaches them:
    a dict per article of a million-article corpus, all at once, is most of the report's
    memory. Python's JSON encoder, which ``indent`` selects, asks a list for its length
    and iterates it, so the text is the one ``json.dumps`` writes of the full list."""

    def __init__(self, articles: Sequence[Any]) -> None:
        super().__init__()
        self._articles = articles

    def __len__(self) -> int:
        return len(self._articles)

    def __bool__(self) -> bool:
        return bool(self._articles)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (dict(zip(_DOCUMENT_FIELDS, _described(self._articles, i), strict=True))
                for i in range(len(self._articles)))


def _report(analysis: Analysis) -> dict[str, Any]:
    articles = analysis.articles
    documents = _Documents(articles)
    clusters = [
        {
            "id": cluster.id,
            "source": articles[cluster.source].id,
            "members": [_member_dict(m, analysis) for m in ordered_members(cluster, analysis)],
        }
        for cluster in analysis.clusters
    ]
    related = [
        {"a": articles[r.a].id, "b": articles[r.b].id, "kind": r.kind, "score": r.score}
        for r in analysis.related
    ]
    return {"documents": documents, "clusters": clusters, "related": related}


def render_json(analysis: Analysis) -> str:
    out = io.StringIO()
    write_json(analysis, out)
    return out.getvalue()


def write_json(analysis: Analysis, out: TextIO) -> None:
    """``render_json`` written to ``out`` as it is encoded: the report of a large corpus
    is never one string (nor a list of the pieces that join into one)."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2)
    pending: list[str] = []
    for chunk in encoder.iterencode(_report(analysis)):
        pending.append(chunk)
        if len(pending) >= 4096:
            out.write("".join(pending))
            pending.clear()
    pending.append("\n")
    out.write("".join(pending))


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: object) -> str:
    """``value`` as a CSV cell a spreadsheet shows as text: a leading single quote before a
    formula character (OWASP's advice); a number, such as -0.5, is left as it is."""
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def render_csv(analysis: Analysis) -> str:

    out = io.StringIO()
    writer = _NeutralWriter(csv.writer(out, lineterminator="\n"))
    writer.writerow([
        "cluster", "id", "outlet", "date", "relation", "shared_fraction", "is_source",
        "adds_commentary", "credit", "commentary_chars", "other_chars", "boilerplate_chars",
        "cut_passages", "title",
    ])
    for cluster in analysis.clusters:
        for m in ordered_members(cluster, analysis):
            a = analysis.articles[m.index]
            chars = _added_chars(m)
            writer.writerow([
                cluster.id, a.id, a.outlet or "", a.date or "", m.relation,
                f"{m.shared_fraction:.4f}", int(m.relation == SOURCE), int(m.adds_commentary),
                m.credit or "", chars[COMMENTARY], chars[OTHER], chars[BOILERPLATE],
                len(m.cut), a.title or "",
            ])
    return out.getvalue()


class _NeutralWriter:
    """A csv writer whose every cell goes through ``csv_cell``."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Sequence[object]) -> None:
        self._writer.writerow([csv_cell(cell) for cell in row])


def _added_chars(m: MemberAlignment) -> dict[str, int]:
    chars = {COMMENTARY: 0, OTHER: 0, BOILERPLATE: 0}
    for s in m.added:
        chars[s.label] += s.end - s.start
    return chars


def _name(analysis: Analysis, index: int) -> str:
    a = analysis.articles[index]
    return a.outlet or a.id


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_CHARS else flat[: EXCERPT_CHARS - 1].rstrip() + "…"


def _member_lines(m: MemberAlignment, analysis: Analysis, width: int) -> list[str]:
    a = analysis.articles[m.index]
    chars = _added_chars(m)
    credit = f"credit {m.credit}" if m.credit else "no credit"
    ident = f"  {a.id}" if a.outlet else ""
    lines = [
        f"  {_name(analysis, m.index):<{width}}  {m.relation:<8} shared {m.shared_fraction:>4.0%}"
        f"  {credit}{ident}"
    ]
    facts = []
    if m.cut:
        facts.append(f"cut {len(m.cut)} passage{'s' * (len(m.cut) != 1)}")
    if m.changed:
        facts.append(f"changed {len(m.changed)}")
    for label in (COMMENTARY, OTHER, BOILERPLATE):
        if chars[label]:
            facts.append(f"added {label} {counted(chars[label], 'char')}")
    if facts:
        lines.append(f"  {'':<{width}}  " + "; ".join(facts))
    for s in m.added:
        if s.label == COMMENTARY:
            lines.append(f"  {'':<{width}}    commentary [{s.start}:{s.end}] {_excerpt(s.text)}")
    return lines


def render_text(analysis: Analysis) -> str:
    articles = analysis.articles
    lines: list[str] = []
    clustered = {m.index for c in analysis.clusters for m in c.members}
    related_by_article: dict[int, list[int]] = {}
    for r in analysis.related:
        related_by_article.setdefault(r.a, []).append(r.b)
        related_by_article.setdefault(r.b, []).append(r.a)
    for cluster in analysis.clusters:
        source = articles[cluster.source]
        headline = source.title or source.id
        lines.append(f"{cluster.id}  {headline}  ({counted(len(cluster.members), 'article')})")
        when = f", {source.date}" if source.date else ""
        lines.append(f"  likely source: {_name(analysis, cluster.source)}{when}")
        width = max(len(_name(analysis, m.index)) for m in cluster.members)
        for m in ordered_members(cluster, analysis):
            lines.extend(_member_lines(m, analysis, width))
        members = {m.index for m in cluster.members}
        outside = sorted({b for i in members for b in related_by_article.get(i, [])} - members)
        if outside:
            names = ", ".join(_name(analysis, b) for b in outside)
            lines.append(f"  related coverage, no shared copy: {names}")
        lines.append("")
    commentators = sorted({
        _name(analysis, m.index) for c in analysis.clusters for m in c.members
        if m.adds_commentary
    })
    uncredited = sorted({
        _name(analysis, m.index) for c in analysis.clusters for m in c.members
        if not m.credit
    })
    lines.append(
        f"{counted(len(articles), 'article')}: {counted(len(analysis.clusters), 'copy cluster')}"
        f" holding {counted(len(clustered), 'article')}; {len(articles) - len(clustered)} in no"
        " cluster."
    )
    lines.append("Added commentary: " + (", ".join(commentators) if commentators else "none"))
    lines.append("Members carrying no agency credit: " + (", ".join(uncredited) or "none"))
    return "\n".join(lines) + "\n"


def render(analysis: Analysis, fmt: str) -> str:
    if fmt == "html":  # imported here: html_report builds on to_dict() from this module
        from .html_report import render_html

        return render_html(analysis)
    if fmt == "json":
        return render_json(analysis)
    if fmt == "csv":
        return render_csv(analysis)
    return render_text(analysis)
