"""Site chrome is found by its look and by recurring across the corpus."""

from __future__ import annotations

from dedup.boilerplate import (
    BOILERPLATE,
    CONTENT,
    HEADLINE,
    RecurringBlocks,
    block_keys,
    classify_blocks,
)

PARA = ("The ministry said on Monday that exports of wheat had risen for a third month in a "
        "row, helped by strong demand from North Africa and a weaker currency.")


def _kinds(text: str, **kwargs) -> dict[str, str]:
    return {text[b.start : b.end]: b.kind for b in classify_blocks(text, **kwargs)}


def test_chrome_lines_by_pattern() -> None:
    chrome = [
        "© 2007-2023 Solve Israel's Problems. All Rights Reserved",
        "Leave a Reply",
        "Your email address will not be published.",
        "Share this article on Facebook",
        "8:01 am - Thursday August 18, 2022",
        "Last Updated : Sep 15 2014 | 8:36 PM IST",
        "2 min read",
        "By Jane Doe, Staff Writer",
        "Subscribe to our newsletter for the latest updates on markets",
        "AFP contributed to this report.",
        "Related posts",
        "The Supreme Leader urged the US to stop interfering in the region [Getty]",
    ]
    text = "\n\n".join([PARA, *chrome, PARA.replace("wheat", "barley")])
    kinds = _kinds(text)
    assert {line: kinds[line] for line in chrome} == {line: BOILERPLATE for line in chrome}
    assert kinds[PARA] == CONTENT


def test_list_of_short_lines_next_to_chrome_is_chrome() -> None:
    text = "\n\n".join([PARA, "Related posts", "Arab states mull air strikes on ISIS",
                       "Libya's Zawiya refinery, El Sharara oil field shut: Report"])
    kinds = _kinds(text)
    assert kinds["Libya's Zawiya refinery, El Sharara oil field shut: Report"] == BOILERPLATE
    assert kinds[PARA] == CONTENT


def test_headline_is_its_own_kind() -> None:
    text = f"Wheat exports rise again\n\n{PARA}"
    assert _kinds(text, title="Wheat exports rise again")["Wheat exports rise again"] == HEADLINE


def test_recurring_sentence_within_one_outlet_is_chrome_but_wire_copy_is_not() -> None:
    outlet_line = "Metro Ledger readers can get unlimited digital access for one low price."
    recurring = RecurringBlocks()
    stories = [PARA.replace("wheat", crop) for crop in ("wheat", "barley", "maize", "rice")]
    texts = [f"{story}\n\n{outlet_line}" for story in stories]
    for t in texts:
        recurring.add(t, "Metro Ledger")
    # The same wire paragraph carried by four different outlets is copy, not chrome.
    for outlet in ("A", "B", "C", "D"):
        recurring.add(f"{PARA}\n\nSomething else entirely, said nobody at all today.", outlet)
    kinds = _kinds(texts[1], outlet="Metro Ledger", recurring=recurring)
    assert kinds[outlet_line] == BOILERPLATE
    kinds = _kinds(f"{PARA}\n\nAnother paragraph.", outlet="E", recurring=recurring)
    assert kinds[PARA] == CONTENT


def test_counting_a_corpus_at_once_judges_every_block_as_counting_one_by_one() -> None:
    """add_corpus leaves out blocks seen once (most of a corpus) but must decide exactly as
    add_keys does, also on top of counts from before (a CI check on an index)."""
    import numpy as np

    from dedup.normalize import blocks

    chrome = "Share this story on social media and follow us for more updates"
    texts = [f"{PARA.replace('wheat', crop)}\n\n{chrome}\n\nBy staff writer {k}"
             for k, crop in enumerate(["wheat", "barley", "maize", "rice", "oats", "rye"])]
    outlets = ["Ledger", "Ledger", None, "Post", "Post", "Ledger"]
    before = [f"{PARA}\n\nBy staff writer 1", f"{PARA.replace('wheat', 'rye')}\n\nFooter"]

    def counted(at_once: bool) -> RecurringBlocks:
        recurring = RecurringBlocks()
        for t in before:
            recurring.add(t, "Ledger")
        if at_once:
            keys = [np.fromiter(block_keys(t, blocks(t)), np.uint64) for t in texts]
            recurring.add_corpus(keys, outlets)
        else:
            for t, o in zip(texts, outlets, strict=True):
                recurring.add(t, o)
        return recurring

    one_by_one, at_once = counted(False), counted(True)
    assert len(at_once.doc_counts) < len(one_by_one.doc_counts)  # singletons left out
    for t in [*texts, *before]:
        for b in blocks(t):
            block = t[b.start : b.end]
            for outlet in ("Ledger", "Post", None):
                words = len(block.split())
                assert (at_once.is_chrome(block, outlet, words)
                        == one_by_one.is_chrome(block, outlet, words)), (block, outlet)
    assert at_once.is_chrome(chrome, "Ledger", 12)


CHROME_SAMPLES = [
    "(C) 2024 Example Media", "COPYRIGHT Example", "All rights reserved.", "Share this story",
    "  Tweet", "Email this page", "Print", "Like us", "Sharing on LinkedIn", "WhatsApp",
    "Leave a comment", "Comments are closed", "Post a comment", "Log in to comment",
    "Sign up for free", "Register for our briefing", "You need to login", "Subscribe now",
    "Our Newsletter", "Paywall", "Premium", "Cancel anytime", "Renews automatically",
    "Save 50% today", "only $5/month", "5 per month", "Start your free trial",
    "Related stories:", "MORE NEWS", "Top", "Trending videos", "Latest", "Read more",
    "See also: markets", "Tags: oil, OPEC", "Categories", "Filed under World",
    "Reporting by Jane Doe; Editing by John Roe", "Additional reporting by X",
    "Writing by Y", "Jane Doe contributed to this report", "Click here", "Follow us",
    "Don't miss", "Download our app", "1,234 views", "35 Shares", "Viewed", "12 comments",
    "Comments Off on Markets", "4.5/5 - 12", "3 / 5", "By Jane Doe", "by John Smith, Paris",
    "[Getty Images]", "[AFP photo]", "Photo: AFP", "Image : Reuters", "Picture:",
    "Getty Images", "AFP PHOTO", "Photo credit", "Home | World", "Menu", "Search »",
    "Skip to content", "News | World | Business | Sport", "Advertisement", "Sponsored",
    "  ad  ", "text\nAdvertisement\n", "first line\n  Share it", "Ｓhare this",
    "\u212aelvin: subscribe",
]


def test_chrome_prefilter_never_hides_a_pattern_match(seed_articles) -> None:
    from dedup.boilerplate import CHROME_RE, may_be_chrome
    from dedup.normalize import blocks

    texts = list(CHROME_SAMPLES)
    for a in seed_articles:
        texts.extend(a.text[b.start : b.end] for b in blocks(a.text))
    matched = [t for t in texts if CHROME_RE.search(t)]
    assert len(matched) >= len(CHROME_SAMPLES) - 2  # the samples are chrome by the patterns
    assert all(may_be_chrome(t) for t in matched)
    # And it does rule out ordinary prose, which is why it is there.
    assert not may_be_chrome(PARA.rstrip("."))
    assert not may_be_chrome("Net profit rose 12 pct to 1.5 billion dlrs in 1986")


def test_a_dateline_block_knows_every_weekday_and_month_name_the_loader_knows() -> None:
    # Ten words, no sentence: chrome only if "Thurs" and "Tues" are read as weekday names
    # (boilerplate's timestamp words include load's MONTH_NAMES and WEEKDAY_NAMES).
    line = "Posted Thurs 18 August 2022, updated Tues 23 August 2022"
    kinds = _kinds("\n\n".join([PARA, line, PARA.replace("wheat", "barley")]))
    assert kinds[line] == BOILERPLATE and kinds[PARA] == CONTENT
