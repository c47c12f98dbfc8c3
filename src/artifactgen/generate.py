"""Renders every deliverable of a case in memory: Markdown through the templates, then Word."""

from __future__ import annotations

import datetime as dt

from artifactgen.docx_writer import DocumentProperties, DocxWriter, UnsupportedMarkdown
from artifactgen.errors import OutputError
from artifactgen.inline import plain_text
from artifactgen.inputs import Settings, template_file
from artifactgen.mdtree import parse_markdown
from artifactgen.models import Case
from artifactgen.templating import Deliverable, Renderer, deliverables_for
from artifactgen.wordml import write_package

Output = bytes | dict[str, bytes]


class Generator:
    """Renders every deliverable of a case, in memory, in the formats asked for."""

    def __init__(self, settings: Settings) -> None:
        overrides = settings.templates_dir
        if overrides is not None and not overrides.is_dir():
            raise OutputError.at(overrides, 0, 0, "no such templates folder")
        self.settings = settings
        self.renderer = Renderer(overrides)
        reference = template_file("reference.docx", overrides)
        self.writer = DocxWriter(reference.read_bytes(), reference)

    def render(
        self, case: Case, deliverables: tuple[Deliverable, ...] | None = None
    ) -> dict[str, bytes]:
        """File name -> content for the outputs of `case` (by default, every deliverable it
        produces); nothing is written."""
        return {
            name: write_package(output) if isinstance(output, dict) else output
            for name, output in self.outputs(case, deliverables).items()
        }

    def outputs(
        self, case: Case, deliverables: tuple[Deliverable, ...] | None = None
    ) -> dict[str, Output]:
        """File name -> Markdown bytes, or a Word file's parts (zipped when written)."""
        files: dict[str, Output] = {}
        created = dt.datetime.combine(case.session.date, dt.time(), tzinfo=dt.timezone.utc)
        client = plain_text(case.client.name)  # properties and page headers hold no Markdown
        for deliverable in deliverables_for(case) if deliverables is None else deliverables:
            markdown = self.renderer.render(case, deliverable)
            if "md" in self.settings.formats:
                files[f"{deliverable.stem}.md"] = markdown.encode("utf-8")
            if "docx" in self.settings.formats:
                properties = DocumentProperties(
                    title=f"{deliverable.title}: {client}",
                    author=plain_text(case.coach.name),
                    subject=client,
                    created=created,
                )
                try:
                    tree = parse_markdown(markdown)
                    files[f"{deliverable.stem}.docx"] = self.writer.parts(tree, properties)
                except UnsupportedMarkdown as error:
                    raise self.renderer.unsupported(
                        deliverable, case, error.kind, error.line
                    ) from None
        return files
