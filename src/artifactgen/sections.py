"""The optional framework sections of a case: who decides, the handover, the internal interview."""

from __future__ import annotations

import datetime as dt
import enum

from pydantic import Field

from artifactgen.basics import Contract, Slug, Text


class Stance(str, enum.Enum):
    """Where a person who decides stands on the client's move."""

    SUPPORTS = "supports"
    NEUTRAL = "neutral"
    BLOCKS = "blocks"
    UNKNOWN = "unknown"


class Relation(str, enum.Enum):
    """What a person who decides is to the client's move; the checks read the order from it."""

    CURRENT_MANAGER = "current-manager"
    TARGET_TEAM = "target-team"
    HR = "hr"
    OTHER = "other"


class CheckCode(str, enum.Enum):
    """The checks `artifactgen check` makes; a case may acknowledge one by its code."""

    NO_MANAGER_CONVERSATION = "no-manager-conversation"
    MANAGER_NOT_FIRST = "manager-not-first"
    STANCE_UNKNOWN = "stance-unknown"
    RISK_UNMITIGATED = "risk-unmitigated"
    PLAN_GAP = "plan-gap"
    NO_EARLY_CHECK_IN = "no-early-check-in"
    CONVERSATION_UNUSED = "conversation-unused"
    MILESTONE_WITHOUT_MEASURE = "milestone-without-measure"
    STAY_CONDITIONS_MISSING = "stay-conditions-missing"
    NO_HANDOVER_PLAN = "no-handover-plan"


class Person(Contract):
    id: Slug = Field(description="A short name, unique among the people; conversations use it.")
    who: Text = Field(description="A name or a role.")
    relation: Relation = Field(
        Relation.OTHER,
        description="current-manager, target-team, hr or other (the default).",
    )
    controls: Text = Field(description="What this person decides or controls.")
    stance: Stance = Field(description="supports, neutral, blocks or unknown.")
    next_step: Text | None = Field(None, description="The next step with this person.")


class Landscape(Contract):
    """The people who decide, and how things really move (the Fork Recommendation)."""

    people: list[Person] = Field(min_length=1)
    informal_process: list[Text] = Field(
        [], description="Notes on how moves really happen, beyond the formal process."
    )


class Transition(Contract):
    """Handing over the current role (a section of the 30-Day Roadmap)."""

    successor: Text | None = Field(None, description="Who takes over, when known.")
    timeline: Text = Field(description="The handover timeline to negotiate.")
    to_document: list[Text] = Field(min_length=1, description="What to write down for them.")
    leave_better: list[Text] = Field(
        [], description="What leaving the team better than you found it means here."
    )


class Evidence(Contract):
    achievement: Text
    shows: Text = Field(description="What it shows about readiness for the next level.")


class Panelist(Contract):
    who: Text
    relationship: Text = Field(description="What this person is to the client today.")
    approach: Text | None = Field(None, description="How to speak to them in the interview.")


class Question(Contract):
    question: Text
    answer: Text


class Interview(Contract):
    """An internal promotion interview: the seventh deliverable, the Interview Brief."""

    role: Text = Field(description="The role the interview is for.")
    date: dt.date | None = Field(None, description="The interview date (YYYY-MM-DD), when known.")
    why_now: list[Text] = Field(
        min_length=1,
        description="Why now and why this role, as insight into the wider organisation.",
    )
    evidence: list[Evidence] = Field(min_length=1)
    handover: list[Text] = Field([], description="The handover plan for the current role.")
    panel: list[Panelist] = []
    questions: list[Question] = Field(min_length=1)


class Acknowledgement(Contract):
    code: CheckCode
    reason: Text = Field(description="Why the coach chose this; shown by `artifactgen check`.")
