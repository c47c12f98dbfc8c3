"""A deliverable as styled paragraphs and sized tables, decided from Markdown for any backend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from artifactgen.columns import Piece, TableText, column_widths
from artifactgen.errors import OutputError, Problem
from artifactgen.mdtree import MarkdownNode

CODE_STYLE = "Code"
LINK_STYLE = "Hyperlink"
TABLE_STYLE = "Artifact Table"
# A plain paragraph right before a table: kept on the table's page (a reference made before
# 0.3 lacks it, and its paragraphs are then plain).
TABLE_INTRO_STYLE = "Table Intro"
HEADING_STYLES = {1: "Title", 2: "Heading 1", 3: "Heading 2", 4: "Heading 3"}
MAX_LIST_LEVEL = 3


class UnsupportedMarkdown(OutputError):
    """The Markdown holds a construct the Word writer has no rule for (`kind`)."""

    def __init__(self, kind: str, line: int) -> None:
        super().__init__(Problem("markdown", line, 0, f"no Word rule for {kind}"))
        self.kind = kind


@dataclass(frozen=True, slots=True)
class Marks:
    """How a run of text is set: emphasis, code, and the address it links to."""

    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None


PLAIN = Marks()


@dataclass(frozen=True, slots=True)
class Run:
    """Text with one set of marks; a tab is "\t" and a line break is "\n"."""

    text: str
    marks: Marks = PLAIN


@dataclass(eq=False, slots=True)
class Numbering:
    """An ordered list's own numbering instance, so that it counts from `start`."""

    style: str
    start: int


@dataclass(slots=True)
class Paragraph:
    """A paragraph in a named style (None: the default style)."""

    style: str | None
    runs: list[Run] = field(default_factory=list)
    numbering: Numbering | None = None


@dataclass(slots=True)
class Row:
    cells: list[list[Run]]
    header: bool  # repeats at the top of every page the table spans


@dataclass(slots=True)
class Table:
    style: str
    widths: list[int]  # of each column, in EMU
    rows: list[Row]


Block = Paragraph | Table


@dataclass(slots=True)
class Document:
    blocks: list[Block]
    numberings: list[Numbering]  # in the order their instances are created


def build_document(
    root: MarkdownNode, usable_width: int, table_text: TableText | None = None
) -> Document:
    """The document a Markdown syntax tree describes; tables share `usable_width` EMU, their
    columns sized for text set as `table_text` says."""
    builder = _Builder(usable_width, table_text or TableText())
    builder.children(root)
    return Document(builder.blocks, builder.numberings)


@dataclass(slots=True)
class _List:
    level: int
    numbering: Numbering | None  # None for a bullet list
    numbered: bool = False  # a paragraph of this list has taken its numbering
    registered: bool = False


class _Builder:
    def __init__(self, usable_width: int, table_text: TableText) -> None:
        self.usable_width = usable_width
        self.table_text = table_text
        self.blocks: list[Block] = []
        self.numberings: list[Numbering] = []
        self.lists: list[_List] = []
        self.quote_depth = 0
        self.first_in_item = False

    def children(self, node: MarkdownNode) -> None:
        for child in node.children:
            rule = _BLOCK_RULES.get(child.type)
            if rule is None:
                raise _unsupported(child)
            rule(self, child)

    def runs(self, node: MarkdownNode, marks: Marks = PLAIN) -> list[Run]:
        found: list[Run] = []
        try:
            _inlines(node, marks, found)
        except UnsupportedMarkdown as error:
            if error.line or not node.map:
                raise
            raise UnsupportedMarkdown(error.kind, node.map[0] + 1) from None
        return found

    def paragraph_style(self) -> tuple[str | None, Numbering | None]:
        if self.lists and self.first_in_item:
            self.first_in_item = False
            current = self.lists[-1]
            current.numbered = current.numbering is not None
            base = "List Bullet" if current.numbering is None else "List Number"
            return _at_level(base, current.level), current.numbering
        if self.lists:
            return _at_level("List Continue", self.lists[-1].level), None
        return ("Quote" if self.quote_depth else None), None


def _at_level(style: str, level: int) -> str:
    return style if level == 1 else f"{style} {level}"


def _unsupported(node: MarkdownNode) -> UnsupportedMarkdown:
    return UnsupportedMarkdown(node.type, node.map[0] + 1 if node.map else 0)


# Blocks


def _heading(builder: _Builder, node: MarkdownNode) -> None:
    level = min(int(node.tag[1]), max(HEADING_STYLES))
    builder.blocks.append(Paragraph(HEADING_STYLES[level], builder.runs(node.children[0])))


def _paragraph(builder: _Builder, node: MarkdownNode) -> None:
    style, numbering = builder.paragraph_style()
    builder.blocks.append(Paragraph(style, builder.runs(node.children[0]), numbering))


def _list(builder: _Builder, node: MarkdownNode) -> None:
    level = min(len(builder.lists) + 1, MAX_LIST_LEVEL)
    numbering = None
    if node.type == "ordered_list":
        numbering = Numbering(_at_level("List Number", level), int(node.attrs.get("start", 1)))
    current = _List(level, numbering)
    builder.lists.append(current)
    for item in node.children:
        if item.type != "list_item":
            raise _unsupported(item)
        builder.first_in_item = True
        if not item.children or item.children[0].type in _BLOCK_LISTS:
            # An empty item, or one opening with a sublist: an empty paragraph keeps its
            # bullet or number, as the Markdown shows it.
            style, numbered = builder.paragraph_style()
            builder.blocks.append(Paragraph(style, [], numbered))
        builder.children(item)
        builder.first_in_item = False
        # An instance is made once an item has used it, after the instances of its sublists.
        if current.numbered and not current.registered and numbering is not None:
            builder.numberings.append(numbering)
            current.registered = True
    builder.lists.pop()


_BLOCK_LISTS = ("bullet_list", "ordered_list")


def _blockquote(builder: _Builder, node: MarkdownNode) -> None:
    builder.quote_depth += 1
    builder.children(node)
    builder.quote_depth -= 1


_HEADER_SECTIONS = {"thead": True, "tbody": False}


def _table(builder: _Builder, node: MarkdownNode) -> None:
    rows: list[Row] = []
    for section in node.children:
        header = _HEADER_SECTIONS.get(section.type)
        if header is None:
            raise _unsupported(section)
        rows += [
            Row([_cell(builder, cell) for cell in row.children], header) for row in section.children
        ]
    columns = max(len(row.cells) for row in rows)
    texts = [[[_piece(run) for run in cell] for cell in row.cells] for row in rows]
    heads = sum(row.header for row in rows)
    widths = column_widths(texts, heads, builder.usable_width, builder.table_text)
    for row in rows:
        row.cells += [[] for _ in range(columns - len(row.cells))]
    before = builder.blocks[-1] if builder.blocks else None
    if isinstance(before, Paragraph) and before.style is None and before.numbering is None:
        before.style = TABLE_INTRO_STYLE
    builder.blocks.append(Table(TABLE_STYLE, widths, rows))


def _piece(run: Run) -> Piece:
    """A run's text and the face it is measured in."""
    return run.text, "mono" if run.marks.code else "bold" if run.marks.bold else "regular"


def _cell(builder: _Builder, node: MarkdownNode) -> list[Run]:
    if node.type not in ("th", "td"):
        raise _unsupported(node)
    marks = Marks(bold=True) if node.type == "th" else PLAIN
    return builder.runs(node.children[0], marks) if node.children else []


_BLOCK_RULES: dict[str, Callable[[_Builder, MarkdownNode], None]] = {
    "heading": _heading,
    "paragraph": _paragraph,
    "bullet_list": _list,
    "ordered_list": _list,
    "blockquote": _blockquote,
    "table": _table,
}


# Inlines


def _inlines(node: MarkdownNode, marks: Marks, found: list[Run]) -> None:
    for child in node.children:
        rule = _INLINE_RULES.get(child.type)
        if rule is None:
            raise _unsupported(child)
        rule(child, marks, found)


def _text(node: MarkdownNode, marks: Marks, found: list[Run]) -> None:
    if node.content:  # markdown-it leaves empty text where emphasis markers were
        found.append(Run(node.content, marks))


def _softbreak(node: MarkdownNode, marks: Marks, found: list[Run]) -> None:
    found.append(Run(" ", marks))


def _hardbreak(node: MarkdownNode, marks: Marks, found: list[Run]) -> None:
    found.append(Run("\n", marks))


def _code(node: MarkdownNode, marks: Marks, found: list[Run]) -> None:
    found.append(Run(node.content, Marks(marks.bold, marks.italic, True, marks.link)))


def _strong(node: MarkdownNode, marks: Marks, found: list[Run]) -> None:
    _inlines(node, Marks(True, marks.italic, marks.code, marks.link), found)


def _em(node: MarkdownNode, marks: Marks, found: list[Run]) -> None:
    _inlines(node, Marks(marks.bold, True, marks.code, marks.link), found)


def _link(node: MarkdownNode, marks: Marks, found: list[Run]) -> None:
    href = str(node.attrs.get("href", ""))  # `[text]()` points nowhere: its text, unlinked
    _inlines(node, Marks(marks.bold, marks.italic, marks.code, href or marks.link), found)


_INLINE_RULES: dict[str, Callable[[MarkdownNode, Marks, list[Run]], None]] = {
    "text": _text,
    "softbreak": _softbreak,
    "hardbreak": _hardbreak,
    "code_inline": _code,
    "strong": _strong,
    "em": _em,
    "link": _link,
}
