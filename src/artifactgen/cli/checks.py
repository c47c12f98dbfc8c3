"""The check command, and how every command shows the checks' warnings."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from artifactgen.cli.group import main
from artifactgen.cli.options import PATHS, STRICT
from artifactgen.wording import plural

if TYPE_CHECKING:
    from artifactgen.checks import CaseWarning


def echo_warnings(warnings: Iterable[CaseWarning]) -> None:
    for warning in warnings:
        click.echo(str(warning), err=True)


def warnings_words(count: int) -> str:
    """', 2 warnings' for a command's summary line, or '' for none."""
    return f", {plural(count, 'warning')}" if count else ""


@main.command()
@PATHS
@STRICT
def check(paths: tuple[Path, ...], strict: bool) -> None:
    """Check case files against the coaching framework, as a senior coach would.

    Validates each case, then reports what a senior coach would question:
    the manager not told first, a decision-maker's stance left unknown, a
    serious risk no step heads off, a plan that stalls, a script never used,
    a milestone with no measure, a move with no stay conditions, an interview
    with no handover. Each warning is printed as FILE:LINE:COL with its code;
    list a code under `acknowledged:` in the case, with a reason, to accept
    it. validate and build show the same warnings. Exit status 0 unless a
    file is invalid, or --strict and there is a warning.

    \b
    Example:
      artifactgen check cases/priya-shah.yaml
      artifactgen check --strict
    """
    from artifactgen.case import check_cases
    from artifactgen.workspace import cases_or_workspace

    results = check_cases(cases_or_workspace(list(paths)))
    if not results:
        click.echo("no case files found", err=True)
        sys.exit(1)
    warnings = acknowledged = 0
    for result in results:
        for problem in result.problems:
            click.echo(str(problem), err=True)
        if result.review is not None:
            echo_warnings(result.review.warnings)
            for entry in result.review.acknowledged:
                click.echo(str(entry))
            warnings += len(result.review.warnings)
            acknowledged += len(result.review.acknowledged)
    invalid = sum(1 for result in results if result.problems)
    parts = [plural(warnings, "warning"), f"{acknowledged} acknowledged"]
    if invalid:
        parts.insert(0, f"{invalid} invalid")
    click.echo(f"{plural(len(results), 'case file')} checked: " + ", ".join(parts))
    if invalid or (strict and warnings):
        sys.exit(1)
