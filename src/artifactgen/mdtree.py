"""Parses a deliverable's Markdown (CommonMark with GFM tables) into a syntax tree.

The tree has markdown-it's shape and meaning. pulldown-cmark (through pyromark) builds it
four times faster; markdown-it-py builds it when the Markdown holds what the two read
differently: raw HTML (read as text here), links other than inline ones, link addresses
markdown-it refuses, a list item that is empty or whose text starts after a tab or two
spaces, a tab or a backslash ending a line. Only list lines indented off their item's text,
which no template writes, may still nest differently.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from typing import Any

import pyromark
from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink, validateLink
from markdown_it.token import Token


def document_parser() -> MarkdownIt:
    """CommonMark with tables; raw HTML is never read as HTML."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


_PARSER = document_parser()


class MarkdownNode:
    """A node of the syntax tree: a block or inline element with its children.

    The same shape as markdown-it's SyntaxTreeNode (type without "_open", tag, attrs, content,
    map, children), built in one pass at a fraction of its cost.
    """

    __slots__ = ("attrs", "children", "content", "map", "tag", "type")

    def __init__(
        self, kind: str, tag: str = "", attrs: dict[str, Any] | None = None, content: str = ""
    ) -> None:
        self.type = kind
        self.tag = tag
        self.attrs = attrs or {}
        self.content = content
        self.map: list[int] | None = None
        self.children: list[MarkdownNode] = []

    def __repr__(self) -> str:
        return f"MarkdownNode({self.type})"


def parse_markdown(text: str) -> MarkdownNode:
    try:
        if _READ_DIFFERENTLY.search(text):
            raise _ReadDifferently("text")
        return _EventTree(text).root
    except _ReadDifferently:
        return markdown_it_tree(text)


def markdown_it_tree(text: str) -> MarkdownNode:
    """The tree as markdown-it-py builds it: the reference the fast path must equal."""
    root = MarkdownNode("root")
    root.children = _nodes(_PARSER.parse(text))
    return root


def _nodes(tokens: Sequence[Token]) -> list[MarkdownNode]:
    """The nodes of a token stream, nesting opening and closing tokens into one node each."""
    top: list[MarkdownNode] = []
    open_nodes: list[list[MarkdownNode]] = [top]
    for token in tokens:
        if token.nesting == -1:
            open_nodes.pop()
            continue
        kind = token.type[:-5] if token.nesting == 1 else token.type
        node = MarkdownNode(kind, token.tag, token.attrs, token.content)
        node.map = token.map
        open_nodes[-1].append(node)
        if token.nesting == 1:
            open_nodes.append(node.children)
        elif token.children:
            node.children = _nodes(token.children)
    return top


class _ReadDifferently(Exception):
    """The Markdown holds something pulldown-cmark reads otherwise than markdown-it."""


# What the two read differently in text: a tab or a backslash and spaces ending a line
# (markdown-it keeps them before a line break); a list item that is empty, or whose text
# starts after a tab or more than one space (they nest the lines after it differently).
_READ_DIFFERENTLY = re.compile(
    r"(?:\t|\\[ \t])[ \t]*\r?\n|^[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]*\r?$|  |\t)", re.MULTILINE
)


# pulldown-cmark's tags, as markdown-it's node types and tags.
_BLOCKS = {
    "Paragraph": ("paragraph", "p"),
    "Heading": ("heading", ""),
    "BlockQuote": ("blockquote", "blockquote"),
    "List": ("bullet_list", "ul"),
    "Item": ("list_item", "li"),
    "Table": ("table", "table"),
    "TableCell": ("td", "td"),
    "CodeBlock": ("code_block", "code"),
}
_INLINES = {"Emphasis": ("em", "em"), "Strong": ("strong", "strong"), "Link": ("link", "a")}
_INLINE_PARENTS = {"inline", "em", "strong", "link", "image"}
_BREAKS = {"SoftBreak": "softbreak", "HardBreak": "hardbreak"}


class _EventTree:
    """The syntax tree of pulldown-cmark's events for `text`, in markdown-it's shape."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_ends: list[int] | None = None
        self.root = MarkdownNode("root")
        self.open = [self.root]  # the innermost last
        self.starts: list[int] = []  # how many nodes were open before each open element
        self.hidden: list[int] = []  # where a tight list item's hidden paragraph is open
        open_, starts, hidden = self.open, self.starts, self.hidden
        events = pyromark.events_with_range(text, options=pyromark.Options.ENABLE_TABLES)
        for event, span in events:
            if type(event) is str:
                self.leaf(event, span["start"])
                continue
            ((kind, value),) = event.items()
            if kind == "Text":
                if value[-1:] == "\\" and self.hard_break_kept(span["end"]):
                    raise _ReadDifferently("a backslash ending a line of link text")
                self.add_text(value, span["start"])
            elif kind == "Start":
                self.start(value, span["start"])
            elif kind == "End":
                del open_[starts.pop() :]
                while hidden and hidden[-1] >= len(open_):
                    hidden.pop()
            elif kind == "Code":
                self.inline_parent(span["start"]).children.append(
                    MarkdownNode("code_inline", "code", None, value)
                )
            else:  # Html, InlineHtml: raw HTML, which markdown-it is told to read as text
                raise _ReadDifferently(kind)

    @functools.cached_property
    def source(self) -> bytes:
        """The text as UTF-8, which pulldown-cmark's offsets count in."""
        return self.text.encode("utf-8")

    def hard_break_kept(self, end: int) -> bool:
        """Whether text ending at byte `end` ends in a backslash that escapes the line break
        after it (an odd run of backslashes): pulldown-cmark keeps it as text in a link's
        text, where markdown-it reads a hard break."""
        source = self.source
        text = source[:end].rstrip(b"\r\n")  # the text's range may take the line break in
        line_break = len(text) < end or source[end : end + 1] in (b"\n", b"\r")
        return line_break and (len(text) - len(text.rstrip(b"\\"))) % 2 == 1

    def start(self, value: str | dict[str, Any], offset: int) -> None:
        name, detail = (value, None) if isinstance(value, str) else next(iter(value.items()))
        if name in _INLINES:
            node = MarkdownNode(*_INLINES[name])
            if name == "Link":
                node.attrs = _link_attributes(detail)
            self.inline_parent(offset).children.append(node)
            self.starts.append(len(self.open))
            self.open.append(node)
            return
        self.close_hidden()
        self.starts.append(len(self.open))
        if name == "TableHead":
            head = self.block("thead", "thead", offset)
            self.open += [head, self.block("tr", "tr", offset, head)]
            return
        if name == "TableRow":
            table = self.open[-1]
            if table.children[-1].type != "tbody":
                self.block("tbody", "tbody", offset)
            self.open.append(self.block("tr", "tr", offset, table.children[-1]))
            return
        if name not in _BLOCKS:  # HtmlBlock, or a tag outside CommonMark and tables
            raise _ReadDifferently(name)
        node = self.block(*_BLOCKS[name], offset)
        self.open.append(node)
        if name == "Heading":
            node.tag = "h" + detail["level"][1]
        elif name == "List" and detail is not None:
            node.type, node.tag = "ordered_list", "ol"
            if detail != 1:
                node.attrs = {"start": detail}
        elif name == "CodeBlock" and isinstance(detail, dict):
            node.type = "fence"
        elif name == "TableCell":
            node.map = None
            if self.open[-3].type == "thead":
                node.type = node.tag = "th"
        if node.type in ("paragraph", "heading", "th", "td"):
            inline = MarkdownNode("inline")
            inline.map = node.map or self.open[-2].map  # a cell's: its row's
            node.children.append(inline)
            self.open.append(inline)

    def leaf(self, name: str, offset: int) -> None:
        if name in _BREAKS:
            self.inline_parent(offset).children.append(MarkdownNode(_BREAKS[name], "br"))
        elif name == "Rule":
            self.close_hidden()
            self.block("hr", "hr", offset)
        else:
            raise _ReadDifferently(name)

    def add_text(self, content: str, offset: int) -> None:
        """To the text node last in its parent, or a new one; a code block holds it whole."""
        if self.open[-1].type in ("code_block", "fence"):
            self.open[-1].content += content
            return
        parent = self.inline_parent(offset)
        if parent.children and parent.children[-1].type == "text":
            parent.children[-1].content += content
        else:
            parent.children.append(MarkdownNode("text", "", None, content))

    def inline_parent(self, offset: int) -> MarkdownNode:
        """Where inline content at `offset` goes: a tight list item's own text opens a hidden
        paragraph."""
        if self.open[-1].type in _INLINE_PARENTS:
            return self.open[-1]
        self.hidden.append(len(self.open))
        paragraph = self.block("paragraph", "p", offset)
        inline = MarkdownNode("inline")
        inline.map = paragraph.map
        paragraph.children.append(inline)
        self.open += [paragraph, inline]
        return inline

    def close_hidden(self) -> None:
        if self.hidden and self.hidden[-1] == len(self.open) - 2:
            del self.open[self.hidden.pop() :]

    def block(
        self, kind: str, tag: str, offset: int, parent: MarkdownNode | None = None
    ) -> MarkdownNode:
        """A new block in `parent` (the innermost open node), mapped to the line it starts on."""
        node = MarkdownNode(kind, tag)
        line = self.line_at(offset)
        node.map = [line, line + 1]
        (parent or self.open[-1]).children.append(node)
        return node

    def line_at(self, offset: int) -> int:
        """The line (from 0) holding a byte offset of the UTF-8 text."""
        if self.line_ends is None:
            source = self.source
            ends, at = [], source.find(b"\n")
            while at != -1:
                ends.append(at)
                at = source.find(b"\n", at + 1)
            self.line_ends = ends
        return bisect.bisect_left(self.line_ends, offset)


def _link_attributes(detail: dict[str, str]) -> dict[str, Any]:
    if detail["link_type"] != "Inline" or not validateLink(detail["dest_url"]):
        raise _ReadDifferently(detail["link_type"])
    attrs: dict[str, Any] = {"href": normalizeLink(detail["dest_url"])}
    if detail["title"]:
        attrs["title"] = detail["title"]
    return attrs


def plain_text(node: MarkdownNode) -> str:
    """The text a reader sees in an inline node, without markup."""
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type == "softbreak":
        return " "
    if node.type == "hardbreak":
        return "\n"
    return "".join(plain_text(child) for child in node.children)
