"""The real office suite: every example DOCX opens in LibreOffice, its PDF reads as the case,
and its re-save is no edit."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from artifactgen.build import Settings, build, status
from artifactgen.case import load_case
from artifactgen.templating import deliverables_for
from tests.conftest import CASES, EXAMPLES

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]


def soffice(tmp_path: Path, target: str, out: Path, files: list[Path]) -> None:
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
         "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("output")
    report = build([CASES], Settings(out_dir=out))
    assert not report.failed
    return out


@pytest.fixture(scope="module")
def pdfs(built, tmp_path_factory) -> Path:
    """Every example DOCX converted to PDF by LibreOffice, into a folder per case."""
    out, profile = tmp_path_factory.mktemp("pdf"), tmp_path_factory.mktemp("profile")
    for folder in sorted({document.parent for document in built.rglob("*.docx")}):
        soffice(profile, "pdf", out / folder.name, sorted(folder.glob("*.docx")))
    return out


def test_every_example_docx_converts_to_pdf(built, pdfs):
    documents = sorted(built.rglob("*.docx"))
    assert len(documents) == 19  # six per case, and Priya's Interview Brief
    for document in documents:
        pdf = pdfs / document.parent.name / f"{document.stem}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF"), document


def pdf_words(pdf: Path) -> list[str]:
    assert PDFTOTEXT is not None
    result = subprocess.run([PDFTOTEXT, str(pdf), "-"], check=True, capture_output=True, text=True)
    return result.stdout.split()


def reads_in_order(words: list[str], text: str) -> bool:
    """Whether the text's words occur in `words` in order, others allowed between them: a table
    cell's lines come out among its neighbours' when its row breaks across a page."""
    remaining = iter(words)
    return all(word in remaining for word in text.split())


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_every_example_pdf_reads_as_its_case(pdfs):
    """LibreOffice lays out what the case says: each PDF shows its deliverable's title and the
    client's name, and the risk map every risk."""
    for path in EXAMPLES:
        case = load_case(path)
        for deliverable in deliverables_for(case):
            text = " ".join(pdf_words(pdfs / path.stem / f"{deliverable.stem}.pdf"))
            assert deliverable.title in text, (path.stem, deliverable.stem, text)
            assert case.client.name in text, (path.stem, deliverable.stem, text)
        risk_map = pdf_words(pdfs / path.stem / "03-risk-map.pdf")
        for risk in case.risks:
            assert reads_in_order(risk_map, risk.risk), (path.stem, risk.id, risk_map)


def test_libreoffice_resave_is_not_a_hand_edit(built, tmp_path):
    folder = built / "marcus-lee"
    resaved = tmp_path / "resaved"
    soffice(tmp_path, "docx:MS Word 2007 XML", resaved, sorted(folder.glob("*.docx")))
    for document in resaved.glob("*.docx"):
        shutil.copy(document, folder / document.name)
    settings = Settings(out_dir=built)
    labels = {
        item.path.name: item.status.value
        for item in status([CASES / "marcus-lee.yaml"], settings).files
    }
    assert labels == {name: "up to date" for name in labels}
    assert len(labels) == 13  # the calendar too


def _page_of(pdf: Path, text: str) -> int:
    pages = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")
    return next(number for number, page in enumerate(pages, start=1) if text in page)


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_a_table_s_introduction_never_ends_a_page_without_it(tmp_path):
    """Pushed down a line at a time past the page end, the line before a table moves with
    the table (Table Intro keeps with the next paragraph); a Normal line would stay behind."""
    import datetime as dt

    from artifactgen.docx_reference import build_reference
    from artifactgen.docx_writer import DocumentProperties, DocxWriter
    from artifactgen.mdtree import parse_markdown

    writer = DocxWriter(build_reference())
    properties = DocumentProperties("T", "A", "S", dt.datetime(2026, 1, 1))
    table = "The introduction.\n\n| Head A | Head B |\n|---|---|\n| one | two |\n| three | four |\n"
    files = []
    for lines in range(24, 34):
        markdown = "".join(f"Filler line {number}.\n\n" for number in range(lines)) + table
        files.append(tmp_path / f"filler-{lines}.docx")
        files[-1].write_bytes(writer.write(parse_markdown(markdown), properties))
    soffice(tmp_path, "pdf", tmp_path, files)
    pages = [
        (
            _page_of(path.with_suffix(".pdf"), "The introduction."),
            _page_of(path.with_suffix(".pdf"), "Head A"),
        )
        for path in files
    ]
    assert all(intro == head for intro, head in pages), pages
    assert {head for _, head in pages} == {1, 2}  # the table did cross the page end
