"""Render an ``Analysis`` as one self-contained HTML page (``--format html``).

The page has no external resources (inline CSS and JS, no network) so it opens from
disk or as a mail attachment. It is built from the JSON contract (``report.to_dict``)
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
from typing import TYPE_CHECKING, Any

from .report import counted, to_dict

if TYPE_CHECKING:  # only for the signature: the page is built from to_dict() and the texts
    from .pipeline import Analysis

SHARED = "shared"
ADDED_LABELS = ("commentary", "other", "boilerplate")
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
        f"<script>{_SCRIPT}</script>",
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
        f"<style>{_CSS}</style>\n</head>\n<body>"
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

# Okabe-Ito hues (safe for the common colour-vision deficiencies), darkened where they
# carry text; every label also differs by line style, pattern or a text badge.
_CSS = """
:root{--ink:#1a1a1a;--muted:#555;--line:#d4d4d0;--panel:#f5f5f2;--link:#005b8f;
--focus:#0072b2;--com:#d55e00;--com-ink:#9e4300;--com-bg:#fde6d5;--oth:#0072b2;
--oth-bg:#e1f0fa;--boil:#5a5a5a;--cut:#cc79a7;--cut-bg:#f8eaf2;--chg:#009e73;color-scheme:light}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;scroll-behavior:smooth}
@media (prefers-reduced-motion:reduce){html{scroll-behavior:auto}}
body{margin:0;background:#fff;color:var(--ink);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
.wrap{max-width:1320px;margin:0 auto;padding:1rem clamp(.75rem,3vw,2rem) 3rem}
a{color:var(--link);text-underline-offset:2px}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:2px}
.skip{position:absolute;left:-9999px;top:.5rem}
.skip:focus{left:.5rem;z-index:10;background:#fff;padding:.4rem .7rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);
white-space:nowrap}
h1{font-size:1.7rem;margin:.4rem 0 .2rem}
h2{font-size:1.35rem;margin:0 0 .3rem;line-height:1.3}
h3{font-size:1.08rem;margin:0 0 .25rem;line-height:1.3}
.summary{margin:0 0 .4rem;color:var(--muted)}
.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.1rem 1rem;margin:0 0 1rem}
.facts dt{font-weight:600}.facts dd{margin:0;overflow-wrap:anywhere}
.controls{display:flex;flex-wrap:wrap;gap:.6rem 1.5rem;align-items:center;
padding:.7rem 1rem;margin:0 0 1.2rem;background:var(--panel);border:1px solid var(--line);
border-radius:8px}
.no-js .controls{display:none}
.controls label{display:inline-flex;gap:.4rem;align-items:center;flex-wrap:wrap}
.controls .check{flex-wrap:nowrap;align-items:flex-start}
.check input{flex:none;margin:.2rem 0 0}
.controls input[type=checkbox]{width:1.15rem;height:1.15rem;accent-color:var(--com-ink)}
.controls input[type=search]{font:inherit;padding:.25rem .5rem;border:1px solid #888;
border-radius:6px;min-width:0;width:14rem;max-width:100%}
.sort{display:flex;flex-wrap:wrap;gap:.35rem;align-items:center}
.sort button{font:inherit;font-size:.92rem;padding:.2rem .75rem;border:1px solid #777;
border-radius:999px;background:#fff;color:var(--ink);cursor:pointer}
.sort button[aria-pressed=true]{background:var(--ink);color:#fff;border-color:var(--ink)}
.sort button[aria-pressed=true]::before{content:"\\2713\\a0"}
#status{margin:0;color:var(--muted);font-size:.92rem}
.cards{list-style:none;padding:0;margin:0 0 2rem;display:grid;gap:1rem;
grid-template-columns:repeat(auto-fill,minmax(min(100%,40rem),1fr))}
.card{border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;
container-type:inline-size;min-width:0}
.card h3 a{text-decoration:none}.card h3 a:hover{text-decoration:underline}
.cid{display:inline-block;font-size:.8em;font-weight:700;color:#fff;background:var(--ink);
border-radius:4px;padding:0 .35em;margin-right:.2em;vertical-align:.08em}
.meta{margin:0 0 .4rem;color:var(--muted);font-size:.93rem}
.id{color:var(--muted);font-size:.85em;overflow-wrap:anywhere}
.members-table{width:100%;border-collapse:collapse;font-size:.93rem}
.members-table th,.members-table td{text-align:left;padding:.3rem .5rem .3rem 0;
border-top:1px solid var(--line);vertical-align:top;overflow-wrap:break-word}
.members-table thead th{border-top:0;font-size:.8rem;text-transform:uppercase;
letter-spacing:.03em;color:var(--muted)}
.members-table tbody th{font-weight:600}
.pct{display:inline-block;min-width:2.6em;font-variant-numeric:tabular-nums}
.bar{display:inline-block;width:3.5rem;height:.55rem;border:1px solid #777;border-radius:2px;
vertical-align:middle}
.bar span{display:block;height:100%;background:#555}
@container (max-width:32rem){
.members-table thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.members-table,.members-table tbody,.members-table tr,.members-table th,.members-table td{
display:block;width:100%}
.members-table tr{border-top:1px solid var(--line);padding:.3rem 0}
.members-table th,.members-table td{border:0;padding:.05rem 0}
.members-table td::before{content:attr(data-th) ": ";color:var(--muted);font-size:.85em}}
.chip{display:inline-block;font-size:.8rem;line-height:1.35;padding:.05rem .45rem;
border:1px solid #888;border-radius:999px;white-space:nowrap;background:#fff}
.chip-commentary{background:var(--com-ink);border-color:var(--com-ink);color:#fff;font-weight:600}
.chip-commentary::before{content:"\\270E\\a0"}
.chip-credit{border-color:#555}
.chip-nocredit{border-style:dashed;font-style:italic}
.chip-relation{font-weight:600}
.none{color:var(--muted)}
.related{margin:.5rem 0 0;font-size:.93rem}
.cluster{border-top:3px solid var(--ink);padding-top:1rem;margin-top:2rem;scroll-margin-top:1rem}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:.35rem 1.2rem;padding:.5rem .8rem;
margin:.7rem 0 1rem;background:var(--panel);border-radius:6px;font-size:.86rem}
.legend li{display:flex;gap:.4rem;align-items:baseline}
.sample{font-family:Georgia,"DejaVu Serif",serif;padding:0 .2rem}
.members{display:grid;gap:1.2rem;
grid-template-columns:repeat(auto-fit,minmax(min(100%,26rem),1fr))}
.member{min-width:0;border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;
scroll-margin-top:1rem}
.chips{display:flex;flex-wrap:wrap;gap:.3rem;margin:0 0 .3rem}
.counts{margin:0 0 .6rem;font-size:.86rem;color:var(--muted)}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font-family:Georgia,"DejaVu Serif",serif;
font-size:.98rem;line-height:1.62;border-top:1px solid var(--line);padding-top:.6rem}
.text .headline{font-weight:700;font-family:system-ui,"DejaVu Sans",sans-serif;font-size:1.05em}
.text [data-label]{-webkit-box-decoration-break:clone;box-decoration-break:clone}
.text [data-label=commentary],.sample-commentary{background:var(--com-bg);
border-bottom:3px solid var(--com);padding:0 .1em}
.text [data-label=commentary]::before{content:"commentary";display:inline-block;
font:700 .68rem/1.3 system-ui,"DejaVu Sans",sans-serif;text-transform:uppercase;
letter-spacing:.04em;color:#fff;background:var(--com-ink);border-radius:3px;
padding:0 .3rem;margin-right:.3rem;vertical-align:.12em}
.text [data-label=other],.sample-other{background:var(--oth-bg);
border-bottom:2px dashed var(--oth)}
.text [data-label=boilerplate],.sample-boilerplate{color:var(--boil);font-style:italic;
background:repeating-linear-gradient(135deg,#f3f3f3 0 5px,#e6e6e6 5px 10px)}
.text .changed,.sample-changed{text-decoration:underline dotted var(--chg) 2px;
text-underline-offset:3px}
.cuts{margin-top:.8rem;font-size:.92rem}
.cuts summary{cursor:pointer;font-weight:600;padding:.2rem 0}
.cuts ol{list-style:none;padding:0;margin:.3rem 0 0}
.cuts li{border-left:4px solid var(--cut);background:var(--cut-bg);padding:.3rem .6rem;
margin:0 0 .35rem;overflow-wrap:anywhere}
.tag{font:700 .68rem/1.3 system-ui,"DejaVu Sans",sans-serif;text-transform:uppercase;
letter-spacing:.04em;color:#fff;background:#7d3d63;border-radius:3px;padding:0 .3rem}
[data-label=cut]{font-family:Georgia,"DejaVu Serif",serif;font-style:italic}
.where{color:var(--muted);font-size:.85em;white-space:nowrap}
.loose{border-top:3px solid var(--ink);margin-top:2.5rem;padding-top:1rem}
.loose-list{display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(min(100%,26rem),1fr))}
.doc{border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;min-width:0;
scroll-margin-top:1rem}
.doc summary{cursor:pointer}
.text.plain{margin-top:.5rem}
[hidden]{display:none!important}
"""

# Reads only data-* attributes the page already holds: no data embedded in the script.
# State can come from the URL fragment (#filter=commentary&sort=date&q=afp) so a view
# can be linked to and tested; "#selftest" records layout widths on <body>.
_SCRIPT = """
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  var overview = document.getElementById("overview");
  var host = document.getElementById("clusters");
  var onlyCommentary = document.getElementById("only-commentary");
  var find = document.getElementById("find");
  var status = document.getElementById("status");
  var buttons = Array.prototype.slice.call(document.querySelectorAll("button[data-sort]"));
  var state = {sort: "order", commentary: false, q: ""};

  function kids(parent, selector) {
    return Array.prototype.filter.call(parent.children, function (n) {
      return n.matches(selector);
    });
  }
  function num(n, key) { return Number(n.getAttribute("data-" + key)); }
  function attr(n, key) { return n.getAttribute("data-" + key) || ""; }
  var compare = {
    order: function () { return 0; },
    size: function (a, b) { return num(b, "size") - num(a, "size"); },
    headline: function (a, b) {
      return attr(a, "headline").localeCompare(attr(b, "headline"), "en", {sensitivity: "base"});
    },
    date: function (a, b) {  /* ISO dates sort as text; undated clusters go last */
      var x = attr(a, "date"), y = attr(b, "date");
      if (!x || !y) { return (x ? 0 : 1) - (y ? 0 : 1); }
      return x < y ? -1 : x > y ? 1 : 0;
    }
  };
  function visible(n) {
    if (state.commentary && attr(n, "commentary") !== "true") { return false; }
    return !state.q || attr(n, "search").indexOf(state.q) >= 0;
  }
  function arrange(parent, selector) {
    var nodes = kids(parent, selector);
    nodes.sort(function (a, b) {
      return compare[state.sort](a, b) || num(a, "order") - num(b, "order");
    });
    nodes.forEach(function (n) { parent.appendChild(n); n.hidden = !visible(n); });
    return nodes;
  }
  function apply() {
    var cards = arrange(overview, "li.card");
    arrange(host, "section.cluster");
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-sort") === state.sort));
    });
    onlyCommentary.checked = state.commentary;
    var shown = cards.filter(function (n) { return !n.hidden; });
    status.textContent = "Showing " + shown.length + " of " + cards.length +
      (cards.length === 1 ? " cluster" : " clusters");
    document.body.setAttribute("data-visible-clusters",
      shown.map(function (n) { return attr(n, "cluster"); }).join(" "));
  }
  function fromFragment() {
    var hash = location.hash.slice(1);
    if (hash.indexOf("=") < 0 && hash !== "selftest") { return false; }  /* an anchor */
    var params = new URLSearchParams(hash);
    state.commentary = params.get("filter") === "commentary";
    state.sort = compare.hasOwnProperty(params.get("sort")) ? params.get("sort") : "order";
    state.q = (params.get("q") || "").trim().toLowerCase();
    find.value = state.q;
    return true;
  }
  function selftest() {
    /* Layout facts a headless browser can report through --dump-dom. */
    var b = document.body, wide = [];
    b.setAttribute("data-scroll-width", root.scrollWidth);
    b.setAttribute("data-client-width", root.clientWidth);
    b.setAttribute("data-inner-width", window.innerWidth);
    Array.prototype.forEach.call(document.querySelectorAll("body *"), function (n) {
      var r = n.getBoundingClientRect();
      if (r.width && r.right > root.clientWidth + 0.5 && wide.length < 5) {
        wide.push(n.tagName.toLowerCase() + "." + n.className);
      }
    });
    b.setAttribute("data-overflowing", wide.join(" "));
  }

  onlyCommentary.addEventListener("change", function () {
    state.commentary = onlyCommentary.checked; apply();
  });
  find.addEventListener("input", function () {
    state.q = find.value.trim().toLowerCase(); apply();
  });
  buttons.forEach(function (b) {
    b.addEventListener("click", function () { state.sort = b.getAttribute("data-sort"); apply(); });
  });
  window.addEventListener("hashchange", function () { if (fromFragment()) { apply(); } });
  fromFragment();
  apply();
  if (/(^|[#&])selftest(&|=|$)/.test(location.hash)) { selftest(); }
})();
"""
