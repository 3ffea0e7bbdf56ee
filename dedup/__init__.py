"""dedup: near-duplicate and syndication detector for news.

The library in four calls::

    from dedup import analyze, load_articles, render

    articles, load_report = load_articles(["seeds/"])
    analysis = analyze(articles)          # clusters, alignments, related coverage
    print(render(analysis, "json"))       # or "text", "csv"

``load_store`` loads into an ``ArticleStore`` instead, whose texts wait in a temporary
file: what the CLI uses, so that a corpus of millions is not held in memory whole.

The stages, one module each: load, normalize, boilerplate, signatures, candidates,
verify, cluster, align (with label), related, report; ``pipeline`` runs them in order.
"""

from typing import TYPE_CHECKING, Any

from .load import (
    Article,
    ArticleStore,
    InputError,
    LoadReport,
    iter_articles,
    load_articles,
    load_store,
)

if TYPE_CHECKING:
    from .pipeline import Analysis, Settings, analyze
    from .report import render, to_dict

__version__ = "0.1.0"

# Loaded on first use (PEP 562): the pipeline imports scikit-learn and SciPy, which the
# command line needs only when a command runs, not for 'dedup --help'.
_LAZY = {"Analysis": "pipeline", "Settings": "pipeline", "analyze": "pipeline",
         "render": "report", "to_dict": "report"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

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
