"""The Spark engine gives the local engine's results, on Spark in local[2] mode.

One Spark run over a generated benchmark corpus (``benchmarks.generate`` on the synthetic
base) is compared with ``analyze`` on the same file: clusters (ids, members, sources),
verified pairs, candidate statistics, related coverage and the JSON report byte for byte.
Skipped, with the reason, where Java or pyspark is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from benchmarks.generate import generate_corpus
from benchmarks.synthetic import synthetic_base
from dedup.cli import main
from dedup.load import load_articles
from dedup.pipeline import Analysis, Settings, analyze
from dedup.report import render_json
from tests.helpers import DAYS, run_on_terminal, templated_report

if shutil.which("java") is None:
    pytest.skip("java is not installed: the Spark engine needs a JVM (Java 17)",
                allow_module_level=True)
pytest.importorskip("pyspark", reason="pyspark is not installed (pip install news-dedup[spark])")
pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install news-dedup[spark])")

from pyspark.sql import SparkSession

from dedup import spark_engine

N_STORIES = 12  # ~90 articles: 12 copy stories, rewrites, briefs, singletons
TEST_CONF = {
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "4",
    "spark.driver.memory": "1g",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.driver.host": "127.0.0.1",
}


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    session = spark_engine.spark_session("local[2]", TEST_CONF)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def corpus_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    articles, _ = generate_corpus(synthetic_base(), n_stories=N_STORIES, seed=8)
    # Three days of a templated report: only their figures keep them apart, so the Spark
    # engine must carry the figures to verification as the local engine does.
    articles += [{"id": f"report-{k}", "text": templated_report(day)}
                 for k, day in enumerate(DAYS)]
    path = tmp_path_factory.mktemp("spark") / "articles.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def local(corpus_path: Path) -> Analysis:
    articles, _ = load_articles([str(corpus_path)])
    # The Spark engine has no light-rewording or template-series stage yet (docs/spark.md).
    return analyze(articles, Settings(light_rewording=False, template_series=False))


@pytest.fixture(scope="session")
def on_spark(spark: SparkSession, corpus_path: Path) -> spark_engine.SparkRun:
    return spark_engine.run(spark, [str(corpus_path)])


@pytest.fixture(scope="session")
def collected(on_spark: spark_engine.SparkRun) -> Analysis:
    return spark_engine.to_analysis(on_spark, with_pairs=True)


def _clusters(analysis: Analysis) -> list[tuple[str, str, list[str]]]:
    ids = [a.id for a in analysis.articles]
    return [(c.id, ids[c.source], sorted(ids[m.index] for m in c.members))
            for c in analysis.clusters]


def test_same_articles_in_the_same_order(local: Analysis, collected: Analysis) -> None:
    assert collected.articles == [
        type(a)(a.id, a.text, a.title, a.outlet, a.date, a.url) for a in local.articles
    ]


def test_same_clusters_ids_members_and_sources(local: Analysis, collected: Analysis) -> None:
    assert len(local.clusters) >= 10  # the corpus does exercise clustering
    assert _clusters(collected) == _clusters(local)


def test_same_verified_pairs_and_candidate_stats(local: Analysis, collected: Analysis) -> None:
    # Evidence floats included: cosines are summed in the local engine's order.
    assert collected.copy_pairs == local.copy_pairs
    assert collected.candidate_stats == local.candidate_stats


def test_same_alignments_and_related(local: Analysis, collected: Analysis) -> None:
    assert [c.members for c in collected.clusters] == [c.members for c in local.clusters]
    assert local.related and collected.related == local.related


def test_identical_json_report(local: Analysis, collected: Analysis) -> None:
    assert render_json(collected) == render_json(local)


def test_parquet_report_holds_the_json_report(on_spark: spark_engine.SparkRun,
                                              spark: SparkSession, local: Analysis,
                                              tmp_path: Path) -> None:
    out = tmp_path / "report"
    spark_engine.write_parquet(on_spark, str(out))
    expected = json.loads(render_json(local))
    for name in ("documents", "clusters", "related"):
        rows = spark.read.parquet(str(out / name)).orderBy("position").collect()
        assert [r.asDict(recursive=True)["position"] for r in rows] == list(range(len(rows)))
        found = [{k: v for k, v in r.asDict(recursive=True).items() if k != "position"}
                 for r in rows]
        assert found == expected[name], name


def test_components_large_star_small_star(spark: SparkSession) -> None:
    # Two paths numbered against the grain and a triangle: stars need several rounds.
    edges = [(9, 7), (7, 8), (8, 3), (3, 6), (1, 2), (2, 5), (5, 1), (20, 4), (4, 10)]
    frame = spark.createDataFrame(edges, "a long, b long")
    found = {r["node"]: r["comp"]
             for r in spark_engine.connected_components(frame).collect()}
    assert found == {9: 3, 7: 3, 8: 3, 3: 3, 6: 3, 1: 1, 2: 1, 5: 1, 20: 4, 4: 4, 10: 4}


def test_cli_bad_input_is_one_line_and_exit_2(spark: SparkSession, tmp_path: Path) -> None:
    # In process, on the running session (the CLI leaves a session it did not start).
    bad = tmp_path / "dup.jsonl"
    bad.write_text('{"id": "a", "text": "one"}\n{"id": "a", "text": "two"}\n',
                   encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["cluster", "--engine", "spark", "--format", "json", str(bad)])
    assert result.exit_code == 2
    assert "duplicate id 'a'" in result.stderr.strip().splitlines()[-1]
    missing = runner.invoke(main, ["cluster", "--engine", "spark", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "dedup: error:" in missing.stderr
    assert not spark.sparkContext._jsc.sc().isStopped()
    usage = runner.invoke(main, ["cluster", "--format", "parquet", str(bad)])
    assert usage.exit_code == 2 and "--engine spark" in usage.stderr


def _spark_cli(corpus: Path, *extra: str, stderr: Any = subprocess.PIPE) -> Any:
    return subprocess.run(
        [sys.executable, "-m", "dedup", "cluster", "--engine", "spark", "--spark-master",
         "local[1]", "--format", "json", *extra, str(corpus)],
        stdout=subprocess.PIPE, stderr=stderr, timeout=900, check=False,
    )


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("quiet") / "days.jsonl"
    path.write_text("".join(json.dumps({"id": f"report-{k}", "text": templated_report(day)})
                            + "\n" for k, day in enumerate(DAYS)), encoding="utf-8")
    return path


def test_quiet_spark_run_writes_nothing_to_stderr(small_corpus: Path) -> None:
    """-q: no WARN lines, no "Using Spark's default log4j profile", no [Stage N] bars: a real
    process, whose JVM is started by this run."""
    done = _spark_cli(small_corpus, "-q")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    assert len(json.loads(done.stdout)["documents"]) == len(DAYS)


def test_spark_progress_on_a_terminal_as_the_local_engine_shows_it(small_corpus: Path) -> None:
    """Without -q, on a terminal: Spark's stage bars (as the local engine's bars), but not
    Spark's WARN log lines."""
    done, shown = run_on_terminal(lambda fd: _spark_cli(small_corpus, stderr=fd))
    assert done.returncode == 0, shown.decode(errors="replace")
    assert b"[Stage " in shown
    assert b" WARN " not in shown and b"log4j profile" not in shown, shown.decode()
