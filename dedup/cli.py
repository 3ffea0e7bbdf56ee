"""Command line: a thin layer over the library.

Reports go to stdout (or ``-o FILE``); progress, warnings and errors go to stderr.
Bad input is one line naming the file, the line and the problem, with exit code 2.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

import click

from . import __version__
from .check import (
    ALLOW_MISSING_FLAG,
    CHECK_FORMATS,
    FAIL_ON,
    check_inputs,
    exit_code,
    render_check,
    run_check,
)
from .index import DEFAULT_INDEX_PATH, damaged, open_index, sqlite_errors
from .load import InputError, LoadReport, load_articles, load_store
from .report import REPORT_FORMATS, counted, render, write_json
from .window import RELATED_WINDOW_DAYS

if TYPE_CHECKING:
    from .pipeline import Settings



def _fail(message: str) -> None:
    click.echo(f"dedup: error: {message}", err=True)
    sys.exit(2)


def _warn_load(report: LoadReport) -> None:
    for message in report.warnings:
        click.echo(f"dedup: warning: {message}", err=True)
    for path, reason in report.skipped:
        click.echo(f"dedup: warning: skipped {path}: {reason}", err=True)
    if report.skipped:
        click.echo(f"dedup: warning: {counted(len(report.skipped), 'input')} skipped", err=True)


def _load(inputs: Sequence[str], loader: Callable[..., tuple[Any, LoadReport]] = load_articles
          ) -> Any:
    try:
        articles, report = loader(list(inputs))
    except InputError as error:
        _fail(str(error))
    _warn_load(report)
    if not articles:
        _fail(f"no articles found in {', '.join(inputs)}")
    return articles


INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command ended by Ctrl-C


class _Main(click.Group):
    """The command group, with Ctrl-C as exit 130 (not click's "Aborted!" and exit 1, which
    ``check`` uses for a finding)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("dedup: interrupted", err=True)
            sys.exit(INTERRUPTED)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dedup")
def main() -> None:
    """Find articles that reuse the same agency copy, and what each outlet added."""


ENGINES = ("local", "spark")


class _DaysType(click.ParamType):
    """A number of days (0 or more), or "all" (None: no limit)."""

    name = "days"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> int | None:
        if value is None or isinstance(value, int):
            return value
        if str(value).strip().lower() == "all":
            return None
        try:
            days = int(value)
        except ValueError:
            days = -1
        if days < 0:
            self.fail(f"{value!r} is neither a number of days (0 or more) nor 'all'",
                      param, ctx)
        return days
PARQUET = "parquet"  # Spark engine only: the report as Parquet datasets in a directory


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice((*REPORT_FORMATS, PARQUET)), default="text",
              show_default=True,
              help="Report format (parquet: --engine spark, -o DIR; for reports too large "
                   "for one file).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file instead of stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes (0: every available core). Results do not depend on it.")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="local: this machine; spark: Apache Spark (pip install news-dedup[spark]), "
                   "INPUTS are JSONL or Parquet paths Spark can read (local, hdfs://, s3a://).")
@click.option("--spark-master", metavar="URL",
              help="Spark master (local[4], yarn, spark://host:7077, k8s://...); default: "
                   "spark-submit's, else local[*].")
@click.option("--related-days", type=_DaysType(), default=str(RELATED_WINDOW_DAYS),
              show_default=True, metavar="DAYS|all",
              help="Related coverage: compare articles published at most DAYS apart "
                   "(undated ones with all); all: whatever their dates (slow on a corpus "
                   "spanning months: it grows with the square of its size).")
def cluster(inputs: tuple[str, ...], fmt: str, output: str | None, quiet: bool,
            jobs: int, engine: str, spark_master: str | None,
            related_days: int | None) -> None:
    """Group INPUTS (files, directories, or - for JSONL on stdin) into copy clusters."""
    from .pipeline import Settings, analyze  # here: it imports scikit-learn and SciPy

    settings = Settings(jobs=jobs, related_days=related_days)
    if engine == "spark":
        _cluster_on_spark(inputs, fmt, output, spark_master, settings, quiet)
        return
    if fmt == PARQUET or spark_master:
        raise click.UsageError("--format parquet and --spark-master need --engine spark")
    # The texts wait on disk until a stage reads them: a large corpus is not held whole.
    with _load(inputs, load_store) as articles:
        analysis = analyze(articles, settings, progress=not quiet)
        if fmt == "json":  # streamed: a large corpus's report is never held as one string
            _write(lambda out: write_json(analysis, out), output)
        else:
            _emit(render(analysis, fmt), output)


def _write(write: Callable[[TextIO], Any], output: str | None) -> None:
    """Run ``write`` on the report file, or on stdout (UTF-8 whatever the locale, as
    click.echo writes it)."""
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                write(handle)
        except OSError as error:
            _fail(f"{output}: cannot write report: {error.strerror}")
        return
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:  # a text-only stream (an IDE's console): write text to it
        write(sys.stdout)
        return
    stdout = io.TextIOWrapper(binary, encoding="utf-8", newline="")
    try:
        sys.stdout.flush()
        write(stdout)
        stdout.flush()
    except BrokenPipeError:
        # The reader closed the pipe (``| head``): it has what it wanted; the command ends
        # with its own exit code.
        _discard_stdout()
    except OSError as error:  # a full disk, /dev/full, an I/O error
        _discard_stdout()
        _fail(f"cannot write the report to standard output: {error.strerror or error}")
    finally:
        stdout.detach()


def _discard_stdout() -> None:
    """Point stdout at /dev/null: what is still buffered would fail again when flushed at
    exit, and Python would print that and exit 120."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


def _cluster_on_spark(inputs: tuple[str, ...], fmt: str, output: str | None,
                      master: str | None, settings: Settings, quiet: bool) -> None:
    if "-" in inputs:
        raise click.UsageError("--engine spark reads paths, not standard input")
    if fmt == PARQUET and not output:
        raise click.UsageError("--format parquet needs -o DIR")
    try:  # pyspark is an optional extra: import it only when asked for
        from . import spark_engine
    except ImportError as error:
        _fail(f"--engine spark needs pyspark, pandas and pyarrow ({error}); "
              "install them with: pip install 'news-dedup[spark]'")
    # A session already running in this process (a notebook, a test) is used, not stopped.
    owned = spark_engine.SparkSession.getActiveSession() is None
    spark = spark_engine.spark_session(master, quiet=quiet)
    try:
        result = spark_engine.run(spark, list(inputs), settings)
        if fmt == PARQUET:
            spark_engine.write_parquet(result, output or "")
            return
        _emit(render(spark_engine.to_analysis(result), fmt), output)
    except InputError as error:
        _fail(str(error))
    except spark_engine.AnalysisException as error:  # a missing path, an unreadable file
        _fail(str(error).splitlines()[0])
    finally:
        if owned:
            spark.stop()


# --- the persistent index and the CI check --------------------------------------------------

_index_option = click.option(
    "--index", "index_path", default=DEFAULT_INDEX_PATH, show_default=True,
    type=click.Path(dir_okay=False), help="The index file (SQLite).",
)


def _emit(text: str, output: str | None) -> None:
    _write(lambda out: out.write(text), output)


@main.group()
def index() -> None:
    """Keep an index of a corpus between runs, for 'dedup check'."""


@index.command("add")
@click.argument("inputs", nargs=-1, required=True)
@_index_option
@click.option("--since", metavar="GITREF",
              help="Add only article files added, changed or renamed since GITREF in INPUTS; "
                   "a renamed article moves to its new id.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
def index_add(inputs: tuple[str, ...], index_path: str, since: str | None, quiet: bool) -> None:
    """Add the articles in INPUTS to the index (same id and text: no-op; new text: replace)."""
    renamed: dict[str, str] = {}
    if since is None:
        articles = _load(inputs)
    else:
        try:
            articles, report, renamed = check_inputs(inputs, since)
        except InputError as error:
            _fail(str(error))
        _warn_load(report)
    try:
        with sqlite_errors(index_path), open_index(index_path, create=True) as idx:
            result = idx.add(articles, progress=not quiet, renamed=renamed)
    except InputError as error:
        _fail(str(error))
    moved = f", {len(result.moved)} moved" if result.moved else ""
    _emit(f"{index_path}: {len(result.added)} added, {len(result.replaced)} replaced{moved},"
          f" {len(result.unchanged)} unchanged; {counted(result.total, 'article')} indexed\n",
          None)


@index.command("remove")
@click.argument("ids", nargs=-1, required=True)
@_index_option
def index_remove(ids: tuple[str, ...], index_path: str) -> None:
    """Remove the articles with these IDS from the index."""
    try:
        with sqlite_errors(index_path), open_index(index_path) as idx:
            result = idx.remove(ids)
    except InputError as error:
        _fail(str(error))
    for missing in result.missing:
        click.echo(f"dedup: warning: {index_path}: no article {missing!r}", err=True)
    _emit(f"{index_path}: {len(result.removed)} removed; {counted(result.total, 'article')}"
          " indexed\n", None)


@index.command("stats")
@_index_option
def index_stats(index_path: str) -> None:
    """What the index holds, and the parameters it was built with."""
    try:
        with sqlite_errors(index_path), open_index(index_path, readonly=True) as idx:
            stats = idx.stats()
    except InputError as error:
        _fail(str(error))
    lines = [f"index: {stats.path}", f"format version: {stats.format_version}",
             f"articles: {stats.articles}", f"outlets: {stats.outlets}",
             f"band rows: {stats.band_rows}", f"block keys: {stats.block_keys}",
             f"size: {stats.file_bytes} bytes",
             *(f"{name}: {value}" for name, value in stats.params.as_meta().items())]
    _emit("\n".join(lines) + "\n", None)


@index.command("verify")
@_index_option
def index_verify(index_path: str) -> None:
    """Check the whole index file for damage (SQLite's integrity_check): exit 0 if sound,
    2 if damaged, with what is wrong."""
    try:
        with sqlite_errors(index_path), open_index(index_path, readonly=True,
                                                   check=False) as idx:
            problems = idx.damage(full=True)
            articles = len(idx) if not problems else 0
    except InputError as error:
        _fail(str(error))
    if problems:
        _emit("".join(f"{index_path}: {p}\n" for p in problems), None)
        found = f"{counted(len(problems), 'problem')} found by integrity_check"
        _fail(str(damaged(index_path, found)))
    _emit(f"{index_path}: ok ({counted(articles, 'article')}; integrity_check found no"
          " damage)\n", None)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@_index_option
@click.option("--format", "fmt", type=click.Choice(CHECK_FORMATS), default="text",
              show_default=True, help="Report format.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="copy", show_default=True,
              help="Exit 1 on any shared copy, only on copy with added commentary, or never.")
@click.option("--add", is_flag=True, help="Then add the checked articles to the index.")
@click.option("--since", metavar="GITREF",
              help="Check only article files added or changed since GITREF in INPUTS.")
@click.option("--root", type=click.Path(file_okay=False),
              help="Name INPUT files by their path relative to this directory, as "
                   "'dedup index add ROOT' does (for pre-commit, which passes files).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file instead of stdout.")
@click.option(ALLOW_MISSING_FLAG, "allow_missing", is_flag=True,
              help="No index yet (a first run): compare the new articles only with each "
                   "other instead of failing (exit 2).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
def check(inputs: tuple[str, ...], index_path: str, fmt: str, fail_on: str, add: bool,
          since: str | None, root: str | None, output: str | None, allow_missing: bool,
          quiet: bool) -> None:
    """Check new articles in INPUTS against the index and each other (exit 1 on findings)."""
    if since is not None and root is not None:
        raise click.UsageError("--since and --root cannot be combined")
    try:
        articles, report, renamed = check_inputs(inputs, since, root)
        _warn_load(report)
        result = run_check(articles, index_path, add=add, progress=not quiet,
                           allow_missing=allow_missing, renamed=renamed)
    except InputError as error:
        _fail(str(error))
    if result.index_missing and not add:
        click.echo(f"dedup: warning: {index_path}: no index yet; new articles are only"
                   " compared with each other", err=True)
    _emit(render_check(result, fmt, fail_on), output)
    sys.exit(exit_code(result, fail_on))


# --- extract: articles out of web archives and pages, as JSONL or Parquet -------------------


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="articles.jsonl or articles.parquet (the format is the extension's).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def extract(inputs: tuple[str, ...], output: str, quiet: bool) -> None:
    """Write the articles of INPUTS (WARC, HTML, any input format) to one JSONL or Parquet
    file, to extract a crawl once and cluster it often (also with --engine spark)."""
    from tqdm import tqdm

    from .extract import output_format, write_articles
    from .load import iter_unique_articles

    report = LoadReport()
    try:
        output_format(output)
        articles = iter_unique_articles(list(inputs), report)
        with tqdm(articles, desc="extract", unit=" articles", disable=quiet,
                  file=sys.stderr) as progress:
            count = write_articles(progress, output)
    except InputError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"{output}: cannot write: {error.strerror or error}")
    _warn_load(report)
    if not count:
        _fail(f"no articles found in {', '.join(inputs)}; nothing written")
    click.echo(f"{output}: {count} articles")
