"""dedup: near-duplicate and syndication detector for news.

The library in four calls::

    from dedup import analyze, load_articles, render

    articles, load_report = load_articles(["seeds/"])
    analysis = analyze(articles)          # clusters, alignments, related coverage
    print(render(analysis, "json"))       # or "text", "csv"

``load_store`` loads into an ``ArticleStore`` instead, whose texts wait in a temporary
file: what the CLI uses, so that a corpus of millions is not held in memory whole.

The stages, one module each: load, normalize, boilerplate, signatures, candidates,
verify, cluster, align (with label), report; ``pipeline`` runs them in order.
"""

from .load import (
    Article,
    ArticleStore,
    InputError,
    LoadReport,
    iter_articles,
    load_articles,
    load_store,
)
from .pipeline import Analysis, Settings, analyze
from .report import render, to_dict

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Article",
    "ArticleStore",
    "InputError",
    "LoadReport",
    "Settings",
    "__version__",
    "analyze",
    "iter_articles",
    "load_articles",
    "load_store",
    "render",
    "to_dict",
]
