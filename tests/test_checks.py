"""The checks a senior coach makes: each fires where it should, and nowhere in the examples."""

from __future__ import annotations

import pytest

from artifactgen.case import check_case
from artifactgen.sections import CheckCode
from tests.conftest import EXAMPLES, MINIMAL, write_case

PIVOT = MINIMAL.replace("recommendation: stay", "recommendation: pivot").replace(
    "    - Growth.\n", "    - Growth.\n  would_stay_if:\n    - A stretch project.\n"
)
HR_CONVERSATION = """\
  - id: hr
    with: HR business partner
    goal: Learn the transfer process.
    opening: How do internal moves work?
    ask: The steps.
"""
LANDSCAPE = """\
landscape:
  people:
    - id: boss
      who: Sam Lee
      relation: current-manager
      controls: Jo's release date.
      stance: supports
    - id: director
      who: The target director
      relation: target-team
      controls: Who gets the role.
      stance: unknown
"""
INTERVIEW = """\
interview:
  role: Head of Platform
  why_now:
    - The platform team is where the next year's risk sits.
  evidence:
    - achievement: Led the migration.
      shows: Runs work across teams.
  questions:
    - question: Why you?
      answer: Because I have already done the hard part.
"""


def warned(tmp_path, text: str) -> list[str]:
    """Each warning for the case `text`, with the file shown by its name; the case is valid."""
    check = check_case(write_case(tmp_path, text, "jo.yaml"))
    assert check.problems == [] and check.review is not None
    return [str(warning).replace(f"{tmp_path}/", "") for warning in check.review.warnings]


def line_at(text: str, warning: str) -> str:
    """The line of `text` a warning points at, from its column on."""
    _, line, column = warning.split(": ")[0].split(":")
    return text.split("\n")[int(line) - 1][int(column) - 1 :]


def test_the_minimal_case_and_the_pivot_it_becomes_give_no_warning(tmp_path):
    assert warned(tmp_path, MINIMAL) == []
    assert warned(tmp_path, PIVOT) == []


def test_a_pivot_without_a_conversation_with_the_manager(tmp_path):
    text = PIVOT.replace("id: manager", "id: mentor").replace("with: Manager", "with: A mentor")
    text = text.replace("conversation: manager", "conversation: mentor")
    (warning,) = warned(tmp_path, text)
    assert warning == (
        "jo.yaml:19:19: warning [no-manager-conversation]: this pivot has no conversation with "
        "the current manager (link one to a landscape person with relation: current-manager); "
        "don't blindside your manager: in an internal move they hear it first, privately, from "
        "the client"
    )
    assert line_at(text, warning) == "pivot"
    # A manager conversation linked to a landscape person counts, whatever its wording.
    linked = text.replace("    ask: One stretch project.\n", "    ask: x.\n    person: boss\n")
    assert warned(tmp_path, linked + LANDSCAPE.replace("stance: unknown", "stance: neutral")) == []


def test_hr_or_the_target_team_before_the_manager(tmp_path):
    text = PIVOT.replace("action_plan:\n", HR_CONVERSATION + "action_plan:\n").replace(
        "  - day: 1\n    action: Book the talk.\n",
        "  - day: 1\n    action: Ask HR.\n    conversation: hr\n"
        "  - day: 2\n    action: Book the talk.\n",
    )
    (warning,) = warned(tmp_path, text)
    assert warning == (
        "jo.yaml:43:19: warning [manager-not-first]: day 1 talks to HR before any planned "
        "conversation with the current manager; don't blindside your manager: the manager "
        "first and privately, then the target team, then HR"
    )
    assert line_at(text, warning) == "hr"
    # The manager first, HR after: silent.
    after = text.replace("  - day: 1\n    action: Ask HR.", "  - day: 3\n    action: Ask HR.")
    assert warned(tmp_path, after) == []


def test_a_target_team_person_talked_to_first_is_found_through_the_landscape(tmp_path):
    text = PIVOT.replace("    ask: One stretch project.\n", "    ask: x.\n    person: boss\n")
    text = text.replace(
        "action_plan:\n",
        "  - id: explore\n    with: The director\n    goal: x.\n    opening: x.\n    ask: x.\n"
        "    person: director\naction_plan:\n  - day: 1\n    action: Explore.\n"
        "    conversation: explore\n",
    ).replace("  - day: 1\n    action: Book the talk.", "  - day: 2\n    action: Book the talk.")
    (warning,) = warned(tmp_path, text + LANDSCAPE)
    assert line_at(text + LANDSCAPE, warning) == "explore"
    assert warning.startswith(
        "jo.yaml:45:19: warning [manager-not-first]: day 1 talks to the target team before"
    )


def test_a_pivot_with_a_decision_makers_stance_unknown_and_no_step_to_learn_it(tmp_path):
    text = PIVOT.replace("    ask: One stretch project.\n", "    ask: x.\n    person: boss\n")
    (warning,) = warned(tmp_path, text + LANDSCAPE)
    assert warning == (
        "jo.yaml:60:15: warning [stance-unknown]: the stance of The target director is unknown "
        "and no plan step has a conversation with them to learn it; map the landscape: know "
        "whether each person who decides will support or block the move"
    )
    assert line_at(text + LANDSCAPE, warning) == "unknown"
    # A stay case with the same landscape: the move's decision-makers are not in question.
    stay = text.replace("recommendation: pivot", "recommendation: stay")
    assert warned(tmp_path, stay + LANDSCAPE) == []


def test_a_serious_risk_no_step_mitigates(tmp_path):
    text = MINIMAL.replace("    mitigates: [stall]\n", "")
    (warning,) = warned(tmp_path, text)
    assert warning == (
        "jo.yaml:22:9: warning [risk-unmitigated]: risk 'stall' has high impact but no plan "
        "step mitigates it; a serious risk needs a step that heads it off before it happens"
    )
    assert line_at(text, warning) == "stall"
    assert warned(tmp_path, text.replace("impact: high", "impact: medium")) == []


def test_a_gap_of_more_than_four_days_in_the_plan(tmp_path):
    text = MINIMAL.replace("roadmap:\n", "  - day: 6\n    action: Follow up.\nroadmap:\n")
    (warning,) = warned(tmp_path, text)
    assert warning == (
        "jo.yaml:38:10: warning [plan-gap]: nothing is planned between day 1 and day 6 "
        "(5 days); a step every few days keeps momentum from stalling"
    )
    assert line_at(text, warning) == "6"
    assert warned(tmp_path, text.replace("day: 6", "day: 5")) == []


def test_no_check_in_in_the_first_two_weeks(tmp_path):
    text = MINIMAL.replace("    - day: 14\n      with: Coach", "    - day: 15\n      with: Coach")
    (warning,) = warned(tmp_path, text)
    assert warning == (
        "jo.yaml:43:3: warning [no-early-check-in]: the first check-in is on day 15, after the "
        "first 14 days; a check-in within the first two weeks catches a plan that has stalled"
    )
    assert line_at(text, warning) == "check_ins:"


def test_a_conversation_no_step_uses(tmp_path):
    text = MINIMAL.replace(
        "action_plan:\n",
        "  - id: partner\n    with: Partner\n    goal: Agree.\n    opening: Hi.\n"
        "    ask: Support.\naction_plan:\n",
    )
    (warning,) = warned(tmp_path, text)
    assert warning == (
        "jo.yaml:33:9: warning [conversation-unused]: no plan step uses the conversation "
        "'partner'; a script with no day in the plan tends not to be used"
    )
    assert line_at(text, warning) == "partner"


def test_a_milestone_without_a_measure(tmp_path):
    text = MINIMAL.replace("      measure: The project is in Jo's objectives.\n", "")
    (warning,) = warned(tmp_path, text)
    assert warning == (
        "jo.yaml:41:18: warning [milestone-without-measure]: the milestone on day 10 has no "
        "measure; without a measure, nobody can tell the milestone is done"
    )
    assert line_at(text, warning) == "Project agreed."


@pytest.mark.parametrize("path", ["go", "pivot"])
def test_a_move_recommended_without_what_would_make_the_client_stay(tmp_path, path):
    text = MINIMAL.replace("recommendation: stay", f"recommendation: {path}")
    (warning,) = warned(tmp_path, text)
    assert warning == (
        f"jo.yaml:9:1: warning [stay-conditions-missing]: the recommendation is '{path}' but "
        "snapshot.would_stay_if is empty; the honest self-assessment comes first: what would "
        "make the client stay"
    )
    assert line_at(text, warning) == "snapshot:"
    empty = text.replace("    - Growth.\n", "    - Growth.\n  would_stay_if: []\n")
    assert warned(tmp_path, empty)[0].startswith("jo.yaml:16:3: warning [stay-conditions-")


def test_an_internal_interview_without_a_handover_plan(tmp_path):
    (warning,) = warned(tmp_path, MINIMAL + INTERVIEW)
    assert warning == (
        "jo.yaml:46:1: warning [no-handover-plan]: the interview has no handover plan "
        "(interview.handover) and the case no transition; a candidate with no handover plan "
        "for the current role looks like an ego-driven move to the panel"
    )
    assert line_at(MINIMAL + INTERVIEW, warning) == "interview:"
    handover = INTERVIEW + "  handover:\n    - Train Ana on the release process.\n"
    assert warned(tmp_path, MINIMAL + handover) == []
    transition = "transition:\n  timeline: Four weeks.\n  to_document:\n    - The runbooks.\n"
    assert warned(tmp_path, MINIMAL + INTERVIEW + transition) == []


def test_an_acknowledged_code_is_silenced_and_its_reason_kept(tmp_path):
    text = MINIMAL.replace("roadmap:\n", "  - day: 6\n    action: Follow up.\nroadmap:\n")
    text += "acknowledged:\n  - code: plan-gap\n    reason: Jo is on leave that week.\n"
    check = check_case(write_case(tmp_path, text, "jo.yaml"))
    assert check.review is not None and check.review.warnings == []
    (entry,) = check.review.acknowledged
    assert (entry.line, entry.column, entry.code, entry.silenced) == (
        49,
        11,
        CheckCode.PLAN_GAP,
        1,
    )
    assert entry.reason == "Jo is on leave that week."
    assert text.split("\n")[entry.line - 1][entry.column - 1 :] == "plan-gap"


def test_an_unknown_code_is_an_error_with_the_code_it_meant(tmp_path):
    text = MINIMAL + "acknowledged:\n  - code: plan-gaps\n    reason: On purpose.\n"
    check = check_case(write_case(tmp_path, text, "jo.yaml"))
    (problem,) = check.problems
    assert str(problem).endswith(
        "jo.yaml:47:11: acknowledged, item 1, code: 'plan-gaps' is not allowed; use "
        "no-manager-conversation, manager-not-first, stance-unknown, risk-unmitigated, "
        "plan-gap, no-early-check-in, conversation-unused, milestone-without-measure, "
        "stay-conditions-missing or no-handover-plan; did you mean 'plan-gap'?"
    )


def test_a_code_acknowledged_twice_is_an_error_at_the_second(tmp_path):
    entry = "  - code: plan-gap\n    reason: On purpose.\n"
    check = check_case(write_case(tmp_path, MINIMAL + "acknowledged:\n" + entry * 2, "jo.yaml"))
    assert [str(problem).split("/")[-1] for problem in check.problems] == [
        "jo.yaml:49:11: acknowledged, item 2, code: duplicate acknowledged code 'plan-gap' "
        "(already used by item 1)"
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_examples_give_no_warning_or_acknowledge_it(path):
    check = check_case(path)
    assert check.review is not None
    assert check.review.warnings == []
    silenced = {entry.code.value: entry.silenced for entry in check.review.acknowledged}
    assert silenced == ({"plan-gap": 2} if path.stem == "tomas-berg" else {})


@pytest.mark.parametrize(
    ("conversation", "whom"),
    [
        ("id: hr-partner\n    with: Owen Price", "HR"),
        ("id: people\n    with: HR manager", "HR"),
        ("id: hiring-manager\n    with: Ana Ruiz", "the target team"),
        ("id: ana\n    with: The hiring manager of the data team", "the target team"),
    ],
)
def test_a_conversation_linked_to_nobody_is_read_from_its_id_and_with(tmp_path, conversation, whom):
    """'hr' in an id counts as in `with`; an HR manager or a hiring manager is not the manager."""
    conversation_id = conversation.split()[1]
    text = PIVOT.replace(
        "action_plan:\n",
        f"  - {conversation}\n    goal: x.\n    opening: x.\n    ask: x.\naction_plan:\n"
        f"  - day: 1\n    action: Ask first.\n    conversation: {conversation_id}\n",
    ).replace("  - day: 1\n    action: Book the talk.", "  - day: 2\n    action: Book the talk.")
    (warning,) = warned(tmp_path, text)
    assert warning.startswith(
        f"jo.yaml:43:19: warning [manager-not-first]: day 1 talks to {whom} before any planned "
        "conversation with the current manager;"
    )
    assert line_at(text, warning) == conversation_id
