"""The YAML mistakes text invites, each explained with the corrected line; nothing lost quietly."""

from __future__ import annotations

import pytest

from tests.conftest import MINIMAL, ROOT
from tests.test_case_errors import variant

QUOTE_IT = "put the whole text in double quotes"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    - Jo likes the team.",
            "    - **It uses** the old system",
            "case.yaml:13:7: this text starts with '*', which YAML reads as an alias (a reference "
            f"to an '&' anchor); {QUOTE_IT}: - \"**It uses** the old system\"",
        ),
        (
            "    - Jo likes the team.",
            "    - `Epic` is the ticket system",
            "case.yaml:13:7: this text starts with '`', which YAML does not allow at the start of "
            f'a value; {QUOTE_IT}: - "`Epic` is the ticket system"',
        ),
        (
            "    - Jo likes the team.",
            "    - [The job ad](https://example.com/jobs/4711) asks for a portfolio",
            "case.yaml:13:7: this text starts with '[', which YAML reads as the start of a list; "
            f'{QUOTE_IT}: - "[The job ad](https://example.com/jobs/4711) asks for a portfolio"',
        ),
        (
            "  summary: Jo is unsure.",
            "  summary: Note: check the contract first",
            "case.yaml:11:12: this text contains ': ', which YAML reads as the start of a field; "
            f'{QUOTE_IT}: summary: "Note: check the contract first"',
        ),
        (
            "  name: Jo Park",
            "  name: 'Aisha O'Neill'",
            "case.yaml:3:9: an apostrophe inside single quotes ends the text early; "
            'quote it like this: name: "Aisha O\'Neill"',
        ),
        (
            "  summary: Jo is unsure.",
            '  summary: "He said "no" and left"',
            "case.yaml:11:12: a double quote inside double quotes ends the text early; "
            "quote it like this: summary: 'He said \"no\" and left'",
        ),
        (
            "  name: Jo Park",
            '  name: "Jo Park',
            'case.yaml:3:9: this text opens a quote (") that the line does not close; '
            'quote it like this: name: "Jo Park"',
        ),
        (
            "  summary: Jo is unsure.",
            "  summary: “Note: Jo is unsure.”",
            "case.yaml:11:12: this text starts with a curly quote, which YAML reads as part of "
            'the text; use straight quotes: summary: "Note: Jo is unsure."',
        ),
        (
            "    - Growth.",
            "    - & friends",
            "case.yaml:15:7: this text starts with '&', which YAML reads as an anchor name; "
            f'{QUOTE_IT}: - "& friends"',
        ),
        (
            "    - Growth.",
            "    - @dana said so",
            "case.yaml:15:7: this text starts with '@', which YAML does not allow at the start "
            f'of a value; {QUOTE_IT}: - "@dana said so"',
        ),
        (
            "    - Growth.",
            "    - %20 more pay",
            "case.yaml:15:7: this text starts with '%', which YAML does not allow at the start "
            f'of a value; {QUOTE_IT}: - "%20 more pay"',
        ),
        (
            "    - Growth.",
            "    - > 5 direct reports",
            "case.yaml:15:7: this text starts with '>', which YAML reads as the start of a folded "
            f'block of lines; {QUOTE_IT}: - "> 5 direct reports"',
        ),
        (
            "    - Growth.",
            "    - | pipes | everywhere",
            "case.yaml:15:7: this text starts with '|', which YAML reads as the start of a block "
            f'of lines; {QUOTE_IT}: - "| pipes | everywhere"',
        ),
        (
            "    - Growth.",
            "    - {braces} then text",
            "case.yaml:15:7: this text starts with '{', which YAML reads as the start of a group "
            f'of fields; {QUOTE_IT}: - "{{braces}} then text"',
        ),
    ],
)
def test_a_syntax_error_names_the_mistake_and_shows_the_fix(problems, old, new, expected):
    assert problems(variant(old, new)) == [expected]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    - Jo likes the team.",
            "    - [Apply]",
            "case.yaml:13:7: snapshot, what_is_true, item 1: this text starts with '[', which "
            f'YAML reads as the start of a list; {QUOTE_IT}: - "[Apply]"',
        ),
        (
            "    - Jo likes the team.",
            "    - Note: Jo likes the team",
            "case.yaml:13:7: snapshot, what_is_true, item 1: this text contains ': ', which YAML "
            f'reads as the start of a field; {QUOTE_IT}: - "Note: Jo likes the team"',
        ),
        (
            "    - Jo likes the team.",
            "    - - Jo likes the team",
            "case.yaml:13:7: snapshot, what_is_true, item 1: this text starts with '- ', which "
            f'YAML reads as a list inside the list; {QUOTE_IT}: - "- Jo likes the team"',
        ),
        (
            "    - Growth.",
            "    - !important growth",
            "case.yaml:15:7: the YAML tag !important is not allowed; write a plain value",
        ),
        (
            "    - Growth.",
            "    - &Co growth",
            "case.yaml:15:7: this text starts with '&', which YAML reads as an anchor name; "
            f'{QUOTE_IT}: - "&Co growth"',
        ),
    ],
)
def test_text_read_as_something_else_is_explained(problems, old, new, expected):
    assert problems(variant(old, new)) == [expected]


def test_an_anchor_that_is_used_is_left_alone(problems):
    text = variant("  name: Dana Ortiz", "  name: &coach Dana Ortiz")
    text = text.replace("      with: Coach", "      with: *coach")
    assert problems(text) == []


def test_a_word_after_a_distant_hash_is_reported_too(problems):
    text = variant("    action: Book the talk.", "    action: Book room   #4 for the talk")
    assert problems(text) == [
        "case.yaml:35:25: the text after ' #' was read as a comment and left out; to keep it, "
        'put the whole text in double quotes: action: "Book room   #4 for the talk"'
    ]


def test_text_after_space_hash_is_reported_not_lost(problems):
    text = variant("    action: Book the talk.", "    action: Submit application #1 and #2 by 5pm")
    assert problems(text) == [
        "case.yaml:35:32: the text after ' #' was read as a comment and left out; to keep it, "
        'put the whole text in double quotes: action: "Submit application #1 and #2 by 5pm"'
    ]


@pytest.mark.parametrize(
    "line",
    [
        '    action: "Submit application #1 and #2 by 5pm"',
        "    action: Submit application C#1",
        "    action: Book the talk.      # a comment the coach meant",
        "    # action: a line of comment only\n    action: Book the talk.",
    ],
)
def test_deliberate_comments_and_quoted_hashes_are_fine(problems, line):
    assert problems(variant("    action: Book the talk.", line)) == []


def test_dates_written_day_first_get_the_date_meant(problems):
    assert problems(variant("date: 2026-11-20", "date: 21/11/2026")) == [
        "case.yaml:8:9: session, date: '21/11/2026' is not a valid date; write it as "
        "YYYY-MM-DD: 2026-11-21"
    ]
    assert problems(variant("date: 2026-11-20", "date: 03/04/2026")) == [
        "case.yaml:8:9: session, date: '03/04/2026' is not a valid date; write it as "
        "YYYY-MM-DD, like 2026-11-21"
    ]


def test_a_session_date_whose_roadmap_leaves_the_calendar_is_refused(problems):
    assert problems(variant("date: 2026-11-20", "date: 9999-12-25")) == [
        "case.yaml:8:9: session, date: 9999-12-25 is too late: the plan and roadmap would run "
        "past the last date a calendar holds; check the year"
    ]
    assert problems(variant("date: 2026-11-20", "date: 9999-10-01")) == []


@pytest.mark.parametrize(
    ("nesting", "expected"),
    [
        ("[" * 5000 + "]" * 5000, "case.yaml:5:74"),
        ("{a: " * 3000 + "1" + "}" * 3000, "case.yaml:5:266"),
        ("[" * 100 + "]" * 100, "case.yaml:5:73"),
    ],
)
def test_deep_nesting_is_located_not_a_crash(problems, nesting, expected):
    text = variant("  role: Team Lead\n", f"  role: Team Lead\n  extra: {nesting}\n")
    (found,) = problems(text)
    assert found == (
        f"{expected}: values are nested far too deeply here (more than 64 levels); "
        "a case file needs a few"
    )


def test_a_byte_order_mark_is_accepted(problems):
    assert problems(b"\xef\xbb\xbf" + MINIMAL.encode()) == []
    with_error = variant("likelihood: medium", "likelihood: medum")
    assert problems(b"\xef\xbb\xbf" + with_error.encode())[0].startswith("case.yaml:24:17: ")


def test_the_untouched_starter_lists_every_example_text(problems):
    starter = (ROOT / "src/artifactgen/starter.yaml").read_text(encoding="utf-8")
    found = problems(starter.replace("__ID__", "alex-client"))
    assert len(found) > 30
    assert all(
        "is still the new case's example text; replace it, or delete the line if optional" in line
        for line in found
    )
    assert found[0] == (
        "case.yaml:12:9: client, name: 'Alex Client' is still the new case's example text; "
        "replace it, or delete the line if optional"
    )


def test_a_filled_in_field_is_no_longer_flagged_and_choices_may_stay(problems):
    starter = (ROOT / "src/artifactgen/starter.yaml").read_text(encoding="utf-8")
    found = problems(starter.replace("Alex Client", "Jordan Smith"))
    assert not any("client, name:" in line for line in found)
    assert not any("fork, recommendation:" in line or "likelihood:" in line for line in found)


INDENTATION = (
    "this line is indented differently from the fields around it; line it up with the other "
    "fields of its group (the same number of spaces), or put text holding ': ' in double quotes"
)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    - Jo likes the team.",
            "    - Jo likes the team.\n     - Jo is tired of the commute.",
            "case.yaml:14:6: this list item is indented further than the line above, so YAML "
            "reads it as more of that text; line it up with the list items above it",
        ),
        ("  role: Team Lead", " role: Team Lead", f"case.yaml:4:2: {INDENTATION}"),
        (
            "    action: Book the talk.",
            "   action: Book the talk.",
            f"case.yaml:35:4: {INDENTATION}",
        ),
        (
            "    likelihood: medium",
            "      likelihood: medium",
            f"case.yaml:24:7: {INDENTATION}",
        ),
        (
            "    mitigates: [stall]",
            "    mitigates: [stall\n    detail: More.",
            "case.yaml:37:16: this list in brackets cannot be read (an item holds ': ', a quote "
            "or a bracket, or the ']' is missing); write one item per line instead, each "
            "starting with '- ', in double quotes when it holds such signs",
        ),
        (
            "  summary: Jo is unsure.",
            "  summary: “Stay”: Jo is unsure.",
            "case.yaml:11:12: this text contains ': ', which YAML reads as the start of a field; "
            f'{QUOTE_IT}: summary: "“Stay”: Jo is unsure."',
        ),
    ],
)
def test_layout_mistakes_are_explained(problems, old, new, expected):
    assert problems(variant(old, new)) == [expected]


def test_an_item_of_a_list_in_brackets_is_never_given_a_broken_fix(problems):
    text = variant("  what_matters:\n    - Growth.", "  what_matters: [Pay: fair, Growth]")
    assert problems(text) == [
        "case.yaml:14:18: snapshot, what_matters, item 1: this list in brackets cannot be read "
        "(an item holds ': ', a quote or a bracket, or the ']' is missing); write one item per "
        "line instead, each starting with '- ', in double quotes when it holds such signs"
    ]
