"""Parses a deliverable's Markdown (CommonMark with GFM tables) into a syntax tree."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode


def document_parser() -> MarkdownIt:
    """CommonMark with tables; raw HTML is never read as HTML."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


_PARSER = document_parser()


def parse_markdown(text: str) -> SyntaxTreeNode:
    return SyntaxTreeNode(_PARSER.parse(text))


def plain_text(node: SyntaxTreeNode) -> str:
    """The text a reader sees in an inline node, without markup."""
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type == "softbreak":
        return " "
    if node.type == "hardbreak":
        return "\n"
    return "".join(plain_text(child) for child in node.children)
