"""Writes a Markdown syntax tree into a copy of the reference DOCX, one method per node type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from markdown_it.tree import SyntaxTreeNode

from artifactgen.docx_package import (
    fill_fields,
    open_docx,
    save_deterministic,
    set_core_properties,
    set_custom_property,
)
from artifactgen.docx_reference import CODE_STYLE, LINK_STYLE, TABLE_STYLE
from artifactgen.errors import OutputError
from artifactgen.mdtree import plain_text
from artifactgen.wordml import BASE_PROPERTY

HEADING_STYLES = {1: "Title", 2: "Heading 1", 3: "Heading 2", 4: "Heading 3"}
MAX_LIST_LEVEL = 3


@dataclass(frozen=True)
class DocumentProperties:
    """What File > Properties shows, and what the header fields display."""

    title: str
    author: str
    subject: str
    created: dt.datetime


class UnsupportedMarkdown(OutputError):
    """The Markdown holds a construct the Word writer has no rule for."""


@dataclass
class _List:
    ordered: bool
    level: int
    number_id: int | None = None


@dataclass
class _Marks:
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None


@dataclass
class _State:
    lists: list[_List] = field(default_factory=list)
    quote_depth: int = 0
    first_in_item: bool = False
    table: Table | None = None
    row: int = -1
    column: int = 0


class DocxWriter:
    """Writes deliverables into copies of one reference DOCX."""

    def __init__(self, reference: bytes, reference_name: str | Path = "reference.docx") -> None:
        self.reference = reference
        self.reference_name = str(reference_name)

    def write(self, tree: SyntaxTreeNode, properties: DocumentProperties) -> bytes:
        document = open_docx(self.reference)
        _clear_body(document)
        try:
            _Renderer(document).render(tree)
        except KeyError as error:
            raise OutputError.at(
                self.reference_name, 0, 0, f"has no style {error.args[0]!r}; add it in Word"
            ) from None
        fill_fields(document, {"SUBJECT": properties.subject, "AUTHOR": properties.author})
        set_core_properties(
            document,
            title=properties.title,
            author=properties.author,
            subject=properties.subject,
            created=properties.created,
        )
        set_custom_property(document, BASE_PROPERTY, "")  # filled in when stored
        return save_deterministic(document)


class _Renderer:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.state = _State()

    def render(self, root: SyntaxTreeNode) -> None:
        for child in root.children:
            self.block(child)

    def block(self, node: SyntaxTreeNode) -> None:
        self._method("block", node)(node)

    def inline(self, node: SyntaxTreeNode, paragraph: Paragraph, marks: _Marks) -> None:
        self._method("inline", node)(node, paragraph, marks)

    def _method(self, kind: str, node: SyntaxTreeNode) -> Callable:
        method = getattr(self, f"{kind}_{node.type}", None)
        if method is None:
            raise UnsupportedMarkdown.at(
                "markdown", node.map[0] + 1 if node.map else 0, 0, f"no Word rule for {node.type}"
            )
        return method

    def inlines(self, node: SyntaxTreeNode, paragraph: Paragraph, marks: _Marks) -> None:
        for child in node.children:
            self.inline(child, paragraph, marks)

    # Blocks

    def block_heading(self, node: SyntaxTreeNode) -> None:
        level = min(int(node.tag[1]), max(HEADING_STYLES))
        paragraph = self.document.add_paragraph(style=HEADING_STYLES[level])
        self.inlines(node.children[0], paragraph, _Marks())

    def block_paragraph(self, node: SyntaxTreeNode) -> None:
        paragraph = self.document.add_paragraph(style=self._paragraph_style())
        self.inlines(node.children[0], paragraph, _Marks())

    def block_bullet_list(self, node: SyntaxTreeNode) -> None:
        self._list(node, ordered=False)

    def block_ordered_list(self, node: SyntaxTreeNode) -> None:
        self._list(node, ordered=True)

    def block_list_item(self, node: SyntaxTreeNode) -> None:
        self.state.first_in_item = True
        for child in node.children:
            self.block(child)
        self.state.first_in_item = False

    def block_blockquote(self, node: SyntaxTreeNode) -> None:
        self.state.quote_depth += 1
        for child in node.children:
            self.block(child)
        self.state.quote_depth -= 1

    def block_table(self, node: SyntaxTreeNode) -> None:
        rows = [row for section in node.children for row in section.children]
        columns = max(len(row.children) for row in rows)
        table = self.document.add_table(rows=len(rows), cols=columns)
        table.style = self.document.styles[TABLE_STYLE]
        self._size_columns(table, rows)
        self.state.table, self.state.row = table, -1
        for child in node.children:
            self.block(child)
        self.state.table = None

    def block_thead(self, node: SyntaxTreeNode) -> None:
        for child in node.children:
            self.block(child)
            table = self.state.table
            assert table is not None
            table.rows[self.state.row]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))

    def block_tbody(self, node: SyntaxTreeNode) -> None:
        for child in node.children:
            self.block(child)

    def block_tr(self, node: SyntaxTreeNode) -> None:
        self.state.row += 1
        self.state.column = 0
        for child in node.children:
            self.block(child)

    def block_th(self, node: SyntaxTreeNode) -> None:
        self._cell(node, _Marks(bold=True))

    def block_td(self, node: SyntaxTreeNode) -> None:
        self._cell(node, _Marks())

    # Inlines

    def inline_text(self, node: SyntaxTreeNode, paragraph: Paragraph, marks: _Marks) -> None:
        self._run(paragraph, node.content, marks)

    def inline_softbreak(self, node: SyntaxTreeNode, paragraph: Paragraph, marks: _Marks) -> None:
        self._run(paragraph, " ", marks)

    def inline_hardbreak(self, node: SyntaxTreeNode, paragraph: Paragraph, marks: _Marks) -> None:
        self._run(paragraph, "\n", marks)

    def inline_strong(self, node: SyntaxTreeNode, paragraph: Paragraph, marks: _Marks) -> None:
        self.inlines(node, paragraph, _Marks(True, marks.italic, marks.code, marks.link))

    def inline_em(self, node: SyntaxTreeNode, paragraph: Paragraph, marks: _Marks) -> None:
        self.inlines(node, paragraph, _Marks(marks.bold, True, marks.code, marks.link))

    def inline_code_inline(self, node: SyntaxTreeNode, paragraph: Paragraph, marks: _Marks) -> None:
        self._run(paragraph, node.content, _Marks(marks.bold, marks.italic, True, marks.link))

    def inline_link(self, node: SyntaxTreeNode, paragraph: Paragraph, marks: _Marks) -> None:
        url = str(node.attrs.get("href", ""))
        self.inlines(node, paragraph, _Marks(marks.bold, marks.italic, marks.code, url))

    # Helpers

    def _paragraph_style(self) -> str | None:
        if self.state.lists and self.state.first_in_item:
            self.state.first_in_item = False
            current = self.state.lists[-1]
            base = "List Number" if current.ordered else "List Bullet"
            return base if current.level == 1 else f"{base} {current.level}"
        if self.state.lists:
            level = self.state.lists[-1].level
            return "List Continue" if level == 1 else f"List Continue {level}"
        if self.state.quote_depth:
            return "Quote"
        return None

    def _list(self, node: SyntaxTreeNode, *, ordered: bool) -> None:
        level = min(len(self.state.lists) + 1, MAX_LIST_LEVEL)
        current = _List(ordered, level)
        self.state.lists.append(current)
        for item in node.children:
            start = len(self._content())
            self.block(item)
            if ordered:
                self._number(current, start)
        self.state.lists.pop()

    def _number(self, current: _List, start: int) -> None:
        """Give the list's paragraphs their own numbering instance, so each list starts at 1."""
        style_name = "List Number" if current.level == 1 else f"List Number {current.level}"
        style_id = self.document.styles[style_name].style_id
        for element in self._content()[start:]:
            properties = element.find(qn("w:pPr"))
            style = properties.find(qn("w:pStyle")) if properties is not None else None
            if style is None or style.get(qn("w:val")) != style_id:
                continue
            if current.number_id is None:
                current.number_id = self._restarted_numbering(style_name)
            number = properties.get_or_add_numPr()
            number.get_or_add_ilvl().val = 0
            number.get_or_add_numId().val = current.number_id

    def _content(self) -> list:
        """The body's blocks, without the section properties that always close it."""
        return [child for child in self.document.element.body if child.tag != qn("w:sectPr")]

    def _restarted_numbering(self, style_name: str) -> int:
        style = self.document.styles[style_name].element
        style_number = style.pPr.numPr.numId.val
        numbering = self.document.part.numbering_part.element
        abstract_id = numbering.num_having_numId(style_number).abstractNumId.val
        instance = numbering.add_num(abstract_id)
        instance.add_lvlOverride(ilvl=0).add_startOverride(1)
        return instance.numId

    def _size_columns(self, table: Table, rows: list[SyntaxTreeNode]) -> None:
        """Give each column room for its longest word, then share the rest by amount of text."""
        section = self.document.sections[-1]
        usable = section.page_width - section.left_margin - section.right_margin
        least, wanted = [], []
        for index in range(len(table.columns)):
            texts = [plain_text(row.children[index]) for row in rows if index < len(row.children)]
            longest_word = max((len(word) for text in texts for word in text.split()), default=1)
            longest_text = max((len(text) for text in texts), default=1)
            least.append(_text_width(longest_word))
            wanted.append(max(least[-1], _text_width(min(longest_text, 60))))
        widths = _share(usable, least, wanted)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
            for cell in column.cells:
                cell.width = width

    def _cell(self, node: SyntaxTreeNode, marks: _Marks) -> None:
        table = self.state.table
        assert table is not None
        cell = table.cell(self.state.row, self.state.column)
        self.state.column += 1
        if node.children:
            self.inlines(node.children[0], cell.paragraphs[0], marks)

    def _run(self, paragraph: Paragraph, text: str, marks: _Marks) -> None:
        run = paragraph.add_run(text)
        if marks.bold:
            run.bold = True
        if marks.italic:
            run.italic = True
        if marks.code:
            run.style = self.document.styles[CODE_STYLE]
        if marks.link is not None:
            if not marks.code:
                run.style = self.document.styles[LINK_STYLE]
            self._into_hyperlink(paragraph, run._r, marks.link)

    def _into_hyperlink(self, paragraph: Paragraph, run_element, url: str) -> None:
        """Move a run into a hyperlink to `url`, joining the previous run's link when it matches."""
        previous = run_element.getprevious()
        if previous is not None and previous.tag == qn("w:hyperlink"):
            rid = previous.get(qn("r:id"))
            if paragraph.part.rels[rid].target_ref == url:
                previous.append(run_element)
                return
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("r:id"), paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True))
        run_element.addprevious(hyperlink)
        hyperlink.append(run_element)


def _text_width(characters: int) -> int:
    """Roughly how wide `characters` of table text are, with the cell's padding, in EMU."""
    return int(Pt(characters * 6.6 + 18))


def _share(usable: int, least: list[int], wanted: list[int]) -> list[Emu]:
    if sum(wanted) <= usable:
        return [Emu(int(w * usable / sum(wanted))) for w in wanted]
    if sum(least) >= usable:
        return [Emu(int(w * usable / sum(least))) for w in least]
    spare = (usable - sum(least)) / (sum(wanted) - sum(least))
    return [Emu(int(low + (high - low) * spare)) for low, high in zip(least, wanted, strict=True)]


def _clear_body(document: Document) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
