"""Canonical parts: re-saves by LibreOffice, python-docx or Word change nothing; hand edits show."""

from __future__ import annotations

import copy
import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches, Pt, RGBColor
from lxml import etree

from artifactgen.build import Settings, build
from artifactgen.docx_canon import canonical_parts, part_roles
from artifactgen.docx_package import set_custom_property
from tests.conftest import CASES, ROOT

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
no_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
EDITED = "marcus-lee--01-decision-snapshot.docx"  # headings, bullets, header and footer
WITH_TABLE = "marcus-lee--05-14-day-action-plan.docx"
REVISION = 'w:id="{}" w:author="Dana Ortiz" w:date="2026-11-21T09:00:00Z"'
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def unzip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def png() -> bytes:
    """A 4x4 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    pixels = zlib.compress(b"".join(b"\x00" + b"\xc8\x1e\x1e" * 4 for _ in range(4)))
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


# Each hand edit, applied with python-docx (or lxml where it has no API) to EDITED. Paragraph 3
# is the first plain Normal paragraph: "Keep pushing for the VP title here, ..."


def paragraph(document: Document):
    return document.paragraphs[3]


def run(document: Document):
    return document.paragraphs[3].runs[0]


def tracked_insertion(document: Document) -> None:
    inserted = f'<w:ins {nsdecls("w")} {REVISION.format(901)}><w:r><w:t xml:space="preserve">'
    paragraph(document)._p.append(parse_xml(inserted + " Or both.</w:t></w:r></w:ins>"))


def tracked_deletion(document: Document) -> None:
    element = run(document)._r
    deleted = parse_xml(f"<w:del {nsdecls('w')} {REVISION.format(902)}/>")
    element.addprevious(deleted)
    deleted.append(element)
    for text in element.findall(qn("w:t")):
        text.tag = qn("w:delText")


def bullet_character(document: Document) -> None:
    numbering = document.part.numbering_part.element
    number = document.styles["List Bullet"].element.pPr.numPr.numId.val
    abstract = str(numbering.num_having_numId(number).abstractNumId.val)
    for definition in numbering.iterchildren(qn("w:abstractNum")):
        if definition.get(qn("w:abstractNumId")) == abstract:
            definition.find(f"{qn('w:lvl')}/{qn('w:lvlText')}").set(qn("w:val"), "–")


def landscape(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def first_page_header(document: Document) -> None:
    document.sections[0].different_first_page_header_footer = True
    document.sections[0].first_page_header.paragraphs[0].text = "Draft for Marcus"


def section_break(document: Document) -> None:
    document.add_section(WD_SECTION.NEW_PAGE)
    document.add_paragraph("After the break")


def deleted_paragraph(document: Document) -> None:
    paragraph(document)._p.getparent().remove(paragraph(document)._p)


def table_cell(document: Document) -> None:
    document.tables[0].cell(1, 3).paragraphs[0].runs[0].text = "Book the one-to-one today."


def setter(target: Callable, name: str, value: object) -> Callable[[Document], None]:
    return lambda document: setattr(target(document), name, value)


def heading(document: Document):
    return document.styles["Heading 1"].font


EDITS: dict[str, Callable[[Document], None]] = {
    "text": lambda d: setattr(run(d), "text", run(d).text + " Or not."),
    "bold": setter(run, "bold", True),
    "italic": setter(run, "italic", True),
    "underline": setter(run, "underline", True),
    "strikethrough": setter(lambda d: run(d).font, "strike", True),
    "highlight": setter(lambda d: run(d).font, "highlight_color", WD_COLOR_INDEX.YELLOW),
    "font colour": setter(lambda d: run(d).font.color, "rgb", RGBColor(0xC0, 0, 0)),
    "font size": setter(lambda d: run(d).font, "size", Pt(14)),
    "font name": setter(lambda d: run(d).font, "name", "Arial"),
    "alignment": setter(paragraph, "alignment", WD_ALIGN_PARAGRAPH.CENTER),
    "spacing": setter(lambda d: paragraph(d).paragraph_format, "space_after", Pt(30)),
    "indent": setter(lambda d: paragraph(d).paragraph_format, "left_indent", Inches(0.5)),
    "paragraph style": setter(paragraph, "style", "Quote"),
    "deleted paragraph": deleted_paragraph,
    "table cell": table_cell,
    "picture": lambda d: d.add_picture(io.BytesIO(png()), width=Inches(1)),
    "page break": lambda d: run(d).add_break(WD_BREAK.PAGE),
    "section break": section_break,
    "header text": lambda d: d.sections[0].header.paragraphs[0].add_run(" DRAFT"),
    "footer text": lambda d: d.sections[0].footer.paragraphs[0].add_run(" (draft)"),
    "first-page header": first_page_header,
    "comment": lambda d: d.add_comment(run(d), text="Still true?", author="Dana", initials="DO"),
    "tracked insertion": tracked_insertion,
    "tracked deletion": tracked_deletion,
    "heading 1 colour": setter(lambda d: heading(d).color, "rgb", RGBColor(0xC0, 0, 0)),
    "heading 1 size": setter(heading, "size", Pt(20)),
    "numbering": bullet_character,
    "margins": setter(lambda d: d.sections[0], "left_margin", Inches(1.5)),
    "orientation": landscape,
    "title": setter(lambda d: d.core_properties, "title", "Decision Snapshot, final"),
    "custom property": lambda d: set_custom_property(d, "Client reference", "ML-2026"),
}
BASES = {"table cell": WITH_TABLE}


def soffice(profile: Path, out: Path, files: list[Path]) -> None:
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "docx:MS Word 2007 XML", "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Path]:
    """The 18 example documents, then one edited copy per kind of hand edit ('edit-NN.docx')."""
    out, flat = tmp_path_factory.mktemp("output"), tmp_path_factory.mktemp("documents")
    assert not build([CASES], Settings(out_dir=out, templates_dir=ROOT / "templates")).failed
    for path in sorted(out.rglob("*.docx")):
        shutil.copy(path, flat / f"{path.parent.name}--{path.name}")
    for number, (name, edit) in enumerate(EDITS.items()):
        document = docx.Document(str(flat / BASES.get(name, EDITED)))
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
    assert len(examples(documents)) == 18


def test_python_docx_resave_changes_nothing(documents, tmp_path):
    for name in examples(documents):
        docx.Document(str(documents[name])).save(str(tmp_path / name))
        assert canonical_parts(unzip(tmp_path / name)) == canonical_parts(unzip(documents[name]))


@pytest.mark.libreoffice
@no_soffice
def test_libreoffice_resave_changes_nothing(documents, resaved):
    for name in examples(documents):
        before, after = (
            canonical_parts(unzip(documents[name])),
            canonical_parts(unzip(resaved[name])),
        )
        assert not differing(before, after), name


@pytest.mark.parametrize("number", range(len(EDITS)), ids=list(EDITS))
def test_hand_edit_changes_canonical_parts(documents, number):
    name = list(EDITS)[number]
    before = canonical_parts(unzip(documents[BASES.get(name, EDITED)]))
    assert differing(before, canonical_parts(unzip(documents[f"edit-{number:02d}.docx"])))


@pytest.mark.libreoffice
@no_soffice
@pytest.mark.parametrize("number", range(len(EDITS)), ids=list(EDITS))
def test_hand_edit_survives_libreoffice_resave(documents, resaved, number):
    name, edited = list(EDITS)[number], f"edit-{number:02d}.docx"
    before = canonical_parts(unzip(documents[BASES.get(name, EDITED)]))
    after = canonical_parts(unzip(resaved[edited]))
    assert differing(before, after)
    assert after == canonical_parts(unzip(documents[edited]))  # LibreOffice keeps just the edit


def word_resave(files: dict[str, bytes]) -> dict[str, bytes]:
    """What Word is known to add when it saves a file unchanged (Word itself is not available):
    rsids, w14:paraId, proofing marks, rendered page breaks, _GoBack, split runs, <w:b w:val="1"/>,
    more namespaces and mc:Ignorable prefixes, statistics, modified date, editor and revision."""
    files, roles = dict(files), part_roles(files)
    for part in (roles["body"], roles["header:default"], roles["footer:default"], roles["styles"]):
        root = etree.fromstring(files[part])
        for number, element in enumerate(root.iter(qn("w:p"), qn("w:style"), qn("w:b"))):
            if element.tag == qn("w:b"):
                element.set(qn("w:val"), "1")
            else:
                element.set(qn("w:rsidR"), f"00{number:06X}")
                element.set(f"{{{W14}}}paraId", f"{number:08X}")
        for element in list(root.iter(qn("w:r"))):  # runs of one w:t, formatted or not
            texts = element.findall(qn("w:t"))
            if len(texts) == 1 and len(element) == 1 + (element.find(qn("w:rPr")) is not None):
                split_run(element, texts[0])
        body = root.find(qn("w:body"))
        if body is not None:
            mark = f'w:id="0" w:name="_GoBack" {nsdecls("w")}'
            body[0].append(parse_xml(f"<w:bookmarkStart {mark}/>"))
            body[0].append(parse_xml(f'<w:bookmarkEnd w:id="0" {nsdecls("w")}/>'))
        nsmap = {**root.nsmap, "w15": W15, "mc": MC}
        wider = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=nsmap)
        wider.set(f"{{{MC}}}Ignorable", "w14 w15 wp14")
        wider.extend(list(root))
        files[part] = etree.tostring(wider, xml_declaration=True, encoding="UTF-8", standalone=True)
    core = etree.fromstring(files[roles["properties:core"]])
    for element in core:
        name = etree.QName(element).localname
        element.text = {"modified": "2026-12-01T09:30:00Z", "lastModifiedBy": "Marcus Lee"}.get(
            name, "4" if name == "revision" else element.text
        )
    files[roles["properties:core"]] = etree.tostring(core)
    for part, old, new in (
        (roles["properties:app"], b"<Words>0</Words>", b"<Words>612</Words>"),
        (
            roles["settings"],
            b"</w:settings>",
            b'<w:rsids><w:rsidRoot w:val="00A1B2C3"/></w:rsids></w:settings>',
        ),
    ):
        assert old in files[part], (part, old)
        files[part] = files[part].replace(old, new)
    return files


def split_run(run: etree._Element, text: etree._Element) -> None:
    """Word splits runs where edits happened, marking proofing errors in between."""
    if len(text.text or "") < 4:
        return
    tail = copy.deepcopy(run)
    tail.set(qn("w:rsidRPr"), "00F0E1D2")
    tail.find(qn("w:t")).text, text.text = text.text[2:], text.text[:2]
    for piece in (text, tail.find(qn("w:t"))):
        piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.addprevious(parse_xml(f"<w:lastRenderedPageBreak {nsdecls('w')}/>"))
    run.addnext(tail)
    run.addnext(parse_xml(f'<w:proofErr w:type="spellStart" {nsdecls("w")}/>'))


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
