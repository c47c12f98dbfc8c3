"""PDFs through LibreOffice: the pack with its cover and filled-in contents, single deliverables,
and a clear error when LibreOffice is missing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from artifactgen.office import INSTALL_HINT
from artifactgen.templating import DELIVERABLES
from tests.test_build import run

# The deliverables every case has; Priya's case adds the Interview Brief.
SIX = tuple(item for item in DELIVERABLES if item.needs is None)

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice (soffice) and pdftotext (poppler-utils)",
)
TOOL = Path(sys.executable).parent / "artifactgen"


def pages(pdf: Path) -> list[str]:
    """The text of each page, in reading order."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


@pytest.mark.libreoffice
@needs_office
@pytest.mark.parametrize("case_id", ["marcus-lee", "priya-shah"])
def test_the_pack_pdf_has_the_cover_filled_contents_and_each_deliverable_on_its_pages(
    project, case_id
):
    assert run("build").exit_code == 0
    result = run("pack", f"cases/{case_id}.yaml", "--pdf")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"wrote output/{case_id}/{case_id}-client-pack.docx\n"
        f"wrote output/{case_id}/{case_id}-client-pack.pdf\n"
        "2 files written, 0 unchanged\n"
    )
    found = pages(Path(f"output/{case_id}/{case_id}-client-pack.pdf"))
    client = "Marcus Lee" if case_id == "marcus-lee" else "Priya Shah"
    cover = found[0].split()
    assert " ".join(cover[:4]) == f"Client pack {client}"
    assert "Confidential: prepared for" in found[0] and "Session:" in cover
    assert "Page" not in cover  # the cover page has no header or footer
    # The contents: each deliverable with the page it starts on, and it does start there.
    contents = {
        match[1]: int(match[2])
        for match in re.finditer(r"^\s*(\S.*?)\.{3,}\s*(\d+)\s*$", found[1], re.MULTILINE)
    }
    members = DELIVERABLES if case_id == "priya-shah" else SIX  # she has an interview
    assert list(contents) == [item.title for item in members], found[1]
    total = len(found)
    for title, page in contents.items():
        lines = [line.strip() for line in found[page - 1].splitlines() if line.strip()]
        assert lines[0] == f"Confidential · Prepared for {client} by " + (
            "Dana Ortiz" if case_id == "marcus-lee" else "Sam Okafor"
        )
        assert lines[1] == title, (title, page, lines[:3])
        assert lines[-1] == f"Page {page} of {total}"
    # Nothing of one deliverable shares a page with the next: each begins on a new page.
    starts = sorted(contents.values())
    assert starts == sorted(set(starts)) and starts[0] == 3
    assert run("pack", f"cases/{case_id}.yaml", "--pdf").stdout == "0 files written, 2 unchanged\n"


@pytest.mark.libreoffice
@needs_office
def test_pdf_prints_every_deliverable_of_every_case_in_one_run(project):
    assert run("build").exit_code == 0
    result = run("pdf")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("19 files written, 0 unchanged\n")
    for case_id in ("marcus-lee", "priya-shah", "tomas-berg"):
        for item in SIX if case_id != "priya-shah" else DELIVERABLES:
            pdf = Path(f"output/{case_id}/{item.stem}.pdf")
            assert pdf.read_bytes().startswith(b"%PDF"), pdf
            assert item.title in pages(pdf)[0]
    # Only what changed is printed again.
    plan = Path("output/tomas-berg/05-14-day-action-plan.docx")
    document = docx.Document(str(plan))
    document.paragraphs[2].text = "Printed again."
    document.save(str(plan))
    assert run("pdf").stdout == (
        "wrote output/tomas-berg/05-14-day-action-plan.pdf\n1 file written, 18 unchanged\n"
    )


def test_without_libreoffice_a_one_line_error_says_how_to_install_it_and_nothing_is_written(
    project,
):
    assert run("build").exit_code == 0
    before = sorted(str(path) for path in project.rglob("*") if path.is_file())
    empty = project / "no-office"
    empty.mkdir()
    environment = {k: v for k, v in os.environ.items() if k != "ARTIFACTGEN_SOFFICE"}
    environment["PATH"] = str(empty)
    for command in (["pack", "--pdf"], ["pdf"], ["pdf", "cases/tomas-berg.yaml"]):
        result = subprocess.run(
            [str(TOOL), *command], cwd=project, env=environment, capture_output=True, text=True
        )
        assert result.returncode == 1, command
        assert result.stderr == f"soffice: {INSTALL_HINT}\n", command
        assert result.stdout == ""
    assert sorted(str(path) for path in project.rglob("*") if path.is_file()) == before
    assert INSTALL_HINT == (
        "LibreOffice is needed to make PDFs and was not found (no `soffice` on the PATH); "
        "install it from https://www.libreoffice.org/download/ (Debian or Ubuntu: sudo "
        "apt-get install libreoffice-writer; macOS: brew install --cask libreoffice), then run "
        "this again"
    )
    # The Word pack itself needs no LibreOffice.
    result = subprocess.run(
        [str(TOOL), "pack"], cwd=project, env=environment, capture_output=True, text=True
    )
    assert (result.returncode, result.stdout.splitlines()[-1]) == (
        0,
        "3 files written, 0 unchanged",
    )
