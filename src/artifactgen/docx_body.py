"""The document model as WordprocessingML text: body, hyperlink relationships, list instances."""

from __future__ import annotations

import re

from artifactgen.document import (
    CODE_STYLE,
    LINK_STYLE,
    Document,
    Marks,
    Numbering,
    Paragraph,
    Run,
    Table,
)
from artifactgen.docx_template import EMU_PER_TWIP, Reference
from artifactgen.errors import OutputError

HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
# What XML 1.0 cannot hold at all; models.py keeps these out of case files.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_BREAKS = re.compile("([\t\r\n])")
# A fixed layout keeps the columns as wide as written: a long URL wraps in its cell instead of
# widening it (Word) and squeezing its neighbours.
_TABLE_LOOK = (
    '<w:tblW w:type="auto" w:w="0"/><w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1"'
    ' w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
)
# No row breaks across pages; the head's rows repeat at the top of each page.
_ROW = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
_HEAD_ROW = "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"


def escape_text(value: str) -> str:
    """`value` as element content, escaped as lxml escapes it."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def escape_attribute(value: str) -> str:
    """`value` as a double-quoted attribute value, escaped as lxml escapes it."""
    return escape_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def check_characters(text: str) -> None:
    found = _NOT_XML.search(text)
    if found:
        message = f"character U+{ord(found.group()):04X} cannot be written to a Word document"
        raise OutputError.at("markdown", 0, 0, message)


class BodyWriter:
    """Writes one document's body against a reference, collecting what other parts must add."""

    def __init__(self, reference: Reference) -> None:
        self.reference = reference
        self.links = dict(reference.links)  # URL -> relationship id
        self.new_links: list[tuple[str, str]] = []
        self._next_rel = 1
        self.numbers: dict[Numbering, int] = {}
        self.new_numbers: list[str] = []
        self._run_properties: dict[Marks, str] = {}

    def write(self, document: Document) -> str:
        """The body's content, to go before its final section properties."""
        self._number(document.numberings)
        out: list[str] = []
        for block in document.blocks:
            if isinstance(block, Table):
                self._table(block, out)
            else:
                self._paragraph(block, out)
        return "".join(out)

    def relationships(self) -> str:
        return "".join(
            f'<Relationship Id="{rid}" Type="{HYPERLINK}" Target="{escape_attribute(url)}"'
            ' TargetMode="External"/>'
            for rid, url in self.new_links
        )

    def _number(self, numberings: list[Numbering]) -> None:
        """A new w:num per ordered list, on its style's abstract numbering, starting over."""
        taken = set(self.reference.number_ids)
        candidate = 1
        for numbering in numberings:
            style = self.reference.style(numbering.style, "paragraph")
            abstract = self.reference.abstract_of.get(style.number_id or 0)
            if abstract is None:
                continue  # the style shows no list: nothing to restart
            while candidate in taken:
                candidate += 1
            taken.add(candidate)
            self.numbers[numbering] = candidate
            self.new_numbers.append(
                f'<w:num w:numId="{candidate}"><w:abstractNumId w:val="{abstract}"/>'
                f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{numbering.start}"/>'
                "</w:lvlOverride></w:num>"
            )

    def _paragraph(self, paragraph: Paragraph, out: list[str]) -> None:
        properties = ""
        if paragraph.style is not None:
            style_id = self.reference.style(paragraph.style, "paragraph").style_id
            if style_id is not None:
                properties = f'<w:pStyle w:val="{escape_attribute(style_id)}"/>'
            number = self.numbers.get(paragraph.numbering) if paragraph.numbering else None
            if number is not None:
                properties += f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{number}"/></w:numPr>'
            properties = f"<w:pPr>{properties}</w:pPr>" if properties else "<w:pPr/>"
        if not properties and not paragraph.runs:
            out.append("<w:p/>")
            return
        out.append(f"<w:p>{properties}")
        self._runs(paragraph.runs, out)
        out.append("</w:p>")

    def _runs(self, runs: list[Run], out: list[str]) -> None:
        """Runs in order; neighbours linking to the same address share one w:hyperlink."""
        open_link: str | None = None
        for run in runs:
            link = run.marks.link
            if link != open_link:
                if open_link is not None:
                    out.append("</w:hyperlink>")
                if link is not None:
                    out.append(f'<w:hyperlink r:id="{self._relationship(link)}">')
                open_link = link
            properties = self._run_properties.get(run.marks)
            if properties is None:
                properties = self._run_properties[run.marks] = self._properties(run.marks)
            content = _content(run.text)
            out.append(f"<w:r>{properties}{content}</w:r>" if properties or content else "<w:r/>")
        if open_link is not None:
            out.append("</w:hyperlink>")

    def _properties(self, marks: Marks) -> str:
        styled = marks.code or marks.link is not None
        if not (styled or marks.bold or marks.italic):
            return ""
        inner = ""
        if styled:
            name = CODE_STYLE if marks.code else LINK_STYLE
            style_id = self.reference.style(name, "character").style_id
            if style_id is not None:
                inner = f'<w:rStyle w:val="{escape_attribute(style_id)}"/>'
        inner += ("<w:b/>" if marks.bold else "") + ("<w:i/>" if marks.italic else "")
        return f"<w:rPr>{inner}</w:rPr>" if inner else "<w:rPr/>"

    def _relationship(self, url: str) -> str:
        rid = self.links.get(url)
        if rid is None:
            while f"rId{self._next_rel}" in self.reference.rel_ids:
                self._next_rel += 1
            rid = f"rId{self._next_rel}"
            self._next_rel += 1
            self.links[url] = rid
            self.new_links.append((rid, url))
        return rid

    def _table(self, table: Table, out: list[str]) -> None:
        style_id = self.reference.style(table.style, "table").style_id
        style = (
            f'<w:tblStyle w:val="{escape_attribute(style_id)}"/>' if style_id is not None else ""
        )
        twips = [round(width / EMU_PER_TWIP) for width in table.widths]
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in twips)
        out.append(f"<w:tbl><w:tblPr>{style}{_TABLE_LOOK}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>")
        cells = [f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>' for width in twips]
        for row in table.rows:
            out.append(_HEAD_ROW if row.header else _ROW)
            for opening, runs in zip(cells, row.cells, strict=True):
                out.append(opening)
                if runs:
                    out.append("<w:p>")
                    self._runs(runs, out)
                    out.append("</w:p></w:tc>")
                else:
                    out.append("<w:p/></w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")


def _content(text: str) -> str:
    """A run's text as python-docx wrote it: tabs as w:tab, line breaks as w:br."""
    if not text:
        return ""
    if "\t" not in text and "\n" not in text and "\r" not in text:
        return _t(text)
    pieces = []
    for piece in _BREAKS.split(text):
        if piece == "\t":
            pieces.append("<w:tab/>")
        elif piece in ("\n", "\r"):
            pieces.append("<w:br/>")
        elif piece:
            pieces.append(_t(piece))
    return "".join(pieces)


def _t(text: str) -> str:
    if len(text.strip()) < len(text):
        return f'<w:t xml:space="preserve">{escape_text(text)}</w:t>'
    return f"<w:t>{escape_text(text)}</w:t>"
