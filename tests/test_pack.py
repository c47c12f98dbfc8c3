"""The client pack: every deliverable as it is on disk, in order, behind a cover and contents."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document

from artifactgen import delivery
from artifactgen.build import Settings
from artifactgen.delivery import Made, make_packs
from artifactgen.templating import DELIVERABLES
from tests.coach_edits import EDITS, png
from tests.conftest import make_workspace
from tests.helpers import schema_errors
from tests.test_build import run

# The deliverables every case has; Priya's case adds the Interview Brief.
SIX = tuple(item for item in DELIVERABLES if item.needs is None)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARCUS = Path("output/marcus-lee")
PACK = MARCUS / "marcus-lee-client-pack.docx"


def blocks(document: Document) -> list[tuple[str, str, str]]:
    """(kind, style, text) of each body paragraph and table cell, empty paragraphs left out:
    what python-docx reads, independently of artifactgen's own reader."""
    found = []
    for element in document.element.body:
        if element.tag == f"{W}p":
            paragraph = docx.text.paragraph.Paragraph(element, document)
            numbered = element.find(f"{W}pPr/{W}numPr") is not None
            if paragraph.text.strip():
                kind = "list" if numbered or paragraph.style.name.startswith("List") else "p"
                found.append((kind, paragraph.style.name, paragraph.text))
        elif element.tag == f"{W}tbl":
            table = docx.table.Table(element, document)
            for row in table.rows:
                found += [("cell", "", cell.text) for cell in row.cells]
    return found


def member_blocks(folder: Path) -> list[list[tuple[str, str, str]]]:
    return [blocks(docx.Document(str(folder / f"{item.stem}.docx"))) for item in SIX]


def built(project: Path) -> None:
    result = run("build")
    assert result.exit_code == 0, result.output


def test_the_pack_holds_every_deliverable_in_order_with_headings_lists_and_tables(project):
    built(project)
    result = run("pack")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "wrote output/marcus-lee/marcus-lee-client-pack.docx\n"
        "wrote output/priya-shah/priya-shah-client-pack.docx\n"
        "wrote output/tomas-berg/tomas-berg-client-pack.docx\n"
        "3 files written, 0 unchanged\n"
    )
    pack = docx.Document(str(PACK))
    found = blocks(pack)
    cover = [text for _, _, text in found[:8]]
    assert cover[:3] == [
        "Client pack",
        "Marcus Lee",
        "Director of Product at a mid-size SaaS company",
    ]
    assert cover[3:6] == [
        "Coach: Dana Ortiz (dana@example.com)",
        "Session: Friday 20 November 2026",
        "Confidential: prepared for Marcus Lee alone. Please do not share it further.",
    ]
    assert cover[6] == "Contents"
    instructions = "".join(t.text or "" for t in pack.element.body.iter(f"{W}instrText"))
    assert instructions.strip() == 'TOC \\h \\z \\t "Title,1"'
    members = member_blocks(MARCUS)
    assert found[8:] == [block for member in members for block in member]
    titles = [text for kind, style, text in found if style == "Title"]
    assert titles == [item.title for item in SIX]
    assert sum(1 for kind, _, _ in found if kind == "cell") > 50
    assert sum(1 for kind, _, _ in found if kind == "list") > 20
    # The deliverables start on new pages: a section per deliverable, none continuous.
    sections = list(pack.element.body.iter(f"{W}sectPr"))
    assert len(sections) == 1 + len(SIX)
    assert not [s for s in sections if s.find(f"{W}type") is not None]
    assert sections[0].find(f"{W}titlePg") is not None  # no header on the cover page
    assert schema_errors(PACK.read_bytes()) == []


def test_numbered_lists_restart_in_the_pack_as_in_the_members(project):
    built(project)
    run("pack", "cases/marcus-lee.yaml")

    def starts(document: Document) -> list[str]:
        """The numId of each numbered list's first item: a new list, a new numId."""
        found, previous = [], None
        for paragraph in document.element.body.iter(f"{W}p"):
            number = paragraph.find(f"{W}pPr/{W}numPr/{W}numId")
            style = paragraph.find(f"{W}pPr/{W}pStyle")
            if number is not None and style is not None and style.get(f"{W}val") == "ListNumber":
                if number.get(f"{W}val") != previous:
                    found.append(number.get(f"{W}val"))
                previous = number.get(f"{W}val")
            else:
                previous = None
        return found

    lists = sum(len(starts(docx.Document(str(MARCUS / f"{item.stem}.docx")))) for item in SIX)
    in_pack = starts(docx.Document(str(PACK)))
    assert lists >= 3 and len(in_pack) == lists
    assert len(set(in_pack)) == len(in_pack)  # each list numbered on its own, from 1


def header_picture(document: Document) -> None:
    document.sections[0].header.paragraphs[0].add_run().add_picture(io.BytesIO(png()))


EDITS = {**EDITS, "header picture": header_picture}
KINDS = [
    "text",
    "picture",
    "header picture",
    "header text",
    "footer text",
    "comment",
    "tracked insertion",
    "heading 1 colour",
    "margins",
]


@pytest.mark.parametrize("kind", KINDS)
def test_a_hand_edit_to_a_deliverable_is_in_the_pack(project, kind):
    built(project)
    snapshot = MARCUS / "01-decision-snapshot.docx"
    document = docx.Document(str(snapshot))
    EDITS[kind](document)
    document.save(str(snapshot))
    result = run("pack", "cases/marcus-lee.yaml", "--unresolved", "proceed")
    assert result.exit_code == 0, result.output
    pack = docx.Document(str(PACK))
    first = pack.sections[1]  # the Decision Snapshot's section
    if kind == "text":
        assert any(p.text.endswith(" Or not.") for p in pack.paragraphs)
    elif kind == "picture":
        with zipfile.ZipFile(PACK) as package:
            media = [name for name in package.namelist() if name.startswith("word/media/")]
            assert [package.read(name) for name in media] == [png()]
        assert len(list(pack.element.body.iter(f"{W}drawing"))) == 1
    elif kind == "header picture":
        with zipfile.ZipFile(PACK) as package:
            media = [name for name in package.namelist() if name.startswith("word/media/")]
            assert [package.read(name) for name in media] == [png()]
        assert len(list(first.header._element.iter(f"{W}drawing"))) == 1
        assert first.header.part.related_parts  # the picture's relationship came along
        assert not list(pack.sections[2].header._element.iter(f"{W}drawing"))
    elif kind == "header text":
        assert first.header.paragraphs[0].text.endswith(" DRAFT")
        assert not pack.sections[2].header.paragraphs[0].text.endswith(" DRAFT")
    elif kind == "footer text":
        assert "(draft)" in first.footer.paragraphs[0].text
    elif kind == "comment":
        comments = list(pack.comments)
        assert [c.text for c in comments] == ["Still true?"]
        anchors = [r.get(f"{W}id") for r in pack.element.body.iter(f"{W}commentReference")]
        assert anchors == [str(comments[0].comment_id)]
    elif kind == "tracked insertion":
        inserted = [
            w.text
            for w in pack.element.body.iter(f"{W}t")
            if w.getparent().getparent().tag == f"{W}ins"
        ]
        assert inserted == [" Or both."]
    elif kind == "heading 1 colour":
        headings = [p for p in pack.paragraphs if p.style.name.lower().startswith("heading 1")]
        colours = {str(p.style.font.color.rgb) for p in headings}
        assert colours == {"C00000", str(pack.styles["Heading 1"].font.color.rgb)}
        assert {p.style.font.color.rgb for p in headings if p.text == "What is true"} == {
            docx.shared.RGBColor(0xC0, 0, 0)
        }
    elif kind == "margins":
        assert first.left_margin == docx.shared.Inches(1.5)
        assert pack.sections[2].left_margin != docx.shared.Inches(1.5)
    assert schema_errors(PACK.read_bytes()) == []


def test_the_pack_is_made_again_only_when_a_member_or_the_cover_changed(
    project, tmp_path_factory, monkeypatch
):
    built(project)
    run("pack")
    packs = {
        path: (path.read_bytes(), path.stat().st_mtime_ns)
        for path in project.glob("output/*/*-client-pack.docx")
    }
    assert run("pack").stdout == "0 files written, 3 unchanged\n"
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in packs} == packs
    # A hand edit to one deliverable: that pack only.
    plan = Path("output/tomas-berg/05-14-day-action-plan.docx")
    document = docx.Document(str(plan))
    document.paragraphs[2].text = "Tomás's own words."
    document.save(str(plan))
    assert run("pack").stdout == (
        "wrote output/tomas-berg/tomas-berg-client-pack.docx\n1 file written, 2 unchanged\n"
    )
    # The cover: the client's role changes in the case.
    case = Path("cases/priya-shah.yaml")
    case.write_text(
        case.read_text(encoding="utf-8").replace(
            "role: Senior Data Analyst", "role: Lead Data Analyst"
        ),
        encoding="utf-8",
    )
    built(project)
    assert run("pack").stdout == (
        "wrote output/priya-shah/priya-shah-client-pack.docx\n1 file written, 2 unchanged\n"
    )
    # The same members give the same bytes, wherever and whenever they are packed.
    other = tmp_path_factory.mktemp("other")
    shutil.copytree(project / "cases", make_workspace(other) / "cases")
    monkeypatch.chdir(other)
    built(other)
    assert run("pack").exit_code == 0
    assert (other / PACK).read_bytes() == (project / PACK).read_bytes()


def test_a_pack_edited_by_hand_is_kept_and_the_new_one_written_beside(project):
    built(project)
    run("pack", "cases/marcus-lee.yaml")
    document = docx.Document(str(PACK))
    document.paragraphs[0].text = "For Marcus, with thanks"
    document.save(str(PACK))
    edited = PACK.read_bytes()
    snapshot = MARCUS / "01-decision-snapshot.docx"
    document = docx.Document(str(snapshot))
    document.paragraphs[2].text = "A new word from the coach."
    document.save(str(snapshot))
    result = run("pack", "cases/marcus-lee.yaml")
    assert result.stdout == (
        "kept output/marcus-lee/marcus-lee-client-pack.docx (edited by hand); the new one is "
        "output/marcus-lee/marcus-lee-client-pack.new.docx\n1 file written, 0 unchanged\n"
    )
    assert PACK.read_bytes() == edited
    beside = docx.Document(str(MARCUS / "marcus-lee-client-pack.new.docx"))
    assert any(p.text == "A new word from the coach." for p in beside.paragraphs)
    assert run("pack", "cases/marcus-lee.yaml").stdout == "0 files written, 1 unchanged\n"


def test_unresolved_tracked_changes_and_comments_refuse_warn_or_proceed(project):
    built(project)
    snapshot = MARCUS / "01-decision-snapshot.docx"
    document = docx.Document(str(snapshot))
    EDITS["comment"](document)
    EDITS["tracked insertion"](document)
    document.save(str(snapshot))
    refused = run("pack")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "output/marcus-lee/01-decision-snapshot.docx still has 1 tracked change and 1 comment\n"
        "accept or reject the tracked changes and resolve the comments in Word (Review tab), "
        "or run again with --unresolved warn to go ahead; nothing was made for marcus-lee\n"
    )
    assert not PACK.exists()
    assert refused.stdout.endswith("2 files written, 0 unchanged\n")  # the other two cases
    warned = run("pack", "--unresolved", "warn")
    assert warned.exit_code == 0
    assert warned.stderr == (
        "output/marcus-lee/01-decision-snapshot.docx goes out with 1 tracked change and 1 comment\n"
    )
    assert warned.stdout == (
        "wrote output/marcus-lee/marcus-lee-client-pack.docx\n1 file written, 2 unchanged\n"
    )
    PACK.unlink()
    quiet = run("pack", "--unresolved", "proceed")
    assert (quiet.exit_code, quiet.stderr) == (0, "")
    assert PACK.exists()


def test_the_pack_takes_its_members_from_the_deliverable_registry(project, monkeypatch):
    built(project)
    monkeypatch.setattr(delivery, "DELIVERABLES", DELIVERABLES[:2] + DELIVERABLES[4:5])
    report = make_packs([Path("cases/tomas-berg.yaml")], Settings(out_dir=Path("output")))
    assert [item.made for item in report.files] == [Made.WRITTEN]
    pack = docx.Document(str(report.files[0].path))
    titles = [p.text for p in pack.paragraphs if p.style.name == "Title"]
    assert titles == ["Decision Snapshot", "Fork Recommendation", "14-Day Action Plan"]


def test_pack_needs_a_build_first(project):
    result = run("pack", "cases/tomas-berg.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        "cases/tomas-berg.yaml:1:1: no Word files in output/tomas-berg; "
        "run `artifactgen build` first\n"
    )


def test_a_case_changed_since_its_build_is_packed_as_built_with_a_warning(project):
    built(project)
    case = Path("cases/tomas-berg.yaml")
    case.write_text(case.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = run("pack", str(case), "--unresolved", "proceed")
    assert result.exit_code == 0
    assert result.stderr == (
        "cases/tomas-berg.yaml changed since its last build; run `artifactgen build` first to "
        "include the change\n"
    )
    pack = docx.Document("output/tomas-berg/tomas-berg-client-pack.docx")
    assert next(p.text for p in pack.paragraphs if p.style.name == "Title") == "Decision Snapshot"


def test_clean_removes_packs_nobody_edited_and_keeps_an_edited_one(project):
    built(project)
    run("pack")
    edited = Path("output/priya-shah/priya-shah-client-pack.docx")
    document = docx.Document(str(edited))
    document.paragraphs[0].text = "For Priya"
    document.save(str(edited))
    result = run("clean")
    assert result.exit_code == 0, result.output
    assert not PACK.exists() and not Path("output/tomas-berg/tomas-berg-client-pack.docx").exists()
    assert edited.exists() and f"kept {edited}" in result.stdout.splitlines()


def test_packing_leaves_python_docx_writing_core_properties_as_before(project):
    """docxcompose re-maps python-docx's "cp" prefix when imported; the pack undoes that."""
    from artifactgen.docx_reference import build_reference
    from artifactgen.inputs import DEFAULT_TEMPLATES

    built(project)
    assert run("pack", "cases/tomas-berg.yaml").exit_code == 0
    assert build_reference() == (DEFAULT_TEMPLATES / "reference.docx").read_bytes()
