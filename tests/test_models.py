"""Values computed on the model: calendar dates of plan and roadmap days; the examples."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from artifactgen.case import load_case
from artifactgen.models import Case
from tests.conftest import EXAMPLES, MINIMAL, write_case


def load(tmp_path, text: str) -> Case:
    return load_case(write_case(tmp_path, text))


def test_calendar_days_count_from_the_day_after_the_session(tmp_path):
    case = load(tmp_path, MINIMAL)  # session on Friday 2026-11-20
    assert case.action_plan[0].calendar_date == dt.date(2026, 11, 21)
    assert case.roadmap.milestones[0].calendar_date == dt.date(2026, 11, 30)
    assert case.roadmap.check_ins[0].calendar_date == dt.date(2026, 12, 4)


def test_business_days_skip_weekends(tmp_path):
    text = MINIMAL.replace(
        "  date: 2026-11-20\n", "  date: 2026-11-20\n  business_days_only: true\n"
    )
    case = load(tmp_path, text)
    assert case.action_plan[0].calendar_date == dt.date(2026, 11, 23)  # Monday
    assert case.roadmap.milestones[0].calendar_date == dt.date(2026, 12, 4)  # 10th business day
    assert case.roadmap.check_ins[0].calendar_date == dt.date(2026, 12, 10)
    assert all(case.day_date(day).weekday() < 5 for day in range(1, 31))


def test_model_alone_refuses_unresolved_references(tmp_path):
    data = load(tmp_path, MINIMAL).model_dump(by_alias=True)
    data["action_plan"][0]["conversation"] = "nobody"
    with pytest.raises(ValidationError, match="there is no conversation with id 'nobody'"):
        Case.model_validate(data)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_cases_are_valid_and_begin_with_the_schema_line(path):
    case = load_case(path)
    assert case.id == path.stem
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/case.schema.json"


def test_examples_cover_the_three_paths():
    assert {load_case(path).fork.recommendation for path in EXAMPLES} == {"stay", "go", "pivot"}
