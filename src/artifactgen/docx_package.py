"""Packaging through python-docx: deterministic saves, custom properties, a content dump."""

from __future__ import annotations

import io

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from artifactgen import docx_fields
from artifactgen.wordml import read_package, write_package

_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"


def save_deterministic(document: Document) -> bytes:
    """The document as DOCX bytes that depend only on its content, never on the clock."""
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


def normalise_zip(blob: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps and permissions, keeping the order of its entries."""
    return write_package(read_package(blob))


def set_custom_property(document: Document, name: str, value: str) -> None:
    """Set a text custom document property (File > Properties > Custom in Word)."""
    part = _custom_part(document)
    if part is None:
        package = document.part.package
        part = Part(PackURI("/docProps/custom.xml"), _CUSTOM_TYPE, b"", package)
        package.relate_to(part, RT.CUSTOM_PROPERTIES)
    part._blob = docx_fields.set_custom_property(part.blob, name, value)


def custom_property(document: Document, name: str) -> str | None:
    part = _custom_part(document)
    return None if part is None else _property_value(etree.fromstring(part.blob), name)


def _property_value(properties: etree._Element, name: str) -> str | None:
    for prop in properties.findall(f"{{{_CUSTOM_NS}}}property"):
        if prop.get("name") == name:
            return "".join(prop.itertext())
    return None


def _custom_part(document: Document) -> Part | None:
    for rel in document.part.package.rels.values():
        if rel.reltype == RT.CUSTOM_PROPERTIES and not rel.is_external:
            return rel.target_part
    return None


def open_docx(blob: bytes) -> Document:
    return docx.Document(io.BytesIO(blob))


def content_dump(document: Document) -> str:
    """The document's content as readable lines: style, then text with **bold**, *italic*, `code`.

    Only what a reader sees counts (paragraph styles, text, emphasis, table cells), so a
    document that Word or LibreOffice merely re-saves dumps the same.
    """
    names = _style_names(document)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(_paragraph_line(block, names))
        elif isinstance(block, Table):
            lines.extend(_table_lines(block, names))
    return "\n".join(lines) + "\n"


def _style_names(document: Document) -> dict[str | None, str]:
    """Style id -> name, looked up once (python-docx searches all styles on every access)."""
    names: dict[str | None, str] = {None: "Normal"}
    for style in document.styles.element.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        style_id = style.get(qn("w:styleId"))
        names[style_id] = name.get(qn("w:val")) if name is not None else str(style_id)
        if style.get(qn("w:default")) in ("1", "true") and style.get(qn("w:type")) == "paragraph":
            names[None] = names[style_id]
    for builtin, ui_name in (("heading", "Heading"), ("title", "Title")):
        for key, value in names.items():
            if value.startswith(builtin):
                names[key] = ui_name + value[len(builtin) :]
    return names


def _table_lines(table: Table, names: dict[str | None, str]) -> list[str]:
    style_id = table._tbl.tblStyle_val
    style = names.get(style_id, str(style_id)) if style_id else "-"
    lines = [f"[table {style}]"]
    for number, row in enumerate(table.rows, start=1):
        header = " (header)" if _repeats_as_header(row) else ""
        lines.append(f"  [row {number}{header}]")
        for cell in row.cells:
            texts = [_paragraph_line(paragraph, names) for paragraph in cell.paragraphs]
            lines.append("    | " + " / ".join(texts))
    return lines


def _repeats_as_header(row) -> bool:
    properties = row._tr.trPr
    flag = properties.find(qn("w:tblHeader")) if properties is not None else None
    return flag is not None and flag.get(qn("w:val"), "true") not in ("0", "false", "off")


def _paragraph_line(paragraph: Paragraph, names: dict[str | None, str]) -> str:
    style_id = paragraph._p.style
    style = names.get(style_id, str(style_id))
    pieces: list[tuple[str, str]] = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if hasattr(item, "runs") else [item]
        url = getattr(item, "url", None)
        for run in runs:
            marks = ""
            if run.bold:
                marks += "**"
            if run.italic:
                marks += "*"
            if names.get(run._r.style) == "Code":
                marks += "`"
            if url:
                marks += f"<{url}>"
            text = run.text
            if pieces and pieces[-1][0] == marks:
                pieces[-1] = (marks, pieces[-1][1] + text)
            else:
                pieces.append((marks, text))
    body = "".join(
        f"{marks}{text}{_closing(marks)}" if marks else text for marks, text in pieces if text
    )
    return f"{style}: {body}"


def _closing(marks: str) -> str:
    return "".join(reversed(marks.split("<")[0])) + ("</>" if "<" in marks else "")
