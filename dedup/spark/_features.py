"""Stages 1 and 2 on Spark: block recurrence, then per-article features.

Stage 1 (boilerplate by recurrence) is ``recurring_counts``: block keys per article in
``mapInPandas``, document and per-outlet counts by ``groupBy``, joined back to each article.
Stage 2 is ``article_features``: ``classify_blocks``, ``featurize`` and the LSH band keys
(``_band_keys``) per article, persisted for every later stage."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pyspark import StorageLevel
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..boilerplate import RecurringBlocks, block_keys, classify_blocks
from ..candidates import CandidateSettings, article_bands, hashers, lsh_shape
from ..normalize import blocks as split_blocks
from ..pipeline import Settings
from ..signatures import Features, MinHasher, featurize
from ._rows import PICKLE, _article, _signed

__all__ = ["article_features", "recurring_counts"]


_DOC_BAND, _PASSAGE_BAND = 0, 1  # band key namespaces: whole-article and passage LSH


def _block_key_rows(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    for frame in frames:
        keys = [_signed(np.fromiter(block_keys(text, split_blocks(text)), np.uint64))
                for text in frame["text"]]
        yield pd.DataFrame({"idx": frame["idx"], "outlet": frame["outlet"], "keys": keys})


def recurring_counts(articles: DataFrame) -> DataFrame:
    """(idx, counts): for each block of each article that recurs at all, how many
    articles and how many articles of the same outlet contain it.

    ``RecurringBlocks.is_chrome`` only ever asks about an article's own blocks, so the
    counts joined back here are all it needs; a block found in one article only cannot
    be chrome by recurrence and is dropped before the join.
    """
    keys = articles.select("idx", "text", "outlet").mapInPandas(
        _block_key_rows, "idx long, outlet string, keys array<long>")
    exploded = keys.select("idx", "outlet", F.explode("keys").alias("key"))
    doc_counts = exploded.groupBy("key").agg(F.count("*").alias("docs")).where("docs >= 2")
    outlet_counts = (exploded.where(F.col("outlet").isNotNull())
                     .groupBy("outlet", "key").agg(F.count("*").alias("in_outlet")))
    joined = (exploded.join(doc_counts, "key")
              .join(outlet_counts, ["outlet", "key"], "left")
              .fillna(0, ["in_outlet"]))
    return joined.groupBy("idx").agg(
        F.collect_list(F.struct("key", "docs", "in_outlet")).alias("counts"))


def _recurring(outlet: str | None, counts: Any) -> RecurringBlocks:
    """A RecurringBlocks holding just the counts of one article's recurring blocks."""
    recurring = RecurringBlocks()
    for item in counts if counts is not None else ():
        key = int(np.int64(item["key"]).view(np.uint64))
        recurring.doc_counts[key] = int(item["docs"])
        if outlet:
            recurring.outlet_counts[(outlet, key)] = int(item["in_outlet"])
    return recurring


_FEATURES_SCHEMA = ("idx long, size int, passages int, blob binary, shingles array<long>, "
                    "terms array<string>, bands array<binary>")


@dataclass(frozen=True)
class _Banding:
    """What band keys are made with: built once on the driver (``lsh_shape`` is slow)."""

    settings: CandidateSettings
    doc_shape: tuple[int, int]
    passage_shape: tuple[int, int]

    @classmethod
    def of(cls, settings: CandidateSettings) -> _Banding:
        return cls(settings, lsh_shape(settings.doc_threshold, settings.doc_perm),
                   lsh_shape(settings.passage_threshold, settings.passage_perm))


def _band_keys(features: Features, banding: _Banding,
               doc_hasher: MinHasher, passage_hasher: MinHasher) -> tuple[list[bytes], int]:
    """LSH band keys of the whole article and of its passages, and the passage count.

    A key is (namespace, band, band hash), the hash ``candidates.band_hashes``'s: articles
    with equal keys share a bucket in ``find_candidates``, whose band rows are
    ``article_bands``'s too.
    """
    if not len(features.shingles):
        return [], 0
    doc, passages = article_bands(features.shingles, banding.settings, doc_hasher,
                                  passage_hasher)
    keys: list[bytes] = []
    for namespace, hashes, shape in ((_DOC_BAND, doc, banding.doc_shape),
                                     (_PASSAGE_BAND, passages, banding.passage_shape)):
        for band in range(shape[0]):
            # A band hash repeated across passages is one bucket entry for the article.
            for value in np.unique(hashes[:, band]).tolist():
                keys.append(bytes([namespace]) + band.to_bytes(2, "big")
                            + int(value).to_bytes(8, "big"))
    return keys, len(passages)


def _first_seen(words: list[str]) -> list[str]:
    """Distinct words in order of first occurrence (their TF-IDF fit order, see below)."""
    return list(dict.fromkeys(words))


def _feature_rows(banding: _Banding) -> Any:
    def run(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        doc_hasher, passage_hasher = hashers(banding.settings)
        for frame in frames:
            out: dict[str, list[Any]] = {c: [] for c in
                                         ("idx", "size", "passages", "blob", "shingles",
                                          "terms", "bands")}
            for row in frame.itertuples(index=False):
                article = _article(row)
                spans = split_blocks(article.text)
                labelled = classify_blocks(article.text, article.title, article.outlet,
                                           _recurring(article.outlet, row.counts), spans)
                features = featurize(article, labelled)
                bands, passages = _band_keys(features, banding, doc_hasher, passage_hasher)
                out["idx"].append(row.idx)
                out["size"].append(features.size)
                out["passages"].append(passages)
                out["blob"].append(pickle.dumps((labelled, features), protocol=PICKLE))
                out["shingles"].append(_signed(np.unique(features.shingles)))
                out["terms"].append(_first_seen(features.tokens.words))
                out["bands"].append(bands)
            yield pd.DataFrame(out)
    return run


def article_features(articles: DataFrame, counts: DataFrame, settings: Settings) -> DataFrame:
    """Per article: labelled blocks and Features (one blob), distinct shingles, distinct
    words in first-seen order, LSH band keys. Persisted: every later stage reads it."""
    joined = articles.join(counts, "idx", "left")
    feats = joined.mapInPandas(_feature_rows(_Banding.of(settings.candidates)), _FEATURES_SCHEMA)
    return feats.persist(StorageLevel.MEMORY_AND_DISK)
