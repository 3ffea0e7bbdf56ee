"""dedup extract (articles to JSONL / Parquet) and Parquet input for the local engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup import extract as extract_module
from dedup.cli import main
from dedup.load import InputError, load_articles
from tests.helpers import SEEDS

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def _fields(articles: list) -> list[tuple]:
    return [(a.id, a.text, a.title, a.outlet, a.date, a.url) for a in articles]


@pytest.mark.parametrize("name", ["articles.jsonl", "articles.parquet"])
def test_extracted_articles_load_back_exactly(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    result = _run("extract", str(SEEDS), "-o", str(out), "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out}: 5 articles\n"
    original, _ = load_articles([str(SEEDS)])
    again, report = load_articles([str(out)])
    assert _fields(again) == _fields(original)  # texts to the character: offsets hold
    assert report.skipped == [] and report.warnings == []


def test_a_parquet_file_clusters_as_its_jsonl(tmp_path: Path) -> None:
    jsonl, parquet = tmp_path / "a.jsonl", tmp_path / "a.parquet"
    for out in (jsonl, parquet):
        assert _run("extract", str(SEEDS), "-o", str(out), "-q").exit_code == 0
    reports = [_run("cluster", str(p), "--format", "json", "-q").stdout for p in (jsonl, parquet)]
    assert reports[0] == reports[1] and json.loads(reports[0])["clusters"]


def test_extract_leaves_nothing_behind_on_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "one"}\n{"id": "a", "text": "two"}\n', encoding="utf-8")
    out = tmp_path / "articles.parquet"
    out.write_bytes(b"what was there")
    result = _run("extract", str(bad), "-o", str(out), "-q")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"dedup: error: {bad}:2: duplicate id 'a' (first seen at {bad}:1)"]
    assert out.read_bytes() == b"what was there"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.parquet", "bad.jsonl"]


def test_extract_refuses_unknown_outputs_and_writes_nothing_without_articles(tmp_path: Path
                                                                            ) -> None:
    result = _run("extract", str(SEEDS), "-o", str(tmp_path / "a.csv"))
    assert result.exit_code == 2
    assert "unsupported output type (expected .jsonl, .parquet)" in result.stderr
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    result = _run("extract", str(empty), "-o", str(tmp_path / "out.jsonl"), "-q")
    assert result.exit_code == 2
    assert "nothing written" in result.stderr
    assert not (tmp_path / "out.jsonl").exists()
    unwritable = tmp_path / "no such dir" / "out.jsonl"
    result = _run("extract", str(SEEDS), "-o", str(unwritable), "-q")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"dedup: error: {unwritable}: cannot write")


def test_a_lone_surrogate_survives_jsonl(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "s", "text": "broken \\ud800 pair"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert _run("extract", str(source), "-o", str(out), "-q").exit_code == 0
    assert load_articles([str(out)])[0][0].text == "broken \ud800 pair"
    result = _run("extract", str(source), "-o", str(tmp_path / "out.parquet"), "-q")
    assert result.exit_code == 2 and "article 's'" in result.stderr


def test_parquet_input_checks_its_columns_and_rows(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"id": [7, 8], "text": ["seven", "  "],
                             "outlet": [" Wire ", None]}), path)
    articles, report = load_articles([str(path)])
    assert _fields(articles) == [("7", "seven", None, "Wire", None, None)]
    assert report.skipped == [(f"{path}:2", "empty text")]
    pq.write_table(pa.table({"id": ["a"], "body": ["x"]}), path)
    with pytest.raises(InputError, match=r"a.parquet: missing column 'text'"):
        load_articles([str(path)])
    pq.write_table(pa.table({"id": ["a", None], "text": ["x", "y"]}), path)
    with pytest.raises(InputError, match=r"a.parquet:2: missing field 'id'"):
        load_articles([str(path)])
    path.write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match=r"a.parquet: not a readable Parquet file"):
        load_articles([str(path)])


def test_parquet_without_pyarrow_names_the_extra(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"id": ["a"], "text": ["x"]}), path)
    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    result = _run("cluster", str(path), "-q")
    assert result.exit_code == 2
    assert result.stderr == (f"dedup: error: {path}: reading Parquet needs pyarrow: "
                             "pip install 'news-dedup[parquet]'\n")
    with pytest.raises(InputError, match=r"pip install 'news-dedup\[parquet\]'"):
        extract_module.write_articles([], str(tmp_path / "b.parquet"))
