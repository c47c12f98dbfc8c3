"""Every table of every deliverable, laid out by LibreOffice on A4 and on US Letter, keeps its
words whole and each row on one page: the examples, and a case with 50 risks and long URLs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from artifactgen.build import Settings, build
from artifactgen.inputs import DEFAULT_TEMPLATES
from artifactgen.wordml import read_package, write_package
from tests.conftest import EXAMPLES
from tests.pdf_tables import WHOLE_WORD, check_tables, docx_tables, pdf_words
from tests.stress_case import stress_case

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        SOFFICE is None or shutil.which("pdftotext") is None,
        reason="needs LibreOffice (soffice) and pdftotext (poppler-utils)",
    ),
]
PAGES = {"letter": (12240, 15840), "a4": (11906, 16838)}  # twips
_PAGE_SIZE = re.compile(rb'<w:pgSz w:w="\d+" w:h="\d+"/>')


def with_page(reference: bytes, width: int, height: int) -> bytes:
    """The reference DOCX with its section on another paper size, margins unchanged."""
    files = read_package(reference)
    size = f'<w:pgSz w:w="{width}" w:h="{height}"/>'.encode()
    files["word/document.xml"], found = _PAGE_SIZE.subn(size, files["word/document.xml"])
    assert found == 1
    return write_package(files)


@pytest.fixture(scope="module", params=sorted(PAGES))
def pdfs(request, tmp_path_factory) -> tuple[Path, Path]:
    """(DOCX folder, PDF folder) of every case on one paper size, one case folder per case."""
    root = tmp_path_factory.mktemp(request.param)
    templates = root / "templates"  # overrides the built-in reference only
    templates.mkdir()
    reference = (DEFAULT_TEMPLATES / "reference.docx").read_bytes()
    (templates / "reference.docx").write_bytes(with_page(reference, *PAGES[request.param]))
    stress = root / "stress.yaml"
    stress.write_text(stress_case(), encoding="utf-8")
    built, converted = root / "docx", root / "pdf"
    settings = Settings(out_dir=built, templates_dir=templates, formats=("docx",))
    assert not build([*EXAMPLES, stress], settings).failed
    profile = (root / "lo-profile").as_uri()
    for folder in sorted({document.parent for document in built.rglob("*.docx")}):
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(converted / folder.name), *map(str, sorted(folder.glob("*.docx")))],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    return built, converted


def test_every_table_row_is_on_one_page_with_its_words_whole(pdfs):
    """No word of up to WHOLE_WORD characters (headers, Low/Medium/High, dates, ids, names) is
    broken across lines, and no row is split over two pages: they read as whole words, in
    order, on one page of the PDF. Longer strings (URLs) may wrap anywhere."""
    built, converted = pdfs
    documents = sorted(built.rglob("*.docx"))
    assert len(documents) == 6 * (len(EXAMPLES) + 1) + 1  # and Priya's Interview Brief
    problems = []
    for document in documents:
        pdf = converted / document.parent.name / f"{document.stem}.pdf"
        tables = docx_tables(document.read_bytes())
        assert tables or document.stem == "01-decision-snapshot", document
        name = f"{document.parent.name}/{document.stem}"
        problems += [f"{name}: {problem}" for problem in check_tables(tables, pdf_words(pdf))]
    assert problems == [], f"{len(problems)} rows (words up to {WHOLE_WORD} characters)"
