"""Metamorphic tests: what is reported of a pair of articles does not depend on articles
that have nothing to do with it, nor on how an index of them was built."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from dedup.index import open_index
from dedup.load import Article
from dedup.pipeline import Analysis, Settings, analyze

REUTERS = Path("/work/shared/data/reuters21578")

_TOPICS = ["harbour", "orchard", "glacier", "library", "railway", "vineyard", "bakery",
           "observatory", "ferry", "quarry", "choir", "beekeeper", "lighthouse", "mill"]
_WORDS = ("council residents spring volunteers record visitors season repairs budget "
          "weekend festival committee tradition morning village museum annual market "
          "gardens rainfall tourists workshop exhibition schoolchildren restoration").split()


def invented_stories(count: int, seed: int = 7) -> list[Article]:
    """``count`` short local stories, each its own, sharing no text with news wires."""
    rng = random.Random(seed)
    stories = []
    for k in range(count):
        topic = rng.choice(_TOPICS)
        sentences = []
        for _ in range(rng.randint(4, 8)):
            words = rng.sample(_WORDS, rng.randint(8, 14))
            sentences.append(f"The {topic} {' '.join(words)} number {rng.randint(1, 999)}.")
        stories.append(Article(f"zz-local-{k:03d}", "\n\n".join(sentences), None,
                               f"Gazette {k % 5}", "2016-07-01"))
    return stories


def reuters_stories(count: int) -> list[Article]:
    """The first ``count`` Reuters-21578 stories, read in place (never copied here)."""
    from benchmarks.reuters import iter_reuters

    stories = []
    for item in iter_reuters(REUTERS, max_files=1):
        stories.append(Article(f"zz-{item['id']}", item["text"], item["title"], "Reuters",
                               item["date"]))
        if len(stories) == count:
            break
    return stories


def member_figures(analysis: Analysis, ids: set[str]) -> dict[str, Any]:
    """Everything reported of each member of a cluster holding one of ``ids``."""
    figures = {}
    articles = analysis.articles
    for cluster in analysis.clusters:
        names = {articles[m.index].id for m in cluster.members}
        if not names & ids:
            continue
        for m in cluster.members:
            figures[articles[m.index].id] = (
                sorted(names), articles[cluster.source].id, m.relation, m.shared_fraction,
                m.source_coverage, m.credit,
                [(s.start, s.end, s.label) for s in m.added],
                [(articles[p.article].id, p.start, p.end) for p in m.cut],
                [(c.start, c.end, c.kind, articles[c.origin.article].id, c.origin.start,
                  c.origin.end) for c in m.changed])
    return figures


def _unmoved(seed_articles: list[Article], extra: list[Article]) -> None:
    ids = {a.id for a in seed_articles}
    alone = member_figures(analyze(seed_articles, Settings(jobs=1)), ids)
    more = member_figures(analyze([*seed_articles, *extra], Settings(jobs=1)), ids)
    assert alone and more == alone


def test_seed_figures_do_not_move_with_100_invented_unrelated_stories(
        seed_articles: list[Article]) -> None:
    _unmoved(seed_articles, invented_stories(100))


@pytest.mark.skipif(not REUTERS.is_dir(), reason="Reuters-21578 is not on this machine")
def test_seed_figures_do_not_move_with_100_unrelated_reuters_stories(
        seed_articles: list[Article]) -> None:
    # 0.3034 / 0.4184 shared became 0.2621 / 0.3707 with these: corpus IDF in alignment.
    _unmoved(seed_articles, reuters_stories(100))


def _footer_articles() -> list[Article]:
    """Seven articles of one outlet ending with the same standing sentence: it becomes
    chrome once the outlet is seen carrying it five times."""
    footer = ("Our reporters cover the region every day, and readers can send tips to the "
              "newsroom through the contact page of this website.")
    stories = invented_stories(7, seed=3)
    return [Article(f"footer-{k}", f"{a.text}\n\n{footer}", None, "The Courier", a.date)
            for k, a in enumerate(stories)]


def _index_content(path: Path) -> tuple[list[Any], list[Any], list[Any]]:
    conn = sqlite3.connect(path)
    try:
        ids = dict(conn.execute("SELECT article, id FROM articles"))
        bands = sorted((t, k, ids[a]) for t, k, a in conn.execute("SELECT * FROM bands"))
        counts = sorted(conn.execute("SELECT * FROM block_counts"))
        outlets = sorted(conn.execute("SELECT * FROM outlet_block_counts"))
    finally:
        conn.close()
    return bands, counts, outlets


def test_an_index_is_the_same_however_its_articles_were_batched(
        tmp_path: Path, seed_articles: list[Article]) -> None:
    articles = [*seed_articles, *_footer_articles()]
    with open_index(str(tmp_path / "one.sqlite"), create=True) as index:
        index.add(articles)
    with open_index(str(tmp_path / "seven.sqlite"), create=True) as index:
        for k in range(7):
            index.add(articles[k::7])
    one, seven = _index_content(tmp_path / "one.sqlite"), _index_content(tmp_path / "seven.sqlite")
    assert len(one[0]) > 0
    assert one == seven
