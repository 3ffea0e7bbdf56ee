"""Where the benchmarks find Reuters-21578, and what they say when they don't."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.common import REUTERS_ENV, load_base_articles


def test_missing_reuters_names_its_source_and_how_to_point_at_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(REUTERS_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(SystemExit) as stop:
        load_base_articles()
    assert stop.value.code == 2
    message = capsys.readouterr().err.strip()
    assert len(message.splitlines()) == 1
    assert str(tmp_path / "nowhere") in message
    assert "UCI" in message and "REUTERS=DIR" in message and REUTERS_ENV in message


def test_the_environment_variable_points_the_benchmarks_at_reuters(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sgm = tmp_path / "reut2-000.sgm"
    sgm.write_text(
        '<REUTERS NEWID="7"><DATE>26-FEB-1987 15:01:01.79</DATE><TEXT><TITLE>A TITLE</TITLE>'
        "<BODY>Some invented body text for the test.\n Reuter\n&#3;</BODY></TEXT></REUTERS>\n",
        encoding="latin-1")
    monkeypatch.setenv(REUTERS_ENV, str(tmp_path))
    articles = load_base_articles()
    assert [a["id"] for a in articles] == ["reuters-7"]
