"""The framework sections: located errors, rendered in both formats, absent when absent."""

from __future__ import annotations

import pytest

from artifactgen.case import load_case
from artifactgen.docx_package import open_docx
from artifactgen.generate import Generator
from artifactgen.inputs import Settings
from tests.conftest import CASES, MINIMAL
from tests.test_checks import INTERVIEW, LANDSCAPE
from tests.test_literal_text import docx_blocks, md_blocks

LINKED = MINIMAL.replace("    ask: One stretch project.\n", "    ask: x.\n    person: boss\n")


@pytest.fixture(scope="module")
def priya() -> dict[str, bytes]:
    return Generator(Settings()).render(load_case(CASES / "priya-shah.yaml"))


def both(files: dict[str, bytes], stem: str) -> list[str]:
    """The Markdown and the Word text of a deliverable, each squeezed into one line."""
    return [
        " ".join(" ".join(md_blocks(files[f"{stem}.md"].decode())).split()),
        " ".join(" ".join(docx_blocks(files[f"{stem}.docx"])).split()),
    ]


def test_the_sections_validate(problems):
    transition = "transition:\n  timeline: Four weeks.\n  to_document:\n    - The runbooks.\n"
    assert problems(LINKED + LANDSCAPE + transition + INTERVIEW) == []


def test_mistakes_in_the_sections_are_located(problems):
    text = LINKED.replace("person: boss", "person: bos") + LANDSCAPE.replace(
        "stance: supports", "stance: suports"
    ).replace("id: director", "id: boss")
    text += "interview:\n  role: Lead\n"
    assert problems(text) == [
        "case.yaml:33:13: conversations, item 1, person: there is no person in the landscape "
        "with id 'bos'; did you mean 'boss'?",
        "case.yaml:53:15: landscape, people, item 1, stance: 'suports' is not allowed; use "
        "supports, neutral, blocks or unknown; did you mean 'supports'?",
        "case.yaml:54:11: landscape, people, item 2, id: duplicate person id 'boss' (already "
        "used by item 1)",
        "case.yaml:59:1: interview: missing required field 'evidence'",
        "case.yaml:59:1: interview: missing required field 'questions'",
        "case.yaml:59:1: interview: missing required field 'why_now'",
    ]


def test_a_conversation_may_name_a_person_only_with_a_landscape(problems):
    assert problems(LINKED) == [
        "case.yaml:33:13: conversations, item 1, person: the case has no landscape, so no "
        "person 'boss' to link to; add them under landscape.people, or delete this line"
    ]


def test_who_decides_shows_each_stance_at_a_glance_in_both_formats(priya):
    for text in both(priya, "02-fork-recommendation"):
        assert "Who decides" in text
        assert "At a glance: 1 supports, 1 neutral, 1 unknown." in text
        assert "✔ supports" in text and "○ neutral" in text and "? unknown" in text
        assert "Her manager (Head of Analytics) (current manager)" in text
        assert "(plan: day 2)" in text
    markdown = priya["02-fork-recommendation.md"].decode()
    assert "| Product Director *(target team)* |" in markdown
    assert "| **? unknown** |" in markdown  # unknown and blocks stand out in bold


def test_a_person_with_no_next_step_but_a_planned_talk_shows_the_plan_day(tmp_path):
    path = tmp_path / "jo.yaml"
    path.write_text(LINKED + LANDSCAPE, encoding="utf-8")
    markdown = Generator(Settings()).render(load_case(path))["02-fork-recommendation.md"]
    rows = [line for line in markdown.decode().splitlines() if line.startswith("| ")]
    assert rows[-2:] == [
        "| Sam Lee *(current manager)* | Jo's release date. | ✔ supports | plan: day 1 |",
        "| The target director *(target team)* | Who gets the role. | **? unknown** | none set |",
    ]


def test_a_script_linked_to_a_person_shows_where_they_stand(priya):
    for text in both(priya, "04-conversation-scripts"):
        assert "Who decides: Product Director (target team), ? unknown. Controls: Who gets" in text


def test_handing_over_closes_the_roadmap(priya):
    for text in both(priya, "06-30-day-roadmap"):
        assert "Handing over" in text
        assert "Timeline to negotiate: Stay until the reporting migration" in text
        assert "☐ The two monthly reports" in text


def test_what_to_write_down_reads_as_boxes_to_tick_not_bullets(priya):
    markdown = priya["06-30-day-roadmap.md"].decode()
    assert "- ☐" not in markdown
    assert (
        "### Write down for your successor\n\n| Done | What |\n|---|---|\n"
        "| ☐ | The two monthly reports: sources, queries," in markdown
    )
    document = open_docx(priya["06-30-day-roadmap.docx"])
    assert not [p.text for p in document.paragraphs if "☐" in p.text]
    boxes = [[cell.text for cell in row.cells] for row in document.tables[-1].rows]
    assert boxes[0] == ["Done", "What"]
    assert [row[0] for row in boxes[1:]] == ["☐", "☐", "☐"]
    assert boxes[1][1].startswith("The two monthly reports: sources")


def test_the_interview_brief_is_the_seventh_deliverable_in_both_formats(priya):
    for text in both(priya, "07-interview-brief"):
        assert text.startswith("Interview Brief Client: Priya Shah")
        assert "Product Manager, Routing Platform on Thursday 14 January 2027" in text
        for heading in (
            "Why now, why this role",
            "Evidence of the next level",
            "Handover plan",
            "The panel",
            "Questions to expect",
        ):
            assert heading in text


def test_without_the_sections_nothing_of_them_is_shown():
    files = Generator(Settings()).render(load_case(CASES / "tomas-berg.yaml"))
    assert sorted(files)[-2:] == ["06-30-day-roadmap.docx", "06-30-day-roadmap.md"]
    for stem, words in (
        ("02-fork-recommendation", "Who decides"),
        ("04-conversation-scripts", "Who decides"),
        ("06-30-day-roadmap", "Handing over"),
    ):
        for text in both(files, stem):
            assert words not in text, stem


def test_an_interview_without_a_handover_points_at_the_transition(tmp_path):
    transition = "transition:\n  timeline: Four weeks.\n  to_document:\n    - The runbooks.\n"
    path = tmp_path / "jo.yaml"
    path.write_text(MINIMAL + INTERVIEW + transition, encoding="utf-8")
    files = Generator(Settings()).render(load_case(path))
    for text in both(files, "07-interview-brief"):
        assert "The handover is planned in the 30-Day Roadmap, under Handing over." in text
        assert "Relationship to you" not in text
