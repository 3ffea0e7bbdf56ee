"""Deterministic synthetic scale-up of a wire corpus, for the speed and memory benchmark.

``python -m benchmarks.scale --size N --out PATH.jsonl [--seed S] [--workers W]
[--reuters DIR | --base-jsonl FILE]`` streams N articles (``id, title, outlet, date, text``)
to PATH.jsonl and writes PATH.meta.json (size, seed, articles, words, bytes, copies, ...).

Every article is built from the base stories (Reuters-21578 by default) so that the corpus
keeps their shape (length, paragraphs, sentence length, vocabulary, tables, sign-offs), but
scaled articles are not near-duplicates of each other or of the base:

- **Originals (about 90%).** Each takes a random base story as its template: the
  same number of paragraphs and sentences per paragraph, title and topic. Every sentence is
  as long as a random base sentence on the same topic and made of pieces of 3 to 8 words,
  each from another random sentence on that topic (``splice``). Numbers get random digits
  (same length) and mid-sentence proper names are replaced, consistently within the
  article, by other names from the base. Tables and earnings briefs (not prose) keep their
  layout and get the same number and name replacement. So no verbatim run of more than
  8 words (plus what a chance join adds) recurs between prose originals, short of the
  16 words dedup needs to call two articles a copy pair. Text is hard-wrapped and indented like the
  wire and ends with the ``Reuter`` sign-off; 20% of the prose originals are instead printed
  inside a fictional outlet's site chrome (``benchmarks.generate.build_copy``, kind
  verbatim).
- **Syndicated copies (about 10%).** A copy of one of the last 500 originals of its
  chunk, printed by a fictional outlet inside its chrome, made by
  ``benchmarks.generate.build_copy``: verbatim, trimmed, brief, excerpt, house style,
  reworded or with commentary, dated 0-2 days after the original.

Output depends only on the base, the size and the seed (not on ``--workers``): article k
belongs to chunk k // 5000, and each chunk has its own ``random.Random(f"{seed}:{chunk}")``.
Chunks are generated in parallel worker processes and written in order, so memory stays
bounded (a few chunks). Ids are ``s0000000``, ``s0000001``, ... Words are counted as
whitespace-separated tokens of ``text``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any

import xxhash

from benchmarks import generate as G
from benchmarks.common import load_base_articles, write_json

GENERATOR_VERSION = 2
CHUNK = 5000
COPY_RATE = 0.10  # share of articles that are syndicated copies
CHROME_ORIGINALS = 0.20  # share of originals printed inside an outlet's chrome
RECENT = 500  # copies are made of one of the last RECENT originals of the chunk
COPY_KINDS = ["verbatim", "trimmed", "brief", "excerpt", "house", "reworded", "commentary"]
COPY_WEIGHTS = [25, 25, 10, 5, 15, 10, 10]
MIN_PIECE, MAX_PIECE = 3, 8  # words of one source sentence in a spliced sentence
MIN_POOL = 200  # topics with fewer sentences draw from the whole pool
WRAP = 64
START_DATE = dt.date(1986, 1, 1)

_NUM_RE = re.compile(r"\d+")
_NAME_RE = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]{2,}\b")
_WRAP_RE = re.compile(rf"(.{{1,{WRAP}}})(?: +|$)")
_NOT_NAMES = {
    *G.MONTHS, *G.WEEKDAYS, "Reuter", "Reuters", "The", "This", "That", "These", "They",
    "There", "Its", "His", "Her", "Net", "Shr", "Revs", "Qtr", "Avg", "Mln", "Dlrs", "Note",
}


@dataclass
class Template:
    """The shape of one base story."""

    title: str
    topic: str
    topics: list[str]
    places: list[str]
    prose: bool
    shape: list[int]  # prose: sentences per paragraph
    paras: list[str]  # not prose: the paragraphs, perturbed when used


@dataclass
class Base:
    templates: list[Template]
    pools: dict[str, list[str]]  # topic -> sentences ("" = all)
    names: list[str]
    fingerprint: str
    stories: int


def base_fingerprint(base_articles: list[dict[str, Any]]) -> str:
    h = xxhash.xxh64()
    for a in base_articles:
        h.update(str(a["id"]).encode())
        h.update(b"\0")
        h.update(str(a["text"]).encode())
        h.update(b"\1")
    return h.hexdigest()


def is_prose(paras: list[str]) -> bool:
    """Running text (spliced sentence by sentence) rather than a table (kept, perturbed)."""
    toks = " ".join(paras).split()
    numeric = sum(1 for t in toks if any(c.isdigit() for c in t))
    return (len(toks) >= 8 and numeric <= 0.2 * len(toks)
            and bool(re.search(r"[a-z)>'\"][.!?](?:\s|$)", "\n".join(paras))))


def prepare(base_articles: list[dict[str, Any]]) -> Base:
    """Sentence pools by topic, story shapes and a name pool from the base stories."""
    templates: list[Template] = []
    pools: dict[str, list[str]] = {}
    names: Counter[str] = Counter()
    for row in base_articles:
        paras = G.split_paragraphs(str(row["text"]))
        if not paras:
            continue
        topics = list(row.get("topics") or [])
        topic = topics[0] if topics else ""
        prose = is_prose(paras)
        shape: list[int] = []
        if prose:
            for p in paras:
                flat = " ".join(p.split())
                sents = [flat[s:e] for s, e in G.sentence_spans(flat)]
                good = [s for s in sents if 6 <= len(s.split()) <= 80]
                pools.setdefault(topic, []).extend(good)
                names.update(_NAME_RE.findall(flat))
                shape.append(max(1, len(sents)))
        templates.append(Template(
            title=G.title_case(str(row.get("title") or "")), topic=topic, topics=topics,
            places=list(row.get("places") or []), prose=prose, shape=shape,
            paras=[] if prose else paras))
    everything = [s for t in sorted(pools) for s in pools[t]]
    if not everything:
        raise ValueError("the base has no prose sentences to build articles from")
    small = [t for t, sents in pools.items() if len(sents) < MIN_POOL]
    for t in small:
        del pools[t]
    pools[""] = everything
    name_pool = sorted(n for n, c in names.items() if c >= 2 and n not in _NOT_NAMES)
    if len(name_pool) < 50:
        name_pool = sorted(set(name_pool) | {n for n in names if n not in _NOT_NAMES})
    return Base(templates, pools, name_pool or ["Smith"], base_fingerprint(base_articles),
                len(base_articles))


# --------------------------------------------------------------------------------------------
# One chunk of articles
# --------------------------------------------------------------------------------------------


class _Perturb:
    """Random digits for numbers and consistent name replacement within one article."""

    def __init__(self, rng: Random, names: list[str]) -> None:
        self.rng = rng
        self.pool = names
        self.map: dict[str, str] = {}

    def _num(self, m: re.Match[str]) -> str:
        n = len(m.group())
        return str(self.rng.randrange(10 ** (n - 1) if n > 1 else 0, 10**n))

    def _name(self, m: re.Match[str]) -> str:
        w = m.group()
        if w in _NOT_NAMES:
            return w
        rep = self.map.get(w)
        if rep is None:
            rep = self.map[w] = self.pool[self.rng.randrange(len(self.pool))]
        return rep

    def __call__(self, text: str) -> str:
        return _NAME_RE.sub(self._name, _NUM_RE.sub(self._num, text))

    def title(self, title: str) -> str:
        """The (title-cased) title with the article's numbers and names replaced."""
        title = _NUM_RE.sub(self._num, title)
        return " ".join(self.map.get(w, w) for w in title.split())


def splice(pool: list[str], rng: Random) -> str:
    """A sentence as long as a random one, made of pieces of ``MIN_PIECE`` to ``MAX_PIECE``
    words taken from random sentences at random places.

    Pieces stay under the shortest verbatim run dedup counts as copy (12 shared 5-grams, 16
    words): two sentences cut at one function word each (generator version 1) left halves
    of up to 19 words, which recur the more often the larger the corpus, so unrelated
    originals were linked by real shared copy (at 100k, 4,747 of 19,020 copy pairs).
    """
    target = len(pool[rng.randrange(len(pool))].split())
    words: list[str] = []
    while len(words) < target:
        source = pool[rng.randrange(len(pool))].split()
        start = rng.randrange(len(source))
        piece = source[start : start + rng.randint(MIN_PIECE, MAX_PIECE)]
        piece[-1] = piece[-1].rstrip(".!?") or piece[-1]  # no sentence end mid-sentence
        words.extend(piece)
    words = words[:target]
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words).rstrip(".!?,;:") + "."


def wire_text(paras: list[str]) -> str:
    """Paragraphs as the wire prints them: hard-wrapped, indented, with the sign-off."""
    out = [p if i == 0 else "    " + p for i, p in enumerate(paras)]
    return "\n".join(out) + "\n Reuter"


def _wrap(par: str) -> str:
    return "\n".join(_WRAP_RE.findall(par))


def _original(base: Base, rng: Random, sid: str) -> tuple[G.Story, bool]:
    """A new story on a random base story's template; also whether it is prose."""
    t = base.templates[rng.randrange(len(base.templates))]
    perturb = _Perturb(rng, base.names)
    if t.prose:
        pool = base.pools.get(t.topic) or base.pools[""]
        paras = [_wrap(perturb(" ".join(splice(pool, rng) for _ in range(n)))) for n in t.shape]
    else:
        paras = [perturb(p) for p in t.paras]
    title = perturb.title(t.title) or "News"
    date = START_DATE + dt.timedelta(days=rng.randrange(730))
    story = G.Story(sid=sid, title=title, date=date, text=wire_text(paras), paras=paras,
                    topics=t.topics, places=t.places)
    return story, t.prose


def _record(aid: str, title: str, outlet: str, date: dt.date, text: str) -> str:
    return json.dumps({"id": aid, "title": title, "outlet": outlet, "date": date.isoformat(),
                       "text": text}, ensure_ascii=False) + "\n"


_BASE: Base | None = None  # set before forking the workers
_OUTLETS: list[G.Outlet] = []


def make_chunk(index: int, size: int, seed: int) -> tuple[str, dict[str, int]]:
    """JSONL text of chunk ``index`` (articles index*CHUNK ... up to ``size``) and counts."""
    base = _BASE
    assert base is not None, "prepare() the base first"
    rng = Random(f"{seed}:{index}")
    saved = G._template_split
    G._template_split = "all"  # the copies use every commentary template
    try:
        lines: list[str] = []
        recent: list[G.Story] = []
        counts = {"articles": 0, "words": 0, "copies": 0, "chrome_originals": 0}
        for k in range(index * CHUNK, min(size, (index + 1) * CHUNK)):
            aid = f"s{k:07d}"
            if recent and rng.random() < COPY_RATE:
                story = recent[rng.randrange(len(recent))]
                kind = rng.choices(COPY_KINDS, COPY_WEIGHTS)[0]
                outlet = _OUTLETS[rng.randrange(len(_OUTLETS))]
                assert story.date is not None
                date = story.date + dt.timedelta(days=rng.randint(0, 2))
                text, _, title = G.build_copy(story, kind, outlet, date, rng)
                name = outlet.name
                counts["copies"] += 1
            else:
                story, prose = _original(base, rng, aid)
                assert story.date is not None
                date = story.date
                if prose and rng.random() < CHROME_ORIGINALS:
                    outlet = _OUTLETS[rng.randrange(len(_OUTLETS))]
                    text, _, title = G.build_copy(story, "verbatim", outlet, date, rng)
                    name = outlet.name
                    counts["chrome_originals"] += 1
                else:
                    text, title, name = story.text, story.title, "Reuters"
                recent.append(story)
                if len(recent) > RECENT:
                    recent.pop(0)
            lines.append(_record(aid, title, name, date, text))
            counts["articles"] += 1
            counts["words"] += len(text.split())
        return "".join(lines), counts
    finally:
        G._template_split = saved


def _make_chunk_star(args: tuple[int, int, int]) -> tuple[str, dict[str, int]]:
    return make_chunk(*args)


def _chunks(size: int, seed: int, workers: int) -> Iterator[tuple[str, dict[str, int]]]:
    jobs = [(i, size, seed) for i in range((size + CHUNK - 1) // CHUNK)]
    if workers > 1 and len(jobs) > 1 and "fork" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("fork")  # the workers inherit the prepared base
        with ctx.Pool(min(workers, len(jobs))) as pool:
            yield from pool.imap(_make_chunk_star, jobs, chunksize=1)
    else:
        for job in jobs:
            yield make_chunk(*job)


def meta_path(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(out.name.removesuffix(".jsonl") + ".meta.json")


def generate_scale(base_articles: list[dict[str, Any]], size: int, out: str | Path,
                   seed: int = 13, workers: int | None = None, progress: bool = False
                   ) -> dict[str, Any]:
    """Write ``size`` articles to ``out`` (JSONL) and ``out``.meta.json; return the meta."""
    global _BASE, _OUTLETS
    t0 = time.perf_counter()
    _BASE = prepare(base_articles)
    _OUTLETS = G.make_outlets(Random(seed * 7919 + 1))
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    totals: Counter[str] = Counter()
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            for text, counts in _chunks(size, seed, workers):
                fh.write(text)
                totals.update(counts)
                if progress and totals["articles"] % (20 * CHUNK) == 0:
                    print(f"  scale: {totals['articles']}/{size} articles, "
                          f"{time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
        base, _BASE, _OUTLETS = _BASE, None, []
    meta = {"generator_version": GENERATOR_VERSION, "size": size, "seed": seed,
            "base_fingerprint": base.fingerprint, "base_stories": base.stories,
            "articles": totals["articles"], "words": totals["words"],
            "copies": totals["copies"], "chrome_originals": totals["chrome_originals"],
            "bytes": out.stat().st_size, "seconds": round(time.perf_counter() - t0, 1)}
    write_json(meta_path(out), meta)
    return meta


def ensure_scale_corpus(base_articles: list[dict[str, Any]], size: int, out: str | Path,
                        seed: int = 13, workers: int | None = None, progress: bool = False
                        ) -> tuple[dict[str, Any], bool]:
    """The meta of ``out``, generated unless it is there for the same base, size and seed.

    Returns (meta, reused).
    """
    out = Path(out)
    try:
        meta = json.loads(meta_path(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = None
    if (meta and out.is_file() and meta.get("generator_version") == GENERATOR_VERSION
            and meta.get("size") == size and meta.get("seed") == seed
            and meta.get("base_fingerprint") == base_fingerprint(base_articles)
            and meta.get("bytes") == out.stat().st_size):
        return meta, True
    return generate_scale(base_articles, size, out, seed, workers, progress), False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, required=True, help="number of articles")
    ap.add_argument("--out", required=True, help="JSONL file to write")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--workers", type=int, default=None,
                    help="worker processes (default: up to 2; output does not depend on it)")
    ap.add_argument("--reuters", default=None, help="Reuters-21578 directory")
    ap.add_argument("--base-jsonl", default=None, help="JSONL of base articles instead")
    args = ap.parse_args(argv)
    if args.size < 0:
        ap.error("--size must be >= 0")
    base = load_base_articles(args.reuters, args.base_jsonl)
    meta = generate_scale(base, args.size, args.out, args.seed, args.workers, progress=True)
    print(f"{meta['articles']} articles ({meta['copies']} copies), {meta['words']} words, "
          f"{meta['bytes'] / 1e6:.1f} MB in {meta['seconds']}s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
