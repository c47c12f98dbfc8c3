"""Every kind of hand edit survives a case change, the change arrives, and clean keeps the file."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import docx
import pytest
from lxml import etree

from artifactgen.build import Settings, build
from artifactgen.docx_canon import differing_roles
from artifactgen.docx_merge import revert_own
from artifactgen.inputs import DEFAULT_TEMPLATES
from artifactgen.outcomes import Action
from artifactgen.package import Package
from artifactgen.tidy import clean
from artifactgen.wordml import read_blocks, read_package, serialize
from tests.coach_edits import EDITS
from tests.conftest import CASES

WHEN = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.timezone.utc)
SNAPSHOT = "01-decision-snapshot.docx"
PLAN = "05-14-day-action-plan.docx"
# Each edit is made in a document it applies to, and the case changes another place in it.
CHANGES = {
    SNAPSHOT: ("beat their revenue goals three years", "beat their revenue goals four years"),
    PLAN: ("Message three recently promoted", "Message four recently promoted"),
}


def target_of(kind: str) -> str:
    return PLAN if "table" in kind else SNAPSHOT


def rebuild(project: Path, templates: Path | None = None):
    settings = Settings(out_dir=project / "output", templates_dir=templates)
    report = build([project / "marcus-lee.yaml"], settings, when=WHEN)
    assert not report.failed, report.failed[0].problems
    return {item.path.name: item for item in report.cases[0].files}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copy(CASES / "marcus-lee.yaml", tmp_path / "marcus-lee.yaml")
    rebuild(tmp_path)
    return tmp_path


def snapshot(project: Path, name: str = SNAPSHOT) -> Path:
    return project / "output" / "marcus-lee" / name


def coach_edits(path: Path, kind: str) -> None:
    document = docx.Document(str(path))
    EDITS[kind](document)
    document.save(str(path))


def change_case(project: Path, name: str) -> None:
    old, new = CHANGES[name]
    case = project / "marcus-lee.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def without_own_revisions(data: bytes) -> dict[str, bytes]:
    """The package with artifactgen's tracked changes rejected: what the coach had."""
    files = read_package(data)
    package = Package(files)
    root = package.xml(package.main)
    revert_own(root)
    files[package.main] = serialize(root)
    return files


@pytest.mark.parametrize("kind", list(EDITS))
def test_edit_survives_a_case_change_and_the_change_arrives(project, kind):
    name = target_of(kind)
    target = snapshot(project, name)
    coach_edits(target, kind)
    coach = read_package(target.read_bytes())
    change_case(project, name)
    old, new = CHANGES[name]
    outcome = rebuild(project)[name]
    assert outcome.action is Action.MERGED
    assert outcome.conflicts == []
    merged = target.read_bytes()
    package = Package.open(merged)
    shown = [block.key for block in read_blocks(package.xml(package.main))]
    assert any(new in text for text in shown), "the case change did not arrive"
    assert not any(old in text for text in shown)
    lost = differing_roles(coach, without_own_revisions(merged))
    assert lost == set(), f"a hand edit was lost in {lost}"


@pytest.mark.parametrize("kind", list(EDITS))
def test_clean_keeps_every_kind_of_edit(project, kind):
    target = snapshot(project, target_of(kind))
    coach_edits(target, kind)
    edited = target.read_bytes()
    report = clean(project / "output")
    assert target in report.kept
    assert target.read_bytes() == edited
    assert len(report.removed) == 12


def restyled_reference(tmp_path: Path) -> Path:
    """Overrides holding only a reference DOCX with red Heading 1 and wider margins."""
    templates = tmp_path / "restyled"
    templates.mkdir()
    document = docx.Document(str(DEFAULT_TEMPLATES / "reference.docx"))
    document.styles["Heading 1"].font.color.rgb = docx.shared.RGBColor(0xC0, 0, 0)
    document.sections[0].left_margin = docx.shared.Inches(1.5)
    document.save(str(templates / "reference.docx"))
    return templates


def heading_colour(data: bytes) -> str | None:
    styles = etree.fromstring(read_package(data)["word/styles.xml"])
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    found = styles.xpath("//w:style[@w:styleId='Heading1']/w:rPr/w:color/@w:val", namespaces=ns)
    return found[0] if found else None


def test_house_style_change_reaches_unedited_and_text_edited_files(project, tmp_path):
    coach_edits(snapshot(project), "text")
    outcomes = rebuild(project, restyled_reference(tmp_path))
    assert outcomes["02-fork-recommendation.docx"].action is Action.WRITTEN
    assert outcomes[SNAPSHOT].action is Action.MERGED
    assert outcomes[SNAPSHOT].kept_parts == []
    for name in (SNAPSHOT, "02-fork-recommendation.docx"):
        data = (snapshot(project).parent / name).read_bytes()
        assert heading_colour(data) == "C00000"
        assert b'w:left="2160"' in read_package(data)["word/document.xml"]
    text = docx.Document(str(snapshot(project))).paragraphs[3].text
    assert text.endswith(" Or not.")  # the coach's edit is still there


def test_house_style_change_skips_styles_the_coach_changed(project, tmp_path):
    coach_edits(snapshot(project), "heading 1 size")
    coach_styles = read_package(snapshot(project).read_bytes())["word/styles.xml"]
    outcome = rebuild(project, restyled_reference(tmp_path))[SNAPSHOT]
    assert outcome.action is Action.MERGED
    assert [part.role for part in outcome.kept_parts] == ["styles"]
    assert read_package(snapshot(project).read_bytes())["word/styles.xml"] == coach_styles
