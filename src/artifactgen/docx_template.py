"""The reference DOCX read once per build: parts, styles, numbering, page, table text, fill-ins."""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from artifactgen.document import TABLE_INTRO_STYLE, TABLE_STYLE
from artifactgen.docx_fields import fill_core, fill_fields, set_custom_property
from artifactgen.docx_parts import relationships
from artifactgen.docx_table_text import table_text
from artifactgen.errors import OutputError
from artifactgen.wordml import BASE_PROPERTY, PKG_REL_NS, R_NS, W_NS, read_package, w

_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)  # as python-docx reads
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_SPLIT = "artifactgen-content-goes-here"
_ON = ("1", "true", "on")
# Letter with one-inch margins, in twips, where a reference's section does not say.
_PAGE_DEFAULTS = {"w": 12240, "left": 1440, "right": 1440}
_UNITS = {"mm": 36000, "cm": 360000, "in": 914400, "pt": 12700, "pc": 152400, "pi": 152400}
EMU_PER_TWIP = 635
# A marker the writer replaces with a document's own value: title, author, subject, created.
MARKER = re.compile("\ue000(title|author|subject|created)\ue000".encode())


def marker(name: str) -> str:
    return f"\ue000{name}\ue000"


@dataclass(frozen=True, slots=True)
class Style:
    style_id: str | None  # None: the default style of its type, which a paragraph need not name
    number_id: int | None  # the numbering instance a paragraph style gives


@dataclass(frozen=True, slots=True)
class Split:
    """A part serialised around the point where generated XML goes."""

    head: str
    tail: str


class Reference:
    """Everything a writer needs from the reference DOCX, read once and shared by every document.

    `parts` holds each part as bytes in the reference's zip order (custom.xml added for the base
    property); the main part, its relationships and the numbering are kept split where the
    writer inserts; headers, footers and core properties carry markers for per-document values.
    """

    def __init__(self, blob: bytes, name: str) -> None:
        self.name = name
        try:
            self.parts = read_package(blob)
        except (zipfile.BadZipFile, OSError) as error:
            raise OutputError.at(name, 0, 0, f"is not a DOCX file ({error})") from None
        package_rels = relationships(self.parts, "")
        self.main = next((t for kind, t in package_rels.values() if kind == "officeDocument"), "")
        if self.main not in self.parts:
            raise OutputError.at(name, 0, 0, "is not a Word document (no main document part)")
        rels = relationships(self.parts, self.main)
        by_kind = {kind: target for kind, target in reversed(rels.values())}  # first one counts
        folder, base = posixpath.split(self.main)
        self.rels_part = posixpath.join(folder, "_rels", base + ".rels")
        section = self._read_body()
        self.usable_width = _usable_width(section)
        styles = self._xml(by_kind["styles"]) if "styles" in by_kind else None
        self.styles = _read_styles(styles)
        self.table_text = table_text(styles, TABLE_STYLE)
        self._found: dict[tuple[str, str], Style] = {}
        self._read_numbering(by_kind.get("numbering"))
        self._read_links(rels)
        self.filled: dict[str, bytes] = {}  # part -> its bytes with markers
        self._read_headers(section, rels)
        self._add_properties(package_rels)

    def style(self, name: str, kind: str) -> Style:
        """The style Word shows as `name`, of `kind` (paragraph, character or table)."""
        key = (name, kind)
        if key not in self._found:
            self._found[key] = self._resolve(name, kind)
        return self._found[key]

    def _resolve(self, name: str, kind: str) -> Style:
        candidates = (
            self.styles.by_name.get(_INTERNAL_NAMES.get(name, name)),  # Word: "heading 1"
            self.styles.by_name.get(name),  # LibreOffice: "Heading 1"
            self.styles.by_id.get(name),
        )
        element = next((found for found in candidates if found is not None), None)
        if element is None and name in OPTIONAL_STYLES:
            return Style(None, None)  # the default paragraph style
        if element is None:
            raise OutputError.at(self.name, 0, 0, f"has no style {name!r}; add it in Word")
        if (element.get(w("type")) or "paragraph") != kind:
            raise OutputError.at(self.name, 0, 0, f"style {name!r} is not a {kind} style")
        number = element.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")
        number_id = _int(number.get(w("val"))) if number is not None else None
        if element is self.styles.defaults.get(kind):
            return Style(None, number_id)
        return Style(element.get(w("styleId")), number_id)

    def _xml(self, part: str) -> etree._Element:
        try:
            return etree.fromstring(self.parts[part], _PARSER)
        except (KeyError, etree.XMLSyntaxError) as error:
            raise OutputError.at(self.name, 0, 0, f"cannot read {part}: {error}") from None

    def _read_body(self) -> etree._Element | None:
        """Split the main part where the body's content goes; its final section properties."""
        root = _with_prefixes(self._xml(self.main), {"w": W_NS, "r": R_NS})
        body = root.find(w("body"))
        if body is None:
            raise OutputError.at(self.name, 0, 0, "has no document body")
        sections = [child for child in body if child.tag == w("sectPr")]
        for child in list(body):
            if child.tag != w("sectPr"):
                body.remove(child)
        self.body = _split(root, body, sections[0] if sections else None)
        return sections[-1] if sections else None

    def _read_headers(self, section: etree._Element | None, rels: dict) -> None:
        """The headers and footers the section shows, with markers in their SUBJECT and AUTHOR."""
        values = {"SUBJECT": marker("subject"), "AUTHOR": marker("author")}
        kinds = (w("headerReference"), w("footerReference"))
        for ref in section.iterchildren(*kinds) if section is not None else ():
            target = rels.get(ref.get(f"{{{R_NS}}}id", ""), ("", ""))[1]
            if target in self.parts:
                element = self._xml(target)
                if fill_fields(element, values):
                    self.filled[target] = _serialize(element)

    def _read_numbering(self, part: str | None) -> None:
        self.numbering_part = part if part in self.parts else None
        self.abstract_of: dict[int, int] = {}
        self.number_ids: set[int] = set()
        self.numbering = Split("", "")
        if self.numbering_part is None:
            return
        root = _with_prefixes(self._xml(self.numbering_part), {"w": W_NS})
        for num in root.iterchildren(w("num")):
            number, abstract = _int(num.get(w("numId"))), num.find(w("abstractNumId"))
            if number is None:
                continue
            self.number_ids.add(number)
            target = _int(abstract.get(w("val"))) if abstract is not None else None
            if target is not None and number not in self.abstract_of:
                self.abstract_of[number] = target
        self.numbering = _split(root, root, root.find(w("numIdMacAtCleanup")))

    def _read_links(self, rels: dict[str, tuple[str, str]]) -> None:
        self.links = {}
        for rid, (kind, target) in rels.items():
            if kind == "hyperlink" and target not in self.parts:
                self.links.setdefault(target, rid)
        self.rel_ids = set(rels)
        if self.rels_part in self.parts:
            root = _with_prefixes(self._xml(self.rels_part), {None: PKG_REL_NS})
        else:
            root = etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
        self.rels = _split(root, root, None)

    def _add_properties(self, package_rels: dict[str, tuple[str, str]]) -> None:
        """Core properties with markers, and a custom.xml holding the (empty) base property."""
        by_kind = {kind: target for kind, target in reversed(package_rels.values())}
        core = by_kind.get("core-properties", "docProps/core.xml")
        custom = by_kind.get("custom-properties", "docProps/custom.xml")
        for part, reltype, content_type in (
            (core, _CORE_REL, _CORE_TYPE),
            (custom, _REL + "custom-properties", _CUSTOM_TYPE),
        ):
            if part not in self.parts:
                self._add_part(part, reltype, content_type)
        try:
            self.filled[core] = fill_core(self.parts[core], marker)
            self.parts[custom] = set_custom_property(self.parts[custom], BASE_PROPERTY, "")
        except etree.XMLSyntaxError as error:
            raise OutputError.at(self.name, 0, 0, f"cannot read its properties: {error}") from None

    def _add_part(self, part: str, reltype: str, content_type: str) -> None:
        self.parts[part] = b""
        rels = etree.fromstring(self.parts["_rels/.rels"], _PARSER)
        taken = {rel.get("Id") for rel in rels.iterchildren(f"{{{PKG_REL_NS}}}Relationship")}
        number = next(n for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
        relation = etree.SubElement(rels, f"{{{PKG_REL_NS}}}Relationship")
        relation.set("Id", f"rId{number}")
        relation.set("Type", reltype)
        relation.set("Target", part)
        self.parts["_rels/.rels"] = _serialize(rels)
        types = etree.fromstring(self.parts["[Content_Types].xml"], _PARSER)
        override = etree.Element(
            f"{{{_CT_NS}}}Override", PartName="/" + part, ContentType=content_type
        )
        overrides = types.iterchildren(f"{{{_CT_NS}}}Override")
        later = [o for o in overrides if o.get("PartName", "") > "/" + part]
        if later:
            later[0].addprevious(override)
        else:
            types.append(override)
        self.parts["[Content_Types].xml"] = _serialize(types)


# python-docx's UI names for built-in styles whose names in styles.xml are lowercase.
# Styles a reference may lack (one made before they existed): the default style stands in.
OPTIONAL_STYLES = {TABLE_INTRO_STYLE}
_INTERNAL_NAMES = {"Caption": "caption", "Footer": "footer", "Header": "header"} | {
    f"Heading {n}": f"heading {n}" for n in range(1, 10)
}


@dataclass(frozen=True, slots=True)
class _Styles:
    by_name: dict[str, etree._Element]
    by_id: dict[str, etree._Element]
    defaults: dict[str, etree._Element]  # type -> the default style of that type


def _read_styles(root: etree._Element | None) -> _Styles:
    by_name: dict[str, etree._Element] = {}
    by_id: dict[str, etree._Element] = {}
    defaults: dict[str, etree._Element] = {}
    for style in root.iterchildren(w("style")) if root is not None else ():
        name = style.find(w("name"))
        if name is not None:
            by_name.setdefault(name.get(w("val"), ""), style)
        by_id.setdefault(style.get(w("styleId"), ""), style)
        if style.get(w("default")) in _ON and style.get(w("type")):
            defaults[style.get(w("type"))] = style  # the last one counts
    return _Styles(by_name, by_id, defaults)


def _usable_width(section: etree._Element | None) -> int:
    """Page width less the left and right margins, in EMU."""
    size = section.find(w("pgSz")) if section is not None else None
    margins = section.find(w("pgMar")) if section is not None else None
    width = _measure(size, "w")
    return width - _measure(margins, "left") - _measure(margins, "right")


def _measure(element: etree._Element | None, name: str) -> int:
    value = element.get(w(name)) if element is not None else None
    if value and value[-2:] in _UNITS:
        return int(float(value[:-2]) * _UNITS[value[-2:]])
    twips = _int(value)
    return (twips if twips is not None else _PAGE_DEFAULTS[name]) * EMU_PER_TWIP


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _with_prefixes(root: etree._Element, prefixes: dict[str | None, str]) -> etree._Element:
    """`root`, or a copy declaring the prefixes generated XML uses where it did not."""
    if all(root.nsmap.get(prefix) == uri for prefix, uri in prefixes.items()):
        return root
    copy = etree.Element(root.tag, attrib=dict(root.attrib), nsmap={**root.nsmap, **prefixes})
    copy.text = root.text
    copy.extend(list(root))
    return copy


def _split(root: etree._Element, parent: etree._Element, before: etree._Element | None) -> Split:
    """Serialise `root` around an insertion point in `parent`, before `before` or at its end."""
    point = etree.Comment(_SPLIT)
    if before is not None and before.getparent() is parent:
        before.addprevious(point)
    else:
        parent.append(point)
    head, tail = _serialize(root).decode("utf-8").split(f"<!--{_SPLIT}-->")
    parent.remove(point)
    return Split(head, tail)


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
