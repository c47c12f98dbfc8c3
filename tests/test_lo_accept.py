"""In LibreOffice, Accept All gives the case's text and Reject All the coach's, in merged files."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from artifactgen.build import Settings, build
from tests.conftest import CASES
from tests.helpers import schema_errors
from tests.lo import SOFFICE, needs_uno, review

pytestmark = [pytest.mark.libreoffice, needs_uno]

WHEN = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.timezone.utc)
NAMES = ("01-decision-snapshot.docx", "05-14-day-action-plan.docx", "03-risk-map.docx")
COACH_TEXT = "My own wording for this, polished in Word."


def rebuild(case: Path, out: Path) -> None:
    settings = Settings(out_dir=out)
    assert not build([case], settings, when=WHEN).failed


def edit_second_body_paragraph(path: Path) -> None:
    """The coach rewrites the first plain paragraph after the first heading."""
    document = docx.Document(str(path))
    paragraph = next(p for p in document.paragraphs[2:] if p.style.name == "Normal" and p.text)
    for run in paragraph.runs[1:]:
        run.text = ""
    paragraph.runs[0].text = COACH_TEXT
    document.save(str(path))


def change_case(case: Path) -> None:
    """A follow-up session: a corrected word, a new step and a new risk, a dropped step."""
    text = case.read_text(encoding="utf-8")
    text = text.replace("for next week.", "for Tuesday next week.")
    text = text.replace("beat their revenue goals three", "beat their revenue goals four")
    text = text.replace(
        "  - day: 2\n", "  - day: 2\n    action: Draft the one-page strategy memo.\n  - day: 2\n", 1
    )
    start = text.index("  - day: 9\n")
    text = text[:start] + text[text.index("  - day:", start + 5) :]
    risk = text.index("\nconversations:")
    text = (
        text[:risk]
        + "\n  - id: overload\n    risk: Two searches at once wear him out.\n"
        + "    likelihood: low\n    impact: medium\n"
        + "    mitigation: Cap the search at two hours a week.\n"
        + text[risk:]
    )
    case.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def merged(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("merge")
    case = root / "marcus-lee.yaml"
    shutil.copy(CASES / "marcus-lee.yaml", case)
    rebuild(case, root / "output")
    folder = root / "output" / "marcus-lee"
    for name in NAMES:
        edit_second_body_paragraph(folder / name)
    coach = root / "coach"
    coach.mkdir()
    for name in NAMES:
        shutil.copy(folder / name, coach / name)
    change_case(case)
    rebuild(case, root / "output")
    fresh = root / "fresh"
    rebuild(case, fresh)
    return {"merged": folder, "coach": coach, "fresh": fresh / "marcus-lee"}


def shown(paths: list[Path], mode: str) -> list[list[str]]:
    return [[t for t in r.texts if t.strip()] for r in review(paths, mode)]


def test_accept_all_gives_the_case_text_except_where_the_coach_edited(merged):
    paths = [merged["merged"] / name for name in NAMES]
    accepted = shown(paths, "accept")
    fresh = shown([merged["fresh"] / name for name in NAMES], "none")
    coach = shown([merged["coach"] / name for name in NAMES], "none")
    for name, got, want, before in zip(NAMES, accepted, fresh, coach, strict=True):
        # The coach's paragraph replaced one fresh paragraph: the only difference allowed.
        assert COACH_TEXT in got, name
        differing = [(g, f) for g, f in zip(got, want, strict=False) if g != f]
        assert len(got) == len(want), name
        assert [g for g, _ in differing] == [COACH_TEXT], (name, differing)
        assert before != want


def test_reject_all_gives_the_coach_text(merged):
    paths = [merged["merged"] / name for name in NAMES]
    rejected = shown(paths, "reject")
    coach = shown([merged["coach"] / name for name in NAMES], "none")
    for name, got, want in zip(NAMES, rejected, coach, strict=True):
        assert got == want, name


def test_merged_files_are_schema_valid_and_open_in_libreoffice(merged, tmp_path):
    for name in NAMES:
        assert schema_errors((merged["merged"] / name).read_bytes()) == [], name
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *(str(merged["merged"] / n) for n in NAMES)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    for name in NAMES:
        pdf = tmp_path / name.replace(".docx", ".pdf")
        assert pdf.read_bytes().startswith(b"%PDF")
