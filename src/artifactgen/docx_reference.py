"""The default reference DOCX: the house style every deliverable is written into."""

from __future__ import annotations

import datetime as dt

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor

from artifactgen.document import CODE_STYLE, LINK_STYLE, TABLE_INTRO_STYLE, TABLE_STYLE
from artifactgen.docx_package import save_deterministic

INK = RGBColor(0x1F, 0x38, 0x64)
MUTED = RGBColor(0x59, 0x59, 0x59)

_UNUSED_RELATIONSHIPS = (
    RT.THUMBNAIL,
    RT.CUSTOM_XML,
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
)

_KEPT_TABLES = {"TableNormal", "TableGrid"}

_TABLE_STYLE_XML = f"""
<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="ArtifactTable">
  <w:name w:val="{TABLE_STYLE}"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="40" w:type="dxa"/>
      <w:left w:w="100" w:type="dxa"/>
      <w:bottom w:w="40" w:type="dxa"/>
      <w:right w:w="100" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="1F3864"/></w:tcPr>
  </w:tblStylePr>
</w:style>
"""


def build_reference() -> bytes:
    """The default reference DOCX: styles, numbering, header and footer; body is a style guide."""
    document = docx.Document()
    _drop_unused_parts(document)
    _fix_settings(document)
    _style(document)
    _header_and_footer(document)
    _style_guide(document)
    properties = document.core_properties
    properties.title = "artifactgen reference document"
    properties.author = "artifactgen"
    properties.last_modified_by = "artifactgen"
    properties.subject = "House style for the deliverables"
    properties.keywords = ""
    properties.comments = "Edit the styles, header and footer here; the body is replaced."
    properties.revision = 1
    properties.created = properties.modified = dt.datetime(2026, 1, 1)
    return save_deterministic(document)


def _drop_unused_parts(document: Document) -> None:
    for owner in (document.part.package, document.part):
        for rid, rel in list(owner.rels.items()):
            if rel.reltype in _UNUSED_RELATIONSHIPS:
                owner.rels.pop(rid)


def _fix_settings(document: Document) -> None:
    settings = document.settings.element
    zoom = settings.find(qn("w:zoom"))
    if zoom is not None:
        zoom.set(qn("w:percent"), "100")
    for unwanted in ("w:rsids", "w:savePreviewPicture", "w:proofState"):
        element = settings.find(qn(unwanted))
        if element is not None:
            settings.remove(element)


def _drop_unused_table_styles(document: Document) -> None:
    """The template ships a hundred table styles; keep the plain ones and ours."""
    root = document.styles.element
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in _KEPT_TABLES:
            root.remove(style)


def _style(document: Document) -> None:
    _drop_unused_table_styles(document)
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    title = styles["Title"]
    title.font.size = Pt(24)
    title.font.color.rgb = INK
    for name, size in (("Heading 1", 15), ("Heading 2", 12.5), ("Heading 3", 11.5)):
        heading = styles[name]
        heading.font.size = Pt(size)
        heading.font.color.rgb = INK
        heading.paragraph_format.space_before = Pt(16 if name == "Heading 1" else 12)
        heading.paragraph_format.space_after = Pt(4)
    intro = styles.add_style(TABLE_INTRO_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    intro.base_style = normal
    intro.paragraph_format.keep_with_next = True  # never the last line of a page before its table
    quote = styles["Quote"]
    quote.font.color.rgb = MUTED
    quote.paragraph_format.left_indent = Pt(18)
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(8.5)
        styles[name].font.color.rgb = MUTED
    styles["Footer"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    code = styles.add_style(CODE_STYLE, WD_STYLE_TYPE.CHARACTER)
    code.font.name = "Courier New"
    code.font.size = Pt(10)
    link = styles.add_style(LINK_STYLE, WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x0B, 0x5C, 0xAD)
    link.font.underline = True
    styles.element.append(parse_xml(_TABLE_STYLE_XML))


def field(instruction: str, placeholder: str) -> str:
    """A simple field (PAGE, AUTHOR, ...) as XML, showing `placeholder` until Word updates it."""
    return (
        f'<w:fldSimple {nsdecls("w")} w:instr=" {instruction} \\* MERGEFORMAT ">'
        f'<w:r><w:t xml:space="preserve">{placeholder}</w:t></w:r></w:fldSimple>'
    )


def _header_and_footer(document: Document) -> None:
    section = document.sections[0]
    lines = (
        (section.header, "Header", ["Confidential \u00b7 Prepared for ", ("SUBJECT", "Client"),
                                    " by ", ("AUTHOR", "Coach")]),
        (section.footer, "Footer", ["Page ", ("PAGE", "1"), " of ", ("NUMPAGES", "1")]),
    )  # fmt: skip
    for part, style, pieces in lines:
        paragraph = part.paragraphs[0]
        paragraph.style = document.styles[style]
        for piece in pieces:
            if isinstance(piece, tuple):
                paragraph._p.append(parse_xml(field(*piece)))
            else:
                paragraph.add_run(piece)


def _style_guide(document: Document) -> None:
    document.add_paragraph("Reference document", style="Title")
    document.add_paragraph(
        "artifactgen writes every deliverable into a copy of this file. Change the styles "
        "(Title, Heading 1 to 3, Normal, List Bullet, List Number, Quote, Table Intro, "
        "Artifact Table, Code, Hyperlink), the header and the footer, add a logo, then "
        "rebuild. The body you are reading is replaced in every deliverable."
    )
    document.add_paragraph("Heading 1", style="Heading 1")
    document.add_paragraph("Heading 2", style="Heading 2")
    document.add_paragraph("A bullet point", style="List Bullet")
    document.add_paragraph("A nested bullet point", style="List Bullet 2")
    document.add_paragraph("A numbered step", style="List Number")
    document.add_paragraph("A line to say out loud.", style="Quote")
    paragraph = document.add_paragraph("Normal text with ")
    paragraph.add_run("code").style = document.styles[CODE_STYLE]
    paragraph.add_run(" and a ")
    paragraph.add_run("link").style = document.styles[LINK_STYLE]
    paragraph.add_run(".")
    document.add_paragraph("A line that introduces a table stays with it:", style=TABLE_INTRO_STYLE)
    table = document.add_table(rows=2, cols=2)
    table.style = document.styles[TABLE_STYLE]
    for cell, text in zip(table._cells, ["Header", "Row", "Cell", "Cell"], strict=True):
        cell.paragraphs[0].text = text
