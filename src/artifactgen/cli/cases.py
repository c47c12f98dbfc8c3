"""Commands on cases: validate, build, status, diff and clean."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from artifactgen.cli.checks import echo_warnings, warnings_words
from artifactgen.cli.group import main
from artifactgen.cli.options import OUT, PATHS, STRICT, TEMPLATES, case_inputs
from artifactgen.wording import plural


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@STRICT
def validate(paths: tuple[Path, ...], strict: bool) -> None:
    """Check case files (default: every .yaml file in cases/) and report every problem.

    Each problem is printed as FILE:LINE:COL: message, and after it the
    warnings of `artifactgen check`. Exit status 0 when all files are valid
    (warnings too, unless --strict), 1 otherwise.

    \b
    Example:
      artifactgen validate cases/marcus-lee.yaml
    """
    from artifactgen.case import check_cases
    from artifactgen.workspace import cases_or_workspace

    results = check_cases(cases_or_workspace(list(paths)))
    warnings = 0
    for result in results:
        for problem in result.problems:
            click.echo(str(problem), err=True)
        if result.review is not None:
            echo_warnings(result.review.warnings)
            warnings += len(result.review.warnings)
    invalid = [result for result in results if result.problems]
    count = sum(len(result.problems) for result in invalid)
    total = plural(len(results), "case file")
    if not results:
        click.echo("no case files found", err=True)
        sys.exit(1)
    if invalid:
        click.echo(
            f"{total} checked: {len(results) - len(invalid)} valid, "
            f"{len(invalid)} with {plural(count, 'problem')}{warnings_words(warnings)}"
        )
        sys.exit(1)
    click.echo(f"{total} checked: all valid{warnings_words(warnings)}")
    if strict and warnings:
        sys.exit(1)


_FORMATS = ("md", "docx", "all")


@main.command(name="build")
@PATHS
@OUT
@TEMPLATES
@click.option(
    "--format",
    "output_format",
    type=click.Choice(_FORMATS),
    default="all",
    show_default=True,
    help="Write Markdown, Word, or both.",
)
@click.option(
    "--force", is_flag=True, help="Replace hand-edited files with the fresh render, after a backup."
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Cases built at once, in separate processes.  [default: the number of cores]",
)
@STRICT
def build_command(
    paths: tuple[Path, ...],
    out_dir: Path | None,
    templates_dir: Path | None,
    output_format: str,
    force: bool,
    jobs: int | None,
    strict: bool,
) -> None:
    """Build the six deliverables of each case into OUT/<id>/, as .md and .docx.

    A file edited by hand is never overwritten. What the case changed since it
    was built is merged into it: in Word files as tracked changes by
    "artifactgen" to accept or reject in the Review tab, with a comment where
    you had changed the same text; in Markdown files line by line, with the
    case's version written beside it as NAME.new.md where both changed. With
    --force an edited file is copied to NAME.backup.EXT and replaced.

    The warnings of `artifactgen check` are shown for each case built; a case
    with nothing to build is not read again, so its warnings show only with
    --strict, which also makes any warning exit with status 1.

    \b
    Example:
      artifactgen build cases/marcus-lee.yaml
      artifactgen build --format docx --out /tmp/preview
      artifactgen build --jobs 4
    """
    from artifactgen.build import FORMATS, build
    from artifactgen.wording import build_summary, outcome_line

    cases, settings = case_inputs(
        paths, out_dir, templates_dir, formats=FORMATS[output_format], force=force
    )
    with _ProgressBar() as progress:
        report = build(
            cases,
            settings,
            jobs=jobs or os.cpu_count() or 1,
            progress=progress.show if progress.wanted else None,
            check_settled=strict,
        )
    for entry in report.cases:
        for problem in entry.problems:
            click.echo(str(problem), err=True)
        echo_warnings(entry.warnings or [])
        for note in entry.notes:
            click.echo(note)
        for item in entry.files:
            line = outcome_line(item)
            if line:
                click.echo(line)
    click.echo(build_summary(report) + warnings_words(len(report.warnings)))
    if report.failed or (strict and report.warnings):
        sys.exit(1)


class _ProgressBar:
    """A one-line bar on stderr while many cases build; nothing when stderr is not a terminal."""

    WIDTH = 30
    MINIMUM = 5  # cases; fewer finish before a bar would help

    def __init__(self) -> None:
        self.wanted = sys.stderr.isatty()
        self.drawn = False

    def show(self, done: int, total: int) -> None:
        if total < self.MINIMUM:
            return
        filled = self.WIDTH * done // total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        click.echo(f"\r[{bar}] {done}/{total} cases", nl=False, err=True)
        self.drawn = True

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.drawn:
            click.echo("\r" + " " * (self.WIDTH + 30) + "\r", nl=False, err=True)


@main.command(name="status")
@PATHS
@OUT
@TEMPLATES
def status_command(
    paths: tuple[Path, ...], out_dir: Path | None, templates_dir: Path | None
) -> None:
    """List every output of each case: up to date, stale, edited, or missing.

    An edited Word file shows how many tracked changes and comments by
    artifactgen are still in it to review. Files written beside edited ones
    (NAME.new.*) and backups are listed too.

    \b
    Example:
      artifactgen status cases/marcus-lee.yaml
    """
    from artifactgen.build import status
    from artifactgen.wording import status_summary, status_words

    report = status(*case_inputs(paths, out_dir, templates_dir))
    for problem in report.problems:
        click.echo(str(problem), err=True)
    rows = [(str(item.path), status_words(item)) for item in report.files]
    rows += [(str(path), label) for path, label in report.extras]
    width = max((len(path) for path, _ in rows), default=0)
    for path, label in rows:
        click.echo(f"{path:<{width}}  {label}")
    summary = status_summary(report.files)
    if summary:
        click.echo(summary)
    if report.problems:
        sys.exit(1)


@main.command(name="diff")
@PATHS
@OUT
@TEMPLATES
def diff_command(paths: tuple[Path, ...], out_dir: Path | None, templates_dir: Path | None) -> None:
    """Show what the next build would change in each deliverable; changes nothing.

    Word by word: removed words as [-old-], added words as {+new+} (in colour
    on a terminal).

    \b
    Example:
      artifactgen diff cases/marcus-lee.yaml
    """
    from artifactgen.diffs import diff
    from artifactgen.preview import marked_up

    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    removed = ("\x1b[31m[-", "-]\x1b[0m") if colour else ("[-", "-]")
    added = ("\x1b[32m{+", "+}\x1b[0m") if colour else ("{+", "+}")
    diffs, problems = diff(*case_inputs(paths, out_dir, templates_dir))
    for problem in problems:
        click.echo(str(problem), err=True)
    for item in diffs:
        click.echo(f"{item.path} ({item.status.value})")
        for change in item.changes:
            text = marked_up(change, removed, added).replace("\n", "\n    ")
            click.echo(f"  {change.kind.value} {text}")
        for conflict in item.conflicts:
            where = f' under "{conflict.heading}"' if conflict.heading else ""
            click.echo(f"  ! a conflict{where}: you changed that text too; yours will be kept")
    if not diffs and not problems:
        click.echo("nothing to change: every output is up to date with its case")
    if problems:
        sys.exit(1)


@main.command(name="clean")
@OUT
def clean_command(out_dir: Path | None) -> None:
    """Delete built files nobody edited; every edited file, new version and backup stays.

    \b
    Example:
      artifactgen clean --out output
    """
    from artifactgen.tidy import clean
    from artifactgen.workspace import folder_or_workspace

    report = clean(folder_or_workspace(out_dir, "output"))
    for path in report.kept:
        click.echo(f"kept {path}")
    click.echo(f"removed {plural(len(report.removed), 'file')}, kept {len(report.kept)}")
