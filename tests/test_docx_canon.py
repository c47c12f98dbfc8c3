"""Canonical parts: re-saves by LibreOffice, python-docx or Word change nothing; hand edits show."""

from __future__ import annotations

import copy
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from artifactgen.build import Settings, build
from artifactgen.docx_canon import canonical_parts, part_roles
from tests.coach_edits import EDITS, run
from tests.conftest import CASES, ROOT

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
no_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
EDITED = "marcus-lee--01-decision-snapshot.docx"  # headings, bullets, header and footer
WITH_TABLE = "marcus-lee--05-14-day-action-plan.docx"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def unzip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


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
