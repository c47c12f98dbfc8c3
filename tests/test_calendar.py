"""The plan's calendar: one all-day event per step, milestone and check-in, on its real date."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import icalendar
import yaml

from tests.conftest import CASES, make_workspace
from tests.test_build import run


def calendar(project: Path, case_id: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(
        (project / "output" / case_id / f"{case_id}-plan.ics").read_bytes()
    )


def events(project: Path, case_id: str) -> list[icalendar.Event]:
    return list(calendar(project, case_id).walk("VEVENT"))


def by_uid(project: Path, case_id: str) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in events(project, case_id)}


def edit_case(project: Path, case_id: str, old: str, new: str) -> None:
    path = project / "cases" / f"{case_id}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_one_all_day_event_per_step_milestone_and_check_in_on_calendar_days(project):
    assert run("build").exit_code == 0
    case = yaml.safe_load((CASES / "marcus-lee.yaml").read_text(encoding="utf-8"))
    found = events(project, "marcus-lee")
    roadmap = case["roadmap"]
    assert len(found) == (
        len(case["action_plan"]) + len(roadmap["milestones"]) + len(roadmap["check_ins"])
    )
    session = dt.date(2026, 11, 20)  # a Friday; day 1 is Saturday 21 November
    assert case["session"]["date"] == session and not case["session"].get("business_days_only")
    steps = [event for event in found if event["CATEGORIES"].cats == ["Action plan"]]
    for step, event in zip(sorted(case["action_plan"], key=lambda s: s["day"]), steps, strict=True):
        assert event["SUMMARY"] == step["action"]
        assert event["DTSTART"].dt == session + dt.timedelta(days=step["day"])
        assert type(event["DTSTART"].dt) is dt.date  # all day, not at midnight
        assert event["DTEND"].dt == event["DTSTART"].dt + dt.timedelta(days=1)
    assert steps[0]["DTSTART"].dt == dt.date(2026, 11, 21)
    milestones = [event for event in found if event["CATEGORIES"].cats == ["Milestone"]]
    assert [event["DTSTART"].dt for event in milestones] == [
        session + dt.timedelta(days=m["by_day"]) for m in roadmap["milestones"]
    ]
    check_ins = [event for event in found if event["CATEGORIES"].cats == ["Check-in"]]
    assert len(check_ins) == len(roadmap["check_ins"])


def test_business_days_skip_weekends(project):
    assert run("build").exit_code == 0
    found = events(project, "priya-shah")
    case = yaml.safe_load((CASES / "priya-shah.yaml").read_text(encoding="utf-8"))
    assert case["session"] == {"date": dt.date(2026, 11, 18), "business_days_only": True}
    roadmap = case["roadmap"]
    assert len(found) == (
        len(case["action_plan"]) + len(roadmap["milestones"]) + len(roadmap["check_ins"])
    )
    # Wednesday 18 November: day 1 Thu 19, day 2 Fri 20, day 3 Mon 23, day 4 Tue 24, ...
    expected = {1: 19, 2: 20, 4: 24, 6: 26, 8: 30}
    dates = {
        event["SUMMARY"]: event["DTSTART"].dt
        for event in found
        if event["CATEGORIES"].cats == ["Action plan"]
    }
    for step in case["action_plan"]:
        if step["day"] in expected:
            assert dates[step["action"]] == dt.date(2026, 11, expected[step["day"]]), step
    assert dates["Send the product director a short proposal for her first 60 days."] == dt.date(
        2026, 12, 2
    )
    assert all(event["DTSTART"].dt.weekday() < 5 for event in found)


def test_the_description_holds_detail_conversation_and_risks_and_the_name_both_people(project):
    assert run("build").exit_code == 0
    found = calendar(project, "priya-shah")
    assert found["X-WR-CALNAME"] == "Priya Shah: plan with Sam Okafor"
    assert found["NAME"] == "Priya Shah: plan with Sam Okafor"
    proposal, talk = (
        next(e for e in found.walk("VEVENT") if str(e["SUMMARY"]).startswith(start))
        for start in ("Send the product director", "Talk to her manager")
    )
    assert str(proposal["DESCRIPTION"]).startswith(
        "Keep it to one page.\nName the customer decision she wants to own first.\n\n"
    )
    assert "Reduces the risk that:\n- " in str(proposal["DESCRIPTION"])
    assert str(talk["DESCRIPTION"]).startswith(
        "Conversation to have: Her manager (Head of Analytics). Goal: Get support for the move,"
    )
    assert "Day 2 of the 14-day action plan." in str(talk["DESCRIPTION"])
    for event in found.walk("VEVENT"):
        assert event["DTSTAMP"].dt == dt.datetime(2026, 11, 18, tzinfo=dt.timezone.utc)


def test_a_rebuild_is_byte_identical_and_a_fresh_folder_gets_the_same_bytes(
    project, tmp_path_factory, monkeypatch
):
    assert run("build").exit_code == 0
    ics = project / "output" / "tomas-berg" / "tomas-berg-plan.ics"
    first = ics.read_bytes()
    assert run("build", "--force").exit_code == 0
    assert ics.read_bytes() == first
    other = tmp_path_factory.mktemp("other")
    shutil.copytree(project / "cases", make_workspace(other) / "cases")
    monkeypatch.chdir(other)
    assert run("build").exit_code == 0
    assert (other / "output" / "tomas-berg" / "tomas-berg-plan.ics").read_bytes() == first
    assert first.count(b"\r\n") == len(first.splitlines())  # every line ends CRLF
    assert max(len(line) for line in first.split(b"\r\n")) <= 75


def test_uids_stay_when_a_step_is_reworded_or_moved_and_only_its_sequence_rises(project):
    assert run("build").exit_code == 0
    before = by_uid(project, "marcus-lee")
    assert {int(event["SEQUENCE"]) for event in before.values()} == {0}
    edit_case(
        project,
        "marcus-lee",
        "action: Book a one-to-one with his manager for next week.",
        "action: Book a one-to-one with his manager for Tuesday.",
    )
    assert run("build").exit_code == 0
    after = by_uid(project, "marcus-lee")
    assert after.keys() == before.keys()
    changed = [uid for uid in after if after[uid]["SUMMARY"] != before[uid]["SUMMARY"]]
    assert len(changed) == 1
    assert after[changed[0]]["SUMMARY"] == "Book a one-to-one with his manager for Tuesday."
    assert {uid: int(event["SEQUENCE"]) for uid, event in after.items()} == {
        uid: int(uid == changed[0]) for uid in after
    }
    # The same step moved to day 4 keeps its UID too, one sequence higher, on its new date.
    edit_case(project, "marcus-lee", "  - day: 1\n", "  - day: 4\n")
    assert run("build").exit_code == 0
    moved = by_uid(project, "marcus-lee")
    assert moved.keys() == before.keys()
    assert moved[changed[0]]["DTSTART"].dt == dt.date(2026, 11, 24)
    assert int(moved[changed[0]]["SEQUENCE"]) == 2
    assert sum(int(event["SEQUENCE"]) for event in moved.values()) == 2
    # Nothing new: nothing written, the same bytes.
    ics = project / "output" / "marcus-lee" / "marcus-lee-plan.ics"
    data = ics.read_bytes()
    assert run("build", "--force").exit_code == 0
    assert ics.read_bytes() == data


def test_a_hand_edit_of_the_calendar_is_kept_and_the_case_merged_into_it(project):
    assert run("build").exit_code == 0
    ics = project / "output" / "priya-shah" / "priya-shah-plan.ics"
    mine = b"SUMMARY:Meet the product director (bring the routing deck)."
    ics.write_bytes(ics.read_bytes().replace(b"SUMMARY:Meet the product director.", mine))
    edit_case(
        project, "priya-shah", "action: Talk to her manager first.", "action: Talk to her manager."
    )
    result = run("build", "cases/priya-shah.yaml")
    assert result.exit_code == 0, result.output
    assert "merged output/priya-shah/priya-shah-plan.ics: 2 changes from the case applied" in (
        result.stdout
    )
    merged = ics.read_bytes()
    assert mine in merged and b"SUMMARY:Talk to her manager.\r\n" in merged
    assert icalendar.Calendar.from_ical(merged).walk("VEVENT")
    # The coach and the case change the same event: the coach's lines stay, the case's version
    # is written beside.
    edit_case(
        project, "priya-shah", "action: Meet the product director.", "action: Meet the director."
    )
    result = run("build", "cases/priya-shah.yaml")
    assert result.exit_code == 0, result.output
    assert (
        "merged output/priya-shah/priya-shah-plan.ics: 1 change from the case applied, "
        'a conflict under "Meet the product director (bring the routing deck)."; your lines are '
        "kept, the case's version is output/priya-shah/priya-shah-plan.new.ics"
    ) in result.stdout
    assert mine in ics.read_bytes()
    beside = (ics.parent / "priya-shah-plan.new.ics").read_bytes()
    assert b"SUMMARY:Meet the director.\r\n" in beside
    status = run("status", "cases/priya-shah.yaml").stdout
    assert "output/priya-shah/priya-shah-plan.ics" in status
