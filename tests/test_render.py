"""Case -> Markdown -> DOCX at each seam: goldens for the examples, and the Word structure."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import docx
import pytest
from lxml import etree

from artifactgen.case import load_case
from artifactgen.docx_package import content_dump, custom_property, open_docx
from artifactgen.docx_reference import build_reference
from artifactgen.docx_writer import DocumentProperties, DocxWriter, UnsupportedMarkdown
from artifactgen.errors import TemplateError
from artifactgen.generate import Generator
from artifactgen.glyph_widths import advance
from artifactgen.ics import render_calendar
from artifactgen.inputs import DEFAULT_TEMPLATES, Settings, build_key
from artifactgen.mdtree import parse_markdown
from artifactgen.templating import DELIVERABLES, Renderer, deliverables_for
from artifactgen.wordml import BASE_PROPERTY, read_package
from tests.conftest import EXAMPLES
from tests.helpers import (
    W,
    assert_goldens,
    cell_widths,
    document_body,
    docx_parts,
    grid_widths,
    markdown_tables,
    numbered_paragraphs,
    ordered_list_items,
    repeats_as_header,
    schema_errors,
    usable_width,
)

TEMPLATES = DEFAULT_TEMPLATES


@pytest.fixture(scope="module")
def rendered() -> dict[str, dict[str, bytes]]:
    generator = Generator(Settings())
    return {path.stem: generator.render(load_case(path)) for path in EXAMPLES}


def all_outputs(rendered, suffix):
    return [
        (case_id, name, data)
        for case_id, files in rendered.items()
        for name, data in files.items()
        if name.endswith(suffix)
    ]


def test_each_case_gives_twelve_files_named_by_the_contract_and_two_more_with_an_interview(
    rendered,
):
    for case_id, files in rendered.items():
        interview = load_case(EXAMPLES[0].parent / f"{case_id}.yaml").interview is not None
        expected = DELIVERABLES if interview else DELIVERABLES[:6]
        assert sorted(files) == sorted(
            f"{d.stem}.{suffix}" for d in expected for suffix in ("md", "docx")
        )
    assert [d.stem for d in DELIVERABLES] == [
        "01-decision-snapshot",
        "02-fork-recommendation",
        "03-risk-map",
        "04-conversation-scripts",
        "05-14-day-action-plan",
        "06-30-day-roadmap",
        "07-interview-brief",
    ]
    assert [len(files) for files in rendered.values()] == [12, 14, 12]  # Priya has an interview


def test_markdown_matches_goldens(rendered):
    outputs = all_outputs(rendered, ".md")
    assert_goldens({f"{case}/{name}": data.decode("utf-8") for case, name, data in outputs}, ".md")


def test_docx_structure_matches_goldens(rendered):
    dumps = {
        f"{case}/{name}.txt": content_dump(open_docx(data))
        for case, name, data in all_outputs(rendered, ".docx")
    }
    assert_goldens(dumps, ".docx.txt")


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


def test_names_with_markdown_reach_headers_properties_and_the_calendar_as_plain_text(tmp_path):
    text = EXAMPLES[0].read_text(encoding="utf-8")
    text = text.replace("name: Marcus Lee", "name: Marcus **Lee** `Jr`", 1)
    text = text.replace("name: Dana Ortiz", "name: Dana *Ortiz*", 1)
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    case = load_case(tmp_path / "case.yaml")
    files = Generator(Settings()).render(case)
    document = open_docx(files["03-risk-map.docx"])
    header = xml_text(document.sections[0].header._element)
    assert header == "Confidential \u00b7 Prepared for Marcus Lee Jr by Dana Ortiz"
    core = document.core_properties
    assert (core.title, core.author, core.subject) == (
        "Risk Map: Marcus Lee Jr",
        "Dana Ortiz",
        "Marcus Lee Jr",
    )
    calendar = render_calendar(case).decode("utf-8")
    assert "X-WR-CALNAME:Marcus Lee Jr: plan with Dana Ortiz\r\n" in calendar


def xml_text(element) -> str:
    return "".join(node.text or "" for node in element.iter(f"{W}t"))


def test_every_table_has_the_table_style_by_name(rendered):
    styles = [
        t.style.name
        for _, _, data in all_outputs(rendered, ".docx")
        for t in open_docx(data).tables
    ]
    assert len(styles) > 10 and set(styles) == {"Artifact Table"}


def markdown_of(rendered, case_id: str, docx_name: str) -> str:
    return rendered[case_id][docx_name.removesuffix(".docx") + ".md"].decode("utf-8")


def tables_with_their_markdown(rendered):
    """(case/deliverable, usable width, Word table, its Markdown table) for every example table."""
    for case_id, name, data in all_outputs(rendered, ".docx"):
        body = document_body(data)
        tables = body.findall(f"{W}tbl")
        expected = markdown_tables(markdown_of(rendered, case_id, name))
        assert len(tables) == len(expected), name
        for table, table_markdown in zip(tables, expected, strict=True):
            yield f"{case_id}/{name}", usable_width(body), table, table_markdown


def test_only_each_tables_head_repeats_as_header_row(rendered):
    """w:tblHeader, and on, on the Markdown head's rows; absent or off on every other row."""
    for name, _, table, markdown in tables_with_their_markdown(rendered):
        rows = table.findall(f"{W}tr")
        assert len(rows) == len(markdown.rows) and markdown.head_rows == 1, name
        heads = [number < markdown.head_rows for number in range(len(rows))]
        assert [repeats_as_header(row) for row in rows] == heads, name


def test_table_columns_fill_the_text_width_and_follow_their_text(rendered):
    """Widths in twips on the grid and on every cell alike; the grid spans the page between its
    margins; the column of the longest text is wider than the column of the shortest, when
    that text is at least twice as long (a column of longer words may outgrow both)."""
    compared = set()
    for name, usable, table, markdown in tables_with_their_markdown(rendered):
        grid = grid_widths(table)
        assert len(grid) == max(map(len, markdown.rows)) and min(grid) > 0, (name, grid)
        assert abs(sum(grid) - usable) <= len(grid), (name, grid, usable)  # whole twips each
        for row in table.iterfind(f"{W}tr"):
            assert cell_widths(row) == [("dxa", str(width)) for width in grid], name
        longest = [markdown.longest_text(column) for column in range(len(grid))]
        wide, narrow = longest.index(max(longest)), longest.index(min(longest))
        if longest[wide] >= 2 * longest[narrow]:
            assert grid[wide] > grid[narrow], (name, longest, grid)
            compared.add(name.split("/")[1])
    assert {"03-risk-map.docx", "05-14-day-action-plan.docx"} <= compared


def test_only_bold_italic_and_code_are_direct_formatting(rendered):
    allowed = {f"{W}b", f"{W}i", f"{W}rStyle"}
    for _, name, data in all_outputs(rendered, ".docx"):
        body = etree.fromstring(docx_parts(data)["word/document.xml"])
        for properties in body.iter(f"{W}rPr"):
            assert {child.tag for child in properties} <= allowed, name
        for properties in body.iter(f"{W}pPr"):
            assert {child.tag for child in properties} <= {f"{W}pStyle", f"{W}numPr"}, name


def assert_lists_number_as_written(markdown: str, data: bytes) -> None:
    """Each ordered list is its own numbering instance, drawing on its list style's definition
    and starting at the list's first number: Word neither continues one list in the next nor
    changes how a list style numbers."""
    items, paragraphs = ordered_list_items(markdown), numbered_paragraphs(data)
    assert len(paragraphs) == len(items)
    instance_of: dict[int, str] = {}
    for (list_number, start), paragraph in zip(items, paragraphs, strict=True):
        assert paragraph.instance is not None, paragraph
        assert instance_of.setdefault(list_number, paragraph.instance) == paragraph.instance
        assert paragraph.definition == paragraph.style_definition, paragraph
        assert paragraph.start == str(start), paragraph
    assert len(set(instance_of.values())) == len(instance_of), "two lists share an instance"


def write(markdown: str) -> bytes:
    return DocxWriter(build_reference()).write(
        parse_markdown(markdown), DocumentProperties("T", "A", "S", dt.datetime(2026, 1, 1))
    )


def test_each_numbered_list_restarts_at_one():
    markdown = "# T\n\n1. a\n1. b\n\nbetween\n\n1. c\n   1. nested\n1. d\n"
    data = write(markdown)
    assert [p.style for p in numbered_paragraphs(data)] == [
        "List Number",
        "List Number",
        "List Number",
        "List Number 2",
        "List Number",
    ]
    assert_lists_number_as_written(markdown, data)


def test_every_example_list_numbers_on_its_own(rendered):
    lists = 0
    for case_id, name, data in all_outputs(rendered, ".docx"):
        markdown = markdown_of(rendered, case_id, name)
        assert_lists_number_as_written(markdown, data)
        lists += len({number for number, _ in ordered_list_items(markdown)})
    assert lists >= 9  # three cases: what matters, the reasons, the check-in agendas


def test_a_list_numbers_from_its_first_number():
    markdown = "3. c\n4. d\n\nbetween\n\n1. a\n   7. nested\n"
    assert_lists_number_as_written(markdown, write(markdown))


def test_an_empty_item_keeps_its_number_and_bullet():
    markdown = "1. a\n2.\n3. c\n\n- x\n-\n  - nested\n"
    data = write(markdown)
    assert_lists_number_as_written(markdown, data)  # one numbered paragraph per item
    assert content_dump(open_docx(data)) == (
        "List Number: a\nList Number: \nList Number: c\n"
        "List Bullet: x\nList Bullet: \nList Bullet 2: nested\n"
    )


def test_nested_bullets_use_level_styles():
    markdown = "- a\n  - b\n    - c\n      - d\n"
    data = write(markdown)
    assert [p.style.name for p in open_docx(data).paragraphs] == [
        "List Bullet",
        "List Bullet 2",
        "List Bullet 3",
        "List Bullet 3",
    ]


def test_links_are_real_hyperlinks():
    markdown = "See [the *guide*](https://example.com/a) now.\n"
    data = write(markdown)
    assert (
        content_dump(open_docx(data))
        == "Normal: See <https://example.com/a>the </>*<https://example.com/a>guide*</> now.\n"
    )


def test_a_link_to_nowhere_is_its_text_alone():
    assert content_dump(open_docx(write("See [the guide]() now.\n"))) == (
        "Normal: See the guide now.\n"
    )
    assert b'Target=""' not in read_package(write("[x]()\n"))["word/_rels/document.xml.rels"]


TABLE_AFTER = (
    "Plain.\n\nThe introduction.\n\n| a |\n|---|\n| b |\n\n- listed\n\n| c |\n|---|\n| d |\n"
)


def test_a_plain_line_right_before_a_table_keeps_with_it():
    dump = content_dump(open_docx(write(TABLE_AFTER))).splitlines()
    assert dump[:2] == ["Normal: Plain.", "Table Intro: The introduction."]
    assert "List Bullet: listed" in dump  # only a plain paragraph introduces a table
    intro = docx.Document(str(TEMPLATES / "reference.docx")).styles["Table Intro"]
    assert intro.paragraph_format.keep_with_next is True
    assert intro.base_style.name == "Normal"


def test_a_reference_made_before_table_intro_existed_still_builds(tmp_path):
    reference = docx.Document(str(TEMPLATES / "reference.docx"))
    style = reference.styles["Table Intro"].element
    style.getparent().remove(style)
    for paragraph in reference.paragraphs:
        if paragraph.style is None or paragraph.style.name == "Table Intro":
            paragraph._p.getparent().remove(paragraph._p)
    reference.save(str(tmp_path / "reference.docx"))
    writer = DocxWriter((tmp_path / "reference.docx").read_bytes())
    properties = DocumentProperties("T", "A", "S", dt.datetime(2026, 1, 1))
    data = writer.write(parse_markdown(TABLE_AFTER), properties)
    assert content_dump(open_docx(data)).splitlines()[1] == "Normal: The introduction."


def test_unknown_node_type_is_an_error_not_dropped():
    with pytest.raises(UnsupportedMarkdown, match="no Word rule for code_block"):
        write("    indented code\n")


def test_restyling_the_reference_changes_every_document(tmp_path):

    import docx
    from docx.shared import RGBColor

    templates = tmp_path / "templates"  # overrides only the reference: the default templates stay
    templates.mkdir()
    reference = docx.Document(str(TEMPLATES / "reference.docx"))
    reference.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    reference.styles["Normal"].font.name = "Georgia"
    reference.save(str(templates / "reference.docx"))
    data = Generator(Settings(templates_dir=templates)).render(load_case(EXAMPLES[0]))
    document = open_docx(data["01-decision-snapshot.docx"])
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    assert document.styles["Normal"].font.name == "Georgia"


def test_template_error_names_template_line_and_case(tmp_path):

    templates = tmp_path / "templates"
    templates.mkdir()
    path = templates / "03-risk-map.md.j2"
    lines = (TEMPLATES / path.name).read_text(encoding="utf-8").splitlines()
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


def test_an_override_replaces_its_file_alone_and_the_built_in_files_include_it(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "_header.md.j2").write_text("# {{ deliverable.title }}, our way\n")
    case = load_case(EXAMPLES[0])
    default, overridden = Renderer(), Renderer(templates)
    for deliverable in deliverables_for(case):
        mine, theirs = overridden.render(case, deliverable), default.render(case, deliverable)
        assert mine.startswith(f"# {deliverable.title}, our way\n")
        assert mine.split("\n", 1)[1] == theirs.split("\n", 5)[5], "the rest is the default"


def test_the_build_key_follows_the_built_in_templates_and_the_overrides(tmp_path, monkeypatch):
    import artifactgen.inputs

    defaults = tmp_path / "defaults"
    shutil.copytree(TEMPLATES, defaults)
    monkeypatch.setattr(artifactgen.inputs, "DEFAULT_TEMPLATES", defaults)
    overrides = tmp_path / "templates"
    keys = [build_key(None, ("md",)), build_key(overrides, ("md",))]
    (defaults / "03-risk-map.md.j2").write_text("# changed\n", encoding="utf-8")
    keys.append(build_key(overrides, ("md",)))
    overrides.mkdir()
    (overrides / "03-risk-map.md.j2").write_text("# mine\n", encoding="utf-8")
    keys.append(build_key(overrides, ("md",)))
    (overrides / "03-risk-map.md.j2").write_text("# mine again\n", encoding="utf-8")
    keys.append(build_key(overrides, ("md",)))
    assert keys[0] == keys[1], "a templates folder that does not exist overrides nothing"
    assert len(set(keys[1:])) == 4


def test_template_syntax_error_is_located(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "01-decision-snapshot.md.j2").write_text("# x\n\n{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        Renderer(templates).render(load_case(EXAMPLES[0]), DELIVERABLES[0])
    (problem,) = caught.value.problems
    assert (Path(problem.path).name, problem.line) == ("01-decision-snapshot.md.j2", 3)


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


def points(text: str, face: str = "regular") -> float:
    """How wide `text` is at the house style's table size, 11 pt, in DejaVu Sans."""
    return sum(advance(character, face) for character in text) * 11 / 1000


def twips(text: str, face: str = "regular") -> int:
    """A column holding `text` on one line: 5 pt of padding each side and 2 pt to spare."""
    return round((points(text, face) + 12) * 20)


def test_a_column_gets_what_its_longest_word_needs_and_no_more():
    words = " ".join(["word"] * 400)
    markdown = f"| a | b | c |\n|---|---|---|\n| Uncharacteristically | {words} | {words} |\n"
    grid = grid_widths(document_body(write(markdown)).find(f"{W}tbl"))
    assert abs(grid[0] - twips("Uncharacteristically")) <= 1
    assert abs(grid[1] - grid[2]) <= 1  # prose columns share the rest alike


def test_a_long_url_wraps_in_its_cell_instead_of_squeezing_the_others():
    url = "https://example.com/" + "a" * 300
    markdown = f"| Day | Date | Action |\n|---|---|---|\n| 1 | Mon 23 Nov 2026 | Read {url} |\n"
    table = document_body(write(markdown)).find(f"{W}tbl")
    grid = grid_widths(table)
    assert grid[0] >= twips("Day", "bold") and grid[1] >= twips("Mon 23 Nov 2026")
    assert grid[2] > grid[0] + grid[1]
    layout = table.find(f"{W}tblPr/{W}tblLayout")
    assert layout is not None and layout.get(f"{W}type") == "fixed"  # Word keeps the widths
