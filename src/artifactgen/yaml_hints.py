"""Explains, in a coach's words, the YAML mistakes text invites, with the corrected line."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Indentation and list dashes, then an optional `key:`; what follows is the value as typed.
_LINE = re.compile(r"(?P<lead>[ ]*(?:-[ ]+)*)(?:(?P<key>[A-Za-z_][\w-]*)[ ]*:(?:[ ]+|$))?")
_CURLY_QUOTES = "“”„‘’‚«»"

# What YAML makes of a value's first character, when the coach meant text.
_FIRST_CHARACTER = {
    "*": "which YAML reads as an alias (a reference to an '&' anchor)",
    "&": "which YAML reads as an anchor name",
    "!": "which YAML reads as a tag",
    "[": "which YAML reads as the start of a list",
    "{": "which YAML reads as the start of a group of fields",
    "|": "which YAML reads as the start of a block of lines",
    ">": "which YAML reads as the start of a folded block of lines",
    "`": "which YAML does not allow at the start of a value",
    "@": "which YAML does not allow at the start of a value",
    "%": "which YAML does not allow at the start of a value",
    "?": "which YAML reads as a question-mark key",
}


@dataclass(frozen=True)
class Hint:
    """Where a value starts (1-based column) and what to tell the coach about it."""

    column: int
    message: str


def value_at(line: str, column: int | None = None) -> tuple[int, str, str]:
    """(0-based column of the value, the line up to it, the value) of one line of a case file;
    `column`: where the value is known to start, else after any dashes and `key:`."""
    if column is None:
        match = _LINE.match(line)
        column = match.end() if match else 0
    return column, line[:column], line[column:].rstrip()


def explain_text(line: str, column: int | None = None) -> Hint | None:
    """Why the text on `line` is not read as text, and the line that would be; None if the
    value looks like nothing text could trip over."""
    column, lead, value = value_at(line, column)
    if not value:
        return None
    if lead.rstrip().endswith(("[", ",")):  # an item of a list in brackets
        return Hint(len(lead.rstrip()), FLOW_LIST)
    first = value[0]
    wrapped = len(value) > 1 and first in _CURLY_QUOTES and value[-1] in _CURLY_QUOTES
    close = _closing(value) if first in ("'", '"') else None
    if wrapped:
        why = "this text starts with a curly quote, which YAML reads as part of the text"
        fix = _straight_quoted(value)
    elif first in ("'", '"') and close is None:
        why = f"this text opens a quote ({first}) that the line does not close"
        fix = _double_quoted(value[1:])
    elif first in ("'", '"') and close is not None and close < len(value) - 1:
        inner = value[1:-1] if value.endswith(first) else value[1:]
        if first == "'":
            why = "an apostrophe inside single quotes ends the text early"
            fix = _double_quoted(inner.replace("''", "'"))
        else:
            why = "a double quote inside double quotes ends the text early"
            fix = f"'{inner}'" if "'" not in inner else _double_quoted(inner)
    elif first in ("'", '"'):
        return None
    elif first in _FIRST_CHARACTER:
        why = f"this text starts with '{first}', {_FIRST_CHARACTER[first]}"
        fix = _double_quoted(value)
    elif value.startswith("- "):
        why = "this text starts with '- ', which YAML reads as a list inside the list"
        fix = _double_quoted(value)
    elif ": " in value or value.endswith(":"):
        why = "this text contains ': ', which YAML reads as the start of a field"
        fix = _double_quoted(value)
    else:
        return None
    action = "put the whole text in double quotes"
    if wrapped:
        action = "use straight quotes"
    elif first in ("'", '"'):
        action = "quote it like this"
    return Hint(column + 1, f"{why}; {action}: {_corrected(lead, fix)}")


def explain_comment(line: str, hash_column: int) -> Hint:
    """Text after ' #' that YAML took for a comment: the line with the value in quotes."""
    _, lead, value = value_at(line)
    return Hint(
        hash_column + 1,
        "the text after ' #' was read as a comment and left out; to keep it, put the whole "
        f"text in double quotes: {_corrected(lead, _double_quoted(value))}",
    )


def _corrected(lead: str, fix: str) -> str:
    """The line as it should read: its dash or key, then the value quoted (cut when long)."""
    return " ".join(part for part in (lead.strip(), fix) if part)


def _closing(value: str) -> int | None:
    """Where the quote that opens `value` closes, as YAML reads it; None if not on this line."""
    quote, index = value[0], 1
    while index < len(value):
        character = value[index]
        if quote == '"' and character == "\\":
            index += 2
            continue
        if character == quote:
            if quote == "'" and value.startswith("''", index):
                index += 2
                continue
            return index
        index += 1
    return None


def _double_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _straight_quoted(value: str) -> str:
    inner = value[1:]
    if inner and inner[-1] in _CURLY_QUOTES:
        inner = inner[:-1]
    return _double_quoted(inner)


def explain_error(lines: list[str], number: int) -> tuple[int, Hint] | None:
    """(1-based line, hint) for a YAML syntax error reported at line `number`: the text on
    that line, else the nearest line above it whose quote never closed (YAML read on until a
    later quote, and the error shows where it gave up)."""
    if 1 <= number <= len(lines):
        hint = explain_text(lines[number - 1])
        if hint is not None:
            return number, hint
    for index in range(min(number, len(lines)) - 1, -1, -1):
        column, _, value = value_at(lines[index])
        if value[:1] in ("'", '"') and _closing(value) is None:
            hint = explain_text(lines[index], column)
            if hint is not None:
                return index + 1, hint
    return None


FLOW_LIST = (
    "this list in brackets cannot be read (an item holds ': ', a quote or a bracket, or the "
    "']' is missing); write one item per line instead, each starting with '- ', in double "
    "quotes when it holds such signs"
)
_INDENTATION = (
    "this line is indented differently from the fields around it; line it up with the other "
    "fields of its group (the same number of spaces), or put text holding ': ' in double quotes"
)


def explain_structure(problem: str, context: str) -> tuple[bool, str] | None:
    """(point at the context mark rather than the problem mark, message) for the parser
    errors that come from indentation, brackets and missing dashes or colons."""
    if "flow sequence" in context or "flow mapping" in context:
        return True, FLOW_LIST
    if problem.startswith(
        ("mapping values are not allowed", "expected <block end>", "did not find expected")
    ):
        return False, _INDENTATION
    if problem.startswith("could not find expected ':'"):
        return True, (
            "this line is neither a field (`name: value`) nor a list item (`- text`); add the "
            "missing ':' or '- ', or join it to the line above"
        )
    return None
