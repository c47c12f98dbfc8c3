"""Every way a coach edits a deliverable in Word, as functions on a python-docx Document."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches, Pt, RGBColor
from docx.text.font import Font
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from artifactgen.docx_package import set_custom_property

REVISION = 'w:id="{}" w:author="Dana Ortiz" w:date="2026-11-21T09:00:00Z"'


def png() -> bytes:
    """A 4x4 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    pixels = zlib.compress(b"".join(b"\x00" + b"\xc8\x1e\x1e" * 4 for _ in range(4)))
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


# Each hand edit, applied with python-docx (or lxml where it has no API) to Marcus Lee's Decision
# Snapshot (the "table ..." edits to his 14-day action plan). Paragraph 3 is the first plain Normal
# paragraph: "Keep pushing for the VP title here, ..."


def paragraph(document: Document) -> Paragraph:
    return document.paragraphs[3]


def run(document: Document) -> Run:
    return document.paragraphs[3].runs[0]


def tracked_insertion(document: Document) -> None:
    inserted = f'<w:ins {nsdecls("w")} {REVISION.format(901)}><w:r><w:t xml:space="preserve">'
    paragraph(document)._p.append(parse_xml(inserted + " Or both.</w:t></w:r></w:ins>"))


def tracked_deletion(document: Document) -> None:
    element = run(document)._r
    deleted = parse_xml(f"<w:del {nsdecls('w')} {REVISION.format(902)}/>")
    element.addprevious(deleted)
    deleted.append(element)
    for text in element.findall(qn("w:t")):
        text.tag = qn("w:delText")


def bullet_character(document: Document) -> None:
    numbering = document.part.numbering_part.element
    number = document.styles["List Bullet"].element.pPr.numPr.numId.val
    abstract = str(numbering.num_having_numId(number).abstractNumId.val)
    for definition in numbering.iterchildren(qn("w:abstractNum")):
        if definition.get(qn("w:abstractNumId")) == abstract:
            definition.find(f"{qn('w:lvl')}/{qn('w:lvlText')}").set(qn("w:val"), "–")


def landscape(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def first_page_header(document: Document) -> None:
    document.sections[0].different_first_page_header_footer = True
    document.sections[0].first_page_header.paragraphs[0].text = "Draft for Marcus"


def section_break(document: Document) -> None:
    document.add_section(WD_SECTION.NEW_PAGE)
    document.add_paragraph("After the break")


def deleted_paragraph(document: Document) -> None:
    paragraph(document)._p.getparent().remove(paragraph(document)._p)


def table_cell(document: Document) -> None:
    document.tables[0].cell(1, 3).paragraphs[0].runs[0].text = "Book the one-to-one today."


def column_width(document: Document) -> None:
    """The coach drags the border between the last two columns half an inch to the right, as
    Word does it: the grid and every cell of both columns."""
    table = document.tables[0]
    for index, change in ((2, Inches(0.5)), (3, -Inches(0.5))):
        column = table.columns[index]
        width = column.width + change
        column.width = width
        for cell in column.cells:
            cell.width = width


def row_height(document: Document) -> None:
    """Table Properties > Row > Specify height: at least 0.75 inch for the first step."""
    row = document.tables[0].rows[1]
    row.height, row.height_rule = Inches(0.75), WD_ROW_HEIGHT_RULE.AT_LEAST


def setter(target: Callable, name: str, value: object) -> Callable[[Document], None]:
    return lambda document: setattr(target(document), name, value)


def heading(document: Document) -> Font:
    return document.styles["Heading 1"].font


EDITS: dict[str, Callable[[Document], None]] = {
    "text": lambda d: setattr(run(d), "text", run(d).text + " Or not."),
    "bold": setter(run, "bold", True),
    "italic": setter(run, "italic", True),
    "underline": setter(run, "underline", True),
    "strikethrough": setter(lambda d: run(d).font, "strike", True),
    "highlight": setter(lambda d: run(d).font, "highlight_color", WD_COLOR_INDEX.YELLOW),
    "font colour": setter(lambda d: run(d).font.color, "rgb", RGBColor(0xC0, 0, 0)),
    "font size": setter(lambda d: run(d).font, "size", Pt(14)),
    "font name": setter(lambda d: run(d).font, "name", "Arial"),
    "alignment": setter(paragraph, "alignment", WD_ALIGN_PARAGRAPH.CENTER),
    "spacing": setter(lambda d: paragraph(d).paragraph_format, "space_after", Pt(30)),
    "indent": setter(lambda d: paragraph(d).paragraph_format, "left_indent", Inches(0.5)),
    "paragraph style": setter(paragraph, "style", "Quote"),
    "deleted paragraph": deleted_paragraph,
    "table cell": table_cell,
    "table column width": column_width,
    "table row height": row_height,
    "picture": lambda d: d.add_picture(io.BytesIO(png()), width=Inches(1)),
    "page break": lambda d: run(d).add_break(WD_BREAK.PAGE),
    "section break": section_break,
    "header text": lambda d: d.sections[0].header.paragraphs[0].add_run(" DRAFT"),
    "footer text": lambda d: d.sections[0].footer.paragraphs[0].add_run(" (draft)"),
    "first-page header": first_page_header,
    "comment": lambda d: d.add_comment(run(d), text="Still true?", author="Dana", initials="DO"),
    "tracked insertion": tracked_insertion,
    "tracked deletion": tracked_deletion,
    "heading 1 colour": setter(lambda d: heading(d).color, "rgb", RGBColor(0xC0, 0, 0)),
    "heading 1 size": setter(heading, "size", Pt(20)),
    "numbering": bullet_character,
    "margins": setter(lambda d: d.sections[0], "left_margin", Inches(1.5)),
    "orientation": landscape,
    "title": setter(lambda d: d.core_properties, "title", "Decision Snapshot, final"),
    "custom property": lambda d: set_custom_property(d, "Client reference", "ML-2026"),
}


def rewrite_paragraph(path: Path, starts: str, text: str) -> None:
    """The coach rewrites the body paragraph that starts with `starts`, and saves the file."""
    document = docx.Document(str(path))
    paragraph = next(p for p in document.paragraphs if p.text.startswith(starts))
    for extra in paragraph.runs[1:]:
        extra.text = ""
    paragraph.runs[0].text = text
    document.save(str(path))
