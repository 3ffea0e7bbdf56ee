"""Render an ``Analysis`` as one self-contained HTML page (``--format html``).

The page has no external resources (inline CSS and JS, no network) so it opens from
disk or as a mail attachment. The CSS and JS are kept in dedup/assets/report.css and
report.js (package data) and inlined. It is built from the JSON contract (``report.to_dict``)
plus the article texts, nothing else from the pipeline, so it shows exactly what the
JSON says.

Safety: every piece of article text and metadata goes through ``html.escape`` with
``quote=True``; element ids and anchors are generated here (never taken from input);
the script embeds no data at all (it reads the escaped ``data-*`` attributes), so
there is no JSON-in-<script> context to get wrong.

Determinism: no timestamps, no randomness, the order of ``to_dict``: same analysis,
byte-identical page.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from .report import counted, to_dict
from .vocabulary import ADDED_LABELS

__all__ = ["render_html", "segments"]

if TYPE_CHECKING:  # only for the signature: the page is built from to_dict() and the texts
    from .pipeline import Analysis

SHARED = "shared"
TOOLTIP_CHARS = 300  # a longer "reworded from" tooltip is cut: it is a hint, not the text

Doc = Mapping[str, Any]


def render_html(analysis: Analysis) -> str:
    """The whole report as one HTML document."""
    report = to_dict(analysis)
    return _page(report, _TextsById(analysis.articles))


class _TextsById(Mapping[str, str]):
    """Article texts by id, read when asked for: an ArticleStore's stay on disk."""

    def __init__(self, articles: Sequence[Any]) -> None:
        self._articles = articles
        self._index = {a.id: k for k, a in enumerate(articles)}

    def __getitem__(self, article_id: str) -> str:
        return str(self._articles[self._index[article_id]].text)

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def _e(value: object) -> str:
    """Escape for both element content and quoted attribute values."""
    return html.escape(str(value), quote=True)


# --- page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """What every part of the page needs to look up: documents, texts, anchors."""

    docs: Mapping[str, Doc]
    texts: Mapping[str, str]
    doc_anchor: Mapping[str, str]  # article id -> fragment id of its view on the page
    related: Mapping[str, list[tuple[str, float]]]  # article id -> [(other id, score)]

    def name(self, article_id: str) -> str:
        doc = self.docs.get(article_id, {})
        return doc.get("outlet") or article_id

    def headline(self, article_id: str) -> str:
        doc = self.docs.get(article_id, {})
        return doc.get("title") or article_id


def _page(report: Mapping[str, Any], texts: Mapping[str, str]) -> str:
    clusters: list[Doc] = report["clusters"]
    ctx = _Context(
        docs={d["id"]: d for d in report["documents"]},
        texts=texts,
        doc_anchor=_anchors(report),
        related=_related_index(report["related"]),
    )
    clustered = {m["id"] for c in clusters for m in c["members"]}
    loose = [d for d in report["documents"] if d["id"] not in clustered]
    parts = [
        _head(len(clusters)),
        '<a class="skip" href="#clusters">Skip to the clusters</a>',
        '<main class="wrap">',
        _intro(report, clustered, ctx),
        _controls(len(clusters)),
        _overview(clusters, ctx),
        '<div id="clusters">',
        *(_cluster_section(n, c, ctx) for n, c in enumerate(clusters)),
        "</div>",
        _loose_section(loose, ctx),
        "</main>",
        f"<script>\n{_asset('report.js')}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _anchors(report: Mapping[str, Any]) -> dict[str, str]:
    """Fragment ids made here, from positions: article ids may hold anything."""
    anchors: dict[str, str] = {}
    for n, cluster in enumerate(report["clusters"]):
        for k, member in enumerate(cluster["members"]):
            anchors.setdefault(member["id"], f"{_cluster_anchor(n)}-{k + 1}")
    for n, doc in enumerate(report["documents"]):
        anchors.setdefault(doc["id"], f"doc-{n + 1}")
    return anchors


def _cluster_anchor(n: int) -> str:
    return f"C{n + 1}"


def _related_index(related: Iterable[Doc]) -> dict[str, list[tuple[str, float]]]:
    index: dict[str, list[tuple[str, float]]] = {}
    for r in related:
        index.setdefault(r["a"], []).append((r["b"], r["score"]))
        index.setdefault(r["b"], []).append((r["a"], r["score"]))
    return index


def _head(n_clusters: int) -> str:
    plural = "s" * (n_clusters != 1)
    return (
        '<!DOCTYPE html>\n<html lang="en" class="no-js">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>dedup: {n_clusters} copy cluster{plural}</title>\n"
        f"<style>\n{_asset('report.css')}</style>\n</head>\n<body>"
    )


def _intro(report: Mapping[str, Any], clustered: set[str], ctx: _Context) -> str:
    n_docs = len(report["documents"])
    n_clusters = len(report["clusters"])
    members = [m for c in report["clusters"] for m in c["members"]]
    commentators = sorted({ctx.name(m["id"]) for m in members if m["adds_commentary"]})
    uncredited = sorted({ctx.name(m["id"]) for m in members if not m["credit"]})
    return (
        '<header class="intro">\n<h1>Copy clusters</h1>\n'
        f'<p class="summary">{counted(n_docs, "article")}: {counted(n_clusters, "copy cluster")}'
        f" holding {counted(len(clustered), 'article')}; {n_docs - len(clustered)} in no"
        " cluster.</p>\n"
        '<dl class="facts">'
        f"<dt>Added commentary</dt><dd>{_e(', '.join(commentators) or 'none')}</dd>"
        f"<dt>No agency credit</dt><dd>{_e(', '.join(uncredited) or 'none')}</dd>"
        "</dl>\n</header>"
    )


def _controls(n_clusters: int) -> str:
    # Real form controls, so the keyboard and screen readers get them for free; the
    # script wires them up (and removes the "no-js" class that hides them otherwise).
    sorts = (("order", "report order"), ("size", "size"), ("headline", "headline"),
             ("date", "date"))
    buttons = "".join(
        f'<button type="button" data-sort="{key}" aria-pressed="{str(key == "order").lower()}">'
        f"{label}</button>"
        for key, label in sorts
    )
    return (
        '<section class="controls" aria-label="Filter and sort the clusters">\n'
        '<label class="check"><input type="checkbox" id="only-commentary"> '
        "Only clusters where an outlet added commentary</label>\n"
        '<label class="search">Find outlet, headline, credit or id '
        '<input type="search" id="find" autocomplete="off"></label>\n'
        f'<div class="sort" role="group" aria-label="Sort clusters by">Sort by {buttons}</div>\n'
        f'<p id="status" role="status" aria-live="polite">Showing {n_clusters} of '
        f"{counted(n_clusters, 'cluster')}</p>\n</section>"
    )


# --- overview --------------------------------------------------------------------------


def _overview(clusters: Sequence[Doc], ctx: _Context) -> str:
    cards = "\n".join(_card(n, c, ctx) for n, c in enumerate(clusters))
    empty = "<p>No copy clusters: no two articles share copy.</p>" if not clusters else ""
    return (
        '<section class="overview" aria-labelledby="overview-title">\n'
        '<h2 id="overview-title">Overview</h2>\n'
        f'{empty}<ol id="overview" class="cards">\n{cards}\n</ol>\n</section>'
    )


def _sort_attrs(n: int, cluster: Doc, ctx: _Context) -> str:
    """The data-* attributes the script sorts and filters by (escaped like any text)."""
    source = ctx.docs.get(cluster["source"], {})
    members = cluster["members"]
    commentary = any(m["adds_commentary"] for m in members)
    words = [ctx.headline(cluster["source"]), *(m["id"] for m in members)]
    words += [ctx.name(m["id"]) for m in members]
    words += [m["credit"] for m in members if m["credit"]]  # "afp" finds AFP-credited copies
    return (
        f'data-cluster="{_cluster_anchor(n)}" data-order="{n}" data-size="{len(members)}" '
        f'data-headline="{_e(ctx.headline(cluster["source"]))}" '
        f'data-date="{_e(source.get("date") or "")}" '
        f'data-commentary="{str(commentary).lower()}" '
        f'data-search="{_e(" ".join(words).lower())}"'
    )


def _card(n: int, cluster: Doc, ctx: _Context) -> str:
    anchor = _cluster_anchor(n)
    members = cluster["members"]
    rows = "\n".join(_member_row(m, ctx) for m in members)
    flag = (
        ' <span class="chip chip-commentary">commentary added</span>'
        if any(m["adds_commentary"] for m in members) else ""
    )
    return (
        f'<li class="card" {_sort_attrs(n, cluster, ctx)}>\n'
        f'<h3><a href="#{anchor}"><span class="cid">{anchor}</span> '
        f"{_e(ctx.headline(cluster['source']))}</a></h3>\n"
        f'<p class="meta">{counted(len(members), "article")} · likely source '
        f"{_source_line(cluster, ctx)}{flag}</p>\n"
        '<table class="members-table">\n'
        f'<caption class="sr-only">Members of {anchor}</caption>\n'
        '<thead><tr><th scope="col">Outlet</th><th scope="col">Relation</th>'
        '<th scope="col">Shared</th><th scope="col">Commentary</th>'
        '<th scope="col">Credit</th></tr></thead>\n'
        f"<tbody>\n{rows}\n</tbody>\n</table>\n"
        f"{_related_line(cluster, ctx)}</li>"
    )


def _source_line(cluster: Doc, ctx: _Context) -> str:
    source = ctx.docs.get(cluster["source"], {})
    when = f", {_e(source['date'])}" if source.get("date") else ""
    return f"<strong>{_e(ctx.name(cluster['source']))}</strong>{when}"


def _member_row(member: Doc, ctx: _Context) -> str:
    mid = member["id"]
    ident = f' <span class="id">{_e(mid)}</span>' if ctx.name(mid) != mid else ""
    commentary = (
        '<span class="chip chip-commentary">commentary</span>'
        if member["adds_commentary"] else '<span class="none">none</span>'
    )
    return (
        f'<tr><th scope="row" data-th="Outlet"><a href="#{ctx.doc_anchor[mid]}">'
        f"{_e(ctx.name(mid))}</a>{ident}</th>"
        f'<td data-th="Relation">{_e(member["relation"])}</td>'
        f'<td data-th="Shared">{_shared_bar(member["shared_fraction"])}</td>'
        f'<td data-th="Commentary">{commentary}</td>'
        f'<td data-th="Credit">{_credit(member["credit"])}</td></tr>'
    )


def _shared_bar(fraction: float) -> str:
    # The number is the information; the bar is only a visual aid next to it.
    pct = round(fraction * 100)
    return (
        f'<span class="pct">{pct}%</span> '
        f'<span class="bar" aria-hidden="true"><span style="width:{pct}%"></span></span>'
    )


def _credit(credit: str | None) -> str:
    if credit:
        return f'<span class="chip chip-credit">credit {_e(credit)}</span>'
    return '<span class="chip chip-nocredit">no credit</span>'


def _related_line(cluster: Doc, ctx: _Context) -> str:
    members = {m["id"] for m in cluster["members"]}
    best: dict[str, float] = {}
    for mid in sorted(members):
        for other, score in ctx.related.get(mid, []):
            if other not in members:
                best[other] = max(score, best.get(other, 0.0))
    if not best:
        return ""
    links = ", ".join(
        f'<a href="#{ctx.doc_anchor[other]}">{_e(ctx.headline(other))}</a>'
        f' <span class="id">({_e(ctx.name(other))})</span>'
        for other in sorted(best)
    )
    return f'<p class="related">Related coverage, no shared copy: {links}</p>\n'


# --- cluster view ----------------------------------------------------------------------


def _cluster_section(n: int, cluster: Doc, ctx: _Context) -> str:
    anchor = _cluster_anchor(n)
    members = "\n".join(_member_view(m, cluster, ctx) for m in cluster["members"])
    return (
        f'<section class="cluster" id="{anchor}" aria-labelledby="{anchor}-title" '
        f"{_sort_attrs(n, cluster, ctx)}>\n"
        f'<h2 id="{anchor}-title"><span class="cid">{anchor}</span> '
        f"{_e(ctx.headline(cluster['source']))}</h2>\n"
        f'<p class="meta">{counted(len(cluster["members"]), "article")} · likely source '
        f'{_source_line(cluster, ctx)} · <a href="#overview-title">back to the overview</a></p>\n'
        f"{_related_line(cluster, ctx)}{_LEGEND}\n"
        f'<div class="members">\n{members}\n</div>\n</section>'
    )


def _member_view(member: Doc, cluster: Doc, ctx: _Context) -> str:
    mid = member["id"]
    anchor = ctx.doc_anchor[mid]
    text = ctx.texts.get(mid, "")
    title = ctx.docs.get(mid, {}).get("title")
    date = ctx.docs.get(mid, {}).get("date")
    commentary = (
        ' <span class="chip chip-commentary">commentary</span>'
        if member["adds_commentary"] else ""
    )
    return (
        f'<article class="member" id="{anchor}" data-article="{_e(mid)}" '
        f'aria-labelledby="{anchor}-title">\n'
        f'<h3 id="{anchor}-title">{_e(ctx.name(mid))}</h3>\n'
        f'<p class="meta">{_member_meta(mid, date, ctx)}</p>\n'
        f'<p class="chips"><span class="chip chip-relation">{_e(member["relation"])}</span> '
        f'<span class="chip">shared {round(member["shared_fraction"] * 100)}%</span>'
        f"{commentary} {_credit(member['credit'])}</p>\n"
        f'<p class="counts">{_e(_counts(member))}</p>\n'
        f'<div class="text">{_text_view(text, title, member, ctx)}</div>\n'
        f"{_cut_list(member, cluster, ctx)}</article>"
    )


def _member_meta(mid: str, date: str | None, ctx: _Context) -> str:
    # The id is the heading already when the outlet is unknown: say it once.
    meta = [] if ctx.name(mid) == mid else [f'<span class="id">{_e(mid)}</span>']
    meta += [_e(date)] if date else []
    return " · ".join(meta) or "no date"


def _counts(member: Doc) -> str:
    """One line of what changed, in the words of the text report."""
    facts = []
    if member["cut"]:
        facts.append(f"cut {len(member['cut'])} passage{'s' * (len(member['cut']) != 1)}")
    if member["changed"]:
        facts.append(f"changed {len(member['changed'])}")
    for label in ADDED_LABELS:
        chars = sum(s["end"] - s["start"] for s in member["added"] if s["label"] == label)
        if chars:
            facts.append(f"added {label} {counted(chars, 'char')}")
    return "; ".join(facts) or "a verbatim copy"


@dataclass(frozen=True)
class _Segment:
    start: int
    end: int
    label: str | None  # None: the headline, shown plainly
    changed: Doc | None = None  # the `changed` entry a shared segment belongs to


def segments(text: str, title: str | None, added: Sequence[Doc],
             changed: Sequence[Doc] = ()) -> list[_Segment]:
    """Cover ``text`` from 0 to ``len(text)``: added spans keep their label, the rest is
    shared (split where a passage was changed), except a leading headline."""
    out: list[_Segment] = []
    cursor = 0
    for span in sorted(added, key=lambda s: (s["start"], s["end"])):
        start, end = max(span["start"], cursor), min(span["end"], len(text))
        if start >= end:  # overlaps an earlier span entirely: already shown once
            continue
        out.extend(_shared(text, cursor, start, changed))
        out.append(_Segment(start, end, span["label"]))
        cursor = end
    out.extend(_shared(text, cursor, len(text), changed))
    return _split_headline(text, title, out)


def _shared(text: str, start: int, end: int, changed: Sequence[Doc]) -> list[_Segment]:
    """The shared stretch [start, end), with changed passages as their own segments."""
    out: list[_Segment] = []
    cursor = start
    for c in sorted(changed, key=lambda c: (c["start"], c["end"])):
        lo, hi = max(c["start"], cursor), min(c["end"], end)
        if lo >= hi:
            continue
        if lo > cursor:
            out.append(_Segment(cursor, lo, SHARED))
        out.append(_Segment(lo, hi, SHARED, c))
        cursor = hi
    if end > cursor:
        out.append(_Segment(cursor, end, SHARED))
    return out


def _split_headline(text: str, title: str | None, segs: list[_Segment]) -> list[_Segment]:
    """Show the headline plainly when it leads the text inside a shared stretch: it is
    not counted as shared copy, and marking it shared would say it was copied."""
    if not title:
        return segs
    for i, seg in enumerate(segs):
        if seg.label == "boilerplate":  # a timestamp line above the headline, say
            continue
        if seg.label != SHARED:
            return segs
        piece = text[seg.start : seg.end]
        pos = piece.find(title) if seg.changed is None else -1
        if (piece if pos < 0 else piece[:pos]).strip():
            return segs  # copy comes first: the title does not lead this text
        if pos >= 0:
            h0, h1 = seg.start + pos, seg.start + pos + len(title)
            parts = [_Segment(seg.start, h0, SHARED), _Segment(h0, h1, None),
                     _Segment(h1, seg.end, SHARED)]
            return segs[:i] + [p for p in parts if p.end > p.start] + segs[i + 1 :]
    return segs


def _text_view(text: str, title: str | None, member: Doc, ctx: _Context) -> str:
    return "".join(
        _segment_html(text, seg, member["id"], ctx)
        for seg in segments(text, title, member["added"], member["changed"])
    )


def _segment_html(text: str, seg: _Segment, member_id: str, ctx: _Context) -> str:
    body = _e(text[seg.start : seg.end])
    if seg.label is None:
        return f'<span class="headline">{body}</span>'
    where = f"[{seg.start}:{seg.end}]"
    if seg.changed is not None:
        hint = _changed_hint(seg.changed, member_id, ctx)
        return (
            f'<span data-label="{SHARED}" class="changed" data-kind="{_e(seg.changed["kind"])}" '
            f'title="{_e(hint)}">{body}</span>'
        )
    if seg.label == SHARED:
        return f'<span data-label="{SHARED}">{body}</span>'
    return f'<span data-label="{_e(seg.label)}" title="{_e(seg.label)} {where}">{body}</span>'


def _changed_hint(change: Doc, member_id: str, ctx: _Context) -> str:
    origin = change["from"]
    if origin["id"] == member_id:  # an "edited" sentence names itself as its origin
        return f"{change['kind']}: some words differ from the other members' copy"
    source_text = ctx.texts.get(origin["id"], "")[origin["start"] : origin["end"]]
    flat = " ".join(source_text.split())
    if len(flat) > TOOLTIP_CHARS:
        flat = flat[: TOOLTIP_CHARS - 1].rstrip() + "…"
    return f"{change['kind']} from {ctx.name(origin['id'])}: {flat}"


def _cut_list(member: Doc, cluster: Doc, ctx: _Context) -> str:
    cuts = member["cut"]
    if not cuts:
        return ""
    items = "\n".join(
        f'<li><span class="tag">cut</span> <span data-label="cut">{_e(c["text"].strip())}</span>'
        f' <span class="where">from <a href="#{ctx.doc_anchor[c["id"]]}">'
        f'{_e(ctx.name(c["id"]))}</a> [{c["start"]}:{c["end"]}]</span></li>'
        for c in cuts
    )
    n = len(cuts)
    return (
        f'<details class="cuts"><summary>Cut: {n} passage{"s" * (n != 1)} the other '
        f"members carry and this one does not</summary>\n<ol>\n{items}\n</ol></details>\n"
    )


# --- articles in no cluster ------------------------------------------------------------


def _loose_section(loose: Sequence[Doc], ctx: _Context) -> str:
    if not loose:
        return ""
    items = "\n".join(_loose_doc(d, ctx) for d in loose)
    return (
        '<section class="loose" aria-labelledby="loose-title">\n'
        '<h2 id="loose-title">Articles in no cluster</h2>\n'
        f'<div class="loose-list">\n{items}\n</div>\n</section>'
    )


def _loose_doc(doc: Doc, ctx: _Context) -> str:
    did = doc["id"]
    anchor = ctx.doc_anchor[did]
    meta = [_e(did), *(_e(doc[k]) for k in ("outlet", "date") if doc.get(k))]
    related = sorted(ctx.related.get(did, []))
    same_story = ""
    if related:
        links = ", ".join(
            f'<a href="#{ctx.doc_anchor[other]}">{_e(ctx.name(other))}</a> '
            f'<span class="id">(score {score:.2f})</span>'
            for other, score in related
        )
        same_story = f'<p class="related">Same story, no shared copy: {links}</p>\n'
    return (
        f'<article class="doc" id="{anchor}" aria-labelledby="{anchor}-title">\n'
        f'<h3 id="{anchor}-title">{_e(ctx.headline(did))}</h3>\n'
        f'<p class="meta">{" · ".join(meta)}</p>\n{same_story}'
        f'<details><summary>Show the text ({doc["length"]} characters)</summary>\n'
        f'<div class="text plain">{_e(ctx.texts.get(did, ""))}</div></details>\n</article>'
    )


# --- static parts ----------------------------------------------------------------------

# Legend samples carry classes, not data-label: data-label marks article text only.
_LEGEND = (
    '<ul class="legend" aria-label="How the text is marked">'
    '<li><span class="sample sample-shared">shared copy</span> plain text</li>'
    '<li><span class="sample sample-commentary">commentary</span> the outlet\'s opinion, '
    "solid underline</li>"
    '<li><span class="sample sample-other">other addition</span> added reporting, '
    "dashed underline</li>"
    '<li><span class="sample sample-boilerplate">boilerplate</span> site chrome, '
    "grey and striped</li>"
    '<li><span class="sample sample-changed">changed</span> reworded copy, dotted underline</li>'
    '<li><span class="tag">cut</span> copy this member left out, listed below it '
    "on a tinted bar</li></ul>"
)


# report.css: Okabe-Ito hues (safe for the common colour-vision deficiencies), darkened
# where they carry text; every label also differs by line style, pattern or a text badge.
# report.js reads only data-* attributes the page already holds: no data embedded in the
# script. State can come from the URL fragment (#filter=commentary&sort=date&q=afp) so a
# view can be linked to and tested; "#selftest" records layout widths on <body>.
@cache
def _asset(name: str) -> str:
    """A file of dedup/assets (package data): the page's stylesheet or script."""
    return (files("dedup") / "assets" / name).read_text(encoding="utf-8")
