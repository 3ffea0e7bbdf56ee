"""Score a ``dedup cluster --format json`` report (or a baseline's) against gold labels.

``python -m benchmarks.score REPORT.json GOLD.json ARTICLES.jsonl-or-DIR [--json]``

Report contract (fields marked * may be absent: absent means "not predicted", and a metric whose
field appears nowhere in the report is reported as null, not 0)::

    {"documents": [{"id", "outlet", "title", "date", "length"}],
     "clusters": [{"id": "C1", "source": str,
                   "members": [{"id", "relation", "shared_fraction", "adds_commentary"*,
                                "credit"*, "added"*: [{"start", "end", "label", "text"}]}]}],
     "related"*: [{"a", "b", "kind", "score"}]}
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.common import load_texts

CHAR_LABELS = ("commentary", "boilerplate")
NEGATIVE_KINDS = ("rewrite-negative", "same-event-negative")


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(intervals):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            total += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def _length(a: list[tuple[int, int]]) -> int:
    return sum(e - s for s, e in a)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pred_clusters(report: dict[str, Any], known: set[str]) -> tuple[list[list[str]], int, int]:
    """Predicted clusters restricted to known ids; also counts unknown ids and repeats."""
    seen: set[str] = set()
    unknown = repeats = 0
    clusters = []
    for c in report.get("clusters") or []:
        ids = [str(m["id"]) for m in c.get("members") or []]
        src = c.get("source")
        if isinstance(src, str) and src in known and src not in ids:
            ids.append(src)
        members = []
        for i in ids:
            if i not in known:
                unknown += 1
            elif i in seen:
                repeats += 1
            else:
                seen.add(i)
                members.append(i)
        if members:
            clusters.append(sorted(members))
    return clusters, unknown, repeats


def score_report(report: dict[str, Any], gold: dict[str, Any], texts: dict[str, str]
                 ) -> dict[str, Any]:
    """All metrics for one report; see the module docstring and benchmarks/README.md."""
    from sklearn.metrics import adjusted_rand_score

    garts: dict[str, dict[str, Any]] = gold["articles"]
    ids = sorted(garts)
    known = set(ids)
    gclusters = [[i for i in c if i in known] for c in gold["clusters"]]
    pclusters, unknown, repeats = pred_clusters(report, known)

    glabel = {i: f"s:{i}" for i in ids}
    for k, c in enumerate(gclusters):
        for i in c:
            glabel[i] = f"g{k}"
    plabel = {i: f"s:{i}" for i in ids}
    for k, c in enumerate(pclusters):
        for i in c:
            plabel[i] = f"p{k}"
    ari = float(adjusted_rand_score([glabel[i] for i in ids], [plabel[i] for i in ids]))

    gpairs = sum(_pairs(len(c)) for c in gclusters)
    ppairs = sum(_pairs(len(c)) for c in pclusters)
    cells = Counter((glabel[i], plabel[i]) for i in ids)
    tp = sum(_pairs(n) for n in cells.values())
    pp, pr, pf = _prf(tp, ppairs - tp, gpairs - tp)

    cluster_of = {i: c for c in pclusters for i in c}
    members: dict[str, dict[str, Any]] = {}
    for c in report.get("clusters") or []:
        for m in c.get("members") or []:
            members.setdefault(str(m["id"]), m)
    all_members = [m for c in report.get("clusters") or [] for m in c.get("members") or []]

    # commentary flag over all gold articles
    flag: dict[str, Any] = {"precision": None, "recall": None, "f1": None}
    if any("adds_commentary" in m for m in all_members):
        ftp = ffp = ffn = 0
        for i in ids:
            g = bool(garts[i].get("adds_commentary"))
            p = i in cluster_of and bool(members.get(i, {}).get("adds_commentary", False))
            ftp += g and p
            ffp += p and not g
            ffn += g and not p
        fp_, fr_, ff_ = _prf(ftp, ffp, ffn)
        flag = {"precision": fp_, "recall": fr_, "f1": ff_, "tp": ftp, "fp": ffp, "fn": ffn}

    # character-level spans over gold-cluster members; offsets check over every reported span
    has_added = any("added" in m for m in all_members)
    pred_spans: dict[str, list[dict[str, Any]]] = {}
    checked = 0
    failures: list[dict[str, Any]] = []
    for m in all_members:
        for sp in m.get("added") or []:
            mid = str(m["id"])
            pred_spans.setdefault(mid, []).append(sp)
            checked += 1
            try:
                s, e = int(sp["start"]), int(sp["end"])
            except (KeyError, TypeError, ValueError):
                failures.append({"id": mid, "start": sp.get("start"), "end": sp.get("end")})
                continue
            t = texts.get(mid)
            if t is None or not 0 <= s <= e <= len(t) or t[s:e] != sp.get("text"):
                failures.append({"id": mid, "start": s, "end": e})
    chars: dict[str, dict[str, Any]] = {}
    in_gold_cluster = sorted({i for c in gclusters for i in c})
    for label in CHAR_LABELS:
        if not has_added:
            chars[label] = {"precision": None, "recall": None, "f1": None}
            continue
        ctp = cfp = cfn = 0
        for i in in_gold_cluster:
            g = _merge([(s["start"], s["end"]) for s in garts[i].get("spans", [])
                        if s["label"] == label])
            p = _merge([(int(s["start"]), int(s["end"])) for s in pred_spans.get(i, [])
                        if s.get("label") == label and isinstance(s.get("start"), int)
                        and isinstance(s.get("end"), int)])
            ov = _overlap(g, p)
            ctp += ov
            cfp += _length(p) - ov
            cfn += _length(g) - ov
        cp, cr, cf = _prf(ctp, cfp, cfn)
        chars[label] = {"precision": cp, "recall": cr, "f1": cf, "tp": ctp, "fp": cfp, "fn": cfn}
    attributed = attributed_as_commentary(garts, in_gold_cluster, pred_spans) if has_added \
        else {"spans": None, "commentary": None, "rate": None}

    # hard negatives: related recall, wrongly merged
    story_of = {i: garts[i].get("story") for i in ids}
    source_of = {i: garts[i].get("source") for i in ids}

    def about(i: str, sid: str | None) -> bool:
        return sid is not None and (story_of.get(i) == sid or source_of.get(i) == sid)

    related: dict[str, Any] = {}
    rel_pairs: dict[str, set[str]] = {}
    for r in report.get("related") or []:
        a, b = str(r.get("a")), str(r.get("b"))
        rel_pairs.setdefault(a, set()).add(b)
        rel_pairs.setdefault(b, set()).add(a)
    merged: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for kind in NEGATIVE_KINDS:
        negs = [i for i in ids if garts[i].get("kind") == kind and garts[i].get("related_to")]
        totals[kind] = len(negs)
        hits = 0
        for i in negs:
            sid = garts[i]["related_to"]
            if any(about(x, sid) for x in sorted(rel_pairs.get(i, ()))):
                hits += 1
            if any(about(x, sid) for x in cluster_of.get(i, []) if x != i):
                merged[kind] += 1
        related[kind] = (hits / len(negs) if negs else None) if "related" in report else None
    briefs = [i for i in ids if garts[i].get("kind") == "brief-negative"]

    by_kind: dict[str, float] = {}
    kind_total: Counter[str] = Counter()
    kind_hit: Counter[str] = Counter()
    for c in gclusters:
        cs = set(c)
        for i in c:
            k = garts[i].get("kind", "?")
            kind_total[k] += 1
            if any(x != i and x in cs for x in cluster_of.get(i, [])):
                kind_hit[k] += 1
    for k in sorted(kind_total):
        by_kind[k] = kind_hit[k] / kind_total[k]

    return {
        "n_articles": len(ids),
        "n_gold_clusters": len(gclusters),
        "n_pred_clusters": len(pclusters),
        "unknown_ids": unknown,
        "repeated_ids": repeats,
        "ari": ari,
        "pair_precision": pp,
        "pair_recall": pr,
        "pair_f1": pf,
        "commentary_flag": flag,
        "commentary_char": chars["commentary"],
        "boilerplate_char": chars["boilerplate"],
        "attributed_as_commentary": attributed,
        "offsets_checked": checked,
        "offsets_failures": failures,
        "offsets_ok": (not failures) if checked else None,
        "related_recall_rewrite": related["rewrite-negative"],
        "related_recall_same_event": related["same-event-negative"],
        "negatives_merged": {k: (merged[k] / totals[k] if totals[k] else None)
                             for k in NEGATIVE_KINDS},
        "brief_negatives_clustered": (sum(1 for i in briefs if i in cluster_of) / len(briefs)
                                      if briefs else None),
        "recall_by_kind": by_kind,
    }


def attributed_as_commentary(garts: dict[str, dict[str, Any]], ids: list[str],
                             pred_spans: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Gold spans of reported opinion (flagged ``attributed``, label other) that a report
    labels commentary over more than half of their characters."""
    n = hit = 0
    for i in ids:
        p = _merge([(int(s["start"]), int(s["end"])) for s in pred_spans.get(i, [])
                    if s.get("label") == "commentary" and isinstance(s.get("start"), int)
                    and isinstance(s.get("end"), int)])
        for g in garts[i].get("spans", []):
            if not g.get("attributed"):
                continue
            n += 1
            hit += 2 * _overlap([(g["start"], g["end"])], p) > g["end"] - g["start"]
    return {"spans": n, "commentary": hit, "rate": hit / n if n else None}


def perfect_report(gold: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    """The report a perfect tool would write for ``gold`` (used by tests and as a check)."""
    garts = gold["articles"]
    clusters = []
    for k, c in enumerate(gold["clusters"], start=1):
        members = []
        for i in c:
            g = garts[i]
            members.append({
                "id": i,
                "relation": "source" if g.get("kind") == "original" else "copy",
                "shared_fraction": 1.0,
                "adds_commentary": bool(g.get("adds_commentary")),
                "credit": None,
                "added": [{"start": s["start"], "end": s["end"], "label": s["label"],
                           "text": texts[i][s["start"] : s["end"]]} for s in g.get("spans", [])],
            })
        clusters.append({"id": f"C{k}", "source": c[0], "members": members})
    related = []
    for i in sorted(garts):
        sid = garts[i].get("related_to")
        if not sid:
            continue
        others = sorted(j for j in garts if j != i and (garts[j].get("story") == sid
                                                          or garts[j].get("source") == sid))
        if others:
            related.append({"a": i, "b": others[0], "kind": "related", "score": 1.0})
    documents = [{"id": i, "outlet": garts[i].get("outlet"), "title": None, "date": None,
                  "length": len(texts.get(i, ""))} for i in sorted(garts)]
    return {"documents": documents, "clusters": clusters, "related": related}


def _fmt(v: Any) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def format_table(m: dict[str, Any]) -> str:
    rows = [
        ("articles / gold clusters / predicted clusters",
         f"{m['n_articles']} / {m['n_gold_clusters']} / {m['n_pred_clusters']}"),
        ("cluster ARI", _fmt(m["ari"])),
        ("pair precision / recall / F1", " / ".join(_fmt(m[k]) for k in
                                                   ("pair_precision", "pair_recall", "pair_f1"))),
    ]
    for key, name in (("commentary_flag", "commentary flag"), ("commentary_char",
                      "commentary chars"), ("boilerplate_char", "boilerplate chars")):
        d = m[key]
        rows.append((f"{name} P / R / F1",
                     " / ".join(_fmt(d[k]) for k in ("precision", "recall", "f1"))))
    att = m["attributed_as_commentary"]
    rows.append(("attributed opinion labelled commentary",
                 f"{_fmt(att['rate'])} ({att['commentary']} of {att['spans']})"
                 if att["spans"] else "n/a"))
    rows.append(("offsets ok (spans checked)",
                 f"{_fmt(m['offsets_ok'])} ({m['offsets_checked']}, "
                 f"{len(m['offsets_failures'])} failed)"))
    rows.append(("related recall: rewrites / same-event",
                 f"{_fmt(m['related_recall_rewrite'])} / "
                 f"{_fmt(m['related_recall_same_event'])}"))
    neg = m["negatives_merged"]
    rows.append(("negatives wrongly merged: rewrites / same-event",
                 f"{_fmt(neg['rewrite-negative'])} / {_fmt(neg['same-event-negative'])}"))
    rows.append(("brief negatives put in a cluster", _fmt(m["brief_negatives_clustered"])))
    rows.append(("recall by copy kind", ", ".join(f"{k} {v:.2f}" for k, v in
                                                  m["recall_by_kind"].items())))
    if m["unknown_ids"] or m["repeated_ids"]:
        rows.append(("unknown ids / repeated memberships",
                     f"{m['unknown_ids']} / {m['repeated_ids']}"))
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.score", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("report")
    ap.add_argument("gold")
    ap.add_argument("articles", help="articles.jsonl or a directory of .txt files")
    ap.add_argument("--json", action="store_true", help="print the metrics as JSON")
    args = ap.parse_args(argv)
    for p in (args.report, args.gold, args.articles):
        if not Path(p).exists():
            print(f"error: not found: {p}", file=sys.stderr)
            return 2
    report = json.loads(Path(args.report).read_text(encoding="utf-8"))
    gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    metrics = score_report(report, gold, load_texts(args.articles))
    if args.json:
        print(json.dumps(metrics, indent=1, sort_keys=True))
    else:
        print(format_table(metrics))
        for f in metrics["offsets_failures"][:10]:
            print(f"  offset mismatch: {f['id']} [{f['start']}:{f['end']}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
