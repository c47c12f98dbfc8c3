"""The command line: parses options, calls the library, prints, and sets the exit status."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from artifactgen import __version__
from artifactgen.build import FORMATS, Settings, build, clean, status, write_reference
from artifactgen.case import check_cases
from artifactgen.errors import ArtifactgenError
from artifactgen.schema import case_schema_text, write_new_case

CASES_DIR = Path("cases")


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
    results = check_cases(list(paths) or [CASES_DIR])
    for result in results:
        for problem in result.problems:
            click.echo(str(problem), err=True)
    invalid = [result for result in results if result.problems]
    count = sum(len(result.problems) for result in invalid)
    total = _plural(len(results), "case file")
    if not results:
        click.echo("no case files found", err=True)
        sys.exit(1)
    if invalid:
        click.echo(
            f"{total} checked: {len(results) - len(invalid)} valid, "
            f"{len(invalid)} with {_plural(count, 'problem')}"
        )
        sys.exit(1)
    click.echo(f"{total} checked: all valid")


@main.command()
@click.argument("name")
@click.option(
    "--cases-dir",
    default=CASES_DIR,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the new case file into.",
)
def new(name: str, cases_dir: Path) -> None:
    """Write cases/NAME.yaml: a complete, commented case file to fill in.

    NAME becomes the case id: lowercase letters, digits and hyphens.
    An existing file is never overwritten.

    \b
    Example:
      artifactgen new jordan-smith
    """
    target = write_new_case(cases_dir, name)
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
    click.echo(case_schema_text(), nl=False)


_OUT = click.option(
    "--out",
    "out_dir",
    default=Path("output"),
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder that holds one sub-folder of deliverables per case.",
)
_TEMPLATES = click.option(
    "--templates",
    "templates_dir",
    default=Path("templates"),
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder with the deliverable templates and reference.docx.",
)
_PATHS = click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))


@main.command(name="build")
@_PATHS
@_OUT
@_TEMPLATES
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(FORMATS)),
    default="all",
    show_default=True,
    help="Write Markdown, Word, or both.",
)
@click.option("--force", is_flag=True, help="Overwrite hand-edited files, keeping a backup.")
def build_command(
    paths: tuple[Path, ...],
    out_dir: Path,
    templates_dir: Path,
    output_format: str,
    force: bool,
) -> None:
    """Build the six deliverables of each case into OUT/<id>/, as .md and .docx.

    A Word file edited by hand since it was built is never overwritten: it is
    kept, and the new version is written beside it as NAME.new.docx. With
    --force the edited file is first copied to NAME.backup.docx.

    \b
    Example:
      artifactgen build cases/marcus-lee.yaml
      artifactgen build --format docx --out /tmp/preview
    """
    settings = Settings(out_dir, templates_dir, formats=FORMATS[output_format], force=force)
    report = build(list(paths) or [CASES_DIR], settings)
    for entry in report.cases:
        for problem in entry.problems:
            click.echo(str(problem), err=True)
        for item in entry.files:
            if item.action == "kept":
                click.echo(
                    f"kept {item.path} (edited by hand); new version written to {item.new_render}"
                )
            elif item.action == "replaced":
                click.echo(f"replaced {item.path}; the edited copy is now {item.backup}")
    built = len(report.cases) - len(report.failed)
    summary = (
        f"{_plural(built, 'case')} built: {_plural(report.count('written'), 'file')} written, "
        f"{report.count('unchanged')} unchanged"
    )
    if report.count("kept"):
        summary += f", {report.count('kept')} kept because edited by hand"
    if report.count("replaced"):
        summary += f", {report.count('replaced')} replaced with a backup"
    if report.failed:
        click.echo(f"{summary}; {_plural(len(report.failed), 'case')} failed")
        sys.exit(1)
    click.echo(summary)


@main.command(name="status")
@_PATHS
@_OUT
@_TEMPLATES
def status_command(paths: tuple[Path, ...], out_dir: Path, templates_dir: Path) -> None:
    """List every output of each case: up to date, stale, edited by hand, or missing.

    \b
    Example:
      artifactgen status cases/marcus-lee.yaml
    """
    report = status(list(paths) or [CASES_DIR], Settings(out_dir, templates_dir))
    for problem in report.problems:
        click.echo(str(problem), err=True)
    width = max((len(str(path)) for path, _ in report.files), default=0)
    for path, label in report.files:
        click.echo(f"{path!s:<{width}}  {label}")
    if report.problems:
        sys.exit(1)


@main.command(name="clean")
@_OUT
def clean_command(out_dir: Path) -> None:
    """Delete built files that were not edited by hand; edited files and backups stay.

    \b
    Example:
      artifactgen clean --out output
    """
    report = clean(out_dir)
    for path in report.kept:
        click.echo(f"kept {path} (edited by hand or a backup)")
    click.echo(f"removed {_plural(len(report.removed), 'file')}, kept {len(report.kept)}")


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
    click.echo(f"wrote {write_reference(path)}")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
