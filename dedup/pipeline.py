"""The whole pipeline, stage by stage: the library's main entry point.

    articles -> boilerplate -> features -> candidates -> verify -> cluster -> align

``analyze(articles)`` returns an ``Analysis`` that the report module renders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tqdm import tqdm

from .align import MemberAlignment, Related, align_cluster, find_related, sentence_vectorizer
from .boilerplate import LabelledBlock, RecurringBlocks, classify_blocks
from .candidates import CandidateSettings, CandidateStats, find_candidates
from .cluster import build_clusters
from .load import Article
from .normalize import blocks as split_blocks
from .signatures import Features, featurize
from .verify import PairEvidence, VerifySettings, build_fingerprints, tfidf_matrix, verify_pairs


@dataclass(frozen=True)
class Settings:
    candidates: CandidateSettings = field(default_factory=CandidateSettings)
    verify: VerifySettings = field(default_factory=VerifySettings)


@dataclass
class ClusterResult:
    id: str  # "C1", "C2" ... in report order
    source: int  # index into Analysis.articles
    members: list[MemberAlignment]  # source first


@dataclass
class Analysis:
    articles: list[Article]
    blocks: list[list[LabelledBlock]]
    features: list[Features]
    clusters: list[ClusterResult]
    copy_pairs: list[PairEvidence]
    related: list[Related]
    candidate_stats: CandidateStats


def _bar(iterable: Sequence[int] | Sequence[Article], desc: str, show: bool) -> tqdm:
    # disable=None lets tqdm hide itself when stderr is not a terminal (CI logs, pipes).
    return tqdm(iterable, desc=desc, unit="doc", disable=None if show else True, leave=False)


def analyze(
    articles: Sequence[Article],
    settings: Settings | None = None,
    progress: bool = False,
    recurring: RecurringBlocks | None = None,
) -> Analysis:
    """Find copy clusters in ``articles`` and align their members.

    ``recurring`` carries block recurrence counts from a larger corpus (a persistent
    index): the articles given here are counted on top of it, so chrome learned from
    the whole corpus is recognised in a small batch too.
    """
    settings = settings or Settings()
    articles = list(articles)
    recurring = recurring if recurring is not None else RecurringBlocks()
    spans = [split_blocks(a.text) for a in _bar(articles, "paragraphs", progress)]
    for article, article_spans in zip(articles, spans, strict=True):
        recurring.add(article.text, article.outlet, article_spans)
    blocks = [
        classify_blocks(a.text, a.title, a.outlet, recurring, s)
        for a, s in zip(_bar(articles, "boilerplate", progress), spans, strict=True)
    ]
    del spans
    features = [
        featurize(a, b) for a, b in zip(_bar(articles, "signatures", progress), blocks, strict=True)
    ]
    pairs, stats = find_candidates(
        features, settings.candidates, _bar(range(len(features)), "candidates", progress)
    )
    fingerprints = build_fingerprints(features, settings.verify)
    tfidf = tfidf_matrix(features)
    copies, _rejected = verify_pairs(pairs, fingerprints, tfidf, settings.verify)
    dates = [a.date for a in articles]
    sizes = [f.size for f in features]
    clusters = build_clusters(len(articles), copies, fingerprints, dates, sizes)
    vectorizer = sentence_vectorizer(features)
    results = [
        ClusterResult(
            f"C{k}", c.source,
            align_cluster(c.members, c.source, articles, features, blocks, vectorizer),
        )
        for k, c in enumerate(_bar(clusters, "align", progress), start=1)
    ]
    related = find_related([c.members for c in clusters], articles, features, blocks, tfidf,
                           vectorizer)
    return Analysis(articles, blocks, features, results, copies, related, stats)
