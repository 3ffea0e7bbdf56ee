"""Normalization for matching keeps a map back to the original characters."""

from __future__ import annotations

from dedup.normalize import blocks, is_hard_wrapped, mask_quotes, quoted_mask, sentences, tokenize


def test_tokens_fold_quotes_case_house_style_and_abbreviations() -> None:
    text = "The U.S. said Iran’s output rose 5 PCT to 12 mln barrels."
    words = tokenize(text).words
    assert words == ["the", "us", "said", "iran's", "output", "rose", "5", "percent", "to", "12",
                     "million", "barrels"]
    assert tokenize("The US said Iran's output rose 5 percent to 12 million barrels.").words \
        == words


def test_token_offsets_index_the_original_text() -> None:
    text = "Ｆｕｌｌ\u00a0width café – “naïve” Straße\r\nnext"
    tokens = tokenize(text)
    assert [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)] == [
        "Ｆｕｌｌ", "width", "café", "naïve", "Straße", "next"]
    assert tokens.words[0] == "full"  # NFKC folds full-width letters
    assert tokens.words[4] == "strasse"  # casefold


def test_hard_wrapped_paragraphs_become_one_block() -> None:
    text = (
        "    Showers continued throughout the week in\n"
        "the Bahia cocoa zone, alleviating the drought since early\n"
        "January, Comissaria Smith said.\n"
        "    The dry period means the temporao will be late this year.\n"
    )
    assert is_hard_wrapped(text)
    spans = [text[b.start : b.end] for b in blocks(text)]
    assert len(spans) == 2
    assert spans[0].startswith("Showers") and spans[0].endswith("said.")


def test_web_text_keeps_one_paragraph_per_line() -> None:
    long_line = "Iran will never coordinate with the United States in Syria, he said. " * 3
    text = f"Headline of the story\n2 min read\n{long_line}\n{long_line}\n"
    assert not is_hard_wrapped(text)
    assert len(blocks(text)) == 4


def test_sentences_skip_abbreviations() -> None:
    text = "Mr. Smith met Dr. Jones in the U.S. on Monday. They talked. \"Fine,\" he said."
    block = blocks(text)[0]
    got = [text[s.start : s.end] for s in sentences(text, block)]
    assert got == ["Mr. Smith met Dr. Jones in the U.S. on Monday.", "They talked.",
                   "\"Fine,\" he said."]


def test_quotes_are_masked_and_reset_at_paragraph_breaks() -> None:
    text = 'He said “we will win” today.\n\n"An open quote runs on\n\nbut stops here.'
    tokens = tokenize(text)
    inside = {w for w, q in zip(tokens.words, quoted_mask(text, tokens), strict=True) if q}
    assert inside == {"we", "will", "win", "an", "open", "quote", "runs", "on"}
    masked = mask_quotes(text)
    assert len(masked) == len(text)
    assert "we will win" not in masked and "He said" in masked and "stops here" in masked


def test_tokens_survive_the_trip_from_a_worker_process() -> None:
    """Tokens pickle as one joined string; words, offsets and odd words come back intact."""
    import pickle

    from dedup.normalize import Tokens

    text = "The U.S. said it won't pay 5 mln dlrs, “Reuters” reported."
    for tokens in (tokenize(text), tokenize(""), tokenize("one")):
        back = pickle.loads(pickle.dumps(tokens))
        assert back.words == tokens.words
        assert back.starts.tolist() == tokens.starts.tolist()
        assert back.ends.tolist() == tokens.ends.tolist()
    odd = Tokens(["a\x00b", "c"], tokenize("ab c").starts, tokenize("ab c").ends)
    assert pickle.loads(pickle.dumps(odd)).words == ["a\x00b", "c"]


def test_ascii_tokenizing_gives_the_tokens_of_the_general_pattern() -> None:
    import random

    import numpy as np

    from dedup.normalize import TOKEN_RE, normal_forms, tokenize

    rng = random.Random(3)
    alphabet = "aZ09_'`.’- \n\t,;U.S.é"
    texts = ["U.S. officials' talks, 3.5 pct -- don't; e.g. A.B.C._x rock`n`roll",
             *("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
               for _ in range(3000))]
    for text in texts:
        for start, end in ((0, None), (3, min(len(text), 40)), (len(text) // 2, None)):
            matches = list(TOKEN_RE.finditer(text, start, len(text) if end is None else end))
            tokens = tokenize(text, start, end)
            assert tokens.starts.tolist() == [m.start() for m in matches]
            assert tokens.ends.tolist() == [m.end() for m in matches]
            assert tokens.starts.dtype == tokens.ends.dtype == np.int32
            assert tokens.words == normal_forms([m.group() for m in matches])
