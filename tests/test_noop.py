"""Rebuilds do exactly what changed: nothing heavy when nothing did, every job count alike."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import shutil
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest
from docx.shared import Pt

from artifactgen.inputs import DEFAULT_TEMPLATES
from tests.conftest import ROOT, make_workspace
from tests.test_build import edit_docx, run

HEAVY = (
    "pydantic",
    "docx",
    "jinja2",
    "markdown_it",
    "pyromark",
    "ruamel",
    "yaml",
    "lxml",
    "icalendar",
)
IMPORTED = """
import sys
import time
from artifactgen.cli import main
try:
    main(sys.argv[1:], prog_name="artifactgen")
except SystemExit as done:
    code = done.code
print("HEAVY:" + ",".join(sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})))
"""


def heavy_imports(root: Path, *args: str) -> tuple[list[str], str]:
    """The heavy libraries a command imports, and what it printed."""
    code = IMPORTED.format(heavy=set(HEAVY))
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=root, capture_output=True, text=True, check=True
    )
    output, _, modules = result.stdout.rpartition("HEAVY:")
    return [m for m in modules.strip().split(",") if m], output


def outputs(root: Path) -> dict[Path, tuple[bytes, int]]:
    return {
        path.relative_to(root): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted((root / "output").glob("*/*"))
        if path.is_file() and not path.parent.name.startswith(".")
    }


def rewritten(before: dict, after: dict) -> list[str]:
    """The outputs a build wrote (new bytes or a new modification time), as case/name."""
    return sorted(
        f"{path.parent.name}/{path.name}" for path in after if before.get(path) != after[path]
    )


def more_cases(project: Path, count: int) -> None:
    """`count` more case files (.yml), copies of Tomás's case, each with its file name as id."""
    for number in range(count):
        shutil.copy(project / "cases" / "tomas-berg.yaml", project / "cases" / f"t{number}.yml")


def test_a_build_and_status_with_nothing_to_do_import_nothing_heavy(project):
    assert run("build").exit_code == 0
    modules, said = heavy_imports(project, "build")
    assert said == "3 cases built: 0 files written, 41 unchanged\n"
    assert modules == []
    modules, said = heavy_imports(project, "status")
    assert modules == []
    assert said.count("  up to date\n") == 41
    assert said.endswith("\n41 files: all up to date\n")
    for light in (["--version"], ["--help"], ["build", "--help"]):
        assert heavy_imports(project, *light)[0] == [], light
    # The check is real: a case with something to do does import them.
    (project / "output" / "marcus-lee" / "03-risk-map.md").unlink()
    assert set(heavy_imports(project, "build")[0]) >= {"pydantic", "jinja2", "pyromark"}


def test_an_edited_file_stays_edited_and_counted_on_a_build_with_nothing_to_do(project):
    run("build")
    snapshot = project / "output" / "marcus-lee" / "01-decision-snapshot.docx"
    edit_docx(snapshot, "The coach's own words.")
    assert "1 edited and already up to date" in run("build").stdout
    modules, said = heavy_imports(project, "build")
    assert "40 unchanged, 1 edited and already up to date" in said
    assert "docx" not in modules and "pydantic" not in modules
    assert any(
        line.split() == [str(snapshot.relative_to(project)), "edited"]
        for line in run("status").stdout.splitlines()
    )
    assert "The coach's own words." in docx.Document(str(snapshot)).paragraphs[2].text


def test_a_template_change_rewrites_exactly_that_deliverable(project):
    run("build")
    before = outputs(project)
    template = project / "templates" / "03-risk-map.md.j2"  # an override of one template
    template.parent.mkdir()
    default = (DEFAULT_TEMPLATES / template.name).read_text(encoding="utf-8")
    template.write_text(default + "\nReviewed each quarter.\n", encoding="utf-8")
    assert run("build").stdout == "3 cases built: 6 files written, 35 unchanged\n"
    assert rewritten(before, outputs(project)) == [
        f"{case}/03-risk-map.{ext}"
        for case in ("marcus-lee", "priya-shah", "tomas-berg")
        for ext in ("docx", "md")
    ]


def test_a_reference_change_rewrites_every_word_file_and_no_markdown(project):
    run("build")
    before = outputs(project)
    reference = docx.Document(str(DEFAULT_TEMPLATES / "reference.docx"))
    reference.styles["Normal"].font.size = Pt(12.5)
    (project / "templates").mkdir()
    reference.save(str(project / "templates" / "reference.docx"))
    assert run("build").stdout == "3 cases built: 19 files written, 22 unchanged\n"
    assert {Path(name).suffix for name in rewritten(before, outputs(project))} == {".docx"}


def test_a_case_change_rebuilds_only_what_it_touches(project):
    run("build")
    before = outputs(project)
    case = project / "cases" / "priya-shah.yaml"
    text = case.read_text(encoding="utf-8")
    name = text.split("name: ", 1)[1].split("\n", 1)[0]
    case.write_text(text.replace(f"name: {name}", f"name: {name} Jr", 1), encoding="utf-8")
    assert run("build").exit_code == 0
    changed = rewritten(before, outputs(project))
    assert changed and all(item.startswith("priya-shah/") for item in changed)
    # Saving the case file again with the same bytes is not a change.
    os.utime(case, ns=(0, 0))
    assert run("build").stdout == "3 cases built: 0 files written, 41 unchanged\n"


@pytest.mark.parametrize("loss", ["folder", "file", "manifest", "index"])
def test_what_was_deleted_is_built_again(project, loss):
    run("build")
    before = outputs(project)
    folder = project / "output" / "tomas-berg"
    if loss == "folder":
        shutil.rmtree(folder)
    elif loss == "file":
        (folder / "06-30-day-roadmap.docx").unlink()
    elif loss == "manifest":
        (folder / ".artifactgen" / "manifest.json").unlink()
    else:
        (project / "output" / ".artifactgen" / "index.json").unlink()
    result = run("build")
    assert result.exit_code == 0, result.output
    assert {path: data for path, (data, _) in outputs(project).items()} == {
        path: data for path, (data, _) in before.items()
    }
    assert run("build").stdout == "3 cases built: 0 files written, 41 unchanged\n"


def test_a_new_case_cannot_take_the_id_of_a_case_that_has_nothing_to_do(project):
    run("build")
    text = (project / "cases" / "marcus-lee.yaml").read_text(encoding="utf-8")
    (project / "cases" / "zz-copy.yaml").write_text(text, encoding="utf-8")
    result = run("build")
    assert result.exit_code == 1
    assert "case id 'marcus-lee' is already used by cases/marcus-lee.yaml" in result.stderr
    assert "3 cases built: 0 files written, 41 unchanged; 1 case failed" in result.stdout


def test_two_jobs_write_the_same_bytes_as_one(project, tmp_path_factory, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    other = tmp_path_factory.mktemp("one-job")
    shutil.copytree(project / "cases", make_workspace(other) / "cases")
    assert run("build", "--jobs", "2").exit_code == 0
    monkeypatch.chdir(other)
    assert run("build", "--jobs", "1").exit_code == 0
    two = {p: data for p, (data, _) in outputs(project).items()}
    one = {p: data for p, (data, _) in outputs(other).items()}
    assert len(one) == 41 and one == two
    for root in (project, other):
        manifest = root / "output" / "marcus-lee" / ".artifactgen" / "manifest.json"
        assert json.loads(manifest.read_text())["inputs"]["outputs"]


def test_reports_come_in_case_file_order_whatever_the_jobs(project):
    more_cases(project, 6)
    (project / "cases" / "t3.yml").write_text("client: [\n", encoding="utf-8")
    result = run("build", "--jobs", "3")
    assert result.exit_code == 1
    assert result.stderr.startswith("cases/t3.yml:")
    assert result.stdout.endswith("8 cases built: 106 files written, 0 unchanged; 1 case failed\n")


def test_make_builds_every_case_file_in_one_call_and_rebuilds_a_deleted_folder(project):
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, project / name)
    (project / ".venv").mkdir()
    (project / ".venv" / ".installed").touch()  # set up already: use this test's artifactgen
    (project / "cases" / "tomas-berg.yaml").rename(project / "cases" / "tomas-berg.yml")
    tool = Path(sys.executable).parent / "artifactgen"
    make = ["make", "--no-print-directory", "-j2", f"AG={tool}"]

    def built() -> str:
        result = subprocess.run(make, cwd=project, capture_output=True, text=True, check=True)
        calls = [line for line in result.stdout.splitlines() if line.startswith(str(tool))]
        assert calls == [f"{tool} build cases"]
        return result.stdout.splitlines()[-1]

    assert built() == "3 cases built: 41 files written, 0 unchanged"
    assert built() == "3 cases built: 0 files written, 41 unchanged"
    shutil.rmtree(project / "output" / "tomas-berg")
    assert built() == "3 cases built: 13 files written, 28 unchanged"


def test_a_progress_bar_shows_on_a_terminal_and_nowhere_else(project):
    more_cases(project, 5)
    tool = Path(sys.executable).parent / "artifactgen"
    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [tool, "build", "--jobs", "2"], cwd=project, stdout=subprocess.PIPE, stderr=terminal
    ) as process:
        said = process.stdout.read().decode() if process.stdout else ""
    os.close(terminal)
    shown = b""
    with contextlib.suppress(OSError):
        while chunk := os.read(controller, 4096):
            shown += chunk
    os.close(controller)
    assert said.endswith("8 cases built: 106 files written, 0 unchanged\n")
    assert b"] 8/8 cases" in shown and b"[" + b"#" * 30 + b"]" in shown
    assert "cases\r" not in said and "#" not in said
    shutil.rmtree(project / "output")
    result = subprocess.run([tool, "build"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""


def test_workers_end_when_the_build_that_started_them_is_killed(project):
    more_cases(project, 30)
    tool = Path(sys.executable).parent / "artifactgen"
    build = subprocess.Popen([tool, "build", "--jobs", "2"], cwd=project, stdout=subprocess.PIPE)
    children = Path(f"/proc/{build.pid}/task/{build.pid}/children")
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and build.poll() is None:
        workers = [int(pid) for pid in children.read_text().split()]
        time.sleep(0.05)
    assert len(workers) == 2, "the build never started its workers"
    build.kill()
    build.wait()

    def alive(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        return state != "Z"

    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)
    assert run("build").exit_code == 0  # and the next build finishes the work
