"""Finds the starter's example text still in a case file, so an unfinished case is never sent."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from typing import Any

from artifactgen.source import FieldPath, parse_source

STARTER = "starter.yaml"
# Values a coach may well keep as the starter has them: choices, ids, dates and the like.
_MAY_STAY = {
    ("session", "date"),
    ("fork", "recommendation"),
    ("fork", "confidence"),
    ("fork", "options", "path"),
    ("risks", "id"),
    ("risks", "likelihood"),
    ("risks", "impact"),
    ("conversations", "id"),
    ("action_plan", "conversation"),
    ("action_plan", "mitigates"),
    ("roadmap", "check_ins", "with"),
    ("roadmap", "check_ins", "agenda"),
    ("conversations", "person"),
    ("landscape", "people", "id"),
    ("landscape", "people", "relation"),
    ("landscape", "people", "stance"),
    ("interview", "date"),
    ("acknowledged", "code"),
}


def placeholder_problems(data: Any) -> list[tuple[FieldPath, str]]:
    """(where, message) for each text in `data` that is still the starter's example text."""
    examples = _starter_examples()
    return [
        (
            where,
            f"'{text}' is still the new case's example text; "
            "replace it, or delete the line if optional",
        )
        for where, text in _texts(data, ())
        if text.strip() in examples.get(_field(where), ())
    ]


@cache
def _starter_examples() -> dict[tuple[str, ...], frozenset[str]]:
    """The starter's example texts by field (list positions left out)."""
    raw = files("artifactgen").joinpath(STARTER).read_bytes().replace(b"__ID__", b"example")
    found: dict[tuple[str, ...], set[str]] = {}
    for where, text in _texts(parse_source(raw, STARTER).data, ()):
        if _field(where) not in _MAY_STAY:
            found.setdefault(_field(where), set()).add(text.strip())
    return {field: frozenset(texts) for field, texts in found.items()}


def _texts(value: Any, where: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*where, index))


def _field(where: FieldPath) -> tuple[str, ...]:
    return tuple(part for part in where if isinstance(part, str))
