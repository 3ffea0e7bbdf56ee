"""Benchmark harness for dedup: synthetic syndication corpus, baselines and scoring."""
