"""Case -> Markdown -> DOCX at each seam: goldens for the examples, and the Word structure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from artifactgen.case import load_case
from artifactgen.docx_package import content_dump, custom_property, open_docx
from artifactgen.docx_reference import build_reference
from artifactgen.docx_writer import DocumentProperties, DocxWriter, UnsupportedMarkdown
from artifactgen.errors import TemplateError
from artifactgen.generate import Generator
from artifactgen.inputs import Settings
from artifactgen.mdtree import parse_markdown
from artifactgen.templating import DELIVERABLES, Renderer
from artifactgen.wordml import BASE_PROPERTY
from tests.conftest import EXAMPLES, ROOT
from tests.helpers import assert_golden, docx_parts, schema_errors

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEMPLATES = ROOT / "templates"


@pytest.fixture(scope="module")
def rendered() -> dict[str, dict[str, bytes]]:
    generator = Generator(Settings(templates_dir=TEMPLATES))
    return {path.stem: generator.render(load_case(path)) for path in EXAMPLES}


def all_outputs(rendered, suffix):
    return [
        (case_id, name, data)
        for case_id, files in rendered.items()
        for name, data in files.items()
        if name.endswith(suffix)
    ]


def test_each_case_gives_twelve_files_named_by_the_contract(rendered):
    for files in rendered.values():
        assert sorted(files) == sorted(
            f"{d.stem}.{suffix}" for d in DELIVERABLES for suffix in ("md", "docx")
        )
    assert [d.stem for d in DELIVERABLES] == [
        "01-decision-snapshot",
        "02-fork-recommendation",
        "03-risk-map",
        "04-conversation-scripts",
        "05-14-day-action-plan",
        "06-30-day-roadmap",
    ]


def test_markdown_matches_goldens(rendered):
    for case_id, name, data in all_outputs(rendered, ".md"):
        assert_golden(f"{case_id}/{name}", data.decode("utf-8"))


def test_docx_structure_matches_goldens(rendered):
    for case_id, name, data in all_outputs(rendered, ".docx"):
        assert_golden(f"{case_id}/{name}.txt", content_dump(open_docx(data)))


def test_every_docx_part_is_schema_valid(rendered):
    for _, name, data in all_outputs(rendered, ".docx"):
        assert schema_errors(data) == [], name


def test_reference_docx_is_schema_valid_and_committed_copy_is_the_default():
    assert schema_errors(build_reference()) == []
    assert (TEMPLATES / "reference.docx").read_bytes() == build_reference()


def test_schema_check_finds_errors(rendered):
    data = rendered["marcus-lee"]["01-decision-snapshot.docx"]
    parts = docx_parts(data)
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"<w:body>", b"<w:body><w:bogus/>", 1
    )
    import io
    import zipfile

    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as package:
        for part, blob in parts.items():
            package.writestr(part, blob)
    assert any("bogus" in error for error in schema_errors(broken.getvalue()))


def test_header_footer_and_properties(rendered):
    document = open_docx(rendered["marcus-lee"]["03-risk-map.docx"])
    header = xml_text(document.sections[0].header._element)
    footer_xml = etree.tostring(document.sections[0].footer._element).decode()
    assert header == "Confidential \u00b7 Prepared for Marcus Lee by Dana Ortiz"
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    assert xml_text(document.sections[0].footer._element) == "Page 1 of 1"
    core = document.core_properties
    assert (core.title, core.author, core.subject) == (
        "Risk Map: Marcus Lee",
        "Dana Ortiz",
        "Marcus Lee",
    )
    assert core.created == dt.datetime(
        2026, 11, 20, tzinfo=dt.timezone.utc
    ) or core.created == dt.datetime(2026, 11, 20)
    assert custom_property(document, BASE_PROPERTY) == ""  # filled in when the build stores it


def xml_text(element) -> str:
    return "".join(node.text or "" for node in element.iter(f"{W}t"))


def test_header_row_repeats_and_table_style_is_by_name(rendered):
    document = open_docx(rendered["marcus-lee"]["05-14-day-action-plan.docx"])
    table = document.tables[0]
    assert table.style.name == "Artifact Table"
    first, second = table.rows[0]._tr, table.rows[1]._tr
    assert first.find(f"{W}trPr/{W}tblHeader") is not None
    assert second.find(f"{W}trPr/{W}tblHeader") is None


def test_only_bold_italic_and_code_are_direct_formatting(rendered):
    allowed = {f"{W}b", f"{W}i", f"{W}rStyle"}
    for _, name, data in all_outputs(rendered, ".docx"):
        body = etree.fromstring(docx_parts(data)["word/document.xml"])
        for properties in body.iter(f"{W}rPr"):
            assert {child.tag for child in properties} <= allowed, name
        for properties in body.iter(f"{W}pPr"):
            assert {child.tag for child in properties} <= {f"{W}pStyle", f"{W}numPr"}, name


def numbering_of(document):
    return [
        (p.style.name, p._p.pPr.numPr.numId.val if p._p.pPr.numPr is not None else None)
        for p in document.paragraphs
        if p.style.name.startswith("List Number")
    ]


def test_each_numbered_list_restarts_at_one():
    markdown = "# T\n\n1. a\n1. b\n\nbetween\n\n1. c\n   1. nested\n1. d\n"
    writer = DocxWriter(build_reference())
    data = writer.write(
        parse_markdown(markdown), DocumentProperties("T", "A", "S", dt.datetime(2026, 1, 1))
    )
    document = open_docx(data)
    numbers = numbering_of(document)
    assert [style for style, _ in numbers] == [
        "List Number",
        "List Number",
        "List Number",
        "List Number 2",
        "List Number",
    ]
    first, second = numbers[0][1], numbers[2][1]
    assert numbers[1][1] == first and numbers[4][1] == second and first != second
    numbering = document.part.numbering_part.element
    for number_id in {first, second, numbers[3][1]}:
        start = numbering.num_having_numId(number_id).find(f"{W}lvlOverride/{W}startOverride")
        assert start is not None and start.get(f"{W}val") == "1"


def test_nested_bullets_use_level_styles():
    markdown = "- a\n  - b\n    - c\n      - d\n"
    data = DocxWriter(build_reference()).write(
        parse_markdown(markdown), DocumentProperties("T", "A", "S", dt.datetime(2026, 1, 1))
    )
    assert [p.style.name for p in open_docx(data).paragraphs] == [
        "List Bullet",
        "List Bullet 2",
        "List Bullet 3",
        "List Bullet 3",
    ]


def test_links_are_real_hyperlinks():
    markdown = "See [the *guide*](https://example.com/a) now.\n"
    data = DocxWriter(build_reference()).write(
        parse_markdown(markdown), DocumentProperties("T", "A", "S", dt.datetime(2026, 1, 1))
    )
    assert (
        content_dump(open_docx(data))
        == "Normal: See <https://example.com/a>the </>*<https://example.com/a>guide*</> now.\n"
    )


def test_unknown_node_type_is_an_error_not_dropped():
    with pytest.raises(UnsupportedMarkdown, match="no Word rule for code_block"):
        DocxWriter(build_reference()).write(
            parse_markdown("    indented code\n"),
            DocumentProperties("T", "A", "S", dt.datetime(2026, 1, 1)),
        )


def test_restyling_the_reference_changes_every_document(tmp_path):
    import shutil

    import docx
    from docx.shared import RGBColor

    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    reference = docx.Document(str(templates / "reference.docx"))
    reference.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    reference.styles["Normal"].font.name = "Georgia"
    reference.save(str(templates / "reference.docx"))
    data = Generator(Settings(templates_dir=templates)).render(load_case(EXAMPLES[0]))
    document = open_docx(data["01-decision-snapshot.docx"])
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    assert document.styles["Normal"].font.name == "Georgia"


def test_template_error_names_template_line_and_case(tmp_path):
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    path = templates / "03-risk-map.md.j2"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = "{{ case.nonexistent_field }}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        Renderer(templates).render(load_case(EXAMPLES[0]), DELIVERABLES[2])
    (problem,) = caught.value.problems
    assert Path(problem.path).name == "03-risk-map.md.j2"
    assert problem.line == 5
    assert (
        problem.message == "'artifactgen.models.Case object' has no attribute 'nonexistent_field' "
        f"(while rendering case '{EXAMPLES[0].stem}')"
    )


def test_template_syntax_error_is_located(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "01-decision-snapshot.md.j2").write_text("# x\n\n{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        Renderer(templates).render(load_case(EXAMPLES[0]), DELIVERABLES[0])
    (problem,) = caught.value.problems
    assert (Path(problem.path).name, problem.line) == ("01-decision-snapshot.md.j2", 3)


def write(markdown: str) -> bytes:
    return DocxWriter(build_reference()).write(
        parse_markdown(markdown), DocumentProperties("T", "A", "S", dt.datetime(2026, 1, 1))
    )


def test_column_widths_fill_the_usable_width_and_follow_the_text():
    markdown = (
        "| # | Risk | Mitigation |\n|---|---|---|\n"
        "| 1 | A long risk that needs a wide column to read well | Talk |\n"
        "| 2 | Another risk | Extraordinarily |\n"
    )
    document = open_docx(write(markdown))
    section = document.sections[-1]
    usable = (section.page_width - section.left_margin - section.right_margin) // 635  # twips
    tbl = document.tables[0]._tbl
    grid = [int(col.get(f"{W}w")) for col in tbl.iter(f"{W}gridCol")]
    assert abs(sum(grid) - usable) <= len(grid)  # each column rounds to whole twips
    assert grid[1] > grid[2] > grid[0]
    for row in tbl.iter(f"{W}tr"):
        cells = [tc.find(f"{W}tcPr/{W}tcW") for tc in row.iter(f"{W}tc")]
        assert [(c.get(f"{W}type"), int(c.get(f"{W}w"))) for c in cells] == [
            ("dxa", width) for width in grid
        ]


def test_a_column_never_gets_less_than_its_longest_word():
    words = " ".join(["word"] * 400)
    document = open_docx(write(f"| a | b |\n|---|---|\n| Incomprehensibilities | {words} |\n"))
    grid = [int(col.get(f"{W}w")) for col in document.tables[0]._tbl.iter(f"{W}gridCol")]
    # 21 characters at 6.6 pt each plus 18 pt of padding, in twips: all it needs, no more
    assert abs(grid[0] - round((21 * 6.6 + 18) * 20)) <= 1
