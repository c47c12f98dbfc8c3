"""The client pack as one Word file: a cover, a table of contents, then each deliverable as is.

The members are joined with docxcompose (styles, numbering and restarting lists, pictures,
footnotes), each in a section of its own that starts on a new page and keeps its own
headers, footers and page setup; comments and tracked changes come along with new ids. The
bytes depend only on the inputs: the same members and cover give the same file.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from dataclasses import dataclass

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import nsmap
from docx.oxml.parser import parse_xml
from docxcompose.composer import Composer
from lxml import etree

from artifactgen.inline import plain_text
from artifactgen.models import Case
from artifactgen.pack_parts import (
    core_properties,
    fixed_nsids,
    renumber_comments,
    renumber_revisions,
    update_fields_on_open,
)
from artifactgen.templating import long_date
from artifactgen.wordml import local, read_package, w, write_package

# Importing docxcompose points python-docx's "cp" prefix at the custom-properties namespace,
# which makes python-docx write core properties wrongly in the whole process. Undo that, and
# let docxcompose have its meaning only while it composes.
_CORE_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_COMPOSE_CP = nsmap["cp"]
nsmap["cp"] = _CORE_CP

PACK_SUFFIX = "-client-pack.docx"
COVER_STYLE = "Cover Title"
CONTENTS_TITLE = "Contents"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(frozen=True)
class Cover:
    """What the cover page says, all from the case file."""

    client: str
    role: str
    coach: str
    email: str | None
    session: dt.date

    @classmethod
    def of(cls, case: Case) -> Cover:
        client = case.client
        role = plain_text(client.role)
        if client.organization:
            role += f" at {plain_text(client.organization)}"
        return cls(plain_text(client.name), role, plain_text(case.coach.name), case.coach.email,
                   case.session.date)  # fmt: skip

    def key(self) -> str:
        return "\n".join(map(str, (self.client, self.role, self.coach, self.email, self.session)))


def pack_name(case_id: str) -> str:
    return f"{case_id}{PACK_SUFFIX}"


class _Composer(Composer):
    """docxcompose, leaving sections to `assemble`: it would drop each member's header and
    footer references and carry the first template's over."""

    def remove_header_and_footer_references(self, doc: object, element: object) -> None:
        return None

    def fix_section_types(self, doc: object) -> None:
        return None

    def fix_header_and_footers(self, doc: object) -> None:
        return None


def assemble(reference: bytes, cover: Cover, members: list[bytes]) -> bytes:
    """The pack: cover and contents in the house style of `reference`, then the members."""
    nsmap["cp"] = _COMPOSE_CP
    try:
        return _assemble(reference, cover, members)
    finally:
        nsmap["cp"] = _CORE_CP


def _assemble(reference: bytes, cover: Cover, members: list[bytes]) -> bytes:
    master = docx.Document(io.BytesIO(reference))
    body = master.element.body
    for element in list(body):
        if local(element) != "sectPr":
            body.remove(element)
    _cover(master, cover)
    composer = _Composer(master, preserve_styles=True)
    comments: list[etree._Element] = []
    sections: list[etree._Element] = []
    for number, data in enumerate(members):
        member = docx.Document(io.BytesIO(data))
        comments += renumber_comments(member, len(comments))
        section = _own_section(member, last=number == len(members) - 1)
        start = len(body)
        composer.append(member)
        added = list(body)[start:]
        if section is not None:  # the last member's section ends the pack
            composer.add_referenced_parts(member.part, master.part, section)
            body.append(section)
            added.append(section)
        for element in added:
            sections += _carry_headers(composer, member, element)
    if sections:
        _cover_headers(master, sections[0])
    if comments:
        part = master.part._comments_part
        for comment in comments:
            part.element.append(comment)
    renumber_revisions(body)
    _contents_styles(master)
    update_fields_on_open(master)
    out = io.BytesIO()
    master.save(out)
    files = read_package(out.getvalue())
    files["docProps/core.xml"] = core_properties(cover.client, cover.coach, cover.session)
    files["word/numbering.xml"] = fixed_nsids(files["word/numbering.xml"])
    return write_package(files)


def _cover(master: docx.document.Document, cover: Cover) -> None:
    styles = master.styles
    if COVER_STYLE not in [style.name for style in styles]:
        style = styles.add_style(COVER_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Title"]
        style.paragraph_format.space_before = docx.shared.Pt(150)
    master.add_paragraph("Client pack", "Subtitle")
    master.add_paragraph(cover.client, COVER_STYLE)
    master.add_paragraph(cover.role, "Subtitle")
    coach = master.add_paragraph()
    coach.paragraph_format.space_before = docx.shared.Pt(36)
    coach.add_run("Coach: ").bold = True
    coach.add_run(cover.coach + (f" ({cover.email})" if cover.email else ""))
    session = master.add_paragraph()
    session.add_run("Session: ").bold = True
    session.add_run(long_date(cover.session))
    notice = master.add_paragraph()
    notice.paragraph_format.space_before = docx.shared.Pt(48)
    notice.add_run("Confidential").bold = True
    notice.add_run(f": prepared for {cover.client} alone. Please do not share it further.")
    heading = master.add_paragraph(CONTENTS_TITLE, "TOC Heading")
    heading.paragraph_format.page_break_before = True
    master.element.body.insert(len(master.element.body) - 1, _contents_field())
    # The cover and contents are a section of their own, the cover page without header or
    # footer: the body's section properties move into its last paragraph.
    section = master.element.body.find(w("sectPr"))
    later = ("textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")
    after = next((i for i, child in enumerate(section) if local(child) in later), len(section))
    section.insert(after, etree.Element(w("titlePg")))
    _close_section(master.element.body, section)


def _contents_field() -> etree._Element:
    """A TOC field on the deliverables' titles; Word and LibreOffice fill it in."""
    paragraph = etree.Element(w("p"))
    for kind, text in (("begin", None), ("instr", ' TOC \\h \\z \\t "Title,1" '),
                       ("separate", None), ("text", "Right-click and choose Update Field to "
                        "list the deliverables with their pages."), ("end", None)):  # fmt: skip
        run = etree.SubElement(paragraph, w("r"))
        if kind == "instr":
            etree.SubElement(run, w("instrText")).text = text
            run[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        elif kind == "text":
            etree.SubElement(run, w("t")).text = text
        else:
            mark = etree.SubElement(run, w("fldChar"))
            mark.set(w("fldCharType"), kind)
            if kind == "begin":
                mark.set(w("dirty"), "true")
    return paragraph


def _close_section(body: etree._Element, section: etree._Element) -> None:
    """Move the body-level `section` into the last paragraph (a new one after a table)."""
    body.remove(section)
    blocks = [child for child in body if local(child) in ("p", "tbl", "sdt")]
    last = blocks[-1] if blocks else None
    if last is None or local(last) != "p" or last.find(f"{w('pPr')}/{w('sectPr')}") is not None:
        last = etree.SubElement(body, w("p"))
    properties = last.find(w("pPr"))
    if properties is None:
        properties = etree.Element(w("pPr"))
        last.insert(0, properties)
    properties.append(section)


def _own_section(member: docx.document.Document, last: bool) -> etree._Element | None:
    """Make the member's last section its own: a new page, its headers, footers and page
    setup. The last member's section properties are returned, to end the pack's body."""
    body = member.element.body
    section = body.find(w("sectPr"))
    if section is None:
        return None
    kind = section.find(w("type"))
    if kind is not None:
        section.remove(kind)  # a new page: the default
    first = next(iter(body.iter(w("sectPr"))))
    first_kind = first.find(w("type"))
    if first_kind is not None:
        first.remove(first_kind)
    if last:
        body.remove(section)
        return copy.deepcopy(section)
    _close_section(body, section)
    return None


def _carry_headers(
    composer: Composer, member: docx.document.Document, element: etree._Element
) -> list[etree._Element]:
    """Copy the headers and footers that `element`'s sections use from the member into the
    pack (docxcompose leaves them out), pointing the sections at the copies."""
    found = []
    for section in element.iter(w("sectPr")):
        found.append(section)
        for reference in section.iter(w("headerReference"), w("footerReference")):
            relation = member.part.rels.get(reference.get(_R_ID))
            if relation is not None and not relation.is_external:
                copied = _copy_story(composer, relation.target_part)
                reference.set(_R_ID, composer.doc.part.relate_to(copied, relation.reltype))
    return found


def _copy_story(composer: Composer, part: Part) -> XmlPart:
    """A copy of a header or footer part in the pack, with the parts it uses (a logo)."""
    stem = str(part.partname).rsplit("/", 1)[1].rstrip("0123456789.xml") or "header"
    used = {str(existing.partname) for existing in composer.pkg.iter_parts()}
    number = 1
    while f"/word/{stem}{number}.xml" in used:
        number += 1
    copied = XmlPart(
        PackURI(f"/word/{stem}{number}.xml"), part.content_type, parse_xml(part.blob), composer.pkg
    )
    for relation in sorted(part.rels.values(), key=lambda rel: int(rel.rId[3:] or 0)):
        composer.add_relationship(part, copied, relation)
    return copied


def _cover_headers(master: docx.document.Document, first: etree._Element) -> None:
    """The contents page takes the first deliverable's header and footer (the reference's
    show its own sample values); the reference's are dropped."""
    cover = next(master.element.body.iter(w("sectPr")))
    old = [ref.get(_R_ID) for ref in cover.iter(w("headerReference"), w("footerReference"))]
    for reference in list(cover.iter(w("headerReference"), w("footerReference"))):
        cover.remove(reference)
    for position, reference in enumerate(first.iter(w("headerReference"), w("footerReference"))):
        cover.insert(position, copy.deepcopy(reference))
    for rid in old:
        if rid:
            master.part.drop_rel(rid)


def _contents_styles(master: docx.document.Document) -> None:
    """List in the TOC field every style the members' titles have (a copy of Title when the
    coach changed it in one member)."""
    names = {style.style_id: style.name for style in master.styles}
    found: list[str] = []
    for paragraph in master.element.body.iter(w("p")):
        style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        name = names.get(style.get(w("val"))) if style is not None else None
        if name and name.startswith("Title") and name not in found:
            found.append(name)
    switch = ",".join(f"{name},1" for name in found or ["Title"])
    for text in master.element.body.iter(w("instrText")):
        if text.text and text.text.strip().startswith("TOC "):
            text.text = f' TOC \\h \\z \\t "{switch}" '
