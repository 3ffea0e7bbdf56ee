"""Command line: a thin layer over the library.

Reports go to stdout (or ``-o FILE``); progress, warnings and errors go to stderr.
Bad input is one line naming the file, the line and the problem, with exit code 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from . import __version__
from .load import InputError, LoadReport, load_articles
from .pipeline import analyze
from .report import FORMATS, render


def _fail(message: str) -> None:
    click.echo(f"dedup: error: {message}", err=True)
    sys.exit(2)


def _warn_load(report: LoadReport) -> None:
    for message in report.warnings:
        click.echo(f"dedup: warning: {message}", err=True)
    for path, reason in report.skipped:
        click.echo(f"dedup: warning: skipped {path}: {reason}", err=True)
    if report.skipped:
        click.echo(f"dedup: warning: {len(report.skipped)} input(s) skipped", err=True)


def _load(inputs: Sequence[str]) -> list:
    try:
        articles, report = load_articles(list(inputs))
    except InputError as error:
        _fail(str(error))
    _warn_load(report)
    if not articles:
        _fail(f"no articles found in {', '.join(inputs)}")
    return articles


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dedup")
def main() -> None:
    """Find articles that reuse the same agency copy, and what each outlet added."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Report format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file instead of stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
def cluster(inputs: tuple[str, ...], fmt: str, output: str | None, quiet: bool) -> None:
    """Group INPUTS (files, directories, or - for JSONL on stdin) into copy clusters."""
    articles = _load(inputs)
    analysis = analyze(articles, progress=not quiet)
    text = render(analysis, fmt)
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        except OSError as error:
            _fail(f"{output}: cannot write report: {error.strerror}")
    else:
        click.echo(text, nl=False)
