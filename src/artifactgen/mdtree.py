"""Parses a deliverable's Markdown (CommonMark with GFM tables) into a syntax tree."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token


def document_parser() -> MarkdownIt:
    """CommonMark with tables; raw HTML is never read as HTML."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


_PARSER = document_parser()


class MarkdownNode:
    """A node of the syntax tree: a block or inline element with its children.

    The same shape as markdown-it's SyntaxTreeNode (type without "_open", tag, attrs, content,
    map, children), built in one pass over the tokens at a fraction of its cost.
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


def plain_text(node: MarkdownNode) -> str:
    """The text a reader sees in an inline node, without markup."""
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type == "softbreak":
        return " "
    if node.type == "hardbreak":
        return "\n"
    return "".join(plain_text(child) for child in node.children)
