"""Workspaces: commands find theirs from any folder inside it, and say what to do outside one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from artifactgen.cli import main
from artifactgen.inputs import DEFAULT_TEMPLATES
from artifactgen.schema import MODELINE
from artifactgen.workspace import MARKER, find_workspace
from tests.conftest import CASES, EXAMPLES, MINIMAL, ROOT, write_case
from tests.test_noop import heavy_imports


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="artifactgen")


def outside_message(folder: Path) -> str:
    return (
        f"{folder}: not inside an artifactgen workspace (no {MARKER} here or in a folder above); "
        "run 'artifactgen init' to make this folder one\n"
    )


def test_the_repository_is_a_workspace_and_its_cases_point_at_its_schema():
    for folder in (ROOT, ROOT / "cases", ROOT / "tests" / "goldens"):
        assert find_workspace(folder).root == ROOT
    for path in EXAMPLES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MODELINE)
        assert (path.parent / first.removeprefix(MODELINE)).resolve().is_file(), path


def test_commands_run_from_a_subfolder_use_the_workspace(project, monkeypatch):
    monkeypatch.chdir(project / "cases")
    built = run("build")
    assert (built.exit_code, built.stdout) == (0, "3 cases built: 36 files written, 0 unchanged\n")
    assert len(list((project / "output" / "marcus-lee").glob("*.docx"))) == 6
    assert not (project / "cases" / "output").exists()
    status = run("status").stdout.splitlines()
    assert len(status) == 36
    assert status[0].split() == ["../output/marcus-lee/01-decision-snapshot.md", "up", "to", "date"]
    monkeypatch.chdir(project / "output" / "marcus-lee")
    assert run("validate").stdout == "3 case files checked: all valid\n"
    assert run("diff").stdout == "nothing to change: every output is up to date with its case\n"
    modules, said = heavy_imports(project / "output" / "marcus-lee", "build")
    assert (modules, said) == ([], "3 cases built: 0 files written, 36 unchanged\n")
    assert run("clean").stdout == "removed 36 files, kept 0\n"
    assert not (project / "output" / "marcus-lee").exists()


def test_new_from_a_subfolder_writes_into_cases_and_points_at_the_schema(project, monkeypatch):
    monkeypatch.chdir(project / "cases")
    result = run("new", "jordan-smith")
    assert result.stdout == (
        "wrote jordan-smith.yaml; fill it in, then run: artifactgen validate jordan-smith.yaml\n"
    )
    text = (project / "cases" / "jordan-smith.yaml").read_text(encoding="utf-8")
    assert text.startswith(f"{MODELINE}../schema/case.schema.json\n")
    monkeypatch.chdir(project)
    assert run("new", "kim-lee", "--cases-dir", "cases/2026").exit_code == 0
    text = (project / "cases" / "2026" / "kim-lee.yaml").read_text(encoding="utf-8")
    assert text.startswith(f"{MODELINE}../../schema/case.schema.json\n")


def test_the_workspace_templates_override_from_any_subfolder(project, monkeypatch):
    (project / "templates").mkdir()
    (project / "templates" / "_header.md.j2").write_text("# {{ deliverable.title }} (ours)\n")
    monkeypatch.chdir(project / "cases")
    assert run("build", "marcus-lee.yaml").exit_code == 0
    plan = project / "output" / "marcus-lee" / "05-14-day-action-plan.md"
    assert plan.read_text(encoding="utf-8").startswith("# 14-Day Action Plan (ours)\n\nThe first")


@pytest.mark.parametrize(
    "args", [["validate"], ["build"], ["status"], ["diff"], ["clean"], ["new", "jordan-smith"]]
)
def test_outside_a_workspace_a_command_says_how_to_make_one(tmp_path, monkeypatch, args):
    shutil.copytree(CASES, tmp_path / "cases")  # a cases/ folder alone is not a workspace
    monkeypatch.chdir(tmp_path / "cases")
    result = run(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        outside_message(tmp_path / "cases"),
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cases"]


def test_outside_a_workspace_named_files_and_folders_still_work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path, MINIMAL, "jo-park.yaml")
    assert run("validate", "jo-park.yaml").stdout == "1 case file checked: all valid\n"
    built = run("build", "jo-park.yaml", "--out", "out", "--format", "md")
    assert (built.exit_code, built.stdout) == (0, "1 case built: 6 files written, 0 unchanged\n")
    default = (DEFAULT_TEMPLATES / "_header.md.j2").read_text(encoding="utf-8")
    assert default.startswith("# {{ deliverable.title }}\n")
    assert (tmp_path / "out" / "jo-park" / "03-risk-map.md").read_text().startswith("# Risk Map\n")
    assert run("status", "jo-park.yaml").stderr == outside_message(tmp_path), "needs --out"
    assert run("new", "kim-lee", "--cases-dir", "mine").exit_code == 0
    text = (tmp_path / "mine" / "kim-lee.yaml").read_text(encoding="utf-8")
    assert text.startswith(f"{MODELINE}../schema/case.schema.json\n"), "the starter's own line"
