"""Nothing a coach wrote is dropped: every text field shows in its deliverable, in both formats."""

from __future__ import annotations

import pytest

from artifactgen.case import load_case
from artifactgen.generate import Generator
from artifactgen.inputs import Settings
from tests.conftest import EXAMPLES
from tests.test_literal_text import coach_plain_text, docx_blocks, md_blocks

SECTION_DELIVERABLE = {
    "snapshot": "01-decision-snapshot",
    "fork": "02-fork-recommendation",
    "risks": "03-risk-map",
    "conversations": "04-conversation-scripts",
    "action_plan": "05-14-day-action-plan",
    "roadmap": "06-30-day-roadmap",
    "landscape": "02-fork-recommendation",
    "transition": "06-30-day-roadmap",
    "interview": "07-interview-brief",
}
# Values that are codes rather than prose: ids, enums and references are shown in words.
CODES = {"id", "likelihood", "impact", "recommendation", "path", "confidence", "conversation"}
CODES |= {"stance", "relation", "person", "date"}  # a stance shows as a sign and a word


def text_leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in CODES and key != "mitigates":
                yield from text_leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from text_leaves(item, (*path, index))
    elif isinstance(value, str):
        yield path, value


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_text_field_appears_in_both_formats(path):
    case = load_case(path)
    files = Generator(Settings()).render(case)
    data = case.model_dump(by_alias=True, exclude_none=True, include=set(SECTION_DELIVERABLE))
    checked = 0
    for (section, *rest), value in text_leaves(data):
        stem = SECTION_DELIVERABLE[section]
        expected = " ".join(coach_plain_text(value).split())
        markdown = " ".join(" ".join(md_blocks(files[f"{stem}.md"].decode())).split())
        word = " ".join(" ".join(docx_blocks(files[f"{stem}.docx"])).split())
        assert expected in markdown, (section, rest)
        assert expected in word, (section, rest)
        checked += 1
    assert checked > 40


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_deliverable_opens_with_title_client_coach_and_date(path):
    case = load_case(path)
    files = Generator(Settings()).render(case)
    for name, data in files.items():
        blocks = md_blocks(data.decode()) if name.endswith(".md") else docx_blocks(data)
        opening = " ".join(blocks[:2])
        assert case.client.name in opening and case.client.role in opening, name
        assert case.coach.name in opening and str(case.session.date.year) in opening, name
