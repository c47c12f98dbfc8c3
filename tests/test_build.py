"""Building: twelve files and a calendar per case, hand edits never lost, atomic, deterministic."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from artifactgen.case import load_case
from artifactgen.cli import main
from artifactgen.inputs import DEFAULT_TEMPLATES
from artifactgen.templating import DELIVERABLES, Renderer
from tests.conftest import MINIMAL, write_case


def run(*args):
    return CliRunner().invoke(main, list(args), prog_name="artifactgen")


def squeeze(lines: list[str]) -> list[str]:
    return [" ".join(line.split()) for line in lines]


def edit_docx(path: Path, new_text: str) -> None:
    document = docx.Document(str(path))
    document.paragraphs[2].text = new_text
    document.save(str(path))


def change_case(project: Path) -> None:
    case = project / "cases" / "marcus-lee.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace("Keep pushing", "Keep on pushing"),
        encoding="utf-8",
    )


def test_build_writes_twelve_files_and_a_calendar_per_case_and_two_more_with_an_interview(project):
    result = run("build")
    assert result.exit_code == 0, result.output
    assert result.stdout == "3 cases built: 41 files written, 0 unchanged\n"
    for case_id, count in (("marcus-lee", 13), ("priya-shah", 15), ("tomas-berg", 13)):
        names = sorted(p.name for p in (project / "output" / case_id).iterdir())
        assert len([n for n in names if not n.startswith(".")]) == count


def test_second_build_is_byte_identical_and_writes_nothing(project):
    run("build")
    first = {
        p: p.read_bytes()
        for p in (project / "output").rglob("*")
        if p.is_file() and ".artifactgen" not in p.parts
    }
    result = run("build")
    assert result.stdout == "3 cases built: 0 files written, 41 unchanged\n"
    run("build", "--out", "again")
    for path, data in first.items():
        assert path.read_bytes() == data
        assert (project / "again" / path.relative_to(project / "output")).read_bytes() == data


def test_hand_edit_is_kept_and_the_case_change_arrives_as_a_tracked_change(project):
    run("build", "cases/marcus-lee.yaml")
    target = project / "output/marcus-lee/01-decision-snapshot.docx"
    edit_docx(target, "My own wording, polished in Word.")
    change_case(project)
    result = run("build", "cases/marcus-lee.yaml")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "merged output/marcus-lee/01-decision-snapshot.docx: 1 tracked change to review",
        "1 case built: 1 file written, 11 unchanged, 1 merged into edited files",
    ]
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "My own wording, polished in Word." in text
    assert "Keep on pushing" not in text  # python-docx does not see inside w:ins ...
    assert _inserted_text(target) == " on"  # ... where the case change now waits for review
    assert not (project / "output/marcus-lee/01-decision-snapshot.new.docx").exists()
    status = squeeze(run("status", "cases/marcus-lee.yaml").stdout.splitlines())
    assert (
        "output/marcus-lee/01-decision-snapshot.docx edited, with 1 tracked change "
        "and 0 comments by artifactgen to review"
    ) in status


def _inserted_text(path: Path) -> str:
    document = docx.Document(str(path))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return "".join(
        t.text or "" for ins in document.element.iter(f"{w}ins") for t in ins.iter(f"{w}t")
    )


def test_resaving_without_changes_is_not_an_edit(project):
    run("build", "cases/marcus-lee.yaml")
    target = project / "output/marcus-lee/02-fork-recommendation.docx"
    docx.Document(str(target)).save(str(target))  # re-saved: new bytes, same content
    change_case(project)
    result = run("build", "cases/marcus-lee.yaml")
    assert "kept" not in result.stdout
    assert result.stdout == "1 case built: 2 files written, 11 unchanged\n"


def test_stale_unedited_file_is_replaced(project):
    run("build", "cases/marcus-lee.yaml")
    change_case(project)
    lines = run("status", "cases/marcus-lee.yaml").stdout.splitlines()
    assert "output/marcus-lee/01-decision-snapshot.docx stale" in squeeze(lines)
    assert "output/marcus-lee/02-fork-recommendation.docx up to date" in squeeze(lines)
    assert lines[-1] == (
        "13 files: 11 up to date, 2 stale; `artifactgen build` brings the stale ones up to date"
    )
    run("build", "cases/marcus-lee.yaml")
    lines = run("status", "cases/marcus-lee.yaml").stdout.splitlines()
    assert all(line.endswith("up to date") for line in lines)
    assert lines[-1] == "13 files: all up to date"


def test_force_overwrites_after_keeping_a_backup(project):
    run("build", "cases/marcus-lee.yaml")
    target = project / "output/marcus-lee/01-decision-snapshot.docx"
    edit_docx(target, "First edit.")
    edited = target.read_bytes()
    result = run("build", "--force", "cases/marcus-lee.yaml")
    backup = project / "output/marcus-lee/01-decision-snapshot.backup.docx"
    assert result.stdout.splitlines()[0] == (
        f"replaced {target.relative_to(project)}; the edited copy is now "
        f"{backup.relative_to(project)}"
    )
    assert backup.read_bytes() == edited
    edit_docx(target, "Second edit.")
    run("build", "--force", "cases/marcus-lee.yaml")
    assert backup.read_bytes() == edited
    assert (
        "Second edit."
        in docx.Document(str(project / "output/marcus-lee/01-decision-snapshot.backup-2.docx"))
        .paragraphs[2]
        .text
    )


def test_edited_markdown_is_kept_when_the_case_did_not_change(project):
    run("build", "--format", "md", "cases/tomas-berg.yaml")
    target = project / "output/tomas-berg/03-risk-map.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nMy note.\n", encoding="utf-8")
    result = run("build", "--format", "md", "cases/tomas-berg.yaml")
    assert result.stdout == (
        "1 case built: 0 files written, 6 unchanged, 1 edited and already up to date\n"
    )
    assert target.read_text(encoding="utf-8").endswith("My note.\n")


def test_clean_never_deletes_an_edited_file(project):
    run("build", "cases/marcus-lee.yaml")
    target = project / "output/marcus-lee/04-conversation-scripts.docx"
    edit_docx(target, "Edited.")
    result = run("clean")
    assert result.stdout.splitlines() == [
        "kept output/marcus-lee/04-conversation-scripts.docx",
        "removed 12 files, kept 1",
    ]
    assert sorted(p.name for p in (project / "output/marcus-lee").iterdir()) == [
        ".artifactgen",
        "04-conversation-scripts.docx",
    ]


def test_bad_case_writes_nothing_and_others_still_build(project):
    write_case(project / "cases", MINIMAL.replace("impact: high", "impact: huge"), "bad-one.yaml")
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        "cases/bad-one.yaml:25:13: risks, item 1, impact: 'huge' is not allowed; "
        "use low, medium or high\n"
    )
    assert result.stdout == "3 cases built: 41 files written, 0 unchanged; 1 case failed\n"
    assert not (project / "output" / "bad-one").exists()


def test_interrupted_write_leaves_the_previous_file(project, monkeypatch):
    run("build", "cases/marcus-lee.yaml")
    target = project / "output/marcus-lee/01-decision-snapshot.md"
    before = target.read_bytes()
    change_case(project)

    def crash(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    result = run("build", "cases/marcus-lee.yaml")
    assert result.exit_code == 1
    assert result.stderr.startswith("output/marcus-lee/.artifactgen/objects/")
    assert result.stderr.endswith(": cannot write: No space left on device\n")
    assert target.read_bytes() == before
    leftovers = [p for p in target.parent.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_reference_docx_command_writes_the_default_and_never_overwrites(project):
    result = run("reference-docx", "style.docx")
    assert (result.exit_code, result.stdout) == (0, "wrote style.docx\n")
    assert (project / "style.docx").read_bytes() == (
        DEFAULT_TEMPLATES / "reference.docx"
    ).read_bytes()
    again = run("reference-docx", "style.docx")
    assert (again.exit_code, again.stderr) == (
        1,
        "style.docx: already exists; move it away first or pick another path\n",
    )


@pytest.mark.parametrize("command", ["build", "status", "clean", "reference-docx"])
def test_help_has_an_example(command):
    assert "Example:\n    artifactgen " in run(command, "--help").stdout


def test_a_save_during_the_build_is_never_overwritten(project, monkeypatch):
    import artifactgen.sync

    run("build", "cases/marcus-lee.yaml")
    target = project / "output/marcus-lee/01-decision-snapshot.docx"
    edit_docx(target, "My first edit.")
    change_case(project)
    real_merge = artifactgen.sync.merge_docx

    def merge_while_the_coach_saves(*args, **kwargs):
        merged = real_merge(*args, **kwargs)
        edit_docx(target, "Saved in Word while the build ran.")
        return merged

    monkeypatch.setattr(artifactgen.sync, "merge_docx", merge_while_the_coach_saves)
    result = run("build", "cases/marcus-lee.yaml")
    saved_during = target.read_bytes()
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "left output/marcus-lee/01-decision-snapshot.docx as it is: it changed while the build "
        "was running; run the build again to update it"
    )
    assert docx.Document(str(target)).paragraphs[2].text == "Saved in Word while the build ran."
    monkeypatch.setattr(artifactgen.sync, "merge_docx", real_merge)
    again = run("build", "cases/marcus-lee.yaml")
    assert again.stdout.startswith("merged output/marcus-lee/01-decision-snapshot.docx")
    assert target.read_bytes() != saved_during
    assert docx.Document(str(target)).paragraphs[2].text == "Saved in Word while the build ran."


def test_a_save_while_the_new_files_are_flushed_to_disk_is_never_overwritten(project, monkeypatch):
    import artifactgen.writes

    run("build", "cases/marcus-lee.yaml")
    change_case(project)
    target = project / "output/marcus-lee/01-decision-snapshot.docx"
    real_flush = artifactgen.writes._flush

    def flush_while_the_coach_saves(paths):
        edit_docx(target, "Saved in Word while the build ran.")
        real_flush(paths)

    monkeypatch.setattr(artifactgen.writes, "_flush", flush_while_the_coach_saves)
    result = run("build", "cases/marcus-lee.yaml")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "left output/marcus-lee/01-decision-snapshot.docx as it is: it changed while the build "
        "was running; run the build again to update it"
    )
    assert docx.Document(str(target)).paragraphs[2].text == "Saved in Word while the build ran."
    monkeypatch.setattr(artifactgen.writes, "_flush", real_flush)
    again = run("build", "cases/marcus-lee.yaml")
    assert again.stdout.startswith("merged output/marcus-lee/01-decision-snapshot.docx")
    assert docx.Document(str(target)).paragraphs[2].text == "Saved in Word while the build ran."


def tomas_with_id(project: Path) -> str:
    """Tomas's case with its id written out, as a copied case keeps it."""
    text = (project / "cases/tomas-berg.yaml").read_text(encoding="utf-8")
    return text.replace("schema_version: 1", "schema_version: 1\nid: tomas-berg")


@pytest.mark.parametrize("copy", ["zz-copy.yaml", "a-copy.yaml"])
def test_a_copied_case_is_refused_and_never_blocks_the_original(project, copy):
    write_case(project / "cases", tomas_with_id(project), copy)
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        f"cases/{copy}:3:5: case id 'tomas-berg' is already used by "
        "cases/tomas-berg.yaml; give this case its own `id:`\n"
    )
    assert result.stdout == "3 cases built: 41 files written, 0 unchanged; 1 case failed\n"


def test_the_case_file_a_folder_was_built_from_keeps_its_id(project):
    text = tomas_with_id(project)
    (project / "cases/tomas-berg.yaml").unlink()
    write_case(project / "cases", text, "tomas.yaml")
    assert run("build", "cases/tomas.yaml").exit_code == 0
    write_case(project / "cases", text, "a-copy.yaml")
    result = run("build")
    assert result.stderr == (
        "cases/a-copy.yaml:3:5: case id 'tomas-berg' is already used by "
        "cases/tomas.yaml; give this case its own `id:`\n"
    )


def test_a_case_whose_id_changes_during_the_build_is_not_built(project, monkeypatch):
    """Ids are settled before any case is built; a file changed in between is left for the
    next build rather than written into a folder nobody checked it may use."""
    from artifactgen import casework

    claim = casework.scan_claim

    def claim_then_edit(path):
        found = claim(path)
        if path.name == "tomas-berg.yaml":
            path.write_text(tomas_with_id(project).replace("id: tomas-berg", "id: t-berg"))
        return found

    monkeypatch.setattr(casework, "scan_claim", claim_then_edit)
    result = run("build", "--jobs", "1")
    assert result.stderr == (
        "cases/tomas-berg.yaml:3:5: the file changed while the build was running; build again\n"
    )
    assert not (project / "output/t-berg").exists()
    assert not (project / "output/tomas-berg").exists()
    monkeypatch.setattr(casework, "scan_claim", claim)
    assert run("build").exit_code == 0
    assert (project / "output/t-berg").is_dir()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_id_misread_by_the_quick_read_is_claimed_again_and_built(project, jobs):
    """Ids are read from `id:` lines without parsing; here the only such line is inside a
    quoted text, so the quick read is wrong. Validation catches it and the case still builds
    under its real id (its file name), after every claim is checked properly."""
    from artifactgen.case import scan_claim

    path = project / "cases/tomas-berg.yaml"
    role = "  role: Engineering Manager, Payments\n"
    path.write_text(path.read_text().replace(role, '  role: "Manager,\nid: nobody\n  Payments"\n'))
    assert scan_claim(path).case_id == "nobody"  # the quick read is fooled
    result = run("build", "--jobs", jobs)
    assert (result.exit_code, result.stderr) == (0, "")
    assert len(list((project / "output/tomas-berg").glob("0*"))) == 12
    assert not (project / "output/nobody").exists()
    assert "3 cases built" in result.stdout


def test_a_folder_where_a_document_belongs_fails_that_case_only(project):
    (project / "output/marcus-lee/01-decision-snapshot.docx").mkdir(parents=True)
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        "output/marcus-lee/01-decision-snapshot.docx: this is a folder, where a document "
        "belongs; move or rename it, then build\n"
    )
    assert result.stdout == "2 cases built: 28 files written, 0 unchanged; 1 case failed\n"
    assert not (project / "output/marcus-lee/01-decision-snapshot.md").exists()
    status = run("status")
    assert status.exit_code == 1
    assert "output/priya-shah/03-risk-map.docx" in status.stdout
    assert status.stderr == result.stderr


RISK_MAP = next(item for item in DELIVERABLES if item.stem == "03-risk-map")


def test_markdown_a_template_writes_that_word_cannot_hold_is_named_with_its_template(project):
    templates = project / "my-templates"
    templates.mkdir()
    source = (DEFAULT_TEMPLATES / "03-risk-map.md.j2").read_text(encoding="utf-8")
    (templates / "03-risk-map.md.j2").write_text(source + "\n```\nnotes\n```\n", "utf-8")
    result = run("build", "--templates", str(templates), "cases/marcus-lee.yaml")
    assert result.exit_code == 1
    markdown = Renderer(templates).render(load_case(project / "cases/marcus-lee.yaml"), RISK_MAP)
    fence = markdown.splitlines().index("```") + 1
    assert result.output.splitlines()[0] == (
        "my-templates/03-risk-map.md.j2: the Markdown it writes for case 'marcus-lee' has a "
        f"fenced code block (``` lines) on line {fence}, which Word documents cannot hold; use "
        "headings, paragraphs, lists, quotes, tables, bold, italic, code or links instead"
    )
    assert not (project / "output" / "marcus-lee" / "03-risk-map.docx").exists()


def test_status_ends_with_a_summary_that_says_what_to_do(project):
    run("build", "cases/marcus-lee.yaml")
    edit_docx(project / "output/marcus-lee/01-decision-snapshot.docx", "My own words.")
    change_case(project)
    (project / "output/marcus-lee/06-30-day-roadmap.md").unlink()
    run("build", "cases/marcus-lee.yaml", "--format", "docx")  # the change reaches the edit
    summary = run("status", "cases/marcus-lee.yaml").stdout.splitlines()[-1]
    assert summary == (
        "13 files: 10 up to date, 1 stale, 1 edited, 1 missing; 1 with artifactgen's changes to "
        "review in Word; `artifactgen build` brings the stale and missing ones up to date"
    )
