"""Shared fixtures: the seed corpus and one analysis of it (the pipeline is deterministic)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.load import Article, load_articles
from dedup.pipeline import Analysis, analyze

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# The seed ids, by the role each plays (see ../shared/README.md).
REWRITE_2016 = "000_f75c96cb487ccd06"  # independent rewrite: copies no text
SOLVE_ISRAEL = "001_14993c057e754b8b"  # AFP 2016 copy with commentary
NEW_ARAB = "002_02662ee57eea0c09"  # AFP 2016 copy with background reporting
INDIAVISION = "003_8c73973eb25d2eab"  # AFP 2014 copy
BUSINESS_STANDARD = "004_85a14eddb205e668"  # AFP 2014 copy


@pytest.fixture(scope="session")
def seed_articles() -> list[Article]:
    articles, _ = load_articles([str(SEEDS)])
    return articles


@pytest.fixture(scope="session")
def seed_analysis(seed_articles: list[Article]) -> Analysis:
    return analyze(seed_articles)
