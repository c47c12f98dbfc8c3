"""WordprocessingML fix-ups for the client pack: revisions and comments, ids, properties."""

from __future__ import annotations

import copy
import datetime as dt
import zlib

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from artifactgen.wordml import local, read_package, w

REVISIONS = {
    "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange", "tblPrChange",
    "trPrChange", "tcPrChange", "tblGridChange", "numberingChange", "cellIns", "cellDel",
    "cellMerge",
}  # fmt: skip
COMMENT_MARKS = ("commentRangeStart", "commentRangeEnd", "commentReference")
_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl'
    b'.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.'
    b'org/2001/XMLSchema-instance"><dc:title/><dc:subject/><dc:creator/><cp:lastModifiedBy/>'
    b'<cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF"/>'
    b'<dcterms:modified xsi:type="dcterms:W3CDTF"/></cp:coreProperties>'
)


def unresolved(data: bytes) -> tuple[int, int]:
    """(tracked changes, comments) anyone left in a Word file, as it is on disk."""
    files = read_package(data)
    tracked = comments = 0
    for name, blob in files.items():
        if not name.startswith("word/") or not name.endswith(".xml"):
            continue
        root = etree.fromstring(blob)
        if local(root) == "comments":
            comments += sum(1 for child in root if local(child) == "comment")
        elif local(root) in ("document", "hdr", "ftr", "footnotes", "endnotes"):
            tracked += sum(
                1
                for element in root.iter(etree.Element)
                if local(element) in REVISIONS and local(element.getparent()) != "rPr"
            )
    return tracked, comments


def renumber_comments(member: docx.document.Document, start: int) -> list[etree._Element]:
    """The member's comments with ids from `start` on, its anchors changed to match."""
    rels = [rel for rel in member.part.rels.values() if rel.reltype == RT.COMMENTS]
    if not rels:
        return []
    comments = [c for c in rels[0].target_part.element if local(c) == "comment"]
    ids = {comment.get(w("id")): str(start + n) for n, comment in enumerate(comments)}
    for mark in member.element.body.iter(*(w(name) for name in COMMENT_MARKS)):
        if mark.get(w("id")) in ids:
            mark.set(w("id"), ids[mark.get(w("id"))])
    found = []
    for comment in comments:
        comment = copy.deepcopy(comment)
        comment.set(w("id"), ids[comment.get(w("id"))])
        found.append(comment)
    return found


def renumber_revisions(body: etree._Element) -> None:
    """One id per tracked change across the pack, above every bookmark and comment id."""
    used = [
        int(element.get(w("id")))
        for element in body.iter(w("bookmarkStart"), *(w(name) for name in COMMENT_MARKS))
        if (element.get(w("id")) or "").isdigit()
    ]
    next_id = max(used, default=0) + 1
    for element in body.iter(etree.Element):
        if local(element) in REVISIONS and element.get(w("id")) is not None:
            element.set(w("id"), str(next_id))
            next_id += 1


def core_properties(client: str, coach: str, session: dt.date) -> bytes:
    """Title, subject (the client: the members' headers show it), author (the coach) and
    dates from the case, so that the same case gives the same bytes."""
    root = etree.fromstring(_CORE)
    stamp = f"{session:%Y-%m-%d}T00:00:00Z"
    values = {"title": f"Client pack: {client}", "subject": client, "creator": coach,
              "lastModifiedBy": coach, "created": stamp, "modified": stamp}  # fmt: skip
    for element in root:
        if local(element) in values:
            element.text = values[local(element)]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def fixed_nsids(numbering: bytes) -> bytes:
    """docxcompose gives restarted lists random w:nsid values; make each one follow from its
    list's id instead (they need only be unique)."""
    root = etree.fromstring(numbering)
    for abstract in root.iter(w("abstractNum")):
        nsid = abstract.find(w("nsid"))
        if nsid is not None:
            number = int(abstract.get(w("abstractNumId"), "0"))
            nsid.set(w("val"), f"{zlib.crc32(f'artifactgen-list-{number}'.encode()):08X}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def update_fields_on_open(master: docx.document.Document) -> None:
    """Ask Word to fill in the table of contents when the pack is opened."""
    settings = master.settings.element
    if settings.find(w("updateFields")) is None:
        update = etree.Element(w("updateFields"))
        update.set(w("val"), "true")
        settings.insert(_settings_position(settings), update)


def _settings_position(settings: etree._Element) -> int:
    """Where w:updateFields goes in w:settings: before the first element the schema puts
    after it."""
    after = {
        "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
        "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
        "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
        "decimalSymbol", "listSeparator",
    }  # fmt: skip
    for index, child in enumerate(settings):
        if local(child) in after or not child.tag.startswith(w("")):
            return index
    return len(settings)
