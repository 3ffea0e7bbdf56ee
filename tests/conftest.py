"""Shared fixtures: the seed corpus and one analysis of it (the pipeline is deterministic)."""

from __future__ import annotations

import pytest

from dedup.load import Article, load_articles
from dedup.pipeline import Analysis, analyze
from tests.helpers import SEEDS


@pytest.fixture(scope="session")
def seed_articles() -> list[Article]:
    articles, _ = load_articles([str(SEEDS)])
    return articles


@pytest.fixture(scope="session")
def seed_analysis(seed_articles: list[Article]) -> Analysis:
    return analyze(seed_articles)
