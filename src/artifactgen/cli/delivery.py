"""Commands that make what the client receives: pack (one Word file, optionally PDF) and pdf."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from artifactgen.cli.group import main
from artifactgen.cli.options import OUT, PATHS, TEMPLATES, case_inputs
from artifactgen.wording import plural

if TYPE_CHECKING:
    from artifactgen.delivery import DeliveryReport

UNRESOLVED = click.option(
    "--unresolved",
    type=click.Choice(["refuse", "warn", "proceed"]),
    default="refuse",
    show_default=True,
    help="A document with tracked changes or comments still in it: leave its case out "
    "(refuse), go ahead and list it (warn), or go ahead (proceed).",
)
TIMEOUT = click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=180,
    show_default=True,
    help="Seconds LibreOffice may take for all the PDFs of this command.",
)


@main.command(name="pack")
@PATHS
@OUT
@TEMPLATES
@click.option("--pdf", is_flag=True, help="Also print the pack to PDF through LibreOffice.")
@UNRESOLVED
@TIMEOUT
def pack_command(
    paths: tuple[Path, ...],
    out_dir: Path | None,
    templates_dir: Path | None,
    pdf: bool,
    unresolved: str,
    timeout: float,
) -> None:
    """Join each case's deliverables into OUT/<id>/<id>-client-pack.docx.

    A cover page, a table of contents, then every deliverable on new pages, taken
    from the Word files as they are now, with your hand edits. Run `artifactgen
    build` first. A pack is made again only when a deliverable or the cover
    changed; a pack you edited is kept and the new one written beside it.

    \b
    Example:
      artifactgen pack cases/marcus-lee.yaml --pdf
      artifactgen pack --unresolved warn
    """
    from artifactgen.delivery import Unresolved, make_packs
    from artifactgen.errors import ArtifactgenError

    cases, settings = case_inputs(paths, out_dir, templates_dir)
    try:
        report = make_packs(
            cases, settings, policy=Unresolved(unresolved), pdf=pdf, timeout=timeout
        )
    except ArtifactgenError as error:
        _fail(error)
    _show(report)


@main.command(name="pdf")
@PATHS
@OUT
@UNRESOLVED
@TIMEOUT
def pdf_command(
    paths: tuple[Path, ...], out_dir: Path | None, unresolved: str, timeout: float
) -> None:
    """Print each deliverable's Word file to PDF beside it, through LibreOffice.

    The Word files are taken as they are now, with your hand edits; all of them
    go through one LibreOffice run. A PDF is made again only when its Word file
    changed.

    \b
    Example:
      artifactgen pdf cases/marcus-lee.yaml
    """
    from artifactgen.delivery import Unresolved, make_pdfs
    from artifactgen.errors import ArtifactgenError

    cases, settings = case_inputs(paths, out_dir, None)
    try:
        report = make_pdfs(cases, settings, policy=Unresolved(unresolved), timeout=timeout)
    except ArtifactgenError as error:
        _fail(error)
    _show(report)


def _fail(error: Exception) -> None:
    click.echo(str(error), err=True)
    sys.exit(1)


def _show(report: DeliveryReport) -> None:
    from artifactgen.delivery import Made

    for problem in report.problems:
        click.echo(str(problem), err=True)
    for note in report.notes:
        click.echo(note, err=True)
    refusing = bool(report.refused)
    for item in report.unresolved:
        counts = [plural(n, word) for n, word in ((item.tracked, "tracked change"),
                                                   (item.comments, "comment")) if n]  # fmt: skip
        what = "still has" if refusing else "goes out with"
        click.echo(f"{item.path} {what} {' and '.join(counts)}", err=True)
    if refusing:
        click.echo(
            "accept or reject the tracked changes and resolve the comments in Word (Review "
            "tab), or run again with --unresolved warn to go ahead; nothing was made for "
            + ", ".join(report.refused),
            err=True,
        )
    for item in report.files:
        if item.made is Made.BESIDE:
            click.echo(f"kept {item.edited} (edited by hand); the new one is {item.path}")
        elif item.made is Made.WRITTEN:
            click.echo(f"wrote {item.path}")
    made = sum(1 for item in report.files if item.made is not Made.UNCHANGED)
    unchanged = len(report.files) - made
    click.echo(f"{plural(made, 'file')} written, {unchanged} unchanged")
    if report.problems or report.refused:
        sys.exit(1)
