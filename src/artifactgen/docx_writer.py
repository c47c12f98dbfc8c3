"""Writes a Markdown syntax tree as a DOCX in the reference's house style, without python-docx."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from artifactgen.document import UnsupportedMarkdown, build_document
from artifactgen.docx_body import BodyWriter, check_characters, escape_text
from artifactgen.docx_template import MARKER, Reference
from artifactgen.mdtree import MarkdownNode
from artifactgen.wordml import write_package

__all__ = ["DocumentProperties", "DocxWriter", "UnsupportedMarkdown"]


@dataclass(frozen=True)
class DocumentProperties:
    """What File > Properties shows, and what the header fields display."""

    title: str
    author: str
    subject: str
    created: dt.datetime


class DocxWriter:
    """Writes deliverables into copies of one reference DOCX, read once on first use."""

    def __init__(self, reference: bytes, reference_name: str | Path = "reference.docx") -> None:
        self.reference_bytes = reference
        self.reference_name = str(reference_name)

    @cached_property
    def reference(self) -> Reference:
        return Reference(self.reference_bytes, self.reference_name)

    def parts(self, tree: MarkdownNode, properties: DocumentProperties) -> dict[str, bytes]:
        """The DOCX's parts in zip order: the reference's, with this document's content."""
        reference = self.reference
        document = build_document(tree, reference.usable_width, reference.table_text)
        body = BodyWriter(reference)
        content = body.write(document)
        check_characters(content)
        parts = dict(reference.parts)
        parts[reference.main] = f"{reference.body.head}{content}{reference.body.tail}".encode()
        if body.new_links:
            rels = reference.rels
            parts[reference.rels_part] = (rels.head + body.relationships() + rels.tail).encode()
        if body.new_numbers and reference.numbering_part is not None:
            numbering = reference.numbering
            new = "".join(body.new_numbers)
            parts[reference.numbering_part] = (numbering.head + new + numbering.tail).encode()
        values = _values(properties)
        for name, template in reference.filled.items():
            parts[name] = MARKER.sub(lambda found: values[found.group(1)], template)
        return parts

    def write(self, tree: MarkdownNode, properties: DocumentProperties) -> bytes:
        return write_package(self.parts(tree, properties))


def _values(properties: DocumentProperties) -> dict[bytes, bytes]:
    """Marker name -> the escaped UTF-8 text headers, footers and core properties show."""
    texts = {
        "title": properties.title,
        "author": properties.author,
        "subject": properties.subject,
        "created": properties.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    for text in texts.values():
        check_characters(text)
    return {name.encode(): escape_text(text).encode() for name, text in texts.items()}
