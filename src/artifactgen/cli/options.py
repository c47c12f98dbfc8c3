"""Options shared by the commands that read cases and write outputs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from artifactgen.inputs import Settings


OUT = click.option(
    "--out",
    "out_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder that holds one sub-folder of deliverables per case."
    "  [default: the workspace's output/]",
)
TEMPLATES = click.option(
    "--templates",
    "templates_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder whose templates and reference.docx replace the built-in ones, file by file."
    "  [default: the workspace's templates/, when it has one]",
)


def case_inputs(
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


PATHS = click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
STRICT = click.option(
    "--strict",
    is_flag=True,
    help="Exit with status 1 when the checks give any warning (see `artifactgen check`).",
)
