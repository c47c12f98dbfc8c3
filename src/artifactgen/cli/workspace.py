"""Commands that set up a workspace: init, new, template, schema and reference-docx."""

from __future__ import annotations

from pathlib import Path

import click

from artifactgen.cli.group import main
from artifactgen.cli.options import TEMPLATES


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
@TEMPLATES
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
