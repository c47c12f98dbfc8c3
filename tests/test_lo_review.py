"""The LibreOffice review harness: Accept All / Reject All on small tracked-change documents."""

from __future__ import annotations

import functools
import itertools
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from tests.lo import LibreOfficeError, Review, needs_uno, review, shows_comments

pytestmark = [pytest.mark.libreoffice, needs_uno]

AUTHOR = "artifactgen"
DATE = "2026-11-21T09:00:00Z"
ids = itertools.count(100)


def revision(kind: str) -> etree._Element:
    element = etree.Element(qn(f"w:{kind}"))
    element.set(qn("w:id"), str(next(ids)))
    element.set(qn("w:author"), AUTHOR)
    element.set(qn("w:date"), DATE)
    return element


def tracked(kind: str, text: str) -> etree._Element:
    """A w:ins or w:del holding one run of `text`."""
    wrapper = revision(kind)
    run = etree.SubElement(wrapper, qn("w:r"))
    t = etree.SubElement(run, qn("w:delText" if kind == "del" else "w:t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return wrapper


def mark_paragraph(paragraph: Paragraph, kind: str) -> None:
    etree.SubElement(paragraph._p.get_or_add_pPr(), qn("w:rPr")).append(revision(kind))


def whole_paragraph(document: Document, kind: str, text: str) -> None:
    paragraph = document.add_paragraph()
    mark_paragraph(paragraph, kind)
    paragraph._p.append(tracked(kind, text))


def word_change() -> Document:
    document = docx.Document()
    document.add_paragraph("Before")
    paragraph = document.add_paragraph("Day 1 is ")
    paragraph._p.append(tracked("del", "Monday"))
    paragraph._p.append(tracked("ins", "Tuesday"))
    document.add_paragraph("After")
    return document


def inserted_paragraph() -> Document:
    document = docx.Document()
    document.add_paragraph("One")
    whole_paragraph(document, "ins", "A new step.")
    document.add_paragraph("Two")
    return document


def deleted_paragraph() -> Document:
    document = docx.Document()
    document.add_paragraph("One")
    whole_paragraph(document, "del", "An old step.")
    document.add_paragraph("Two")
    return document


def table_rows() -> Document:
    """Row 1 is a tracked insertion, row 2 a tracked deletion."""
    document = docx.Document()
    document.add_paragraph("Plan")
    table = document.add_table(rows=0, cols=2)
    for number, kind in enumerate([None, "ins", "del"]):
        row = table.add_row()
        for column, cell in enumerate(row.cells):
            paragraph = cell.paragraphs[0]
            text = f"r{number}c{column}"
            if kind is None:
                paragraph.add_run(text)
                continue
            if kind == "ins":
                mark_paragraph(paragraph, kind)
            paragraph._p.append(tracked(kind, text))
        if kind:
            row._tr.get_or_add_trPr().append(revision(kind))
    document.add_paragraph("End")
    return document


def commented() -> Document:
    document = word_change()
    paragraph = document.add_paragraph("A coach's line")
    document.add_comment(paragraph.runs, text="Check this", author="Dana", initials="DO")
    return document


DOCUMENTS: dict[str, Callable[[], Document]] = {
    "word": word_change,
    "inserted": inserted_paragraph,
    "deleted": deleted_paragraph,
    "table": table_rows,
    "commented": commented,
}


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tracked")
    paths = {}
    for name, build in DOCUMENTS.items():
        paths[name] = folder / f"{name}.docx"
        build().save(paths[name])
    return paths


@pytest.fixture(scope="module")
def reviewed(documents: dict[str, Path]) -> Callable[[str], dict[str, Review]]:
    """One LibreOffice call per mode, for all documents at once."""

    @functools.cache
    def run(mode: str) -> dict[str, Review]:
        return dict(zip(documents, review(list(documents.values()), mode), strict=True))

    return run


def test_reviews_come_back_in_order(reviewed, documents):
    assert [r.path for r in reviewed("accept").values()] == list(documents.values())


def test_loaded_document_shows_every_revision(reviewed):
    as_loaded = reviewed("none")
    assert as_loaded["word"].texts == ["Before", "Day 1 is MondayTuesday", "After"]
    assert as_loaded["word"].redlines == 2
    assert as_loaded["inserted"].redlines == 1
    assert as_loaded["deleted"].redlines == 1
    assert as_loaded["table"].redlines >= 2


@pytest.mark.parametrize("mode", ["accept", "reject"])
def test_no_revision_remains(reviewed, mode):
    assert {name: r.redlines for name, r in reviewed(mode).items()} == dict.fromkeys(DOCUMENTS, 0)


def test_word_change(reviewed):
    assert reviewed("accept")["word"].texts == ["Before", "Day 1 is Tuesday", "After"]
    assert reviewed("reject")["word"].texts == ["Before", "Day 1 is Monday", "After"]


def test_inserted_paragraph(reviewed):
    assert reviewed("accept")["inserted"].texts == ["One", "A new step.", "Two"]
    assert reviewed("reject")["inserted"].texts == ["One", "Two"]


def test_deleted_paragraph(reviewed):
    assert reviewed("accept")["deleted"].texts == ["One", "Two"]
    assert reviewed("reject")["deleted"].texts == ["One", "An old step.", "Two"]


def test_table_rows(reviewed):
    accepted, rejected = reviewed("accept")["table"], reviewed("reject")["table"]
    assert accepted.table(0) == [["r0c0", "r0c1"], ["r1c0", "r1c1"]]
    assert rejected.table(0) == [["r0c0", "r0c1"], ["r2c0", "r2c1"]]
    assert accepted.paragraphs == rejected.paragraphs == ["Plan", "End"]
    assert [block.cell for block in accepted.blocks[1:3]] == [(0, 0, 0), (0, 0, 1)]


def test_document_with_a_comment(reviewed):
    accepted, rejected = reviewed("accept")["commented"], reviewed("reject")["commented"]
    assert accepted.texts == ["Before", "Day 1 is Tuesday", "After", "A coach's line"]
    assert rejected.texts == ["Before", "Day 1 is Monday", "After", "A coach's line"]
    if shows_comments():
        assert (accepted.comments, accepted.stripped_comments) == (1, 0)
    else:
        assert (accepted.comments, accepted.stripped_comments) == (0, 1)


def test_comment_anchors_crash_libreoffice_without_writer_ui(documents):
    """libreoffice-writer-nogui lacks modules/swriter/ui/annotation.ui: a comment kills soffice."""
    if shows_comments():
        assert review([documents["commented"]], "none", strip_comments="never")[0].comments == 1
    else:
        with pytest.raises(LibreOfficeError, match="soffice died"):
            review([documents["commented"]], "none", strip_comments="never")


def test_stored_result_has_no_revisions(documents, tmp_path):
    (result,) = review([documents["word"]], "accept", out_dir=tmp_path)
    assert result.stored == tmp_path / "word.accept.docx"
    with zipfile.ZipFile(result.stored) as package:
        body = package.read("word/document.xml").decode()
    assert "Tuesday" in body and "Monday" not in body
    assert "<w:ins " not in body and "<w:del " not in body
    assert [p.text for p in docx.Document(str(result.stored)).paragraphs] == result.texts


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(LibreOfficeError, match="no such file"):
        review([tmp_path / "absent.docx"], "accept")
