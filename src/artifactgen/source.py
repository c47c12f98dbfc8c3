"""Reads a case file's YAML safely into plain Python values and a map of where each one stands."""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError

from artifactgen.errors import CaseError, Problem
from artifactgen.yaml_compose import Node, compose
from artifactgen.yaml_hints import (
    explain_comment,
    explain_error,
    explain_structure,
    explain_text,
)

MAX_BYTES = 1 << 20
MAX_VALUES = 200_000
MAX_DEPTH = 64

FieldPath = tuple[str | int, ...]
Location = tuple[int, int]

_CORE = "tag:yaml.org,2002:"
# A comment right after text, or one whose '#' touches a word, is most likely text YAML cut
# off ("Submit #1 and #2"); a comment meant as one is set apart: `value   # optional`.
_ITEM_OR_FIELD = re.compile(r"-(?: |$)|[A-Za-z_][\w-]*:(?: |$)")
_SWALLOWED_TEXT = re.compile(r" #|[ \t]+#[^\s#]")
_NOT_YAML_PRINTABLE = re.compile(
    "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


@dataclass
class Source:
    """A parsed case file: plain values plus the 1-based line and column of every key and value."""

    path: str
    data: Any
    keys: dict[FieldPath, Location] = field(default_factory=dict)
    values: dict[FieldPath, Location] = field(default_factory=dict)
    digest: str = ""  # SHA-256 of the bytes parsed
    lines: list[str] = field(default_factory=list, repr=False)  # the text, for messages

    def locate(self, where: FieldPath, *, key: bool = False) -> Location:
        """Where `where` stands; for a path that does not exist, where its nearest parent does."""
        first, second = (self.keys, self.values) if key else (self.values, self.keys)
        while where:
            if where in first:
                return first[where]
            if where in second:
                return second[where]
            where = where[:-1]
        return self.values.get((), (1, 1))


def read_source(path: Path) -> Source:
    """Read and parse one case file; raise CaseError with every problem found at this level."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise CaseError.at(name, 0, 0, f"cannot read the file: {error.strerror}") from None
    return parse_source(raw, name)


def parse_source(raw: bytes, name: str) -> Source:
    """Parse the bytes of a case file named `name` (used in messages)."""
    if len(raw) > MAX_BYTES:
        raise CaseError.at(name, 1, 1, "the file is larger than 1 MiB; a case file is far smaller")
    # Windows Notepad starts UTF-8 files with a byte-order mark; it is no part of the text.
    text = _decode(raw.removeprefix(codecs.BOM_UTF8), name)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise CaseError.at(name, 1, 1, "the file is empty; start from `artifactgen new NAME`")
    _check_characters(text, name)
    try:
        root = compose(text)
    except MarkedYAMLError as error:
        raise _yaml_problem(error, name, text) from None
    except YAMLError as error:  # pragma: no cover - every ruamel parse error we know is marked
        raise CaseError.at(name, 1, 1, f"not valid YAML: {error}") from None
    except RecursionError:  # ruamel composes nested values recursively
        line, column = _too_deep(text)
        raise CaseError.at(
            name,
            line,
            column,
            f"values are nested far too deeply here (more than {MAX_DEPTH} levels); "
            "a case file needs a few",
        ) from None
    if root is None:
        raise CaseError.at(name, 1, 1, "the file is empty; start from `artifactgen new NAME`")
    if root.id != "mapping":
        found = "a list" if root.id == "sequence" else "a single value"
        line, column = _mark(root)
        raise CaseError.at(
            name, line, column, f"a case file is a mapping of fields (like `client:`), not {found}"
        )
    source = _Converter(name, text).convert(root)
    source.digest = hashlib.sha256(raw).hexdigest()
    return source


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        byte = raw[error.start]
        raise CaseError.at(
            name,
            line,
            column,
            f"the file is not valid UTF-8 (byte 0x{byte:02X}); save it with UTF-8 encoding",
        ) from None


def _check_characters(text: str, name: str) -> None:
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            problems.append(
                Problem(
                    name,
                    number,
                    line.index("\t") + 1,
                    "a tab is used for indentation; YAML needs spaces",
                )
            )
        for match in _NOT_YAML_PRINTABLE.finditer(line):
            problems.append(
                Problem(
                    name,
                    number,
                    match.start() + 1,
                    f"control character U+{ord(match.group()):04X} is not allowed in a case file",
                )
            )
    if problems:
        raise CaseError(problems)


def _too_deep(text: str) -> Location:
    """Where brackets or indentation first nest deeper than a case file may (roughly: quotes
    are not followed, which is enough to point at the place)."""
    depth = 0
    for number, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" -"))
        if indent > 2 * MAX_DEPTH:
            return number, 1
        for column, character in enumerate(line, start=1):
            depth += (character in "[{") - (character in "]}")
            if depth > MAX_DEPTH:
                return number, column
    return 1, 1


def _yaml_problem(error: MarkedYAMLError, name: str, text: str) -> CaseError:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.split("\n")
    structure = explain_structure(error.problem or "", error.context or "")
    if structure and structure[0] and error.context_mark:  # the '[' or the line it starts at
        mark = error.context_mark
        return CaseError.at(name, mark.line + 1, mark.column + 1, structure[1])
    explained = explain_error(lines, line)
    if explained is not None:
        line, hint = explained
        return CaseError.at(name, line, hint.column, hint.message)
    if structure:
        indent = (
            len(lines[line - 1]) - len(lines[line - 1].lstrip(" ")) if line <= len(lines) else 0
        )
        return CaseError.at(name, line, indent + 1, structure[1])
    problem = (error.problem or "").strip()
    if "found character '\\t'" in problem:
        problem = "a tab cannot be used here; YAML needs spaces"
    elif error.context and "expected a single document" in error.context:
        problem = "only one YAML document per case file; remove the second `---`"
    context = (error.context or "").strip()
    detail = f" ({context})" if context and "single document" not in context else ""
    return CaseError.at(name, line, column, f"not valid YAML: {problem}{detail}")


def _mark(node: Node) -> Location:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


class _Converter:
    """Turns a composed node graph into plain values, expanding aliases within a budget."""

    def __init__(self, name: str, text: str) -> None:
        self.source = Source(name, None, lines=text.split("\n"))
        self.text = text
        self.problems: list[Problem] = []
        self.count = 0
        self.anchored: dict[int, tuple[Node, int]] = {}  # scalar with an anchor: times read

    def convert(self, root: Node) -> Source:
        self.source.data = self._value(root, ())
        for node, reads in self.anchored.values():
            if reads == 1:  # an anchor nothing refers to: most likely text starting with '&'
                line, column = _mark(node)
                hint = explain_text(self.source.lines[line - 1], column - 1)
                if hint is not None:
                    self.problems.append(Problem(self.source.path, line, column, hint.message))
        if self.problems:
            raise CaseError(sorted(self.problems))
        return self.source

    def _problem(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.source.path, *_mark(node), message))

    def _value(self, node: Node, path: FieldPath) -> Any:
        self.count += 1
        if len(path) > MAX_DEPTH:
            raise CaseError.at(
                self.source.path,
                *_mark(node),
                f"values are nested far too deeply here (more than {MAX_DEPTH} levels); "
                "a case file needs a few",
            )
        if self.count > MAX_VALUES:
            line, column = self.source.keys.get(path[:1]) or _mark(node)
            raise CaseError.at(
                self.source.path,
                line,
                column,
                "anchors and aliases expand to far too many values here; write the values out",
            )
        self.source.values.setdefault(path, _mark(node))
        tag = str(node.tag)
        if node.id == "mapping" and tag == _CORE + "map":
            return self._mapping(node, path)
        if node.id == "sequence" and tag == _CORE + "seq":
            return [self._value(item, (*path, index)) for index, item in enumerate(node.value)]
        if node.id == "scalar":
            self._check_scalar(node)
            return self._scalar(node, tag)
        self._problem(node, f"the YAML tag {_tag_name(tag)} is not allowed; write a plain value")
        return None

    def _check_scalar(self, node: Node) -> None:
        """Note text a comment cut short, and anchors (counted, to find unused ones)."""
        if getattr(node, "anchor", None):
            _, reads = self.anchored.get(id(node), (node, 0))
            self.anchored[id(node)] = (node, reads + 1)
        end = node.end_mark
        if not node.style and node.start_mark.line != end.line:
            self._check_continued(node)
        swallowed = _SWALLOWED_TEXT.match(self.text, end.index)
        if not node.style and node.value and swallowed and end.line < len(self.source.lines):
            line = self.source.lines[end.line]
            hint = explain_comment(line, end.column + swallowed.group().index("#"))
            self.problems.append(Problem(self.source.path, end.line + 1, hint.column, hint.message))

    def _check_continued(self, node: Node) -> None:
        """A list item or field indented one step too far is read as more of the text above."""
        last = min(node.end_mark.line, len(self.source.lines) - 1)
        for number in range(node.start_mark.line + 1, last + 1):
            line = self.source.lines[number]
            stripped = line.lstrip(" ")
            if _ITEM_OR_FIELD.match(stripped):
                what = "list item" if stripped.startswith("-") else "field"
                message = (
                    f"this {what} is indented further than the line above, so YAML reads it as "
                    f"more of that text; line it up with the {what}s above it"
                )
                column = len(line) - len(stripped) + 1
                self.problems.append(Problem(self.source.path, number + 1, column, message))
                return

    def _mapping(self, node: Node, path: FieldPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if str(key_node.tag) == _CORE + "merge":
                self._problem(key_node, "merge keys (<<) are not supported; write the fields out")
                continue
            if key_node.id != "scalar":
                self._problem(key_node, "a key must be a plain name such as `client`")
                continue
            key = key_node.value
            if key in result:
                first_line, _ = self.source.keys[(*path, key)]
                self._problem(key_node, f"duplicate key '{key}' (first given on line {first_line})")
                continue
            self.source.keys[(*path, key)] = _mark(key_node)
            result[key] = self._value(value_node, (*path, key))
        return result

    def _scalar(self, node: Node, tag: str) -> Any:
        text = node.value
        kind = tag[len(_CORE) :] if tag.startswith(_CORE) else None
        if kind in ("str", "timestamp"):
            return text
        if kind == "null":
            return None
        if kind == "bool":
            return text.lower() == "true"
        if kind == "int":
            try:
                return int(text, 0)
            except ValueError:
                return int(text, 10) if text.lstrip("+-").isdigit() else text
        if kind == "float":
            special = {".inf": "inf", "+.inf": "inf", "-.inf": "-inf", ".nan": "nan"}
            return float(special.get(text.lower(), text))
        self._problem(node, f"the YAML tag {_tag_name(tag)} is not allowed; write a plain value")
        return None
