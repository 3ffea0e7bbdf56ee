"""``python -m dedup``: the same command line as the ``dedup`` script."""

from .cli import main

main()
