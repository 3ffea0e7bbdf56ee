"""dedup: near-duplicate and syndication detector for news.

The library in four calls::

    from dedup import analyze, load_articles, render

    articles, load_report = load_articles(["seeds/"])
    analysis = analyze(articles)          # clusters, alignments, related coverage
    print(render(analysis, "json"))       # or "text", "csv"

The stages, one module each: load, normalize, boilerplate, signatures, candidates,
verify, cluster, align (with label), report; ``pipeline`` runs them in order.
"""

from .load import Article, InputError, LoadReport, iter_articles, load_articles
from .pipeline import Analysis, Settings, analyze
from .report import render, to_dict

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Article",
    "InputError",
    "LoadReport",
    "Settings",
    "__version__",
    "analyze",
    "iter_articles",
    "load_articles",
    "render",
    "to_dict",
]
