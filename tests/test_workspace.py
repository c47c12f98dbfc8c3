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
    assert (built.exit_code, built.stdout) == (0, "3 cases built: 41 files written, 0 unchanged\n")
    assert len(list((project / "output" / "marcus-lee").glob("*.docx"))) == 6
    assert not (project / "cases" / "output").exists()
    status = run("status").stdout.splitlines()
    assert len(status) == 42
    assert status[-1] == "41 files: all up to date"
    assert status[0].split() == ["../output/marcus-lee/01-decision-snapshot.md", "up", "to", "date"]
    monkeypatch.chdir(project / "output" / "marcus-lee")
    assert run("validate").stdout == "3 case files checked: all valid\n"
    assert run("diff").stdout == "nothing to change: every output is up to date with its case\n"
    modules, said = heavy_imports(project / "output" / "marcus-lee", "build")
    assert (modules, said) == ([], "3 cases built: 0 files written, 41 unchanged\n")
    assert run("clean").stdout == "removed 41 files, kept 0\n"
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
    assert (built.exit_code, built.stdout) == (0, "1 case built: 7 files written, 0 unchanged\n")
    default = (DEFAULT_TEMPLATES / "_header.md.j2").read_text(encoding="utf-8")
    assert default.startswith("# {{ deliverable.title }}\n")
    assert (tmp_path / "out" / "jo-park" / "03-risk-map.md").read_text().startswith("# Risk Map\n")
    assert run("status", "jo-park.yaml").stderr == outside_message(tmp_path), "needs --out"
    assert run("new", "kim-lee", "--cases-dir", "mine").exit_code == 0
    text = (tmp_path / "mine" / "kim-lee.yaml").read_text(encoding="utf-8")
    assert text.startswith(f"{MODELINE}../schema/case.schema.json\n"), "the starter's own line"


INIT_FILES = [
    "Makefile",
    "README.txt",
    "artifactgen.toml",
    "cases/marcus-lee.yaml",
    "docs/case-format.md",
    "schema/case.schema.json",
]
NEXT = "artifactgen new jordan-smith (or make new CASE=jordan-smith), fill it in, and run make"


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_init_makes_a_workspace_whose_example_builds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init", "coaching")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        *(f"wrote coaching/{name}" for name in INIT_FILES),
        "made coaching/output/",
        f"coaching is an artifactgen workspace; next: cd coaching, then {NEXT}",
    ]
    workspace = tmp_path / "coaching"
    assert files_under(workspace) == INIT_FILES
    assert (workspace / "output").is_dir()
    schema = (workspace / "schema" / "case.schema.json").read_text(encoding="utf-8")
    assert schema == run("schema").stdout
    example = workspace / "cases" / "marcus-lee.yaml"
    first = example.read_text(encoding="utf-8").splitlines()[0]
    assert (example.parent / first.removeprefix(MODELINE)).resolve() == (
        workspace / "schema" / "case.schema.json"
    )
    monkeypatch.chdir(workspace / "cases")
    assert run("validate").stdout == "1 case file checked: all valid\n"
    assert run("build").stdout == "1 case built: 13 files written, 0 unchanged\n"
    assert len(list((workspace / "output" / "marcus-lee").glob("0*"))) == 12


def test_init_without_a_folder_makes_this_folder_a_workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init")
    assert result.stdout.splitlines()[0] == "wrote Makefile"
    last = result.stdout.splitlines()[-1]
    assert last == f"this folder is an artifactgen workspace; next: {NEXT}"
    assert files_under(tmp_path) == INIT_FILES


def test_the_workspace_files_are_this_repositorys(tmp_path):
    """The example, the case format and the marker in the package are copies of the ones here:
    after changing one here, copy it to src/artifactgen/defaults/workspace/ too."""
    assert run("init", str(tmp_path / "ws")).exit_code == 0
    for name in ("cases/marcus-lee.yaml", "docs/case-format.md", "artifactgen.toml"):
        assert (tmp_path / "ws" / name).read_bytes() == (ROOT / name).read_bytes(), name


def test_init_never_overwrites_a_file_and_then_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ws" / "cases").mkdir(parents=True)
    (tmp_path / "ws" / "Makefile").write_text("all:\n\techo mine\n")
    (tmp_path / "ws" / "cases" / "marcus-lee.yaml").write_text("my own Marcus\n")
    (tmp_path / "ws" / "output").write_text("not a folder\n")
    before = {name: (tmp_path / "ws" / name).read_bytes() for name in files_under(tmp_path / "ws")}
    result = run("init", "ws")
    keep = "already exists; nothing was written, so that it stays as it is"
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"ws/Makefile: {keep}",
        f"ws/cases/marcus-lee.yaml: {keep}",
        f"ws/output: {keep}",
    ]
    after = {name: (tmp_path / "ws" / name).read_bytes() for name in files_under(tmp_path / "ws")}
    assert after == before


def test_init_in_or_inside_a_workspace_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("init", "ws").exit_code == 0
    again = run("init", "ws")
    assert (again.exit_code, again.stdout, again.stderr) == (
        1,
        "",
        "ws/artifactgen.toml: this folder is an artifactgen workspace already\n",
    )
    monkeypatch.chdir(tmp_path / "ws" / "cases")
    inside = run("init", "more")
    assert (inside.exit_code, inside.stderr) == (
        1,
        f"more: is inside the artifactgen workspace {tmp_path / 'ws'}; a workspace cannot hold "
        "another, so pick a folder outside it\n",
    )
    assert not (tmp_path / "ws" / "cases" / "more").exists()
    (tmp_path / "file").write_text("x")
    monkeypatch.chdir(tmp_path)
    result = run("init", "file")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        "Error: Invalid value for '[DIRECTORY]': Directory 'file' is a file.",
    )


def test_template_lists_copies_and_the_copy_overrides(project, monkeypatch):
    monkeypatch.chdir(project / "cases")
    listed = run("template").stdout.splitlines()
    assert listed[2].split() == ["03-risk-map.md.j2", "built", "in"]
    assert len(listed) == 10  # seven deliverables, two partials, the reference
    copied = run("template", "03-risk-map.md.j2")
    assert copied.stdout == (
        "wrote ../templates/03-risk-map.md.j2; change it, then run: artifactgen build\n"
    )
    override = project / "templates" / "03-risk-map.md.j2"
    assert override.read_bytes() == (DEFAULT_TEMPLATES / override.name).read_bytes()
    assert run("template").stdout.splitlines()[2].split() == [
        "03-risk-map.md.j2",
        "yours:",
        "../templates/03-risk-map.md.j2",
    ]
    override.write_text("# Risks, our way\n", encoding="utf-8")
    assert run("build", "marcus-lee.yaml").exit_code == 0
    risk_map = project / "output" / "marcus-lee" / "03-risk-map.md"
    assert risk_map.read_text(encoding="utf-8") == "# Risks, our way\n"
    refused = run("template", "03-risk-map.md.j2", "nope.j2")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        "../templates/03-risk-map.md.j2: already exists; edit it there",
        "nope.j2: no such built-in template; use one of: 01-decision-snapshot.md.j2, "
        "02-fork-recommendation.md.j2, 03-risk-map.md.j2, 04-conversation-scripts.md.j2, "
        "05-14-day-action-plan.md.j2, 06-30-day-roadmap.md.j2, 07-interview-brief.md.j2, "
        "_header.md.j2, _landscape.md.j2, reference.docx",
    ]
    assert override.read_text(encoding="utf-8") == "# Risks, our way\n"


@pytest.mark.parametrize("command", ["init", "template"])
def test_init_and_template_help_have_an_example(command):
    assert "Example:\n    artifactgen " in run(command, "--help").stdout


def test_a_new_case_points_at_the_case_format_and_schema_its_workspace_has(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run("init", "ws")
    monkeypatch.chdir(tmp_path / "ws")
    assert run("new", "jordan-smith").exit_code == 0
    lines = (tmp_path / "ws" / "cases" / "jordan-smith.yaml").read_text().splitlines()
    schema = lines[0].removeprefix(MODELINE)
    assert (tmp_path / "ws" / "cases" / schema).resolve().is_file()
    pointer = next(line for line in lines if "docs/case-format.md" in line)
    assert pointer.startswith("# ") and "in the workspace folder" in pointer
    assert (tmp_path / "ws" / "docs" / "case-format.md").is_file()
    assert (ROOT / "docs" / "case-format.md").is_file()
