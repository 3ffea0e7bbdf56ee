"""dedup: near-duplicate and syndication detector for news."""

__version__ = "0.1.0"
