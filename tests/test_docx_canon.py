"""Canonical parts: re-saves by LibreOffice, python-docx or Word change nothing; hand edits show."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from lxml import etree

from artifactgen.build import Settings, build
from artifactgen.case import load_case
from artifactgen.docx_blocks import BlockCanon
from artifactgen.docx_canon import canonical_parts, differing_roles, part_roles
from artifactgen.docx_layout import same_table, table_layout
from artifactgen.generate import Generator
from artifactgen.revisions import AUTHOR
from artifactgen.wordml import Table, read_blocks, read_package
from tests.coach_edits import EDITS, REVISION, run
from tests.conftest import CASES, MINIMAL, write_case
from tests.word_resave import word_resave

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
no_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
EDITED = "marcus-lee--01-decision-snapshot.docx"  # headings, bullets, header and footer
WITH_TABLE = "marcus-lee--05-14-day-action-plan.docx"


def unzip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def base_of(kind: str) -> str:
    return WITH_TABLE if "table" in kind else EDITED


def soffice(profile: Path, out: Path, files: list[Path]) -> None:
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "docx:MS Word 2007 XML", "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Path]:
    """The 19 example documents, then one edited copy per kind of hand edit ('edit-NN.docx')."""
    out, flat = tmp_path_factory.mktemp("output"), tmp_path_factory.mktemp("documents")
    assert not build([CASES], Settings(out_dir=out)).failed
    for path in sorted(out.rglob("*.docx")):
        shutil.copy(path, flat / f"{path.parent.name}--{path.name}")
    for number, (name, edit) in enumerate(EDITS.items()):
        document = docx.Document(str(flat / base_of(name)))
        edit(document)
        document.save(str(flat / f"edit-{number:02d}.docx"))
    return {path.name: path for path in sorted(flat.glob("*.docx"))}


@pytest.fixture(scope="module")
def resaved(documents, tmp_path_factory) -> dict[str, Path]:
    """Every document above opened and saved by LibreOffice, all in one soffice call."""
    out = tmp_path_factory.mktemp("libreoffice")
    soffice(tmp_path_factory.mktemp("profile"), out, list(documents.values()))
    return {name: out / name for name in documents}


def examples(documents: dict[str, Path]) -> list[str]:
    return [name for name in documents if not name.startswith("edit-")]


def differing(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [
        role for role in sorted(before.keys() | after.keys()) if before.get(role) != after.get(role)
    ]


def test_there_are_eighteen_examples(documents):
    assert len(examples(documents)) == 19


def test_python_docx_resave_changes_nothing(documents, tmp_path):
    for name in examples(documents):
        docx.Document(str(documents[name])).save(str(tmp_path / name))
        assert canonical_parts(unzip(tmp_path / name)) == canonical_parts(unzip(documents[name]))


@pytest.mark.libreoffice
@no_soffice
def test_libreoffice_resave_changes_nothing(documents, resaved):
    for name in examples(documents):
        before, after = unzip(documents[name]), unzip(resaved[name])
        assert not differing(canonical_parts(before), canonical_parts(after)), name
        assert differing_roles(before, after) == set(), name  # table widths rounded, all fixed


@pytest.mark.parametrize("number", range(len(EDITS)), ids=list(EDITS))
def test_hand_edit_is_an_edit(documents, number):
    name = list(EDITS)[number]
    before, after = unzip(documents[base_of(name)]), unzip(documents[f"edit-{number:02d}.docx"])
    assert differing_roles(before, after)
    if "column width" in name or "row height" in name:  # its own role, unseen by canonical_parts
        assert differing_roles(before, after) == {"layout"}
        assert canonical_parts(before) == canonical_parts(after)


@pytest.mark.libreoffice
@no_soffice
@pytest.mark.parametrize("number", range(len(EDITS)), ids=list(EDITS))
def test_hand_edit_survives_libreoffice_resave(documents, resaved, number):
    name, edited = list(EDITS)[number], f"edit-{number:02d}.docx"
    before, mine, after = (
        unzip(documents[base_of(name)]),
        unzip(documents[edited]),
        unzip(resaved[edited]),
    )
    assert differing_roles(before, after) == differing_roles(before, mine) != set()
    assert canonical_parts(after) == canonical_parts(mine)  # LibreOffice keeps just the edit
    assert differing_roles(mine, after) == set()


def test_word_style_resave_changes_nothing(documents):
    for name in examples(documents):
        files = unzip(documents[name])
        resaved, body = word_resave(files), part_roles(files)["body"]
        runs = [len(etree.fromstring(f[body]).findall(f".//{qn('w:r')}")) for f in (files, resaved)]
        assert runs[1] > runs[0]
        assert canonical_parts(resaved) == canonical_parts(files), name


def test_parts_are_found_through_relationships_not_names(documents):
    """Renamed parts, renumbered relationship ids and relative or absolute targets are no edit."""
    files = unzip(documents[WITH_TABLE])
    moved = {"word/document.xml": "content/main.xml", "word/styles.xml": "look/styles.xml",
             "word/_rels/document.xml.rels": "content/_rels/main.xml.rels",
             "word/header1.xml": "look/top.xml",
             "word/_rels/header1.xml.rels": "look/_rels/top.xml.rels"}  # fmt: skip
    renamed = {moved.get(name, name): blob for name, blob in files.items()}
    rels = etree.fromstring(renamed["content/_rels/main.xml.rels"])
    targets = {"styles.xml": "../look/styles.xml", "header1.xml": "/look/top.xml"}
    for rel in rels:
        rel.set("Id", rel.get("Id").replace("rId", "r"))
        if rel.get("TargetMode") != "External":
            rel.set("Target", targets.get(rel.get("Target"), "../word/" + rel.get("Target")))
    renamed["content/_rels/main.xml.rels"] = etree.tostring(rels)
    renamed["content/main.xml"] = renamed["content/main.xml"].replace(b'"rId', b'"r')
    package = renamed["_rels/.rels"]
    renamed["_rels/.rels"] = package.replace(b'"word/document.xml"', b'"/content/main.xml"')
    roles = part_roles(renamed)
    assert roles["body"] == "content/main.xml" and roles["styles"] == "look/styles.xml"
    assert roles["header:default"] == "look/top.xml"
    assert canonical_parts(renamed) == canonical_parts(files)


def test_absent_roles_are_absent(documents):
    parts = canonical_parts(unzip(documents[EDITED]))
    assert {"body", "styles", "numbering", "settings", "properties"} <= parts.keys()
    assert {"header:default", "footer:default"} <= parts.keys()
    assert not parts.keys() & {"comments", "footnotes", "endnotes", "media", "header:first"}
    assert canonical_parts({}) == {} and part_roles({}) == {}


def test_comment_text_is_its_own_role(documents, tmp_path):
    """Rewording a comment changes only the comments role: its anchor in the body stays put."""
    for text in ("Still true?", "Still true after the review?"):
        document = docx.Document(str(documents[EDITED]))
        document.add_comment(run(document), text=text, author="Dana Ortiz", initials="DO")
        document.save(str(tmp_path / f"{len(text)}.docx"))
    first, second = (canonical_parts(unzip(path)) for path in sorted(tmp_path.glob("*.docx")))
    assert differing(first, second) == ["comments"]


def changed(path: Path, change) -> dict[str, bytes]:
    document = docx.Document(str(path))
    change(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return read_package(buffer.getvalue())


def to_list_number(document) -> None:
    next(p for p in document.paragraphs if p.style.name == "List Bullet").style = "List Number"


def test_using_another_defined_style_is_no_styles_edit(documents, tmp_path):
    """The coach makes a bullet a numbered step: the body shows it, the styles and lists the
    document defines are unchanged, so a house-style update may still replace them."""
    base = unzip(documents[WITH_TABLE])
    other = changed(documents[WITH_TABLE], to_list_number)
    assert {"styles", "numbering"} <= set(differing(canonical_parts(base), canonical_parts(other)))
    assert differing_roles(base, other) == {"body"}
    snapshot = unzip(documents[EDITED])
    quote = unzip(documents[f"edit-{list(EDITS).index('paragraph style'):02d}.docx"])
    assert "styles" in differing(canonical_parts(snapshot), canonical_parts(quote))
    assert differing_roles(snapshot, quote) == {"body"}
    risks = tmp_path / "03-risk-map.docx"  # no warning signs: no list until the coach adds one
    generator = Generator(Settings())
    risks.write_bytes(generator.render(load_case(write_case(tmp_path, MINIMAL)))[risks.name])
    bullet = changed(risks, lambda d: setattr(d.paragraphs[-1], "style", "List Bullet"))
    assert "numbering" not in canonical_parts(unzip(risks))
    assert differing_roles(unzip(risks), bullet) == {"body"}


def test_a_changed_or_new_definition_still_counts(documents):
    base = unzip(documents[WITH_TABLE])

    def bigger(document) -> None:
        to_list_number(document)
        document.styles["List Number"].font.size = Pt(14)

    def new_style(document) -> None:
        document.paragraphs[2].style = document.styles.add_style("Coach Note", 1)

    def parenthesis(document) -> None:
        to_list_number(document)
        numbering = document.part.numbering_part.element
        for level in numbering.iter(qn("w:lvlText")):
            level.set(qn("w:val"), level.get(qn("w:val")).replace("%1.", "%1)"))

    assert differing_roles(base, changed(documents[WITH_TABLE], bigger)) == {"body", "styles"}
    assert "styles" in differing_roles(base, changed(documents[WITH_TABLE], new_style))
    assert "numbering" in differing_roles(base, changed(documents[WITH_TABLE], parenthesis))
    bullets = unzip(documents[f"edit-{list(EDITS).index('numbering'):02d}.docx"])
    assert {"numbering", "styles"} <= differing_roles(unzip(documents[EDITED]), bullets)


def signatures(files: dict[str, bytes], accepted: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(text, signature) of each body block, and of the rows, cells and cell paragraphs."""
    canon = BlockCanon(files, accepted)
    found = []
    for block in read_blocks(etree.fromstring(files[part_roles(files)["body"]])):
        if not block.text and block.element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            continue  # only ends a section: LibreOffice drops it
        found.append((block.key, canon.of(block.element)))
        for row in block.rows if isinstance(block, Table) else ():
            found.append((row.key, canon.of(row.element)))
            for cell in row.cells:
                found.append((cell.text, canon.of(cell.element)))
                found += [(cell.text, canon.of(paragraph)) for paragraph in cell.paragraphs]
    return found


def changed_blocks(base: dict[str, bytes], other: dict[str, bytes], **options) -> list[int]:
    """Where the block signatures of two documents with the same blocks differ."""
    pairs = zip(signatures(base, **options), signatures(other, **options), strict=True)
    return [index for index, (a, b) in enumerate(pairs) if a[1] != b[1]]


def edited_blocks(documents: dict[str, Path], kind: str, **options) -> list[int]:
    """Where the signatures of a hand-edited document differ from its base's."""
    edit = unzip(documents[f"edit-{list(EDITS).index(kind):02d}.docx"])
    return changed_blocks(unzip(documents[base_of(kind)]), edit, **options)


@pytest.mark.libreoffice
@no_soffice
def test_libreoffice_resave_changes_no_block_signature(documents, resaved):
    for name in documents:  # the 19 examples and every hand-edited copy
        assert signatures(unzip(resaved[name])) == signatures(unzip(documents[name])), name


@pytest.mark.parametrize(
    "kind", ["bold", "highlight", "comment", "tracked deletion", "alignment", "paragraph style"]
)
def test_an_edit_changes_its_own_paragraphs_signature_only(documents, kind):
    blocks = signatures(unzip(documents[EDITED]))
    assert edited_blocks(documents, kind) == [
        next(i for i, (text, _) in enumerate(blocks) if text.startswith("Keep pushing"))
    ]


def test_a_cell_edit_changes_its_table_row_cell_and_paragraph_only(documents):
    edit = signatures(unzip(documents[f"edit-{list(EDITS).index('table cell'):02d}.docx"]))
    shown = [edit[index][0] for index in edited_blocks(documents, "table cell")]
    assert len(shown) == 4 and shown[2:] == ["Book the one-to-one today."] * 2
    assert all("\tBook the one-to-one today." in text for text in shown[:2])  # the table, the row


@pytest.mark.parametrize(
    "kind", ["heading 1 colour", "numbering", "table column width", "table row height"]
)
def test_style_list_and_layout_edits_change_no_block_signature(documents, kind):
    """Those are the styles, numbering and layout roles' business, not any one block's."""
    assert edited_blocks(documents, kind) == []


def own(kind: str, number: int) -> str:
    return f"<w:{kind} {nsdecls('w')} {REVISION.format(number)}>".replace("Dana Ortiz", AUTHOR)


def test_own_tracked_changes_and_comments_read_as_accepted(documents, tmp_path):
    """artifactgen's pending revisions and comments are not the coach's: with accepted=(AUTHOR,)
    a paragraph carrying them has the signature of what it shows once they are accepted."""
    document = docx.Document(str(documents[EDITED]))
    paragraph = document.paragraphs[3]
    runs = list(paragraph._p.iterchildren(qn("w:r")))
    document.add_comment(paragraph.runs[0], text="The case changed this.", author=AUTHOR)
    insertion = parse_xml(own("ins", 990) + "</w:ins>")
    runs[0].addprevious(insertion)
    insertion.extend(runs)
    deleted = own("del", 991) + "<w:r><w:delText>Old words.</w:delText></w:r></w:del>"
    insertion.addnext(parse_xml(deleted))
    document.save(str(tmp_path / "own.docx"))
    mine, base = unzip(tmp_path / "own.docx"), unzip(documents[EDITED])
    assert signatures(mine, (AUTHOR,)) == signatures(base, (AUTHOR,))
    assert len(changed_blocks(base, mine)) == 1  # unless they are taken as accepted
    for kind in ("comment", "tracked insertion"):  # the coach's own still count
        assert len(edited_blocks(documents, kind, accepted=(AUTHOR,))) == 1


def layout(grid=(888, 756, 1653, 5343), width="auto", cells=None, height=""):
    """The layout of a one-row table as XML gives it: tcW of the grid unless `cells` says."""
    dxa = f'<w:tblW w:w="{width}" w:type="dxa"/>' if width != "auto" else '<w:tblW w:type="auto"/>'
    cells = cells or [f'<w:tcW w:w="{g}" w:type="dxa"/>' for g in grid]
    return table_layout(parse_xml(
        f'<w:tbl {nsdecls("w")}><w:tblPr>{dxa}</w:tblPr><w:tblGrid>'
        + "".join(f'<w:gridCol w:w="{g}"/>' for g in grid) + f"</w:tblGrid><w:tr><w:trPr>{height}"
        + "</w:trPr>" + "".join(f"<w:tc><w:tcPr>{c}</w:tcPr><w:p/></w:tc>" for c in cells)
        + "</w:tr></w:tbl>"
    ))  # fmt: skip


def test_layout_tolerance_takes_libreoffice_rounding_not_edits():
    generated = layout()
    resaved = layout((888, 756, 1653, 5342), 8640, ['<w:tcW w:w="888"/>', *[""] * 2, "<w:tcW/>"])
    assert same_table(generated, resaved)  # auto made twips, a twip lost, auto cells
    assert same_table(generated, layout((888, 756, 1653, 5396)))  # 53 twips: 1% of 5396
    assert not same_table(generated, layout((888, 756, 1653, 5400)))  # 57 twips
    assert same_table(generated, layout((888, 786, 1653, 5343)))  # 30 twips, though 4%
    assert not same_table(generated, layout((888, 787, 1653, 5343)))
    assert not same_table(generated, layout(width=9000))
    assert not same_table(generated, layout((888, 756, 6996)))  # two columns merged
    span = '<w:gridSpan w:val="2"/>'
    assert same_table(
        layout(cells=[span, "", ""]), layout(cells=[f'{span}<w:tcW w:w="1644"/>', "", ""])
    )


def test_an_absent_row_height_is_auto_or_a_minimal_at_least():
    absent = layout()
    for same in ('w:val="500" w:hRule="auto"', 'w:val="30" w:hRule="atLeast"', 'w:val="0"'):
        assert same_table(absent, layout(height=f"<w:trHeight {same}/>")), same
    at_least = layout(height='<w:trHeight w:val="1080"/>')  # Word: no hRule is "atLeast"
    assert not same_table(absent, at_least)
    assert same_table(at_least, layout(height='<w:trHeight w:val="1080" w:hRule="atLeast"/>'))
    assert not same_table(at_least, layout(height='<w:trHeight w:val="1080" w:hRule="exact"/>'))
