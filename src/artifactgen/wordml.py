"""WordprocessingML without python-docx: packages as part dicts, and the accepted view of blocks."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from artifactgen.zip_writer import write_zip

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# The custom property naming the render a DOCX was generated or last merged from.
BASE_PROPERTY = "artifactgen-base"

# Containers whose runs a reader sees as part of the paragraph; w:del and w:moveFrom are not.
_SEEN_THROUGH = {"hyperlink", "ins", "smartTag", "sdt", "sdtContent", "customXml", "fldSimple"}
_NOT_SEEN = {"del", "moveFrom"}
# Run children that hold no text but are content a person put there.
OBJECTS = {"drawing", "pict", "object"}


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def read_package(blob: bytes) -> dict[str, bytes]:
    """Zip entry name -> bytes, in the zip's order."""
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        return {name: package.read(name) for name in package.namelist()}


def write_package(files: dict[str, bytes]) -> bytes:
    """A zip of `files` in the given order, with fixed timestamps: same files, same bytes."""
    return write_zip(files)


def parse_xml(blob: bytes) -> etree._Element:
    return etree.fromstring(blob, etree.XMLParser(remove_blank_text=False, resolve_entities=False))


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def run_text(run: etree._Element) -> str:
    """What one run shows: text, tabs and breaks as characters."""
    pieces = []
    for child in run:
        name = local(child)
        if name in ("t", "delText"):
            pieces.append(child.text or "")
        elif name == "tab":
            pieces.append("\t")
        elif name in ("br", "cr"):
            pieces.append("\n")
        elif name == "noBreakHyphen":
            pieces.append("-")
    return "".join(pieces)


def visible_runs(container: etree._Element) -> list[etree._Element]:
    """The runs of a paragraph as a reader sees them after accepting every tracked change."""
    runs: list[etree._Element] = []
    for child in container:
        name = local(child)
        if name == "r":
            runs.append(child)
        elif name in _SEEN_THROUGH:
            runs.extend(visible_runs(child))
    return runs


def paragraph_text(paragraph: etree._Element) -> str:
    return "".join(run_text(run) for run in visible_runs(paragraph))


def style_of(paragraph: etree._Element) -> str:
    style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    return style.get(w("val"), "") if style is not None else ""


def mark_revision(properties: etree._Element | None) -> str | None:
    """'ins' or 'del' when a paragraph mark or table row is itself tracked, else None."""
    if properties is None:
        return None
    for child in properties:
        if local(child) in ("ins", "del"):
            return local(child)
    return None


def paragraph_mark(paragraph: etree._Element) -> str | None:
    return mark_revision(paragraph.find(f"{w('pPr')}/{w('rPr')}"))


@dataclass
class Para:
    """A body paragraph in the accepted view."""

    element: etree._Element
    text: str
    style: str

    @property
    def key(self) -> str:
        return self.text


@dataclass
class Cell:
    element: etree._Element
    paragraphs: list[etree._Element]

    @property
    def text(self) -> str:
        return "\n".join(paragraph_text(p) for p in self.paragraphs)

    @property
    def key(self) -> str:
        return self.text


@dataclass
class Row:
    element: etree._Element
    cells: list[Cell] = field(default_factory=list)

    @property
    def key(self) -> str:
        return "\t".join(cell.text for cell in self.cells)


@dataclass
class Table:
    element: etree._Element
    rows: list[Row] = field(default_factory=list)

    @property
    def key(self) -> str:
        return "\n".join(row.key for row in self.rows)

    @property
    def text(self) -> str:
        return self.key


Block = Para | Table


def body_of(document: etree._Element) -> etree._Element:
    body = document.find(w("body"))
    if body is None:
        raise ValueError("the document has no body")
    return body


def read_blocks(document: etree._Element) -> list[Block]:
    """Paragraphs and tables of the body in the accepted view (tracked deletions left out)."""
    blocks: list[Block] = []
    for child in _block_elements(body_of(document)):
        if local(child) == "p":
            text = paragraph_text(child)
            if paragraph_mark(child) == "del" and not text:
                continue
            blocks.append(Para(child, text, style_of(child)))
        else:
            blocks.append(read_table(child))
    return blocks


def read_table(table: etree._Element) -> Table:
    rows = []
    for row in table.iter(w("tr")):
        if row.getparent() is not table or mark_revision(row.find(w("trPr"))) == "del":
            continue
        cells = [
            Cell(cell, [p for p in cell if local(p) == "p"]) for cell in row if local(cell) == "tc"
        ]
        rows.append(Row(row, cells))
    return Table(table, rows)


def _block_elements(container: etree._Element) -> list[etree._Element]:
    """Top-level paragraphs and tables, looking through block-level content controls."""
    found = []
    for child in container:
        name = local(child)
        if name in ("p", "tbl"):
            found.append(child)
        elif name in ("sdt", "sdtContent", "customXml"):
            found.extend(_block_elements(child))
    return found


def heading_before(element: etree._Element, blocks: list[Block]) -> str:
    """The text of the last Title or Heading paragraph at or before `element`'s block."""
    heading = ""
    for block in blocks:
        if isinstance(block, Para) and block.style.startswith(("Heading", "Title")):
            heading = block.text
        if block.element is element or element in block.element.iter():
            break
    return heading
