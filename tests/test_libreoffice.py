"""The real office suite: every example DOCX opens in LibreOffice, and its re-save is no edit."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from artifactgen.build import Settings, build, status
from tests.conftest import CASES, ROOT

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
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
    report = build([CASES], Settings(out_dir=out, templates_dir=ROOT / "templates"))
    assert not report.failed
    return out


def test_every_example_docx_converts_to_pdf(built, tmp_path):
    documents = sorted(built.rglob("*.docx"))
    assert len(documents) == 18
    for folder in sorted({d.parent for d in documents}):
        pdfs = tmp_path / folder.name
        soffice(tmp_path, "pdf", pdfs, sorted(folder.glob("*.docx")))
        for document in folder.glob("*.docx"):
            pdf = pdfs / f"{document.stem}.pdf"
            assert pdf.exists(), document
            assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000


def test_libreoffice_resave_is_not_a_hand_edit(built, tmp_path):
    folder = built / "marcus-lee"
    resaved = tmp_path / "resaved"
    soffice(tmp_path, "docx:MS Word 2007 XML", resaved, sorted(folder.glob("*.docx")))
    for document in resaved.glob("*.docx"):
        shutil.copy(document, folder / document.name)
    settings = Settings(out_dir=built, templates_dir=ROOT / "templates")
    labels = {
        item.path.name: item.status.value
        for item in status([CASES / "marcus-lee.yaml"], settings).files
    }
    assert labels == {name: "up to date" for name in labels}
    assert len(labels) == 12
