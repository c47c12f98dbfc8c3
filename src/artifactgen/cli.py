"""The command line: parses options, calls the library, prints, and sets the exit status."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from artifactgen import __version__
from artifactgen.errors import ArtifactgenError
from artifactgen.wording import plural

if TYPE_CHECKING:
    from artifactgen.inputs import Settings


class _Group(click.Group):
    """Turns every ArtifactgenError into its messages and exit 1, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ArtifactgenError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # output piped into `head` and the like
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except Exception as error:  # never show a coach a traceback
            if os.environ.get("ARTIFACTGEN_DEBUG"):
                raise
            click.echo(
                f"artifactgen: internal error ({type(error).__name__}: {error}); "
                "please report it, with the case file if you can",
                err=True,
            )
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="artifactgen")
def main() -> None:
    """Turn a coach's YAML case file into six client deliverables, in Markdown and Word.

    \b
    Example:
      artifactgen init coaching         # a workspace, with one example case
      artifactgen new jordan-smith      # start a case file from the template
      artifactgen validate              # check every file in cases/
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check case files (default: every .yaml file in cases/) and report every problem.

    Each problem is printed as FILE:LINE:COL: message. Exit status 0 when all
    files are valid, 1 otherwise.

    \b
    Example:
      artifactgen validate cases/marcus-lee.yaml
    """
    from artifactgen.case import check_cases
    from artifactgen.workspace import cases_or_workspace

    results = check_cases(cases_or_workspace(list(paths)))
    for result in results:
        for problem in result.problems:
            click.echo(str(problem), err=True)
    invalid = [result for result in results if result.problems]
    count = sum(len(result.problems) for result in invalid)
    total = plural(len(results), "case file")
    if not results:
        click.echo("no case files found", err=True)
        sys.exit(1)
    if invalid:
        click.echo(
            f"{total} checked: {len(results) - len(invalid)} valid, "
            f"{len(invalid)} with {plural(count, 'problem')}"
        )
        sys.exit(1)
    click.echo(f"{total} checked: all valid")


@main.command()
@click.argument("name")
@click.option(
    "--cases-dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the new case file into.  [default: the workspace's cases/]",
)
def new(name: str, cases_dir: Path | None) -> None:
    """Write cases/NAME.yaml: a complete, commented case file to fill in.

    NAME becomes the case id: lowercase letters, digits and hyphens.
    An existing file is never overwritten.

    \b
    Example:
      artifactgen new jordan-smith
    """
    from artifactgen.schema import write_new_case
    from artifactgen.workspace import find_workspace, folder_or_workspace

    workspace = find_workspace()
    schema = workspace.schema if workspace is not None else None
    target = write_new_case(folder_or_workspace(cases_dir, "cases"), name, schema)
    click.echo(f"wrote {target}; fill it in, then run: artifactgen validate {target}")


@main.command()
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of a case file.

    Editors such as VS Code use it for completion and inline errors; every
    case file names it on its first line.

    \b
    Example:
      artifactgen schema > schema/case.schema.json
    """
    from artifactgen.schema import case_schema_text

    click.echo(case_schema_text(), nl=False)


_OUT = click.option(
    "--out",
    "out_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder that holds one sub-folder of deliverables per case."
    "  [default: the workspace's output/]",
)
_TEMPLATES = click.option(
    "--templates",
    "templates_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder whose templates and reference.docx replace the built-in ones, file by file."
    "  [default: the workspace's templates/, when it has one]",
)


def _inputs(
    paths: tuple[Path, ...], out_dir: Path | None, templates_dir: Path | None, **options: Any
) -> tuple[list[Path], Settings]:
    """The case files and settings of a command: what it was given, else the workspace's."""
    from artifactgen.inputs import Settings
    from artifactgen.workspace import (
        cases_or_workspace,
        folder_or_workspace,
        overrides_or_workspace,
    )

    cases = cases_or_workspace(list(paths))
    output = folder_or_workspace(out_dir, "output")
    return cases, Settings(output, overrides_or_workspace(templates_dir), **options)


_PATHS = click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))


_FORMATS = ("md", "docx", "all")


@main.command(name="build")
@_PATHS
@_OUT
@_TEMPLATES
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
def build_command(
    paths: tuple[Path, ...],
    out_dir: Path | None,
    templates_dir: Path | None,
    output_format: str,
    force: bool,
    jobs: int | None,
) -> None:
    """Build the six deliverables of each case into OUT/<id>/, as .md and .docx.

    A file edited by hand is never overwritten. What the case changed since it
    was built is merged into it: in Word files as tracked changes by
    "artifactgen" to accept or reject in the Review tab, with a comment where
    you had changed the same text; in Markdown files line by line, with the
    case's version written beside it as NAME.new.md where both changed. With
    --force an edited file is copied to NAME.backup.EXT and replaced.

    \b
    Example:
      artifactgen build cases/marcus-lee.yaml
      artifactgen build --format docx --out /tmp/preview
      artifactgen build --jobs 4
    """
    from artifactgen.build import FORMATS, build
    from artifactgen.wording import build_summary, outcome_line

    cases, settings = _inputs(
        paths, out_dir, templates_dir, formats=FORMATS[output_format], force=force
    )
    with _ProgressBar() as progress:
        report = build(
            cases,
            settings,
            jobs=jobs or os.cpu_count() or 1,
            progress=progress.show if progress.wanted else None,
        )
    for entry in report.cases:
        for problem in entry.problems:
            click.echo(str(problem), err=True)
        for note in entry.notes:
            click.echo(note)
        for item in entry.files:
            line = outcome_line(item)
            if line:
                click.echo(line)
    click.echo(build_summary(report))
    if report.failed:
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
@_PATHS
@_OUT
@_TEMPLATES
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
    from artifactgen.wording import status_words

    report = status(*_inputs(paths, out_dir, templates_dir))
    for problem in report.problems:
        click.echo(str(problem), err=True)
    rows = [(str(item.path), status_words(item)) for item in report.files]
    rows += [(str(path), label) for path, label in report.extras]
    width = max((len(path) for path, _ in rows), default=0)
    for path, label in rows:
        click.echo(f"{path:<{width}}  {label}")
    if report.problems:
        sys.exit(1)


@main.command(name="diff")
@_PATHS
@_OUT
@_TEMPLATES
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
    diffs, problems = diff(*_inputs(paths, out_dir, templates_dir))
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
@_OUT
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


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Make DIRECTORY (default: this folder) a workspace to write and build cases in.

    Writes artifactgen.toml (which marks the workspace: commands run in any
    folder inside it find it), a Makefile, README.txt, cases/ with one example
    case, docs/case-format.md and schema/case.schema.json, and makes output/.
    When any of those files exists already, nothing is written.

    \b
    Example:
      artifactgen init coaching
      cd coaching && artifactgen new jordan-smith
    """
    from artifactgen.scaffold import init_workspace

    for path in init_workspace(directory):
        click.echo(f"wrote {path}" if path.is_file() else f"made {path}/")
    here = directory == Path(".")
    step = "" if here else f"cd {directory}, then "
    click.echo(
        f"{'this folder' if here else directory} is an artifactgen workspace; next: {step}"
        "artifactgen new jordan-smith (or make new CASE=jordan-smith), fill it in, and run make"
    )


@main.command()
@click.argument("names", nargs=-1, metavar="[NAME]...")
@_TEMPLATES
def template(names: tuple[str, ...], templates_dir: Path | None) -> None:
    """Copy built-in templates into templates/ to change them; without NAME, list them.

    A file in the workspace's templates/ replaces the built-in file of the same
    name on the next build: reference.docx for the house style, NN-*.md.j2 for
    a deliverable's wording. An existing file is never overwritten.

    \b
    Example:
      artifactgen template reference.docx
      artifactgen template
    """
    from artifactgen.scaffold import copy_templates, template_names
    from artifactgen.workspace import folder_or_workspace, overrides_or_workspace

    if names:
        for path in copy_templates(list(names), folder_or_workspace(templates_dir, "templates")):
            click.echo(f"wrote {path}; change it, then run: artifactgen build")
        return
    overrides = overrides_or_workspace(templates_dir)
    known = template_names()
    width = max(len(name) for name in known)
    for name in known:
        mine = overrides / name if overrides is not None else None
        where = f"yours: {mine}" if mine is not None and mine.is_file() else "built in"
        click.echo(f"{name:<{width}}  {where}")


@main.command(name="reference-docx")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def reference_docx(path: Path) -> None:
    """Write the default reference DOCX (the house style) to PATH.

    Open it in Word, change the styles, header, footer or logo, and save it as
    templates/reference.docx: every deliverable follows it on the next build.

    \b
    Example:
      artifactgen reference-docx my-style.docx
    """
    from artifactgen.tidy import write_reference

    click.echo(f"wrote {write_reference(path)}")
