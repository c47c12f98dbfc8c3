"""check, and the warnings of validate and build: exact text, and --strict's exit status."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from artifactgen.cli import main
from tests.conftest import MINIMAL, make_workspace, write_case

GAP = MINIMAL.replace("roadmap:\n", "  - day: 6\n    action: Follow up.\nroadmap:\n")
WARNING = (
    "cases/jo.yaml:38:10: warning [plan-gap]: nothing is planned between day 1 and day 6 "
    "(5 days); a step every few days keeps momentum from stalling\n"
)


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(make_workspace(tmp_path))
    (tmp_path / "cases").mkdir()
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), prog_name="artifactgen")


def outcome(result) -> tuple[int, str, str]:
    return result.exit_code, result.stdout, result.stderr


def test_check_shows_each_warning_and_only_strict_fails(run, tmp_path):
    write_case(tmp_path / "cases", GAP, "jo.yaml")
    write_case(tmp_path / "cases", MINIMAL, "kim.yaml")
    said = "2 case files checked: 1 warning, 0 acknowledged\n"
    assert outcome(run("check")) == (0, said, WARNING)
    assert outcome(run("check", "--strict")) == (1, said, WARNING)
    assert outcome(run("check", "--strict", "cases/kim.yaml")) == (
        0,
        "1 case file checked: 0 warnings, 0 acknowledged\n",
        "",
    )


def test_check_shows_the_reason_of_an_acknowledged_warning(run, tmp_path):
    text = GAP + "acknowledged:\n  - code: plan-gap\n    reason: Jo is on leave that week.\n"
    write_case(tmp_path / "cases", text, "jo.yaml")
    assert outcome(run("check", "--strict")) == (
        0,
        "cases/jo.yaml:49:11: acknowledged [plan-gap] (1 warning): Jo is on leave that week.\n"
        "1 case file checked: 0 warnings, 1 acknowledged\n",
        "",
    )


def test_check_of_an_invalid_case_fails_with_its_problems(run, tmp_path):
    write_case(tmp_path / "cases", MINIMAL.replace("impact: high", "impact: huge"), "jo.yaml")
    result = run("check")
    assert outcome(result) == (
        1,
        "1 case file checked: 1 invalid, 0 warnings, 0 acknowledged\n",
        "cases/jo.yaml:25:13: risks, item 1, impact: 'huge' is not allowed; "
        "use low, medium or high\n",
    )


def test_validate_shows_the_warnings_and_fails_on_them_only_when_strict(run, tmp_path):
    write_case(tmp_path / "cases", GAP, "jo.yaml")
    said = "1 case file checked: all valid, 1 warning\n"
    assert outcome(run("validate")) == (0, said, WARNING)
    assert outcome(run("validate", "--strict")) == (1, said, WARNING)


def test_build_shows_the_warnings_of_what_it_builds_and_strict_rechecks_the_rest(run, tmp_path):
    write_case(tmp_path / "cases", GAP, "jo.yaml")
    first = run("build")
    assert outcome(first) == (
        0,
        "1 case built: 13 files written, 0 unchanged, 1 warning\n",
        WARNING,
    )
    # Nothing to build: the case is not read again, so its warning is not shown...
    assert outcome(run("build")) == (0, "1 case built: 0 files written, 13 unchanged\n", "")
    # ...unless --strict, which reads it and fails on it.
    assert outcome(run("build", "--strict")) == (
        1,
        "1 case built: 0 files written, 13 unchanged, 1 warning\n",
        WARNING,
    )
    write_case(tmp_path / "cases", MINIMAL, "jo.yaml")  # the gap closed: the plan's files
    assert outcome(run("build", "--strict")) == (
        0,
        "1 case built: 3 files written, 10 unchanged\n",
        "",
    )
