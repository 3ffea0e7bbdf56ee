"""Stage 1 (dedup.load): real files on disk, every format and every kind of bad input."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import TextIO

import pytest

from dedup import load
from dedup.load import (
    BINARY_FILE,
    EMPTY_FILE,
    EMPTY_INPUT,
    EMPTY_TEXT,
    NO_ARTICLES,
    NO_HTML_TEXT,
    Article,
    InputError,
    LoadReport,
    is_timestamp_line,
    iter_articles,
    load_articles,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_IDS = [
    "000_f75c96cb487ccd06",
    "001_14993c057e754b8b",
    "002_02662ee57eea0c09",
    "003_8c73973eb25d2eab",
    "004_85a14eddb205e668",
]


def write(path: Path, content: str | bytes) -> Path:
    """Write bytes as is, or str as UTF-8 without newline translation."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def load_one(path: Path) -> tuple[Article, LoadReport]:
    articles, report = load_articles([str(path)])
    assert len(articles) == 1, articles
    return articles[0], report


def input_error(paths: list[str], stdin: TextIO | None = None) -> InputError:
    with pytest.raises(InputError) as caught:
        load_articles(paths, stdin=stdin)
    return caught.value


# --- seeds ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    articles, report = load_articles([str(SEEDS)])
    assert report == LoadReport()  # nothing skipped, no warnings, no unmatched manifest ids
    assert [article.id for article in articles] == SEED_IDS  # manifest.csv is not an article
    return {article.id: article for article in articles}


def test_seeds_text_is_the_file_content_exactly(seeds: dict[str, Article]) -> None:
    for article_id, article in seeds.items():
        path = SEEDS / f"{article_id}.txt"
        assert article.text == path.read_bytes().decode("utf-8")
        assert article.origin == os.path.join(str(SEEDS), f"{article_id}.txt")


def test_seeds_metadata_comes_from_the_manifest(seeds: dict[str, Article]) -> None:
    assert seeds["000_f75c96cb487ccd06"].outlet is None
    assert seeds["000_f75c96cb487ccd06"].date is None
    assert seeds["001_14993c057e754b8b"].outlet == "Solve Israel's Problems"
    assert seeds["001_14993c057e754b8b"].date == "2016-07-03"
    assert seeds["002_02662ee57eea0c09"].outlet is None
    assert seeds["003_8c73973eb25d2eab"].outlet == "IndiaVision"
    assert seeds["004_85a14eddb205e668"].outlet == "Business Standard"
    assert seeds["004_85a14eddb205e668"].date == "2014-09-15"
    assert all(article.url is None for article in seeds.values())


def test_seeds_titles_skip_timestamp_lines(seeds: dict[str, Article]) -> None:
    assert seeds["003_8c73973eb25d2eab"].title == "Iran rejects US-led coalition against IS"
    assert seeds["000_f75c96cb487ccd06"].title == (
        "Will not coordinate with US on Syria: Iranian Supreme Leader"
    )
    assert seeds["004_85a14eddb205e668"].title == "Iran rejects US-led coalition against jihadists"


def test_seed_file_given_directly_has_its_stem_as_id_and_no_manifest() -> None:
    article, report = load_one(SEEDS / "001_14993c057e754b8b.txt")
    assert article.id == "001_14993c057e754b8b"
    assert article.outlet is None  # manifests apply to directory walks only
    assert report == LoadReport()


# --- .txt / .md -----------------------------------------------------------------------------


def test_txt_keeps_crlf_and_whitespace_exactly(tmp_path: Path) -> None:
    content = " \t \r\n  Headline\r\n\r\nFirst paragraph.\r\nSecond line.  \r\n\r\n"
    article, _ = load_one(write(tmp_path / "story.txt", content))
    assert article.text == content
    assert article.id == "story"
    assert article.title == "Headline"
    assert article.origin == str(tmp_path / "story.txt")


def test_txt_leading_bom_is_not_part_of_the_text(tmp_path: Path) -> None:
    article, report = load_one(write(tmp_path / "bom.txt", b"\xef\xbb\xbfTitle\nBody\n"))
    assert article.text == "Title\nBody\n"
    assert article.title == "Title"
    assert report.warnings == []


def test_txt_title_skips_timestamps_but_falls_back_to_first_line(tmp_path: Path) -> None:
    stamped = write(tmp_path / "a.txt", "\n  03 July, 2016  \n\nReal headline\nbody\n")
    only_stamps = write(tmp_path / "b.txt", "\nJuly 3, 2016\n8:01 am\n")
    articles, _ = load_articles([str(stamped), str(only_stamps)])
    assert [article.title for article in articles] == ["Real headline", "July 3, 2016"]


def test_md_title_drops_heading_markers(tmp_path: Path) -> None:
    content = "# Storm hits coast ##\n\nWinds of 150 km/h.\n"
    article, _ = load_one(write(tmp_path / "storm.MD", content))
    assert article.title == "Storm hits coast"
    assert article.text == content
    assert article.id == "storm"


@pytest.mark.parametrize(
    "line",
    [
        "8:01 am - Thursday August 18, 2022",
        "July 3, 2016",
        "03 July, 2016",
        "Last Updated : Sep 15 2014 | 8:36 PM IST",
        "2016-07-03T10:00:00Z",
        "Mon, 3rd Jul 2016",
        "10:45 a.m. GMT",
    ],
)
def test_timestamp_lines(line: str) -> None:
    assert is_timestamp_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Iran rejects US-led coalition against IS",
        "2 min read",
        "1984",
        "May 5 protests turn violent",
        "July",
        "Order 123456 dispatched",
        "July 123456",
    ],
)
def test_not_timestamp_lines(line: str) -> None:
    assert not is_timestamp_line(line)


# --- directories ----------------------------------------------------------------------------


def test_directory_walk_ids_order_and_ignored_files(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "b.txt", "B\n")
    write(root / "a.md", "A\n")
    write(root / "sub" / "c.TXT", "C\n")
    write(root / "sub" / "deeper" / "d.txt", "D\n")
    write(root / "notes.xyz", "ignored: unknown extension\n")
    write(root / "README", "ignored: no extension\n")
    write(root / ".hidden.txt", "ignored: hidden file\n")
    write(root / ".git" / "e.txt", "ignored: hidden directory\n")
    articles, report = load_articles([str(root)])
    assert [article.id for article in articles] == ["a", "b", "sub/c", "sub/deeper/d"]
    assert [article.text for article in articles] == ["A\n", "B\n", "C\n", "D\n"]
    assert articles[2].origin == os.path.join(str(root), "sub", "c.TXT")
    assert report == LoadReport()


def test_arguments_are_read_in_the_order_given(tmp_path: Path) -> None:
    first = write(tmp_path / "z.txt", "Z\n")
    second = write(tmp_path / "a.jsonl", jsonl({"id": "a1", "text": "A"}))
    articles, _ = load_articles([str(first), str(second)])
    assert [article.id for article in articles] == ["z", "a1"]


def test_iter_articles_streams_jsonl_line_by_line(tmp_path: Path) -> None:
    path = write(tmp_path / "s.jsonl", jsonl({"id": "ok", "text": "fine"}) + "{broken\n")
    articles = iter_articles([str(path)], LoadReport())
    assert next(articles).id == "ok"  # yielded before the bad line is even read
    with pytest.raises(InputError, match=r"s\.jsonl:2: invalid JSON"):
        next(articles)


# --- manifests ------------------------------------------------------------------------------


def test_manifest_in_subdirectory_matches_ids_relative_to_it(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "top.txt", "Top\n")
    write(root / "wire" / "x.txt", "X\n")
    write(root / "wire" / "y.txt", "Y\n")
    write(root / "manifest.csv", "id,outlet,date,url\ntop,Top Outlet,,\nwire/y,Outer,2001-01-01,\n")
    write(root / "wire" / "manifest.csv", "id,outlet,date,url,note\nx,AFP,,http://x,n\ny,AP,,,\n")
    articles, report = load_articles([str(root)])
    by_id = {article.id: article for article in articles}
    assert list(by_id) == ["top", "wire/x", "wire/y"]
    assert (by_id["top"].outlet, by_id["top"].date) == ("Top Outlet", None)
    assert (by_id["wire/x"].outlet, by_id["wire/x"].url) == ("AFP", "http://x")
    # The nearest manifest wins; fields it leaves empty come from the one above.
    assert (by_id["wire/y"].outlet, by_id["wire/y"].date) == ("AP", "2001-01-01")
    assert report == LoadReport()


def test_manifest_never_overrides_record_metadata(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    records = jsonl(
        {"id": "r1", "text": "one", "outlet": "Own Outlet", "date": None},
        {"id": "r2", "text": "two"},
    )
    write(root / "feed.jsonl", records)
    write(root / "manifest.csv", "id,outlet,date,url\nr1,Manifest,2020-02-02,\nr2,Other,,u\n")
    articles, _ = load_articles([str(root)])
    assert [(a.id, a.outlet, a.date, a.url) for a in articles] == [
        ("r1", "Own Outlet", "2020-02-02", None),
        ("r2", "Other", None, "u"),
    ]


def test_manifest_id_matching_nothing_is_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "a.txt", "A\n")
    write(root / "manifest.csv", "id,outlet\na,Kept\ntypo,Lost\n")
    articles, report = load_articles([str(root)])
    assert articles[0].outlet == "Kept"
    manifest = os.path.join(str(root), "manifest.csv")
    assert report.warnings == [f"{manifest}:3: manifest id 'typo' matches no article"]


def test_manifest_duplicate_id_is_an_error(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "a.txt", "A\n")
    write(root / "manifest.csv", "id,outlet\na,One\na,Two\n")
    error = input_error([str(root)])
    assert str(error) == f"{root / 'manifest.csv'}:3: duplicate id 'a' (first at line 2)"


def test_manifest_without_id_column_is_an_error(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "a.txt", "A\n")
    write(root / "manifest.csv", "name,outlet\na,One\n")
    error = input_error([str(root)])
    assert (error.path, error.line) == (str(root / "manifest.csv"), 1)
    assert error.problem.startswith("missing column 'id'")


def test_manifest_given_explicitly_is_rejected(tmp_path: Path) -> None:
    error = input_error([str(SEEDS / "manifest.csv")])
    assert error.problem == "manifest.csv holds metadata, not articles: pass its directory"


# --- .jsonl ---------------------------------------------------------------------------------


def test_jsonl_records(tmp_path: Path) -> None:
    text = "Line one.\r\nLine two with caf\u00e9 and \u201cquotes\u201d.  "
    content = (
        "\n"
        + jsonl({"id": 7, "text": text, "title": "T", "outlet": "O", "date": "D", "url": "U"})
        + "   \n"
        + jsonl({"id": "b", "text": "plain", "title": None, "outlet": "", "extra": [1, 2]})
    )
    articles, report = load_articles([str(write(tmp_path / "feed.JSONL", content))])
    assert articles == [
        Article("7", text, "T", "O", "D", "U", origin=f"{tmp_path / 'feed.JSONL'}:2"),
        Article("b", "plain", None, None, None, None, origin=f"{tmp_path / 'feed.JSONL'}:4"),
    ]
    assert report == LoadReport()


def test_jsonl_empty_text_record_is_skipped_and_counted(tmp_path: Path) -> None:
    path = write(tmp_path / "f.jsonl", jsonl({"id": "a", "text": "A"}, {"id": "b", "text": " \n"}))
    articles, report = load_articles([str(path)])
    assert [article.id for article in articles] == ["a"]
    assert report.skipped == [(f"{path}:2", EMPTY_TEXT)]


def test_jsonl_malformed_line_reports_its_line_number(tmp_path: Path) -> None:
    content = jsonl({"id": "a", "text": "A"}) + "\n" + '{"id": "b", "text": "B",}\n'
    path = write(tmp_path / "bad.jsonl", content)
    error = input_error([str(path)])
    assert (error.path, error.line) == (str(path), 3)
    assert str(error).startswith(f"{path}:3: invalid JSON: ")


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"id": "a"}, "missing field 'text'"),
        ({"id": "a", "text": None}, "missing field 'text'"),
        ({"id": "a", "text": 5}, "field 'text' must be a string, got number"),
        ({"text": "T"}, "missing field 'id'"),
        ({"id": "", "text": "T"}, "empty field 'id'"),
        ({"id": "  ", "text": "T"}, "empty field 'id'"),
        ({"id": 1.5, "text": "T"}, "field 'id' must be a string or integer, got number"),
        ({"id": True, "text": "T"}, "field 'id' must be a string or integer, got boolean"),
        (
            {"id": "a", "text": "T", "title": 3},
            "field 'title' must be a string or null, got number",
        ),
        (["a", "T"], "expected an object, got array"),
    ],
)
def test_jsonl_invalid_records(tmp_path: Path, record: object, problem: str) -> None:
    path = write(tmp_path / "r.jsonl", jsonl({"id": "ok", "text": "fine"}, record))
    assert str(input_error([str(path)])) == f"{path}:2: {problem}"


# --- .json ----------------------------------------------------------------------------------


def test_json_list_with_record_line_numbers(tmp_path: Path) -> None:
    content = '[\n  {"id": "a", "text": "A\\r\\nx"},\n\n  {"id": 2,\n   "text": "B"}\n]\n'
    path = write(tmp_path / "list.json", content)
    articles, _ = load_articles([str(path)])
    assert [(a.id, a.text, a.origin) for a in articles] == [
        ("a", "A\r\nx", f"{path}:2"),
        ("2", "B", f"{path}:4"),
    ]


def test_json_object_with_articles_key(tmp_path: Path) -> None:
    content = json.dumps(
        {"articles": [{"id": "a", "text": "A"}], "source": {"articles": "not this one"}},
        indent=2,
    )
    path = write(tmp_path / "wrapped.json", content)
    articles, _ = load_articles([str(path)])
    assert [(a.id, a.text, a.origin) for a in articles] == [("a", "A", f"{path}:3")]


def test_json_missing_field_names_the_record_line(tmp_path: Path) -> None:
    content = '{"articles": [\n {"id": "a", "text": "A"},\n {"id": "b"}\n]}'
    path = write(tmp_path / "m.json", content)
    assert str(input_error([str(path)])) == f"{path}:3: missing field 'text'"


def test_json_malformed_reports_decoder_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", '[\n {"id": "a", "text": "A"},\n {"id": "b" "text": 1}\n]')
    error = input_error([str(path)])
    assert (error.line, error.problem) == (3, "invalid JSON: Expecting ',' delimiter (column 13)")


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        ('{"items": []}', 1, "expected an array of articles or an object with an 'articles' array"),
        ('"text"', 1, "expected an array of articles or an object with an 'articles' array"),
        ('{\n"articles": {}}', 2, "'articles' must be an array, got object"),
    ],
)
def test_json_wrong_shape(tmp_path: Path, content: str, line: int, problem: str) -> None:
    error = input_error([str(write(tmp_path / "shape.json", content))])
    assert (error.line, error.problem) == (line, problem)


def test_json_empty_list_is_counted(tmp_path: Path) -> None:
    path = write(tmp_path / "none.json", "[]")
    articles, report = load_articles([str(path)])
    assert articles == []
    assert report.skipped == [(str(path), NO_ARTICLES)]


# --- .csv -----------------------------------------------------------------------------------


def test_csv_with_multiline_quoted_field(tmp_path: Path) -> None:
    content = (
        "ID, Text ,outlet,date,url,note\r\n"
        'a,"First line,\r\nsecond ""quoted"" line\r\n",AFP,,,x\r\n'
        "b,Plain text,, 2020-01-01 ,,\r\n"
    )
    path = write(tmp_path / "table.csv", content)
    articles, report = load_articles([str(path)])
    assert articles == [
        Article(
            "a", 'First line,\r\nsecond "quoted" line\r\n', None, "AFP", None, None, f"{path}:2"
        ),
        Article("b", "Plain text", None, None, "2020-01-01", None, f"{path}:5"),
    ]
    assert report == LoadReport()


def test_csv_long_field_is_accepted(tmp_path: Path) -> None:
    text = "word " * 100_000  # 500 KB, beyond csv's default 128 KiB field limit
    article, _ = load_one(write(tmp_path / "long.csv", f"id,text\nbig,{text}\n"))
    assert article.text == text


def test_csv_missing_column_is_an_error_at_line_1(tmp_path: Path) -> None:
    path = write(tmp_path / "cols.csv", "id,body\na,A\n")
    error = input_error([str(path)])
    assert str(error) == f"{path}:1: missing column 'text' (header has 'id', 'body')"


def test_csv_unterminated_quote_is_an_error_where_the_record_starts(tmp_path: Path) -> None:
    path = write(tmp_path / "quote.csv", 'id,text\na,A\nb,"never closed\nc,C\n')
    error = input_error([str(path)])
    assert (error.line, error.problem) == (3, "malformed CSV: unexpected end of data")


def test_csv_row_with_too_many_fields_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "wide.csv", "id,text\na,unquoted, comma\n")
    assert str(input_error([str(path)])) == f"{path}:2: row has 3 fields but the header has 2"


def test_csv_duplicate_column_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "dup.csv", "id,text,Text\na,A,B\n")
    assert str(input_error([str(path)])) == f"{path}:1: duplicate column 'text'"


def test_csv_header_only_is_counted(tmp_path: Path) -> None:
    path = write(tmp_path / "header.csv", "id,text\n\n")
    articles, report = load_articles([str(path)])
    assert articles == []
    assert report.skipped == [(str(path), NO_ARTICLES)]


def test_csv_missing_text_cell_and_empty_text(tmp_path: Path) -> None:
    short = write(tmp_path / "short.csv", "id,text\na\n")
    assert str(input_error([str(short)])) == f"{short}:2: missing field 'text'"
    blank = write(tmp_path / "blank.csv", "id,text\na,A\nb,  \n")
    articles, report = load_articles([str(blank)])
    assert [article.id for article in articles] == ["a"]
    assert report.skipped == [(f"{blank}:3", EMPTY_TEXT)]


# --- .html ----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <title>Storm batters coast | Example News</title>
  <link rel="canonical" href="https://news.example.com/storm">
  <meta property="article:published_time" content="2021-03-04T08:00:00Z">
</head>
<body>
  <nav><ul>
    <li><a href="/">Home</a></li><li><a href="/world">Navigation World Section</a></li>
    <li><a href="/sport">Navigation Sport Section</a></li>
  </ul></nav>
  <article>
    <h1>Storm batters coast</h1>
    <p>A powerful storm battered the northern coast on Wednesday, flooding hundreds of homes
    and cutting power to tens of thousands of residents, officials said.</p>
    <p>Emergency crews worked through the night to reopen roads blocked by fallen trees,
    while forecasters warned that more heavy rain was expected before the weekend.</p>
    <table><tr><td>Rainfall table cell</td><td>120 mm</td></tr></table>
  </article>
  <div id="comments" class="comments"><div class="comment">
    <p>Reader comment: my garden was flooded too and nobody came to help us at all.</p>
  </div></div>
  <footer><p>Copyright 2021 Example News Footer Ltd. All rights reserved.</p></footer>
</body>
</html>
"""


def test_html_main_text_without_chrome(tmp_path: Path) -> None:
    article, report = load_one(write(tmp_path / "news" / "storm.htm", PAGE))
    assert article.id == "storm"
    assert "flooding hundreds of homes" in article.text
    assert "more heavy rain was expected before the weekend." in article.text
    assert "Navigation World Section" not in article.text
    assert "Footer Ltd" not in article.text
    assert "Rainfall table cell" not in article.text  # include_tables=False
    assert "Reader comment" not in article.text  # include_comments=False
    assert article.title is not None and article.title.startswith("Storm batters coast")
    assert article.url == "https://news.example.com/storm"
    assert article.date == "2021-03-04"
    assert report == LoadReport()


def test_html_in_a_legacy_charset_is_decoded_with_a_warning(tmp_path: Path) -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1252"').replace(
        "officials said.", "officials in Orl\u00e9ans said \u2013 caf\u00e9s closed."
    )
    path = write(tmp_path / "legacy.html", page.encode("cp1252"))
    article, report = load_one(path)
    assert "officials in Orl\u00e9ans said \u2013 caf\u00e9s closed." in article.text
    assert report.warnings == [f"{path}: not valid UTF-8; decoded with the detected charset"]


def test_html_without_article_text_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.html", "<html><head><title>x</title></head><body></body></html>")
    articles, report = load_articles([str(path)])
    assert articles == []
    assert report.skipped == [(str(path), NO_HTML_TEXT)]


# --- stdin ----------------------------------------------------------------------------------


def test_stdin_dash_reads_jsonl(tmp_path: Path) -> None:
    before = write(tmp_path / "before.txt", "Before\n")
    stdin = io.StringIO(
        "\ufeff" + jsonl({"id": "s1", "text": "from stdin"}, {"id": 2, "text": "x"})
    )
    articles, _ = load_articles([str(before), "-"], stdin=stdin)
    assert [(a.id, a.text, a.origin) for a in articles] == [
        ("before", "Before\n", str(before)),
        ("s1", "from stdin", "<stdin>:1"),
        ("2", "x", "<stdin>:2"),
    ]


def test_stdin_errors_name_stdin() -> None:
    error = input_error(["-"], stdin=io.StringIO('{"id": "a", "text": "A"}\n{"id": "b"}\n'))
    assert str(error) == "<stdin>:2: missing field 'text'"


def test_given_stdin_that_cannot_decode_is_an_input_error() -> None:
    raw = b'{"id": "a", "text": "A"}\n{"id": "b", "text": "\xff"}\n'
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    error = input_error(["-"], stdin=stdin)
    assert str(error) == "<stdin>: cannot decode input (utf-8): invalid start byte"


def test_empty_stdin_is_counted() -> None:
    articles, report = load_articles(["-"], stdin=io.StringIO("\n  \n"))
    assert articles == []
    assert report.skipped == [("<stdin>", EMPTY_INPUT)]


def test_default_stdin_is_read_as_utf8_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = b'{"id": "a", "text": "caf\xc3\xa9"}\n{"id": "b", "text": "bad \xff byte"}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="ascii"))
    articles, report = load_articles(["-"])
    assert [article.text for article in articles] == ["caf\u00e9", "bad \ufffd byte"]
    assert report.warnings == [
        "<stdin>:2: invalid UTF-8 (first occurrence); undecodable bytes replaced with U+FFFD"
    ]


# --- errors that stop the run ---------------------------------------------------------------


def test_duplicate_ids_across_files_name_both(tmp_path: Path) -> None:
    first = write(tmp_path / "a.jsonl", jsonl({"id": "x", "text": "one"}))
    second = write(
        tmp_path / "b.jsonl",
        jsonl({"id": "y", "text": "two"}) + "\n" + jsonl({"id": "x", "text": "3"}),
    )
    error = input_error([str(first), str(second)])
    assert str(error) == f"{second}:3: duplicate id 'x' (first seen at {first}:1)"
    assert (error.path, error.line) == (str(second), 3)


def test_duplicate_id_between_a_text_file_and_a_record(tmp_path: Path) -> None:
    text = write(tmp_path / "dir" / "x.txt", "X\n")
    records = write(tmp_path / "r.jsonl", jsonl({"id": "x", "text": "X"}))
    error = input_error([str(tmp_path / "dir"), str(records)])
    assert str(error) == f"{records}:1: duplicate id 'x' (first seen at {text})"


def test_unsupported_extension_given_explicitly(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.xyz", "text\n")
    assert str(input_error([str(path)])) == (
        f"{path}: unsupported file type '.xyz' "
        "(expected .txt, .md, .jsonl, .json, .csv, .html, .htm, .warc, .warc.gz, .parquet)"
    )


def test_nonexistent_path_fails_before_anything_is_read(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "Good\n")
    missing = tmp_path / "missing.txt"
    report = LoadReport()
    with pytest.raises(InputError) as caught:
        next(iter_articles([str(good), str(missing)], report))
    assert str(caught.value) == f"{missing}: no such file or directory"


# --- inputs that are skipped or kept with a warning -----------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("blank.md", b" \r\n\t\n"),
        ("bom_only.txt", b"\xef\xbb\xbf"),
        ("empty.jsonl", b"\n\n"),
        ("empty.json", b"  \n"),
        ("empty.csv", b"\n"),
        ("empty.html", b""),
    ],
)
def test_empty_files_are_skipped_and_counted(tmp_path: Path, name: str, content: bytes) -> None:
    path = write(tmp_path / name, content)
    articles, report = load_articles([str(path)])
    assert articles == []
    assert report.skipped == [(str(path), EMPTY_FILE)]


@pytest.mark.parametrize("name", ["image.txt", "dump.jsonl", "table.csv", "data.json", "p.html"])
def test_binary_files_are_skipped_and_counted(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, b"GIF89a\x00\x01\x02" + b"x" * 100)
    articles, report = load_articles([str(path)])
    assert articles == []
    assert report.skipped == [(str(path), BINARY_FILE)]


def test_bad_files_in_a_directory_do_not_stop_the_others(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "a.txt", "A\n")
    write(root / "b.txt", b"\x00\x01")
    write(root / "c.txt", b"")
    os.symlink(root / "gone.txt", root / "d.txt")  # dangling: open() fails
    write(root / "e.txt", "E\n")
    articles, report = load_articles([str(root)])
    assert [article.id for article in articles] == ["a", "e"]
    assert report.skipped == [
        (str(root / "b.txt"), BINARY_FILE),
        (str(root / "c.txt"), EMPTY_FILE),
        (str(root / "d.txt"), "unreadable: No such file or directory"),
    ]


def test_unreadable_file_is_skipped_and_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, where chmod 000 does not stop reading: refuse at open() instead.
    locked = write(tmp_path / "locked.txt", "secret\n")
    fine = write(tmp_path / "fine.txt", "fine\n")

    real_open = open

    def refusing_open(file: object, *args: object, **kwargs: object) -> object:
        if os.fspath(file) == str(locked):  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(locked))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", refusing_open)
    articles, report = load_articles([str(locked), str(fine)])
    assert [article.id for article in articles] == ["fine"]
    assert report.skipped == [(str(locked), "unreadable: Permission denied")]


def test_invalid_utf8_is_kept_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "latin1.txt", b"Title\nCaf\xe9 au lait\n")
    article, report = load_one(path)
    assert article.text == "Title\nCaf\ufffd au lait\n"
    assert report.skipped == []
    assert report.warnings == [
        f"{path}:2: invalid UTF-8 (first occurrence); undecodable bytes replaced with U+FFFD"
    ]


def test_invalid_utf8_in_jsonl_warns_once_with_the_line(tmp_path: Path) -> None:
    content = (
        b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "\xff"}\n{"id": "c", "text": "\xfe"}\n'
    )
    path = write(tmp_path / "bytes.jsonl", content)
    articles, report = load_articles([str(path)])
    assert [article.text for article in articles] == ["ok", "\ufffd", "\ufffd"]
    assert report.warnings == [
        f"{path}:2: invalid UTF-8 (first occurrence); undecodable bytes replaced with U+FFFD"
    ]


# --- ArticleStore: texts on disk ---------------------------------------------------------


def test_a_store_gives_back_every_article_as_loaded(tmp_path: Path) -> None:
    # Non-ASCII, a lone surrogate (valid in JSON), CRLF and a BOM-less CSV row: the store
    # must return exactly the Article load_articles makes, text and metadata.
    records = jsonl({"id": "a", "text": "Caf\u00e9 \u201cquoted\u201d\r\nline two", "outlet": "X",
                     "date": "1987-01-02", "title": "T", "url": "https://x.example/a"},
                    {"id": "b", "text": "lone \ud800 surrogate", "outlet": "X"},
                    {"id": 3, "text": "\u4e2d\u6587 text"})
    paths = [str(write(tmp_path / "a.jsonl", records)), str(SEEDS),
             str(write(tmp_path / "c.csv", "id,text\nc1,\"comma, text\"\n"))]
    expected, expected_report = load_articles(paths)
    store, report = load.load_store(paths, directory=str(tmp_path))
    with store:
        assert len(store) == len(expected) == 9
        assert list(store) == expected
        assert [store[k] for k in range(-1, -len(store) - 1, -1)] == expected[::-1]
        assert [store.text_length(k) for k in range(len(store))] == \
            [len(a.text) for a in expected]
        assert [store.described(k) for k in range(len(store))] == \
            [(a.id, a.outlet, a.title, a.date, len(a.text)) for a in expected]
        assert report == expected_report
    # The texts were on disk, in a file nobody else can open (unlinked when made).
    assert os.listdir(tmp_path) == ["a.jsonl", "c.csv"]


def test_a_store_is_read_alike_in_forked_workers(tmp_path: Path) -> None:
    from dedup.parallel import map_ordered

    lines = [{"id": f"n{k}", "text": f"article {k} " + "word " * (k % 17)} for k in range(600)]
    path = write(tmp_path / "many.jsonl", jsonl(*lines))
    store, _ = load.load_store([str(path)])
    with store:
        texts = map_ordered(_text_of, range(len(store)), store, 2, min_per_worker=1)
    assert texts == [r["text"] for r in lines]


def _text_of(store: load.ArticleStore, k: int) -> str:
    return store[k].text


def test_a_store_refuses_duplicate_ids_like_a_list(tmp_path: Path) -> None:
    path = write(tmp_path / "dup.jsonl", jsonl({"id": "a", "text": "x"}, {"id": "a", "text": "y"}))
    with pytest.raises(InputError, match="duplicate id 'a'"):
        load.load_store([str(path)])


def test_a_store_that_cannot_be_written_is_one_input_error(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", jsonl({"id": "a", "text": "x"}))
    missing = tmp_path / "no such dir"
    with pytest.raises(InputError) as caught:
        load.load_store([str(path)], directory=str(missing))
    assert str(caught.value).startswith(f"{missing}: cannot keep the article texts there: ")


def test_files_under_a_root_load_as_the_walk_of_the_root_loads_them(tmp_path: Path) -> None:
    write(tmp_path / "manifest.csv", "id,outlet\nwire/a,Wire\nwire/b,Wire\nother,Other\n")
    write(tmp_path / "wire" / "manifest.csv", "id,date\na,2016-07-03\n")
    write(tmp_path / "wire" / "a.txt", "Story A\n\nText of a.\n")
    write(tmp_path / "wire" / "b.md", "# Story B\n\nText of b.\n")
    write(tmp_path / "wire" / "data.json", '[{"id": "r1", "text": "A record."}]')
    walked, walk_report = load_articles([str(tmp_path)])
    picked, report = load.load_under(
        [load.FilesUnder(str(tmp_path), ("wire/a.txt", "wire/data.json"))])
    assert picked == [a for a in walked if a.id in ("wire/a", "r1")]
    assert picked[0].outlet == "Wire" and picked[0].date == "2016-07-03"
    assert any("matches no article" in w for w in walk_report.warnings)
    assert report.warnings == []  # a manifest lists its whole directory, not the picked files
    bare, _ = load.load_under([load.FilesUnder(str(tmp_path), ("wire/a.txt",), manifests=False)])
    assert bare[0].id == "wire/a" and bare[0].outlet is None
    assert load.is_article_file("wire/a.txt") and load.is_article_file("x/crawl.warc.gz")
    assert not load.is_article_file("wire/manifest.csv")
    assert not load.is_article_file(".hidden/a.txt") and not load.is_article_file("a.pdf")
