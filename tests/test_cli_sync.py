"""What the coach reads: merge lines, status with what is left to review, diff, Markdown merges."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from artifactgen.cli import main
from artifactgen.diffing import merge_lines
from tests.coach_edits import rewrite_paragraph
from tests.conftest import CASES, make_workspace

PLAN = "output/marcus-lee/05-14-day-action-plan"


@pytest.fixture
def project(tmp_path, monkeypatch):
    (make_workspace(tmp_path) / "cases").mkdir()
    shutil.copy(CASES / "marcus-lee.yaml", tmp_path / "cases")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795338600")
    assert run("build").exit_code == 0
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, list(args), prog_name="artifactgen")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_build_names_tracked_changes_and_conflicts_with_their_heading(project):
    rewrite_paragraph(
        Path(f"{PLAN}.docx"), "Write down his three", "Write down my four best results."
    )
    replace(project / "cases/marcus-lee.yaml", "for next week.", "for Tuesday next week.")
    replace(project / "cases/marcus-lee.yaml", "his three strongest", "his five strongest")
    result = run("build", "--format", "docx")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"merged {PLAN}.docx: 4 tracked changes to review, "
        'a conflict under "☐ Day 2: Sunday 22 November 2026" (see the comments by artifactgen)',
        "1 case built: 1 file written, 5 unchanged, 1 merged into edited files",
    ]
    status = run("status")
    assert (
        f"{PLAN}.docx    edited, with 4 tracked changes and 1 comment by artifactgen to review"
        in (status.stdout)
    )


def test_markdown_conflict_keeps_the_coach_lines_and_writes_the_new_version_beside(project):
    markdown = project / f"{PLAN}.md"
    replace(markdown, "**Write down his three strongest results with numbers.**", "**My line.**")
    replace(project / "cases/marcus-lee.yaml", "for next week.", "for Tuesday next week.")
    replace(project / "cases/marcus-lee.yaml", "his three strongest", "his five strongest")
    result = run("build", "--format", "md")
    assert result.stdout.splitlines()[0] == (
        f"merged {PLAN}.md: 2 changes from the case applied, "
        'a conflict under "☐ Day 2: Sunday 22 November 2026"; '
        f"your lines are kept, the case's version is {PLAN}.new.md"
    )
    text = markdown.read_text(encoding="utf-8")
    assert "**My line.**" in text and "for Tuesday next week." in text
    assert "his five strongest" in (project / f"{PLAN}.new.md").read_text(encoding="utf-8")
    assert f"{PLAN}.new.md  the case's version, beside an edited file" in run("status").stdout


def test_diff_previews_word_by_word_and_changes_nothing(project):
    replace(
        project / "cases/marcus-lee.yaml", "asking for twenty minutes", "asking for half an hour"
    )
    before = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    result = run("diff", "cases/marcus-lee.yaml")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert f"{PLAN}.docx (stale)" in lines
    change = "[-twenty minutes-]{+half an hour+}"
    assert f"  ~ Message three recently promoted VPs asking for {change} each." in lines
    after = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    assert after == before
    run("build")
    assert run("diff").stdout == "nothing to change: every output is up to date with its case\n"


def test_status_lists_backups(project):
    rewrite_paragraph(Path(f"{PLAN}.docx"), "Write down his three", "Mine.")
    assert run("build", "--force").exit_code == 0
    assert f"{PLAN}.backup.docx  backup of an edited file" in run("status").stdout


def test_three_way_line_merge():
    base = ["a\n", "b\n", "c\n", "d\n"]
    ours = ["a\n", "B\n", "c\n", "d\n", "mine\n"]
    theirs = ["a\n", "b\n", "c\n", "D\n"]
    merged = merge_lines(base, ours, theirs)
    assert (merged.lines, merged.conflicts, merged.applied) == (
        ["a\n", "B\n", "c\n", "D\n", "mine\n"],
        [],
        1,
    )
    clash = merge_lines(base, ours, ["a\n", "X\n", "c\n", "d\n"])
    assert (clash.lines, clash.conflicts) == (ours, [1])


def test_a_header_the_coach_edited_keeps_their_text_and_says_what_the_case_wanted(project):
    snapshot = project / "output/marcus-lee/01-decision-snapshot.docx"
    document = docx.Document(str(snapshot))
    document.sections[0].header.paragraphs[0].add_run(" DRAFT")
    document.save(str(snapshot))
    replace(project / "cases/marcus-lee.yaml", "name: Dana Ortiz", "name: Dana Ortiz-Reyes")
    lines = run("build", "--format", "docx").stdout.splitlines()
    assert lines[1] == (
        "  the header was not updated because you edited it; the case's version reads "
        '"Confidential · Prepared for Marcus Lee by Dana Ortiz-Reyes"'
    )
    header = docx.Document(str(snapshot)).sections[0].header._element
    shown = "".join(t.text or "" for t in header.iter(header.tag.replace("hdr", "t")))
    assert shown == "Confidential · Prepared for Marcus Lee by Dana Ortiz DRAFT"


def test_diff_flags_what_would_conflict_with_the_coach(project):
    rewrite_paragraph(Path(f"{PLAN}.docx"), "Write down his three", "Write down my four.")
    replace(project / "cases/marcus-lee.yaml", "his three strongest", "his five strongest")
    lines = run("diff").stdout
    assert (
        f"{PLAN}.docx (edited)\n"
        "  ~ ☐ | 2 | Sun 22 Nov 2026 | Write down his [-three-]{+five+} strongest results with "
        "numbers.\n"
        "  ~ Write down his [-three-]{+five+} strongest results with numbers.\n"
        '  ! a conflict under "☐ Day 2: Sunday 22 November 2026": you changed that text too; '
        "yours will be kept\n"
    ) in lines
