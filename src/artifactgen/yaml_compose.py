"""Composes YAML text into nodes: libyaml where it matches ruamel exactly, ruamel elsewhere."""

from __future__ import annotations

import re
from enum import Enum
from functools import cache
from typing import Any, ClassVar, Protocol

# ruamel's pure-Python composer (YAML 1.2) is the reference: its nodes, tags, line/column marks and
# error messages are what the rest of artifactgen sees. libyaml (through PyYAML) composes the same
# nodes more than ten times faster, with ruamel's own YAML 1.2 resolver rules. It is used only for
# a mapping document that keeps clear of the places where the two differ (below), and anything
# libyaml refuses is parsed again by ruamel, so every message stays ruamel's.

# Characters the two count or accept differently: tabs (ruamel refuses more of them), line breaks
# other than \n and \r\n, and a byte-order mark inside the text.
_RUAMEL_ONLY_CHARACTERS = re.compile(r"\t|\r(?!\n)|[\x85\u2028\u2029\ufeff]")
# ruamel refuses a block scalar whose first line holds only spaces and a later one more of them,
# and reads some headers differently; this is a header both read alike.
_PLAIN_BLOCK_HEADER = re.compile(r"[|>][+-]?(?: +#[^\r\n]*| *)(?:\Z|\r?\n(?![ ]+(?:\r?\n|\Z)))")
# libyaml composes recursively in C; ruamel runs out of Python recursion near 490 levels.
_MAX_NESTING = 400
_NULL_TAG = "tag:yaml.org,2002:null"


class Node(Protocol):
    """What ruamel's and PyYAML's nodes both offer: a kind, a tag, a value and a start mark."""

    id: str  # "scalar", "sequence" or "mapping"
    tag: Any
    value: Any
    start_mark: Any


def compose(text: str) -> Node | None:
    """The root node of the single document in `text` (None if it has none), as ruamel composes it.

    Raises ruamel's MarkedYAMLError (or YAMLError) when the text is not valid YAML.
    """
    root = _compose_with_libyaml(text)
    return root if root is not None else _compose_with_ruamel(text)


def _compose_with_ruamel(text: str) -> Node | None:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).compose(text)


def _compose_with_libyaml(text: str) -> Node | None:
    """The root mapping as ruamel would compose it, or None to leave the text to ruamel."""
    loader_class = _libyaml_loader()
    if loader_class is None or _RUAMEL_ONLY_CHARACTERS.search(text):
        return None
    from yaml import YAMLError

    try:
        if _may_need_tokens(text):
            empty_value_marks = _read_tokens(loader_class, text)
            root = _single_node(loader_class, text) if empty_value_marks is not None else None
        else:
            root = _single_node(loader_class, text)
            if root is None or root.id != "mapping":
                return None
            if _plain_shape(root):
                return root
            empty_value_marks = _read_tokens(loader_class, text)
    except YAMLError:
        return None
    if root is None or root.id != "mapping" or empty_value_marks is None:
        return None
    _move_empty_values(root, text, empty_value_marks)
    return root


def _single_node(loader_class: Any, text: str) -> Any:
    composer = loader_class(text)
    try:
        return composer.get_single_node()
    finally:
        composer.dispose()


def _read_tokens(loader_class: Any, text: str) -> dict[int, Any] | None:
    scanner = loader_class(text)
    try:
        return _ruamel_empty_value_marks(scanner, text)
    finally:
        scanner.dispose()


# An indicator whose token the token pass must see where a node may start: an anchor, alias,
# tag, flow mapping, block scalar header or directive; and a document end. A node may start
# at a line's start, after "- ", "? ", ": ", "[" or "," (which prose also has: that only
# costs the pass). A pair inside a flow sequence shows in the nodes (a mapping in flow style).
_INDICATOR = re.compile(r"[&*!{|>%@`]")
_LINE_START = re.compile(r"[ \t]*(?:[-?:][ \t]+)*")


def _may_need_tokens(text: str) -> bool:
    """Whether the text may hold what only the token pass tells apart: anything but block
    scalars with a header both read alike."""
    if text.startswith("...") or "\n..." in text:
        return True
    for found in _INDICATOR.finditer(text):
        at = found.start()
        if not _at_node_start(text, at):
            continue
        if found.group() not in ("|", ">") or not _PLAIN_BLOCK_HEADER.match(text, at):
            return True
    return False


def _at_node_start(text: str, at: int) -> bool:
    """Whether a node may start at `at`: after ": ", "[" or "," and spaces, or after only
    spaces, "- ", "? " and ": " since the line began."""
    start = text.rfind("\n", 0, at) + 1
    end = at
    while end > start and text[end - 1] in " \t":
        end -= 1
    if end > start and (text[end - 1] in "[," or (text[end - 1] == ":" and end < at)):
        return True
    return _LINE_START.fullmatch(text, start, at) is not None


def _plain_shape(root: Any) -> bool:
    """No empty mapping value (whose mark ruamel places elsewhere), no mapping in flow style
    (which the two read differently) and nesting that ruamel reads too: then the tokens have
    nothing to add."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if 2 * depth + 1 > _MAX_NESTING:
            return False
        if node.id == "sequence":
            stack.extend((item, depth + 1) for item in node.value)
        elif node.id == "mapping":
            if node.flow_style:
                return False
            for key, value in node.value:
                if _is_empty_plain(value):
                    return False
                stack += [(key, depth + 1), (value, depth + 1)]
    return True


class _Token(Enum):
    """What a libyaml token means for composing like ruamel."""

    RUAMEL_ONLY = "ruamel only"
    BLOCK_OPEN = "block open"
    FLOW_OPEN = "flow open"
    FLOW_CLOSE = "flow close"
    BLOCK_END = "block end"
    KEY = "key"
    VALUE = "value"
    SCALAR = "scalar"


@cache
def _libyaml_loader() -> Any:
    """PyYAML's C parser with ruamel's YAML 1.2 resolver rules, or None without libyaml."""
    try:
        from yaml import tokens
        from yaml._yaml import CParser
        from yaml.resolver import BaseResolver
    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        return None
    from ruamel.yaml.resolver import implicit_resolvers

    class Yaml12Resolver(BaseResolver):
        yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML's class-level table

    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            Yaml12Resolver.add_implicit_resolver(tag, regexp, first)

    class LibyamlLoader(CParser, Yaml12Resolver):
        # Anchors, aliases and tags (names scanned differently), directives (ruamel honours
        # `%YAML 1.1`), `...` (ruamel sees an empty document after a second one) and flow
        # mappings (empty values placed differently, and more of them accepted by libyaml).
        TOKENS: ClassVar[dict[type, _Token]] = {
            tokens.AnchorToken: _Token.RUAMEL_ONLY,
            tokens.AliasToken: _Token.RUAMEL_ONLY,
            tokens.TagToken: _Token.RUAMEL_ONLY,
            tokens.DirectiveToken: _Token.RUAMEL_ONLY,
            tokens.DocumentEndToken: _Token.RUAMEL_ONLY,
            tokens.FlowMappingStartToken: _Token.RUAMEL_ONLY,
            tokens.BlockMappingStartToken: _Token.BLOCK_OPEN,
            tokens.BlockSequenceStartToken: _Token.BLOCK_OPEN,
            tokens.FlowSequenceStartToken: _Token.FLOW_OPEN,
            tokens.FlowSequenceEndToken: _Token.FLOW_CLOSE,
            tokens.BlockEndToken: _Token.BLOCK_END,
            tokens.KeyToken: _Token.KEY,
            tokens.ValueToken: _Token.VALUE,
            tokens.ScalarToken: _Token.SCALAR,
        }

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            Yaml12Resolver.__init__(self)

    return LibyamlLoader


def _ruamel_empty_value_marks(loader: Any, text: str) -> dict[int, Any] | None:
    """Read libyaml's tokens once: None if the text needs ruamel, else where ruamel marks each
    empty block-mapping value, keyed by the index libyaml marks it at.

    After a `:` libyaml marks an empty value right there, ruamel at the end of the token that
    follows (a zero-width key or block end, or the `?` or `:` of the next entry).
    """
    kinds = loader.TOKENS
    marks = {}
    depth = deepest = flow_level = 0
    after_value = None
    while (token := loader.get_token()) is not None:
        kind = kinds.get(type(token))
        if kind is _Token.RUAMEL_ONLY:
            return None
        if kind is _Token.SCALAR:
            if token.style in ("|", ">") and not _PLAIN_BLOCK_HEADER.match(
                text, token.start_mark.index
            ):
                return None
        elif kind is _Token.BLOCK_OPEN or kind is _Token.FLOW_OPEN:
            depth += 1
            deepest = max(deepest, depth)
            flow_level += kind is _Token.FLOW_OPEN
        elif kind is _Token.BLOCK_END or kind is _Token.FLOW_CLOSE:
            depth -= 1
            flow_level -= kind is _Token.FLOW_CLOSE
        elif (kind is _Token.KEY or kind is _Token.VALUE) and flow_level:
            return None  # a single-pair mapping inside a flow sequence
        if after_value is not None and kind in _FOLLOWS_EMPTY_VALUE:
            marks[after_value] = token.end_mark
        after_value = token.end_mark.index if kind is _Token.VALUE else None
    # Each level without a token of its own is a sequence right under a mapping key.
    return marks if 2 * deepest + 1 <= _MAX_NESTING else None


_FOLLOWS_EMPTY_VALUE = (_Token.KEY, _Token.VALUE, _Token.BLOCK_END)


def _move_empty_values(root: Any, text: str, ruamel_marks: dict[int, Any]) -> None:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.id == "sequence":
            stack.extend(node.value)
        elif node.id == "mapping":
            for key, value in node.value:
                stack.extend((key, value))
                if _is_empty_plain(value):
                    mark = ruamel_marks.get(value.start_mark.index, value.start_mark)
                    value.start_mark = _without_forced_line_break(mark, text)


def _is_empty_plain(node: Any) -> bool:
    return (
        node.id == "scalar"
        and node.value == ""
        and node.start_mark.index == node.end_mark.index
        and str(node.tag) == _NULL_TAG
    )


def _without_forced_line_break(mark: Any, text: str) -> Any:
    """libyaml ends a text that lacks a final line break with one of its own; ruamel does not."""
    if mark.index == len(text) and mark.column == 0 and text and not text.endswith("\n"):
        column = len(text) - text.rfind("\n") - 1
        return type(mark)(mark.name, mark.index, mark.line - 1, column, None, None)
    return mark
