"""The command line: parses options, calls the library, prints, and sets the exit status."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from artifactgen import __version__
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


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
