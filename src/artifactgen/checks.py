"""Checks a senior coach makes on a valid case, as located warnings: never errors, never raised."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from artifactgen.models import Case, Conversation, Step
from artifactgen.sections import CheckCode, Relation, Stance
from artifactgen.source import FieldPath, Source

GAP_DAYS = 4  # more days than this from one plan step to the next, and momentum stalls
EARLY_DAYS = 14  # a check-in falls within the roadmap's first two weeks
# Why each check matters, in the words of the framework the coach follows.
REASONS = {
    CheckCode.NO_MANAGER_CONVERSATION: "don't blindside your manager: in an internal move "
    "they hear it first, privately, from the client",
    CheckCode.MANAGER_NOT_FIRST: "don't blindside your manager: the manager first and "
    "privately, then the target team, then HR",
    CheckCode.STANCE_UNKNOWN: "map the landscape: know whether each person who decides "
    "will support or block the move",
    CheckCode.RISK_UNMITIGATED: "a serious risk needs a step that heads it off before it happens",
    CheckCode.PLAN_GAP: "a step every few days keeps momentum from stalling",
    CheckCode.NO_EARLY_CHECK_IN: "a check-in within the first two weeks catches a plan that "
    "has stalled",
    CheckCode.CONVERSATION_UNUSED: "a script with no day in the plan tends not to be used",
    CheckCode.MILESTONE_WITHOUT_MEASURE: "without a measure, nobody can tell the milestone is done",
    CheckCode.STAY_CONDITIONS_MISSING: "the honest self-assessment comes first: what would "
    "make the client stay",
    CheckCode.NO_HANDOVER_PLAN: "a candidate with no handover plan for the current role looks "
    "like an ego-driven move to the panel",
}
# A conversation linked to nobody is read from its id and `with`, HR and hiring first: an HR
# manager is HR, and a hiring manager is the target team, not the client's own manager.
_WORDS = (
    (re.compile(r"\bhr\b", re.IGNORECASE), Relation.HR),
    (re.compile(r"\bhiring[ -]manager\b", re.IGNORECASE), Relation.TARGET_TEAM),
    (re.compile(r"\bmanager\b", re.IGNORECASE), Relation.CURRENT_MANAGER),
)
# Findings about a whole section or list point at its name, not at its first value.
_AT_KEY = {"snapshot", "would_stay_if", "check_ins", "interview", "handover"}


@dataclass(frozen=True, order=True)
class CaseWarning:
    """One thing a senior coach would question, at a 1-based line and column."""

    path: str
    line: int
    column: int
    code: CheckCode
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: warning [{self.code.value}]: {self.message}"


@dataclass(frozen=True)
class Acknowledged:
    """A check the case acknowledges (`acknowledged:`), with the coach's reason."""

    path: str
    line: int
    column: int
    code: CheckCode
    reason: str
    silenced: int  # warnings of this code the case would otherwise get

    def __str__(self) -> str:
        count = f"{self.silenced} warning{'s' if self.silenced != 1 else ''}"
        held = count if self.silenced else "no warning at present"
        return (
            f"{self.path}:{self.line}:{self.column}: acknowledged [{self.code.value}] "
            f"({held}): {self.reason}"
        )


@dataclass
class Review:
    """What the checks found in one case: warnings to show, and those acknowledged."""

    warnings: list[CaseWarning] = field(default_factory=list)
    acknowledged: list[Acknowledged] = field(default_factory=list)


def review_case(case: Case, source: Source) -> Review:
    """Every check on `case`; warnings of an acknowledged code are counted, not shown."""
    found: list[CaseWarning] = []
    for where, code, what in _findings(case):
        line, column = source.locate(where, key=where[-1] in _AT_KEY)
        found.append(CaseWarning(source.path, line, column, code, f"{what}; {REASONS[code]}"))
    review = Review()
    quiet = {entry.code for entry in case.acknowledged}
    review.warnings = sorted(warning for warning in found if warning.code not in quiet)
    for index, entry in enumerate(case.acknowledged):
        line, column = source.locate(("acknowledged", index, "code"))
        silenced = sum(1 for warning in found if warning.code is entry.code)
        review.acknowledged.append(
            Acknowledged(source.path, line, column, entry.code, entry.reason, silenced)
        )
    return review


def _findings(case: Case) -> Iterator[tuple[FieldPath, CheckCode, str]]:
    """(where, code, what) for each finding; a path the file leaves out is located at the
    nearest part it has (an absent `would_stay_if` at `snapshot:`)."""
    yield from _bridge(case)
    yield from _landscape(case)
    yield from _plan(case)
    yield from _roadmap(case)
    recommended = case.fork.recommendation
    if recommended in ("go", "pivot") and not case.snapshot.would_stay_if:
        yield (
            ("snapshot", "would_stay_if"),
            CheckCode.STAY_CONDITIONS_MISSING,
            f"the recommendation is '{recommended}' but snapshot.would_stay_if is empty",
        )
    interview = case.interview
    if interview is not None and not interview.handover and case.transition is None:
        yield (
            ("interview", "handover"),
            CheckCode.NO_HANDOVER_PLAN,
            "the interview has no handover plan (interview.handover) and the case no transition",
        )


def relation_of(case: Case, conversation: Conversation) -> Relation:
    """Who a conversation is with, for the order of the bridge: from its person in the
    landscape; for a conversation linked to nobody, from its id and `with` ('HR', 'manager')."""
    if conversation.person is not None:
        return case.person(conversation.person).relation
    text = f"{conversation.id} {conversation.with_}"
    return next((relation for words, relation in _WORDS if words.search(text)), Relation.OTHER)


def _bridge(case: Case) -> Iterator[tuple[FieldPath, CheckCode, str]]:
    relations = {c.id: relation_of(case, c) for c in case.conversations}
    managers = [c for c, relation in relations.items() if relation is Relation.CURRENT_MANAGER]
    if not managers:
        if case.fork.recommendation == "pivot":
            yield (
                ("fork", "recommendation"),
                CheckCode.NO_MANAGER_CONVERSATION,
                (
                    "this pivot has no conversation with the current manager (link one to a "
                    "landscape person with relation: current-manager)"
                ),
            )
        return
    for index, step in _by_day(case):
        relation = relations.get(step.conversation or "")
        if relation is Relation.CURRENT_MANAGER:
            return
        if relation in (Relation.HR, Relation.TARGET_TEAM):
            whom = "HR" if relation is Relation.HR else "the target team"
            yield (
                ("action_plan", index, "conversation"),
                CheckCode.MANAGER_NOT_FIRST,
                (
                    f"day {step.day} talks to {whom} before any planned conversation with the "
                    "current manager"
                ),
            )


def _by_day(case: Case) -> list[tuple[int, Step]]:
    """The plan's steps with their index in the file, by day (ties in the file's order)."""
    return sorted(enumerate(case.action_plan), key=lambda item: (item[1].day, item[0]))


def _landscape(case: Case) -> Iterator[tuple[FieldPath, CheckCode, str]]:
    if case.landscape is None or case.fork.recommendation != "pivot":
        return
    planned = {
        c.person for c in case.conversations if c.person is not None and case.steps_with(c.id)
    }
    for index, person in enumerate(case.landscape.people):
        if person.stance is Stance.UNKNOWN and person.id not in planned:
            yield (
                ("landscape", "people", index, "stance"),
                CheckCode.STANCE_UNKNOWN,
                (
                    f"the stance of {person.who} is unknown and no plan step has a conversation "
                    "with them to learn it"
                ),
            )


def _plan(case: Case) -> Iterator[tuple[FieldPath, CheckCode, str]]:
    mitigated = {risk_id for step in case.action_plan for risk_id in step.mitigates}
    for index, risk in enumerate(case.risks):
        serious = [
            f"{level} {name}"
            for name, level in (("likelihood", risk.likelihood), ("impact", risk.impact))
            if level == "high"
        ]
        if serious and risk.id not in mitigated:
            yield (
                ("risks", index, "id"),
                CheckCode.RISK_UNMITIGATED,
                f"risk '{risk.id}' has {' and '.join(serious)} but no plan step mitigates it",
            )
    used = {step.conversation for step in case.action_plan}
    for index, conversation in enumerate(case.conversations):
        if conversation.id not in used:
            yield (
                ("conversations", index, "id"),
                CheckCode.CONVERSATION_UNUSED,
                f"no plan step uses the conversation '{conversation.id}'",
            )
    for (_, before), (index, step) in itertools.pairwise(_by_day(case)):
        if step.day - before.day > GAP_DAYS:
            yield (
                ("action_plan", index, "day"),
                CheckCode.PLAN_GAP,
                (
                    f"nothing is planned between day {before.day} and day {step.day} "
                    f"({step.day - before.day} days)"
                ),
            )


def _roadmap(case: Case) -> Iterator[tuple[FieldPath, CheckCode, str]]:
    roadmap = case.roadmap
    if all(check_in.day > EARLY_DAYS for check_in in roadmap.check_ins):
        first = min(check_in.day for check_in in roadmap.check_ins)
        yield (
            ("roadmap", "check_ins"),
            CheckCode.NO_EARLY_CHECK_IN,
            f"the first check-in is on day {first}, after the first {EARLY_DAYS} days",
        )
    for index, milestone in enumerate(roadmap.milestones):
        if milestone.measure is None:
            yield (
                ("roadmap", "milestones", index, "milestone"),
                CheckCode.MILESTONE_WITHOUT_MEASURE,
                f"the milestone on day {milestone.by_day} has no measure",
            )
