"""Coach text as inline Markdown: bold, italic, code and links kept, all else made literal."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

# What a coach may use inside any text field, and nothing more.
COACH_RULES = ["emphasis", "backticks", "link", "escape", "newline"]

# Escaped wherever they stand: they start emphasis, code, links, HTML, table cells or escapes.
_ALWAYS = re.compile(r"([\\`*_\[\]<|])")
# Escaped only where a line starts: they would start a heading, quote, list, rule or fence.
_LINE_START = re.compile(r"^([#>+=~-])|^(\d{1,9})([.)])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_BANG_BEFORE_LINK = re.compile(r"!(?=\[)")
# Ending a line after a space, a run of # would close a heading and be dropped from it.
_CLOSING_HASHES = re.compile(r"(?<=[ \t])#(?=#*[ \t]*$)")
# Text without any of these is literal as it stands (the line starts are checked in any place).
_MAY_NEED_ESCAPE = re.compile(r"[\\`*_\[\]<|&!#>+=~-]|^\d", re.MULTILINE)
# Text without these holds no emphasis, code, link, escape or line break: it is all literal.
_PLAIN_MARKUP = set("*_`[]\\<&")
_INLINE_MARKUP = re.compile(r"[*_`\[\]\\<\n\r\x00]")
# A backslash ending a line is a hard break to Markdown; in coach text, where every line
# break is kept anyway, it is the coach's backslash (a folder, say): escaped, so it shows.
_LINE_END_BACKSLASH = re.compile(r"(?<!\\)((?:\\\\)*)\\(?=\r?\n)")


class Markdown(str):
    """Text that is already Markdown and must not be escaped again."""


def coach_parser() -> MarkdownIt:
    """The parser for coach text: CommonMark's inline rules for emphasis, code and links only."""
    return MarkdownIt("zero").enable(COACH_RULES)


_PARSER = coach_parser()


def coach_markdown(text: str, *, line_breaks: bool = True, in_table: bool = False) -> Markdown:
    """Coach text as safe inline Markdown.

    With line_breaks=False newlines become spaces; in_table escapes pipes inside code spans,
    which GFM tables need and paragraphs must not have.
    """
    if not _INLINE_MARKUP.search(text):
        return Markdown(escape_text(text))
    tokens = _PARSER.parseInline(_LINE_END_BACKSLASH.sub(r"\1\\\\", text))
    children = tokens[0].children or [] if tokens else []
    parts: list[str] = []
    links: list[str] = []
    for index, token in enumerate(children):
        following = children[index + 1] if index + 1 < len(children) else None
        parts.append(_serialise(token, following, links, line_breaks and not in_table, in_table))
    return Markdown("".join(parts))


def escape_text(text: str) -> str:
    """Backslash-escape what would otherwise be read as Markdown in literal text."""
    if not _MAY_NEED_ESCAPE.search(text):
        return text
    lines = text.split("\n")
    escaped = []
    for line in lines:
        line = _ALWAYS.sub(r"\\\1", line)
        line = _ENTITY.sub(r"\\&", line)
        line = _BANG_BEFORE_LINK.sub(r"\\!", line)
        line = _LINE_START.sub(_escape_line_start, line)
        line = _CLOSING_HASHES.sub(r"\\#", line)
        escaped.append(line)
    return "\n".join(escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def _serialise(
    token: Token, following: Token | None, links: list[str], line_breaks: bool, in_table: bool
) -> str:
    kind = token.type
    if kind in ("text", "text_special"):
        text = escape_text(token.content)
        if text.endswith("!") and following is not None and following.type == "link_open":
            text = text[:-1] + "\\!"
        return text
    if kind in ("strong_open", "strong_close"):
        return "**"
    if kind in ("em_open", "em_close"):
        return "*"
    if kind == "code_inline":
        span = code_span(token.content)
        return span.replace("|", "\\|") if in_table else span
    if kind == "link_open":
        links.append(link_destination(str(token.attrs.get("href", "")), token.attrs.get("title")))
        return "["
    if kind == "link_close":
        return "](" + links.pop() + ")"
    if kind in ("softbreak", "hardbreak"):
        return "\\\n" if line_breaks else " "
    raise ValueError(f"unexpected inline token {kind!r} in coach text")


def code_span(content: str) -> str:
    """A code span holding `content` literally, whatever backticks it contains."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    padded = content.startswith(("`", " ")) or content.endswith(("`", " "))
    if padded and content.strip(" "):
        content = f" {content} "
    return f"{fence}{content}{fence}"


def link_destination(href: str, title: str | int | float | None) -> str:
    """A link destination (and title) that reads back to the same link."""
    destination = f"<{href}>" if re.search(r"[\s()<>]", href) else href
    destination = destination.replace("|", "%7C")
    if title:
        escaped = str(title).replace("\\", "\\\\").replace('"', '\\"').replace("|", "\\|")
        destination += f' "{escaped}"'
    return destination


def plain_text(text: str) -> str:
    """A coach's inline Markdown as plain text: `**bold**` -> bold, a link -> its text (URL)."""
    if not _PLAIN_MARKUP.intersection(text):
        return text
    tokens = _PARSER.parseInline(text)
    words: list[str] = []
    links: list[tuple[int, str]] = []  # where each open link's text starts, and its address
    for token in tokens[0].children or [] if tokens else []:
        if token.type in ("text", "code_inline"):
            words.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            words.append("\n")
        elif token.type == "link_open":
            links.append((len(words), str(token.attrGet("href") or "")))
        elif token.type == "link_close" and links:
            start, href = links.pop()
            label = "".join(words[start:])
            shown = href.removeprefix("mailto:")
            words[start:] = [label if shown == label else f"{label} ({shown})"]
    return "".join(words)
