"""Every contract rule: the exact message, line and column a coach sees."""

from __future__ import annotations

import pytest

from tests.conftest import MINIMAL


def variant(old: str, new: str) -> str:
    assert old in MINIMAL, old
    return MINIMAL.replace(old, new, 1)


def test_minimal_case_is_valid(problems):
    assert problems(MINIMAL) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  role: Team Lead\n",
            "  rol: Team Lead\n",
            [
                "case.yaml:2:1: client: missing required field 'role'",
                "case.yaml:4:3: client: unknown field 'rol'; did you mean 'role'?",
            ],
        ),
        (
            "  role: Team Lead\n",
            "  role: Team Lead\n  shoe_size: 9\n",
            [
                "case.yaml:5:3: client: unknown field 'shoe_size'; "
                "known fields: name, role, organization"
            ],
        ),
        (
            "schema_version: 1\n",
            "schema_version: 1\nsnapshots: {}\n",
            ["case.yaml:2:1: unknown field 'snapshots'; did you mean 'snapshot'?"],
        ),
        (
            "likelihood: medium",
            "likelihood: medum",
            [
                "case.yaml:24:17: risks, item 1, likelihood: 'medum' is not allowed; "
                "use low, medium or high; did you mean 'medium'?"
            ],
        ),
        (
            "recommendation: stay",
            "recommendation: leave",
            [
                "case.yaml:17:19: fork, recommendation: 'leave' is not allowed; "
                "use stay, go or pivot"
            ],
        ),
        (
            "  - day: 1\n",
            "  - day: 15\n",
            [
                "case.yaml:34:10: action_plan, item 1, day: day 15 is outside the 14-day plan; "
                "use a day from 1 to 14"
            ],
        ),
        (
            "  - day: 1\n",
            "  - day: 0\n",
            [
                "case.yaml:34:10: action_plan, item 1, day: day 0 is outside the 14-day plan; "
                "use a day from 1 to 14"
            ],
        ),
        (
            "    - by_day: 10\n",
            "    - by_day: 31\n",
            [
                "case.yaml:40:15: roadmap, milestones, item 1, by_day: day 31 is outside the "
                "30-day roadmap; use a day from 1 to 30"
            ],
        ),
        (
            "  - day: 1\n",
            '  - day: "3"\n',
            [
                "case.yaml:34:10: action_plan, item 1, day: expected a whole number, "
                "not the text '3'"
            ],
        ),
        (
            "date: 2026-11-20",
            "date: 2026-02-30",
            [
                "case.yaml:8:9: session, date: '2026-02-30' is not a day of the calendar; "
                "check the month and the day"
            ],
        ),
        (
            "date: 2026-11-20",
            "date: 20/11/2026",
            [
                "case.yaml:8:9: session, date: '20/11/2026' is not a valid date; "
                "write it as YYYY-MM-DD: 2026-11-20"
            ],
        ),
        (
            "    conversation: manager\n",
            "    conversation: manger\n",
            [
                "case.yaml:36:19: action_plan, item 1, conversation: there is no conversation "
                "with id 'manger'; did you mean 'manager'?"
            ],
        ),
        (
            "mitigates: [stall]",
            "mitigates: [stall, budget]",
            [
                "case.yaml:37:24: action_plan, item 1, mitigates, item 2: there is no risk with "
                "id 'budget'; known: stall"
            ],
        ),
        (
            "conversations:\n",
            "  - id: stall\n    risk: Again.\n    likelihood: low\n    impact: low\n"
            "    mitigation: None.\nconversations:\n",
            [
                "case.yaml:27:9: risks, item 2, id: duplicate risk id 'stall' "
                "(already used by item 1)"
            ],
        ),
        (
            "  name: Jo Park\n",
            "  name: 2024\n",
            ["case.yaml:3:9: client, name: expected text, not the number 2024; put it in quotes"],
        ),
        (
            "  what_is_true:\n    - Jo likes the team.\n",
            "  what_is_true: Jo likes the team.\n",
            [
                "case.yaml:12:17: snapshot, what_is_true: expected a list (lines starting with "
                "'- '), not the text 'Jo likes the team.'"
            ],
        ),
        (
            "  what_is_true:\n    - Jo likes the team.\n",
            "  what_is_true: []\n",
            ["case.yaml:12:17: snapshot, what_is_true: needs at least one item"],
        ),
        (
            "  question: Stay or go?\n",
            '  question: "   "\n',
            ["case.yaml:10:13: snapshot, question: must not be empty"],
        ),
        (
            "  question: Stay or go?\n",
            "  question:\n",
            ["case.yaml:10:3: snapshot, question: has no value; fill it in or remove the line"],
        ),
        (
            "  summary: Jo is unsure.\n",
            '  summary: "Jo is\\x0Bunsure."\n',
            [
                "case.yaml:11:12: snapshot, summary: contains control character U+000B at "
                "character 6, which a Word document cannot hold; remove it"
            ],
        ),
        (
            "  - id: stall\n",
            "  - id: ../../etc\n",
            [
                "case.yaml:22:9: risks, item 1, id: '../../etc' is not a valid id; use lowercase "
                "letters, digits and hyphens (at most 64), like 'etc'",
                "case.yaml:37:17: action_plan, item 1, mitigates, item 1: there is no risk with "
                "id 'stall'; known: ../../etc",
            ],
        ),
        (
            "    conversation: manager\n",
            "    conversation: Jo's manager\n",
            [
                "case.yaml:36:19: action_plan, item 1, conversation: there is no conversation "
                "with id 'Jo's manager'; did you mean 'manager'?"
            ],  # not also how to make the name an id: no such id exists
        ),
        (
            "schema_version: 1\n",
            "schema_version: 1\nid: Jo Park\n",
            [
                "case.yaml:2:5: id: 'Jo Park' is not a valid id; use lowercase letters, digits "
                "and hyphens (at most 64), like 'jo-park'"
            ],
        ),
        (
            "schema_version: 1\n",
            "schema_version: 2\n",
            ["case.yaml:1:17: schema_version: 2 is not allowed; use 1"],
        ),
        (
            "  name: Dana Ortiz\n",
            "  name: Dana Ortiz\n  email: dana.example.com\n",
            ["case.yaml:7:10: coach, email: 'dana.example.com' is not an email address"],
        ),
        (
            "  date: 2026-11-20\n",
            "  date: 2026-11-20\n  business_days_only: maybe\n",
            [
                "case.yaml:9:23: session, business_days_only: expected true or false, "
                "not the text 'maybe'"
            ],
        ),
        (
            "  date: 2026-11-20\n",
            "  date: 2026-11-20\n  business_days_only: yes\n",
            [
                "case.yaml:9:23: session, business_days_only: expected true or false, "
                "not the text 'yes'"
            ],
        ),
        (
            "  date: 2026-11-20\n",
            "  date: 2026-11-20\n  business_days_only: 1\n",
            [
                "case.yaml:9:23: session, business_days_only: expected true or false, "
                "not the number 1"
            ],
        ),
        (
            "    - The team is good.\n",
            "    - The team is good.\n  options:\n    - path: go\n      summary: Leave.\n"
            "    - path: go\n      summary: Leave again.\n",
            [
                "case.yaml:17:19: fork, recommendation: the recommended path 'stay' is not among "
                "the options (go); add it to fork.options",
                "case.yaml:24:13: fork, options, item 2, path: duplicate path 'go' "
                "(already used by item 1)",
            ],
        ),
    ],
)
def test_contract_rule(problems, old, new, expected):
    assert problems(variant(old, new)) == expected


def test_missing_section_points_at_top(problems):
    text = MINIMAL[: MINIMAL.index("roadmap:")]
    assert problems(text) == ["case.yaml:1:1: missing required section 'roadmap'"]


def test_every_problem_of_a_file_is_reported_at_once(problems):
    text = variant("likelihood: medium", "likelihood: medum")
    text = text.replace("  role: Team Lead\n", "  role: Team Lead\n  age: 40\n")
    text = text.replace("conversation: manager", "conversation: boss")
    text = text.replace("  - day: 1\n", "  - day: 99\n")
    found = problems(text)
    assert [line.split(": ")[0] for line in found] == [
        "case.yaml:5:3",
        "case.yaml:25:17",
        "case.yaml:35:10",
        "case.yaml:37:19",
    ]


def test_yaml_1_2_keeps_words_and_times_as_text(tmp_path):
    from artifactgen.case import load_case
    from tests.conftest import write_case

    text = variant("  role: Team Lead\n", "  role: no\n")
    text = text.replace("headline: Stay for now.", "headline: 12:30")
    text = text.replace("    with: Manager\n", "    with: on\n")
    case = load_case(write_case(tmp_path, text))
    assert (case.client.role, case.fork.headline, case.conversations[0].with_) == (
        "no",
        "12:30",
        "on",
    )


def test_case_id_defaults_to_file_name(tmp_path):
    from artifactgen.case import load_case
    from tests.conftest import write_case

    assert load_case(write_case(tmp_path, MINIMAL, "jo-park.yaml")).id == "jo-park"


def test_file_name_that_is_not_an_id_asks_for_one(problems):
    assert problems(MINIMAL, "Jo Park.yaml") == [
        "Jo Park.yaml:1:1: the file name 'Jo Park' cannot be the case id; "
        "add a line `id: jo-park` or rename the file"
    ]
