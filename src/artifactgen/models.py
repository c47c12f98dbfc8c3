"""The case-file contract (version 1) as Pydantic models, with the dates a plan needs."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, ConfigDict, Field, PrivateAttr, StrictBool, model_validator
from pydantic_core import PydanticCustomError

from artifactgen.basics import SLUG_PATTERN as SLUG_PATTERN
from artifactgen.basics import Contract, Slug, Text
from artifactgen.basics import slugify as slugify
from artifactgen.sections import Acknowledgement, Interview, Landscape, Person, Transition

PLAN_DAYS = 14
ROADMAP_DAYS = 30
# The latest session date whose roadmap still fits in the calendar, weekends skipped or not.
LATEST_SESSION = dt.date.max - dt.timedelta(days=2 * ROADMAP_DAYS)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise PydanticCustomError("email", "'{value}' is not an email address", {"value": value})
    return value


Level = Literal["low", "medium", "high"]
ForkPath = Literal["stay", "go", "pivot"]
PlanDay = Annotated[int, Field(strict=True, ge=1, le=PLAN_DAYS)]
RoadmapDay = Annotated[int, Field(strict=True, ge=1, le=ROADMAP_DAYS)]


class Dated(Contract):
    """An entry placed on a calendar day, counted from the session date."""

    _date: dt.date | None = PrivateAttr(default=None)

    @property
    def calendar_date(self) -> dt.date:
        if self._date is None:
            raise RuntimeError("calendar dates are set when the whole case is validated")
        return self._date


class Client(Contract):
    name: Text = Field(description="The client's name as it appears on every deliverable.")
    role: Text = Field(description="The client's current role.")
    organization: Text | None = Field(None, description="Where the client works (optional).")


class Coach(Contract):
    name: Text = Field(description="The coach's name; the author of every document.")
    email: Annotated[str, AfterValidator(_email)] | None = None


def _before_the_calendar_ends(value: dt.date) -> dt.date:
    if value > LATEST_SESSION:
        raise PydanticCustomError(
            "session_date_too_late",
            "{value} is too late: the plan and roadmap would run past the last date a calendar "
            "holds; check the year",
            {"value": value.isoformat()},
        )
    return value


class Session(Contract):
    date: Annotated[dt.date, AfterValidator(_before_the_calendar_ends)] = Field(
        description="The session date (YYYY-MM-DD); day 1 is the day after."
    )
    business_days_only: StrictBool = Field(  # YAML 1.2: `yes`, `on` and `1` are not true
        False, description="When true, plan and roadmap days skip Saturdays and Sundays."
    )


class Snapshot(Contract):
    question: Text
    summary: Text
    what_is_true: list[Text] = Field(min_length=1)
    what_is_not_true: list[Text] = []
    open_questions: list[Text] = []
    what_matters: list[Text] = Field(min_length=1)
    why_move: list[Text] = []
    would_stay_if: list[Text] = []


class Option(Contract):
    path: ForkPath
    summary: Text
    pros: list[Text] = []
    cons: list[Text] = []


class Fork(Contract):
    recommendation: ForkPath
    headline: Text
    reasoning: list[Text] = Field(min_length=1)
    confidence: Level | None = None
    options: list[Option] = []


class Risk(Contract):
    id: Slug
    risk: Text
    likelihood: Level
    impact: Level
    mitigation: Text
    owner: Text | None = Field(None, description="Who acts on it; defaults to the client.")
    warning_signs: list[Text] = []


class Pushback(Contract):
    they_say: Text
    you_say: Text


class Conversation(Contract):
    id: Slug
    with_: Text = Field(alias="with", description="Who the conversation is with.")
    goal: Text
    opening: Text
    points: list[Text] = []
    pushback: list[Pushback] = []
    ask: Text
    close: Text | None = None
    person: Slug | None = Field(None, description="The id of a person in the landscape.")


class Step(Dated):
    day: PlanDay
    action: Text
    detail: Text | None = None
    conversation: Slug | None = Field(None, description="The id of a conversation this uses.")
    mitigates: list[Slug] = Field([], description="Ids of the risks this step reduces.")


class Milestone(Dated):
    by_day: RoadmapDay
    milestone: Text
    measure: Text | None = None


class CheckIn(Dated):
    day: RoadmapDay
    with_: Text = Field(alias="with")
    agenda: list[Text] = []


class Roadmap(Contract):
    milestones: list[Milestone] = Field(min_length=1)
    check_ins: list[CheckIn] = Field(min_length=1)


class Case(Contract):
    """One client engagement: everything the deliverables say."""

    model_config = ConfigDict(title="artifactgen case file, version 1")

    schema_version: Literal[1]
    id: Slug | None = Field(None, description="Defaults to the file name.")
    client: Client
    coach: Coach
    session: Session
    snapshot: Snapshot
    fork: Fork
    risks: list[Risk] = Field(min_length=1)
    conversations: list[Conversation] = Field(min_length=1)
    action_plan: list[Step] = Field(min_length=1)
    roadmap: Roadmap
    landscape: Landscape | None = Field(None, description="Who decides (optional).")
    transition: Transition | None = Field(None, description="The handover (optional).")
    interview: Interview | None = Field(
        None, description="An internal interview (optional): adds the Interview Brief."
    )
    acknowledged: list[Acknowledgement] = Field(
        [], description="Warnings of `artifactgen check` chosen on purpose, each with why."
    )

    @model_validator(mode="after")
    def _consistent_and_dated(self) -> Case:
        problems = consistency_problems(self.model_dump(by_alias=True))
        if problems:
            raise PydanticCustomError("consistency", "{message}", {"message": problems[0][1]})
        for entry in [*self.action_plan, *self.roadmap.milestones, *self.roadmap.check_ins]:
            day = entry.by_day if isinstance(entry, Milestone) else entry.day
            entry._date = self.day_date(day)
        return self

    def day_date(self, day: int) -> dt.date:
        """The calendar date of plan or roadmap day `day` (day 1 is the day after the session)."""
        date = self.session.date
        if not self.session.business_days_only:
            return date + dt.timedelta(days=day)
        remaining = day
        while remaining:
            date += dt.timedelta(days=1)
            if date.weekday() < 5:
                remaining -= 1
        return date

    def risk(self, risk_id: str) -> Risk:
        return next(risk for risk in self.risks if risk.id == risk_id)

    def conversation(self, conversation_id: str) -> Conversation:
        return next(c for c in self.conversations if c.id == conversation_id)

    def person(self, person_id: str) -> Person:
        assert self.landscape is not None, "a person is looked up only in a case's landscape"
        return next(p for p in self.landscape.people if p.id == person_id)

    def steps_with(self, conversation_id: str) -> list[Step]:
        """The plan steps that use a conversation, by day (ties in the file's order)."""
        steps = [step for step in self.action_plan if step.conversation == conversation_id]
        return sorted(steps, key=lambda step: step.day)


def consistency_problems(data: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Duplicate ids and references that do not resolve, found in raw or validated case data."""
    if not isinstance(data, dict):
        return []
    problems: list[tuple[tuple[str | int, ...], str]] = []
    risk_ids = _unique_ids(data, "risks", "id", "risk id", problems)
    conversation_ids = _unique_ids(data, "conversations", "id", "conversation id", problems)
    _unique_ids(data, "acknowledged", "code", "acknowledged code", problems)
    landscape = data.get("landscape") if isinstance(data.get("landscape"), dict) else {}
    person_ids = _unique_ids(
        landscape, "people", "id", "person id", problems, prefix=("landscape",)
    )
    if "landscape" in data:
        problems += _unresolved_references(
            data, "conversations", "person", "person in the landscape", person_ids
        )
    else:
        problems += [
            (
                ("conversations", index, "person"),
                f"the case has no landscape, so no person '{conversation['person']}' to link "
                "to; add them under landscape.people, or delete this line",
            )
            for index, conversation in _items(data, "conversations")
            if isinstance(conversation.get("person"), str)
        ]
    fork = data.get("fork") if isinstance(data.get("fork"), dict) else {}
    paths = _unique_ids(fork, "options", "path", "path", problems, prefix=("fork",))
    recommended = fork.get("recommendation")
    if paths and recommended in get_args(ForkPath) and recommended not in paths:
        problems.append(
            (
                ("fork", "recommendation"),
                f"the recommended path '{recommended}' is not among the options "
                f"({', '.join(sorted(paths))}); add it to fork.options",
            )
        )
    problems += _unresolved_references(
        data, "action_plan", "conversation", "conversation", conversation_ids
    )
    for index, step in _items(data, "action_plan"):
        mitigates = step.get("mitigates")
        for position, risk_id in enumerate(mitigates if isinstance(mitigates, list) else []):
            if isinstance(risk_id, str) and risk_id not in risk_ids:
                problems.append(
                    (
                        ("action_plan", index, "mitigates", position),
                        _unresolved("risk", risk_id, risk_ids),
                    )
                )
    return problems


def _items(data: dict, key: str) -> Iterator[tuple[int, dict]]:
    items = data.get(key)
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            yield index, item


def _unique_ids(
    data: dict,
    key: str,
    field: str,
    noun: str,
    problems: list,
    prefix: tuple[str, ...] = (),
) -> set[str]:
    seen: dict[str, int] = {}
    for index, item in _items(data, key):
        value = item.get(field)
        if not isinstance(value, str):
            continue
        if value in seen:
            problems.append(
                (
                    (*prefix, key, index, field),
                    f"duplicate {noun} '{value}' (already used by item {seen[value] + 1})",
                )
            )
        else:
            seen[value] = index
    return set(seen)


def _unresolved_references(
    data: dict, key: str, field: str, noun: str, known: set[str]
) -> list[tuple[tuple[str | int, ...], str]]:
    """A problem for each item of `data[key]` whose `field` names an id not in `known`."""
    return [
        ((key, index, field), _unresolved(noun, item[field], known))
        for index, item in _items(data, key)
        if isinstance(item.get(field), str) and item[field] not in known
    ]


def _unresolved(noun: str, reference: str, known: set[str]) -> str:
    message = f"there is no {noun} with id '{reference}'"
    suggestion = did_you_mean(reference, known)
    if suggestion or not known:
        return message + suggestion
    return f"{message}; known: {', '.join(sorted(known))}"


def did_you_mean(word: str, candidates: Any) -> str:
    """' Did you mean 'x'?' when one candidate is close to `word`, else ''."""
    close = difflib.get_close_matches(str(word), sorted(candidates), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
