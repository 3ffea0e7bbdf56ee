"""The command line, through click's runner and once as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from dedup.cli import main
from tests.helpers import (
    BUSINESS_STANDARD,
    INDIAVISION,
    NEW_ARAB,
    SEEDS,
    SOLVE_ISRAEL,
    run_on_terminal,
)


def _run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def test_json_report_has_the_two_seed_clusters() -> None:
    result = _run("cluster", str(SEEDS), "--format", "json", "--quiet")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    clusters = sorted(sorted(m["id"] for m in c["members"]) for c in report["clusters"])
    assert clusters == [sorted([SOLVE_ISRAEL, NEW_ARAB]), sorted([INDIAVISION, BUSINESS_STANDARD])]
    assert len(report["documents"]) == 5
    member = report["clusters"][0]["members"][0]
    assert set(member) >= {"id", "relation", "shared_fraction", "adds_commentary", "credit",
                           "added"}


def test_text_report_names_outlets_that_added_commentary() -> None:
    result = _run("cluster", str(SEEDS))
    assert result.exit_code == 0
    assert "Added commentary: Solve Israel's Problems" in result.stdout
    assert result.stdout.count("likely source") == 2


def test_csv_report_has_one_row_per_member() -> None:
    result = _run("cluster", str(SEEDS), "--format", "csv")
    rows = result.stdout.strip().splitlines()
    assert rows[0].startswith("cluster,id,outlet")
    assert len(rows) == 1 + 4


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = _run("cluster", str(SEEDS), "--format", "json", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["clusters"]


def test_unwritable_output_file_is_one_line_error_for_every_format(tmp_path: Path) -> None:
    # Text formats and the streamed JSON report share one writer: both must fail alike.
    missing = tmp_path / "no such dir" / "report.out"
    for fmt in ("text", "json", "csv", "html"):
        result = _run("cluster", str(SEEDS), "--format", fmt, "-q", "-o", str(missing))
        assert result.exit_code == 2, (fmt, result.output)
        lines = result.stderr.strip().splitlines()
        assert lines == [f"dedup: error: {missing}: cannot write report: No such file or directory"]
        assert result.stdout == ""


def test_jsonl_on_stdin() -> None:
    lines = [json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")})
             for p in sorted(SEEDS.glob("*.txt"))]
    result = _run("cluster", "-", "--format", "json", stdin="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["clusters"]) == 2


def test_bad_jsonl_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "fine"}\n{"id": "b", "text": \n', encoding="utf-8")
    result = _run("cluster", str(bad))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"{bad}:2:" in lines[0]
    assert "Traceback" not in result.output


def test_missing_path_exits_2(tmp_path: Path) -> None:
    result = _run("cluster", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_skipped_files_are_warned_and_counted(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "one.txt").write_text("Headline\n\nSome text of an article.", encoding="utf-8")
    result = _run("cluster", str(tmp_path))
    assert result.exit_code == 0
    assert "empty.txt" in result.stderr
    assert "1 input skipped" in result.stderr
    assert "2 articles" not in result.stdout  # the empty file is not an article
    assert result.stdout.startswith("1 article:")


def test_real_subprocess_keeps_stdout_clean() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "dedup", "cluster", str(SEEDS), "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    json.loads(proc.stdout)  # nothing but the report on stdout


def test_progress_bars_go_to_a_terminal_on_stderr_and_stdout_stays_the_report() -> None:
    """On a terminal, every long stage shows a bar on stderr (related coverage, the longest
    stage on a large corpus, included); stdout holds exactly the report."""
    proc, bars = run_on_terminal(lambda fd: subprocess.run(
        [sys.executable, "-m", "dedup", "cluster", str(SEEDS), "--format", "json"],
        stdout=subprocess.PIPE, stderr=fd, timeout=120, check=True))
    for stage in (b"paragraphs", b"signatures", b"candidates", b"verify", b"align", b"related"):
        assert stage in bars, bars
    quiet = subprocess.run([sys.executable, "-m", "dedup", "cluster", str(SEEDS), "--format",
                            "json", "--quiet"], capture_output=True, timeout=120, check=True)
    assert proc.stdout == quiet.stdout and b"related" not in quiet.stderr
    json.loads(proc.stdout)


def test_related_days_takes_a_number_or_all() -> None:
    week = _run("cluster", str(SEEDS), "--format", "json", "-q")
    assert _run("cluster", str(SEEDS), "--format", "json", "-q",
                "--related-days", "all").stdout == week.stdout  # the seeds' rewrite is undated
    bad = _run("cluster", str(SEEDS), "--related-days", "week")
    assert bad.exit_code == 2
    assert "'week' is neither a number of days (0 or more) nor 'all'" in bad.output
    assert _run("cluster", str(SEEDS), "--related-days", "-3").exit_code == 2


def test_streamed_json_report_is_the_json_dumps_text(tmp_path: Path) -> None:
    """The JSON report is written as it is encoded (documents made one at a time): the
    bytes are those of json.dumps of the whole report, on stdout and in a file."""
    from dedup.load import load_articles
    from dedup.pipeline import analyze
    from dedup.report import to_dict

    articles, _ = load_articles([str(SEEDS)])
    whole = json.dumps(to_dict(analyze(articles)), ensure_ascii=False, indent=2) + "\n"
    assert '"documents": [\n    {\n      "id"' in whole  # the streamed part is there
    streamed = _run("cluster", str(SEEDS), "--format", "json", "-q")
    assert streamed.stdout_bytes == whole.encode("utf-8")
    out = tmp_path / "report.json"
    assert _run("cluster", str(SEEDS), "--format", "json", "-q", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == whole.encode("utf-8")


def _dedup(*args: object, **kwargs: Any) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dedup", *map(str, args)], check=False,
                          timeout=300, **kwargs)


def test_a_full_stdout_is_one_line_and_exit_2_for_every_command(tmp_path: Path) -> None:
    """/dev/full: a write fails with ENOSPC. ``check`` must not exit 1 ("a finding")."""
    from test_index import seed_index

    index = seed_index(tmp_path, [NEW_ARAB, INDIAVISION])
    commands = [
        ("cluster", SEEDS, "--format", "json", "-q"),
        ("cluster", SEEDS, "-q"),
        ("check", SEEDS / f"{SOLVE_ISRAEL}.txt", "--index", index, "-q"),
        ("index", "stats", "--index", index),
    ]
    for command in commands:
        with open("/dev/full", "w") as full:
            proc = _dedup(*command, stdout=full, stderr=subprocess.PIPE, text=True)
        assert proc.returncode == 2, (command, proc.stderr)
        assert proc.stderr.splitlines() == [
            "dedup: error: cannot write the report to standard output: No space left on device"
        ], command


def test_a_closed_pipe_is_quiet_and_keeps_the_commands_exit_code(tmp_path: Path) -> None:
    """``| head``: the reader has what it wanted. No message, no traceback; the exit code is
    the command's own (0 for cluster, 1 for a check with a finding)."""
    from test_index import seed_index

    index = seed_index(tmp_path, [NEW_ARAB, INDIAVISION])
    commands = [
        (("cluster", SEEDS, "--format", "html", "-q"), 0),
        (("cluster", SEEDS, "--format", "json", "-q"), 0),
        (("check", SEEDS / f"{SOLVE_ISRAEL}.txt", "--index", index, "-q"), 1),
        (("index", "stats", "--index", index), 0),
    ]
    for command, code in commands:
        proc = subprocess.Popen([sys.executable, "-m", "dedup", *map(str, command)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None
        proc.stdout.close()  # before the report is written: its first write fails
        _, err = proc.communicate(timeout=300)
        assert (proc.returncode, err) == (code, b""), command


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path: Path) -> None:
    """OWASP's CSV-injection advice: a cell starting with = + - @ tab or carriage return gets
    a leading single quote; numbers (a negative id, the shared fractions) stay numbers."""
    import csv

    text = (SEEDS / f"{NEW_ARAB}.txt").read_text(encoding="utf-8")
    rows = [
        {"id": "=HYPERLINK(\"http://x\")", "text": text, "title": "+cmd|' /C calc'!A0",
         "outlet": "@SUM(1+1)"},
        {"id": "-0.5", "text": text, "title": "-Minus", "outlet": "-2+3"},
        {"id": "plain", "text": text, "title": "A title", "outlet": "Outlet"},
    ]
    corpus = tmp_path / "evil.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = _run("cluster", str(corpus), "--format", "csv", "-q")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(result.stdout.splitlines(keepends=True)))
    by_id = {row["id"]: row for row in table}
    assert set(by_id) == {"'=HYPERLINK(\"http://x\")", "-0.5", "plain"}
    assert by_id["'=HYPERLINK(\"http://x\")"]["title"] == "'+cmd|' /C calc'!A0"
    assert by_id["'=HYPERLINK(\"http://x\")"]["outlet"] == "'@SUM(1+1)"
    assert by_id["-0.5"]["title"] == "'-Minus"
    assert by_id["-0.5"]["outlet"] == "'-2+3"
    assert by_id["plain"]["title"] == "A title"
    for row in table:  # nothing a spreadsheet would evaluate is left
        assert not any(v.startswith(("=", "+", "@", "\t", "\r")) for v in row.values())
        float(row["shared_fraction"])
    # The loader strips titles and outlets; a tab or carriage return could still start a cell.
    from dedup.report import csv_cell

    assert [csv_cell(v) for v in ("\tx", "\rx", "-1e5", "+3", ".5", "-", "1.0000", 7)] == [
        "'\tx", "'\rx", "-1e5", "+3", ".5", "'-", "1.0000", "7"]


def test_counts_are_singular_for_one(tmp_path: Path) -> None:
    """"1 article", "1 copy cluster", "1 indexed article"; and no "(0 unchanged, 0 compared)"
    but what was compared, and what was not checked again only when there is some."""
    from test_index import seed_index

    pair = tmp_path / "pair"
    pair.mkdir()
    for article_id in (INDIAVISION, BUSINESS_STANDARD):
        (pair / f"{article_id}.txt").write_bytes((SEEDS / f"{article_id}.txt").read_bytes())
    text = _run("cluster", str(pair), "-q").stdout
    assert text.splitlines()[-3] == (
        "2 articles: 1 copy cluster holding 2 articles; 0 in no cluster.")
    one = _run("cluster", str(SEEDS / f"{INDIAVISION}.txt"), "-q").stdout
    assert one.splitlines()[-3] == "1 article: 0 copy clusters holding 0 articles; 1 in no cluster."
    html = _run("cluster", str(pair), "-q", "--format", "html").stdout
    assert "2 articles: 1 copy cluster holding 2 articles" in html
    assert "Showing 1 of 1 cluster<" in html and "<title>dedup: 1 copy cluster</title>" in html

    index = seed_index(tmp_path, [NEW_ARAB])
    unrelated = tmp_path / "unrelated.txt"
    unrelated.write_text("Weather\n\nRain is expected over the hills on Tuesday, the weather "
                         "service said, with clearer skies later in the week.\n",
                         encoding="utf-8")
    checked = _run("check", str(unrelated), "--index", str(index), "-q")
    assert checked.stdout.splitlines()[-1] == (
        "dedup check: 1 article checked against 1 indexed article (none compared):"
        " 0 with shared copy, 0 failing (--fail-on copy)")
    added = _run("index", "add", str(unrelated), "--index", str(index), "-q")
    assert added.stdout.endswith("; 2 articles indexed\n")
    removed = _run("index", "remove", "unrelated", "--index", str(index))
    assert removed.stdout.endswith(": 1 removed; 1 article indexed\n")
