"""Loads a case file into a Case, turning every validation error into a located, plain message."""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import hashlib
import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from artifactgen.checks import Review, review_case
from artifactgen.errors import CaseError, Problem
from artifactgen.inputs import find_cases
from artifactgen.models import (
    PLAN_DAYS,
    ROADMAP_DAYS,
    SLUG_PATTERN,
    Case,
    consistency_problems,
    did_you_mean,
    slugify,
)
from artifactgen.placeholders import placeholder_problems
from artifactgen.source import FieldPath, Source, read_source
from artifactgen.yaml_hints import explain_text


def load_case(path: Path) -> Case:
    """Read, parse and validate one case file; raise CaseError listing every problem in it."""
    return validate_source(read_source(path), default_id=path.stem)


def validate_source(source: Source, default_id: str) -> Case:
    """Validate parsed YAML against the contract; `default_id` is used when `id` is absent."""
    data = dict(source.data)
    problems: list[Problem] = []
    if "id" not in data:
        if re.match(SLUG_PATTERN, default_id):
            data["id"] = default_id
        else:
            problems.append(
                Problem(
                    source.path,
                    1,
                    1,
                    f"the file name '{default_id}' cannot be the case id; add a line "
                    f"`id: {slugify(default_id)}` or rename the file",
                )
            )
    found = [*consistency_problems(data), *placeholder_problems(data)]
    try:
        case = Case.model_validate(data)
    except ValidationError as error:
        case = None
        # A reference written as a name (`conversation: His manager`) is told the ids it may
        # use below, not also how to make the name an id: no such id exists.
        told = {tuple(where) for where, _ in found}
        for detail in error.errors(include_url=False):
            redundant = detail["type"] == "string_pattern_mismatch" and detail["loc"] in told
            if detail["type"] != "consistency" and not redundant:
                problems.append(_problem(source, detail))
    for where, message in found:
        line, column = source.locate(where)
        problems.append(Problem(source.path, line, column, f"{describe(where)}: {message}"))
    if problems or case is None:
        raise CaseError(sorted(set(problems)))
    return case


@dataclass
class CaseCheck:
    """The outcome of validating one case file."""

    path: Path
    case: Case | None = None
    problems: list[Problem] = field(default_factory=list)
    id_at: tuple[int, int] = (1, 1)  # where the file says `id:`, else its start
    digest: str | None = None  # SHA-256 of the bytes validated
    review: Review | None = None  # the checks' warnings, for a valid case
    misread: bool = False  # the id differs from the one a quick read of the same bytes found

    @property
    def claim(self) -> Claim:
        case_id = self.case.id if self.case is not None else None
        return Claim(self.path, case_id, self.id_at, self.digest)


@dataclass(frozen=True)
class Claim:
    """The output folder a valid case file would build into, without the case itself."""

    path: Path
    case_id: str | None  # None: the file is not a valid case
    id_at: tuple[int, int]
    digest: str | None = None  # SHA-256 of the bytes the claim was read from


# An `id:` line as the starter suggests writing it, and any top-level line that may set the id.
_ID_LINE = re.compile(r"^id:[ ]+([a-z0-9][a-z0-9-]*)[ ]*(?:[ ]#[^\r\n]*)?\r?$", re.MULTILINE)
_ANY_ID_LINE = re.compile(r"^[\"']?id\b", re.MULTILINE)


def scan_claim(path: Path) -> Claim | None:
    """The id a case file claims, read from its top-level `id:` line (else its name) without
    parsing the YAML; None where a quick read cannot tell, and the file must be checked.

    The claim is not trusted blindly: validating the same bytes later must give the same id
    (see `CaseCheck.misread`).
    """
    try:
        raw = path.read_bytes()
        text = raw.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    found = list(_ID_LINE.finditer(text))
    if len(found) != len(_ANY_ID_LINE.findall(text)) or len(found) > 1:
        return None
    if found:
        match = found[0]
        at = (text.count("\n", 0, match.start()) + 1, match.start(1) - match.start() + 1)
        case_id = match[1]
    elif re.match(SLUG_PATTERN, path.stem):
        at, case_id = (1, 1), path.stem
    else:
        return None
    return Claim(path, case_id, at, hashlib.sha256(raw).hexdigest())


def check_case(path: Path) -> CaseCheck:
    """Read and validate one case file, collecting its problems instead of raising."""
    try:
        source = read_source(path)
        case = validate_source(source, default_id=path.stem)
    except CaseError as error:
        return CaseCheck(path, problems=error.problems)
    id_at = source.locate(("id",)) if "id" in source.data else (1, 1)
    review = review_case(case, source)
    return CaseCheck(path, case=case, id_at=id_at, digest=source.digest, review=review)


def check_cases(
    paths: list[Path],
    owner_of: Callable[[str], Path | None] = lambda case_id: None,
    settled: Mapping[str, Path] | None = None,
) -> list[CaseCheck]:
    """Validate every case file named by `paths`; a file refused its id (see `refusals`) is
    reported with that problem and no case."""
    results = [check_case(path) for path in find_cases(paths)]
    refused = refusals([result.claim for result in results], owner_of, settled)
    for index, problem in refused.items():
        results[index].problems.append(problem)
        results[index].case = None
    return results


def refusals(
    claims: list[Claim],
    owner_of: Callable[[str], Path | None] = lambda case_id: None,
    settled: Mapping[str, Path] | None = None,
) -> dict[int, Problem]:
    """The claims (by position) that may not build under the id they claim, each with why.

    Two files whose cases resolve to the same id would write into one output folder. The
    file that folder was built from (`owner_of`), else the file whose name is the id, else
    the first, keeps it; every other one is refused at its `id:` line, so a copied case
    never blocks the original. `settled` names case files already built under an id and
    unchanged since (not read again): each keeps its id.
    """
    by_id: dict[str, list[int]] = {}
    for index, claim in enumerate(claims):
        if claim.case_id is not None:
            by_id.setdefault(claim.case_id, []).append(index)
    refused: dict[int, Problem] = {}
    for case_id, claimants in by_id.items():
        if settled and case_id in settled:
            owner, keeper = settled[case_id], None
        else:
            recorded = owner_of(case_id) if len(claimants) > 1 else None
            keeper = next(
                (
                    i
                    for i in claimants
                    if recorded and claims[i].path.resolve() == recorded.resolve()
                ),
                next((i for i in claimants if claims[i].path.stem == case_id), claimants[0]),
            )
            owner = claims[keeper].path
        message = f"case id '{case_id}' is already used by {owner}; give this case its own `id:`"
        for index in claimants:
            if index != keeper:
                line, column = claims[index].id_at
                refused[index] = Problem(str(claims[index].path), line, column, message)
    return refused


def describe(where: FieldPath) -> str:
    """A field path in words: ('risks', 1, 'impact') -> 'risks, item 2, impact'."""
    words = [f"item {part + 1}" if isinstance(part, int) else part for part in where]
    return ", ".join(words) if words else "the case"


def _problem(source: Source, detail: ErrorDetails) -> Problem:
    where = tuple(detail["loc"])
    kind = detail["type"]
    if kind == "missing":
        parent, name = where[:-1], where[-1]
        line, column = source.locate(parent, key=True) if parent else (1, 1)
        noun = "section" if not parent else "field"
        prefix = f"{describe(parent)}: " if parent else ""
        return Problem(source.path, line, column, f"{prefix}missing required {noun} '{name}'")
    if kind == "extra_forbidden":
        parent, name = where[:-1], where[-1]
        line, column = source.locate(where, key=True)
        known = _field_names(parent)
        hint = did_you_mean(name, known) or f"; known fields: {', '.join(known)}"
        prefix = f"{describe(parent)}: " if parent else ""
        return Problem(source.path, line, column, f"{prefix}unknown field '{name}'{hint}")
    line, column = source.locate(where, key=detail["input"] is None)
    message = _message(detail, where)
    if kind == "string_type" and isinstance(detail["input"], (list, dict)):
        known = 0 < line <= len(source.lines)
        hint = explain_text(source.lines[line - 1], column - 1) if known else None
        message = hint.message if hint else message
    return Problem(source.path, line, column, f"{describe(where)}: {message}")


def _message(detail: ErrorDetails, where: FieldPath) -> str:
    kind, value, context = detail["type"], detail["input"], detail.get("ctx", {})
    if kind in ("literal_error", "enum"):
        allowed = re.findall(r"'([^']*)'", context.get("expected", "")) or [
            context.get("expected", "")
        ]
        return (
            f"{_show(value)} is not allowed; use {_one_of(allowed)}"
            f"{did_you_mean(str(value), allowed)}"
        )
    if kind == "string_pattern_mismatch":
        return (
            f"{_show(value)} is not a valid id; use lowercase letters, digits and hyphens "
            f"(at most 64), like '{slugify(str(value))}'"
        )
    if kind in ("greater_than_equal", "less_than_equal"):
        in_plan = where[0] == "action_plan"
        span, last = ("14-day plan", PLAN_DAYS) if in_plan else ("30-day roadmap", ROADMAP_DAYS)
        return f"day {value} is outside the {span}; use a day from 1 to {last}"
    if kind.startswith("date") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
        return f"{_show(value)} is not a day of the calendar; check the month and the day"
    if kind.startswith("date"):
        return f"{_show(value)} is not a valid date; write it as YYYY-MM-DD{_date_example(value)}"
    if kind in ("string_too_short", "too_short"):
        return "must not be empty" if kind == "string_too_short" else "needs at least one item"
    if value is None and kind in ("string_type", "list_type", "model_type", "dict_type"):
        return "has no value; fill it in or remove the line"
    expected = {
        "string_type": "text",
        "list_type": "a list (lines starting with '- ')",
        "model_type": "a group of fields (indented `name: value` lines)",
        "dict_type": "a group of fields (indented `name: value` lines)",
        "int_type": "a whole number",
        "int_parsing": "a whole number",
        "bool_type": "true or false",
        "bool_parsing": "true or false",
    }.get(kind)
    if expected:
        quote = "; put it in quotes" if kind == "string_type" and _is_scalar(value) else ""
        return f"expected {expected}, not {_kind_of(value)}{quote}"
    return detail["msg"]


def _date_example(value: Any) -> str:
    """The date the coach most likely meant, when the way it is written leaves no doubt."""
    match = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", str(value).strip())
    if match:
        first, second, year = (int(part) for part in match.groups())
        day, month = (first, second) if first > 12 else (second, first) if second > 12 else (0, 0)
        with contextlib.suppress(ValueError):
            return f": {dt.date(year, month, day).isoformat()}"
    return ", like 2026-11-21"


def _field_names(parent: FieldPath) -> list[str]:
    model: Any = Case
    for part in parent:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) or next(
            (f for f in model.model_fields.values() if f.alias == part), None
        )
        model = _model_in(info.annotation) if info else None
        if model is None:
            return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
        for argument in typing.get_args(annotation):
            found = _model_in(argument)
            if found:
                return found
    return None


def _one_of(values: list[str]) -> str:
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else str(value)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (int, float, bool))


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, str):
        return f"the text '{value}'"
    return "an empty value"
