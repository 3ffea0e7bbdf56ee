"""The report's vocabulary, defined once: the words the JSON report (docs/report-format.md)
uses for a member's relation to its cluster, an added span's label, a changed passage's
kind, a related pair's kind, and the kinds of block the boilerplate stage sorts text into.
"""

from __future__ import annotations

__all__ = [
    "ADDED_LABELS",
    "BLOCK_KINDS",
    "BOILERPLATE",
    "CHANGE_KINDS",
    "COMMENTARY",
    "CONTENT",
    "COPY",
    "EDITED",
    "EXCERPT",
    "EXTENDED",
    "HEADLINE",
    "OTHER",
    "RELATED_KINDS",
    "RELATIONS",
    "REWORDED",
    "REWRITE",
    "SAME_STORY",
    "SOURCE",
    "TRIMMED",
]

# A member's relation to its cluster's likely source ("relation").
SOURCE = "source"
COPY = "copy"
TRIMMED = "trimmed"
EXTENDED = "extended"
EXCERPT = "excerpt"
REWRITE = "rewrite"
RELATIONS = (SOURCE, COPY, TRIMMED, EXTENDED, EXCERPT, REWRITE)

# The label of an added span ("added[].label"); BOILERPLATE is also a block kind.
COMMENTARY = "commentary"
OTHER = "other"
BOILERPLATE = "boilerplate"
ADDED_LABELS = (COMMENTARY, OTHER, BOILERPLATE)

# A changed passage ("changed[].kind"): rewritten, or kept verbatim with words changed.
REWORDED = "reworded"
EDITED = "edited"
CHANGE_KINDS = (REWORDED, EDITED)

# A related pair ("related[].kind"): the same story told without shared copy.
SAME_STORY = "same-story"
RELATED_KINDS = (SAME_STORY,)

# The kinds of block of an article's text (boilerplate stage): only content is compared.
CONTENT = "content"
HEADLINE = "headline"
BLOCK_KINDS = (CONTENT, BOILERPLATE, HEADLINE)
