"""The direct WordprocessingML writer, read back by python-docx as an independent reader."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys

import docx
import pytest
from docx.shared import Cm, Pt
from lxml import etree

from artifactgen.columns import TableText
from artifactgen.docx_package import content_dump, open_docx
from artifactgen.docx_reference import build_reference
from artifactgen.docx_template import Reference
from artifactgen.docx_writer import DocumentProperties, DocxWriter
from artifactgen.errors import OutputError
from artifactgen.inputs import DEFAULT_TEMPLATES
from artifactgen.mdtree import parse_markdown
from artifactgen.wordml import read_package, write_package
from tests.conftest import ROOT
from tests.helpers import schema_errors

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PROPERTIES = DocumentProperties("T", "A", "S", dt.datetime(2026, 1, 1))


@pytest.fixture(scope="module")
def writer() -> DocxWriter:
    return DocxWriter(build_reference())


def grid_of(document) -> list[int]:
    return [int(col.get(f"{W}w")) for col in document.tables[0]._tbl.iter(f"{W}gridCol")]


def test_a_2000_row_table_renders_every_row_once_with_one_header_row(writer):
    rows = "".join(f"| risk {n} | *owner* {n} | `R{n}` |\n" for n in range(2000))
    data = writer.write(parse_markdown(f"| Risk | Owner | Id |\n|---|---|---|\n{rows}"), PROPERTIES)
    table = open_docx(data).tables[0]
    assert len(table.rows) == 2001
    headers = [row._tr.find(f"{W}trPr/{W}tblHeader") is not None for row in table.rows]
    assert headers == [True] + [False] * 2000
    assert all(row._tr.find(f"{W}trPr/{W}cantSplit") is not None for row in table.rows)
    texts = [[cell.text for cell in row.cells] for row in table.rows]
    assert texts[0] == ["Risk", "Owner", "Id"]
    assert texts[1:] == [[f"risk {n}", f"owner {n}", f"R{n}"] for n in range(2000)]
    assert schema_errors(data) == []


def test_an_ordered_list_starts_at_its_own_number_and_the_next_list_restarts():
    markdown = "3. c\n4. d\n\ntext\n\n1. a\n   1. nested\n"
    document = open_docx(DocxWriter(build_reference()).write(parse_markdown(markdown), PROPERTIES))
    numbering = document.part.numbering_part.element
    starts = {}
    for paragraph in document.paragraphs:
        number = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
        if number is not None:
            num = numbering.num_having_numId(number.numId.val)
            start = num.find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val")
            starts[paragraph.text] = (number.numId.val, start)
    assert starts["c"] == starts["d"] and starts["c"][1] == "3"
    assert starts["a"][1] == starts["nested"][1] == "1"
    assert len({starts[t][0] for t in ("c", "a", "nested")}) == 3


def test_lists_nested_past_the_deepest_style_still_count_on_their_own():
    markdown = "1. a\n   1. b\n      1. c\n         1. d\n         1. e\n      1. f\n"
    document = open_docx(DocxWriter(build_reference()).write(parse_markdown(markdown), PROPERTIES))
    ids = {p.text: p._p.pPr.numPr.numId.val for p in document.paragraphs}
    assert [p.style.name for p in document.paragraphs][2:] == ["List Number 3"] * 4
    assert ids["c"] == ids["f"] and ids["d"] == ids["e"] and ids["c"] != ids["d"]


def test_column_widths_follow_the_reference_page(tmp_path):
    reference = docx.Document(io.BytesIO(build_reference()))
    section = reference.sections[0]
    section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(1)
    blob = io.BytesIO()
    reference.save(blob)
    data = DocxWriter(blob.getvalue()).write(
        parse_markdown("| a | b |\n|---|---|\n| some words | more words here |\n"), PROPERTIES
    )
    document = open_docx(data)
    written = document.sections[-1]
    usable = (written.page_width - written.left_margin - written.right_margin) // 635
    assert usable > 13000  # landscape: wider than any portrait page
    assert abs(sum(grid_of(document)) - usable) <= 2


LITERAL = "A <tag> & \"quotes\" 'single' ]]> &x; \u00e9\U0001f600"  # &x; is no entity
LINK_TEXT = LITERAL.replace("]", "")  # a bracket would end the link's text


def test_coach_text_is_written_literally(writer):
    markdown = (
        f"# {LITERAL}\n\n"
        f"{LITERAL}  \nnext\\\nline with\ttab\n\n"
        f"| {LITERAL} |\n|---|\n| x |\n\n"
        f"[{LINK_TEXT}](https://example.com/?a=1&b=%22x%22)\n"
    )
    data = writer.write(parse_markdown(markdown), PROPERTIES)
    assert schema_errors(data) == []
    document = open_docx(data)
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == LITERAL
    assert texts[1] == f"{LITERAL}\nnext\nline with\ttab"
    body = read_package(data)["word/document.xml"]
    assert (body.count(b"<w:tab/>"), body.count(b"<w:br/>"), b"\t" in body) == (1, 2, False)
    assert document.tables[0].rows[0].cells[0].text == LITERAL
    (link,) = document.paragraphs[2].hyperlinks
    assert (link.text, link.url) == (LINK_TEXT, "https://example.com/?a=1&b=%22x%22")


def test_spaces_at_either_end_of_a_run_are_kept(writer):
    markdown = "a **bold** *it* `code `\n"
    document = open_docx(writer.write(parse_markdown(markdown), PROPERTIES))
    assert [run.text for run in document.paragraphs[0].runs] == [
        "a ",
        "bold",
        " ",
        "it",
        " ",
        "code ",
    ]
    xml = read_package(writer.write(parse_markdown(markdown), PROPERTIES))["word/document.xml"]
    assert xml.count(b'<w:t xml:space="preserve">') == 4


def test_one_relationship_per_address_and_neighbouring_runs_share_a_link(writer):
    markdown = (
        "[a](https://x.org)[**b**](https://x.org) then [c](https://x.org) and [d](https://y.org)\n"
    )
    data = writer.write(parse_markdown(markdown), PROPERTIES)
    rels = etree.fromstring(read_package(data)["word/_rels/document.xml.rels"])
    links = [r.get("Target") for r in rels if r.get("TargetMode") == "External"]
    assert links == ["https://x.org", "https://y.org"]
    paragraph = open_docx(data).paragraphs[0]
    assert [(h.text, h.url) for h in paragraph.hyperlinks] == [
        ("ab", "https://x.org"),
        ("c", "https://x.org"),
        ("d", "https://y.org"),
    ]


def test_properties_and_header_fields_show_the_document_values(writer):
    properties = DocumentProperties(
        "Plan: <A & B>", 'Dana "D" Ortiz', "Jo & Co", PROPERTIES.created
    )
    document = open_docx(writer.write(parse_markdown("x\n"), properties))
    core = document.core_properties
    assert (core.title, core.author, core.last_modified_by, core.subject) == (
        "Plan: <A & B>",
        'Dana "D" Ortiz',
        'Dana "D" Ortiz',
        "Jo & Co",
    )
    assert (core.revision, core.keywords, core.comments) == (1, "", "")
    assert core.created == core.modified == dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    header = "".join(t.text or "" for t in document.sections[0].header._element.iter(f"{W}t"))
    assert header == 'Confidential \u00b7 Prepared for Jo & Co by Dana "D" Ortiz'


def test_parts_are_the_package_in_zip_order_and_writing_twice_gives_the_same_bytes(writer):
    tree = parse_markdown("# T\n\n1. a\n\n[l](https://x.org)\n")
    parts = writer.parts(tree, PROPERTIES)
    data = writer.write(tree, PROPERTIES)
    assert list(read_package(data).items()) == list(parts.items())
    assert DocxWriter(build_reference()).write(tree, PROPERTIES) == data


def test_a_missing_style_names_the_reference_and_the_style():
    reference = docx.Document(io.BytesIO(build_reference()))
    quote = reference.styles["Quote"].element
    quote.getparent().remove(quote)
    blob = io.BytesIO()
    reference.save(blob)
    writer = DocxWriter(blob.getvalue(), "templates/reference.docx")
    assert content_dump(open_docx(writer.write(parse_markdown("fine\n"), PROPERTIES)))
    with pytest.raises(OutputError) as caught:
        writer.write(parse_markdown("> quoted\n"), PROPERTIES)
    assert str(caught.value) == "templates/reference.docx: has no style 'Quote'; add it in Word"


def test_styles_are_found_by_the_names_word_or_libreoffice_give_them():
    files = read_package(build_reference())
    styles = etree.fromstring(files["word/styles.xml"])
    for name in styles.iter(f"{W}name"):
        name.set(f"{W}val", name.get(f"{W}val").replace("heading", "Heading"))
    files["word/styles.xml"] = etree.tostring(styles)
    data = DocxWriter(write_package(files)).write(parse_markdown("## Heading\n"), PROPERTIES)
    assert b'<w:pStyle w:val="Heading1"/>' in read_package(data)["word/document.xml"]


def test_a_character_xml_cannot_hold_is_an_error_not_a_broken_file(writer):
    with pytest.raises(OutputError, match="U\\+0001"):
        writer.write(parse_markdown("a \u0001 b\n"), PROPERTIES)


def test_writing_does_not_import_python_docx():
    script = (
        "import datetime, sys\n"
        "from artifactgen.docx_writer import DocxWriter, DocumentProperties\n"
        "from artifactgen.mdtree import parse_markdown\n"
        f"blob = open({str(DEFAULT_TEMPLATES / 'reference.docx')!r}, 'rb').read()\n"
        "DocxWriter(blob).write(parse_markdown('# x\\n\\n| a |\\n|---|\\n| b |\\n'),"
        " DocumentProperties('t', 'a', 's', datetime.datetime(2026, 1, 1)))\n"
        "assert 'docx' not in sys.modules, 'python-docx was imported'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)


def test_columns_are_measured_at_the_largest_size_the_styles_give_table_text():
    """The house style: Artifact Table says 9 pt, Normal 11 pt (which LibreOffice uses), and
    100 twips of cell margin each side. A coach's bigger Normal widens what a word needs."""
    assert Reference(build_reference(), "default").table_text == TableText(11.0, 10.0)
    reference = docx.Document(io.BytesIO(build_reference()))
    reference.styles["Normal"].font.size = Pt(14)
    blob = io.BytesIO()
    reference.save(blob)
    assert Reference(blob.getvalue(), "bigger").table_text == TableText(14.0, 10.0)
    prose = " ".join(["word"] * 200)
    words = f"| Likelihood | a | b |\n|---|---|---|\n| Medium | {prose} | {prose} |\n"
    narrow, wide = (
        grid_of(open_docx(DocxWriter(blob).write(parse_markdown(words), PROPERTIES)))[0]
        for blob in (build_reference(), blob.getvalue())
    )
    assert wide > narrow * 1.2
