"""Light rewrites (other words, same facts, same order) cluster with their source; stories
on the same event told in other words and another order, or sharing only quotes, do not."""

from __future__ import annotations

from random import Random

import numpy as np

from benchmarks.rewording import KINDS, Thesaurus, reword
from dedup.boilerplate import classify_blocks
from dedup.load import Article
from dedup.pipeline import analyze
from dedup.rewording import candidate_pairs, confirm_rewrites, rewrite_evidence
from dedup.signatures import featurize
from dedup.verify import PairEvidence, tfidf_from_words

SOURCE = (
    "Northwind Shipping said on Tuesday it would close its container terminal at Port Avalon "
    "in June, cutting about 400 jobs, because traffic through the harbour had fallen for three "
    "straight years.\n\n"
    "The company said the closure would save roughly 35 million dollars a year and that most "
    "of the cargo would move to its larger terminal at Kestrel Bay, where it plans to add two "
    "cranes.\n\n"
    "Union leader Maria Okafor said workers had been told of the decision at a meeting on "
    "Monday and that the union would seek talks with the company over redundancy terms.\n\n"
    "Local officials in Port Avalon said the terminal was the town's second largest employer "
    "and urged the regional government to help find a new operator for the site.\n"
)
# Every other content word swapped, names and figures kept, sentences in their order.
REWRITE = (
    "Northwind Shipping stated on Tuesday it might shut its container facility at Port Avalon "
    "in June, eliminating about 400 positions, since traffic through the port had dropped for "
    "three consecutive years.\n\n"
    "The firm noted the shutdown would spare roughly 35 million dollars a year and that most "
    "of the freight would shift to its bigger terminal at Kestrel Bay, where it intends to "
    "install two cranes.\n\n"
    "Union head Maria Okafor said employees had been informed of the choice at a session on "
    "Monday and that the union would request negotiations with the firm over redundancy "
    "conditions.\n\n"
    "Local authorities in Port Avalon said the facility was the town's second biggest "
    "employer and called on the regional administration to assist in finding a new operator "
    "for the site.\n"
)
# The same event reported independently: same names and figures, other words, other order.
SAME_EVENT = (
    "About 400 dock workers in Port Avalon will lose their jobs in June, Maria Okafor of the "
    "dockers' union told a rally, calling the plan a betrayal of the town.\n\n"
    "Kestrel Bay stands to gain: Northwind Shipping intends to expand there with two new "
    "cranes, according to a filing seen by this newspaper.\n\n"
    "Northwind Shipping expects savings of 35 million dollars annually. Volumes at the Avalon "
    "harbour have declined three years running, port data show.\n"
)
OTHER = [
    "Heavy rain is expected across the northern valleys this weekend, forecasters said on "
    "Friday, with rivers likely to rise after a dry month and farmers hoping for relief.\n",
    "The city council approved a budget for new cycle lanes on Wednesday after a long debate "
    "about parking, shops and the cost of the works to local residents.\n",
    "A rare comet will be visible to the naked eye next week, astronomers said, advising "
    "people to look low in the western sky shortly after sunset on clear evenings.\n",
]


def clusters_of(texts: dict[str, str]) -> list[set[str]]:
    articles = [Article(id=k, text=v) for k, v in texts.items()]
    analysis = analyze(articles)
    return [{articles[m.index].id for m in c.members} for c in analysis.clusters]


def corpus(**extra: str) -> dict[str, str]:
    return {"source": SOURCE, **extra, **{f"other-{k}": t for k, t in enumerate(OTHER)}}


def test_a_light_rewrite_is_clustered_with_its_source() -> None:
    clusters = clusters_of(corpus(rewrite=REWRITE))
    assert clusters == [{"source", "rewrite"}]


def test_the_same_event_told_otherwise_is_not_a_copy() -> None:
    assert clusters_of(corpus(report=SAME_EVENT)) == []


def test_stories_sharing_only_a_quote_are_not_rewrites() -> None:
    quote = ('"We will fight this closure with everything we have, because this town has '
             'nothing else to fall back on and the company knows it," Okafor said.')
    a = "Dock workers met on Monday in Port Avalon after the closure was announced.\n\n" + quote
    b = "Northwind Shipping confirmed the Port Avalon closure in a brief statement.\n\n" + quote
    assert clusters_of(corpus(a=a, b=b)) == []


def test_candidates_share_their_most_distinctive_words() -> None:
    docs = [t.lower().split() for t in (SOURCE, REWRITE, *OTHER)]
    tfidf, _ = tfidf_from_words(docs)
    pairs = candidate_pairs(tfidf).tolist()
    assert [0, 1] in pairs
    assert all(a < b for a, b in pairs) and not any(2 in p and 3 in p for p in pairs)


def test_order_tells_a_rewrite_from_shuffled_sentences() -> None:
    ids = np.arange(60, dtype=np.uint32)
    idf = np.ones(60)
    same = rewrite_evidence(ids, ids.copy(), idf, np.empty(0, np.uint64),
                            np.empty(0, np.uint64))
    shuffled = np.concatenate([ids[40:], ids[20:40], ids[:20]])
    moved = rewrite_evidence(ids, shuffled, idf, np.empty(0, np.uint64), np.empty(0, np.uint64))
    assert same is not None and moved is not None
    assert same.order > 0.999 and same.bigram_share == 1.0
    assert moved.order < 0.5


def test_every_kind_of_benchmark_rewording_changes_the_text() -> None:
    thesaurus = Thesaurus([SOURCE.lower()])
    paragraphs = [*SOURCE.split("\n\n"), "The board approved the merger with Kestrel Lines."]
    for kind in KINDS:
        changed = reword(paragraphs, kind, "heavy", Random(3), thesaurus)
        assert changed != [" ".join(p.split()) for p in paragraphs], kind


def test_a_retelling_with_another_name_in_a_shared_slot_is_no_rewrite() -> None:
    """Two retellings written to one template share their words and most names, but put
    another person where the other has Maria Okafor: not a rewrite of each other."""
    other = REWRITE.replace("Maria Okafor", "Ian Brodie")
    texts = [SOURCE, REWRITE, other]
    features = {i: featurize(Article(id=str(i), text=t), classify_blocks(t))
                for i, t in enumerate(texts)}

    def pair(a: int, b: int) -> PairEvidence:
        return PairEvidence(a, b, shared=0, unquoted=0, containment_a=0.0, containment_b=0.0,
                            cosine=0.5)

    kept = confirm_rewrites([pair(0, 1), pair(1, 2)], texts.__getitem__, features)
    assert [(e.a, e.b) for e in kept] == [(0, 1)]
