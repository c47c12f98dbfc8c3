"""A DOCX package open for editing: its parts, relationships, comments and numbering."""

from __future__ import annotations

import copy
import posixpath
from dataclasses import dataclass, field

from lxml import etree

from artifactgen.revisions import AUTHOR, INITIALS, Reviser
from artifactgen.wordml import (
    BASE_PROPERTY,
    PKG_REL_NS,
    R_NS,
    W_NS,
    local,
    parse_xml,
    read_package,
    serialize,
    w,
    write_package,
)

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
NUMBERING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


@dataclass
class Package:
    """The parts of one DOCX; XML parts are parsed on first use and written back on save."""

    files: dict[str, bytes]
    _parsed: dict[str, etree._Element] = field(default_factory=dict)

    @classmethod
    def open(cls, blob: bytes) -> Package:
        return cls(read_package(blob))

    def xml(self, name: str) -> etree._Element:
        if name not in self._parsed:
            self._parsed[name] = parse_xml(self.files[name])
        return self._parsed[name]

    def put(self, name: str, data: bytes) -> None:
        """Replace a part's bytes (dropping any parsed copy of the old ones)."""
        self.files[name] = data
        self._parsed.pop(name, None)

    def save(self) -> bytes:
        for name, root in self._parsed.items():
            self.files[name] = serialize(root)
        return write_package(self.files)

    @property
    def main(self) -> str:
        """The main document part's name, found through the package relationships."""
        for rel in self.xml("_rels/.rels"):
            if rel.get("Type") == OFFICE_DOCUMENT:
                return rel.get("Target", "").lstrip("/")
        raise KeyError("no main document part")

    def xml_parts(self) -> list[etree._Element]:
        return [self.xml(name) for name in self.files if name.endswith(".xml")]

    def rels(self, part: str) -> etree._Element:
        name = rels_name(part)
        if name not in self.files:
            self.files[name] = serialize(etree.Element(f"{{{PKG_REL_NS}}}Relationships"))
        return self.xml(name)

    def related(self, part: str, rel_type: str) -> str | None:
        """The part that `part` relates to with `rel_type`, as a package name."""
        for rel in self.rels(part):
            if rel.get("Type") == rel_type and rel.get("TargetMode") != "External":
                return posixpath.normpath(
                    posixpath.join(posixpath.dirname(part), rel.get("Target", ""))
                )
        return None

    def add_rel(self, part: str, rel_type: str, target: str, external: bool) -> str:
        """A relationship id from `part` to `target`, reusing an equal one."""
        rels = self.rels(part)
        for rel in rels:
            same_mode = (rel.get("TargetMode") == "External") == external
            if rel.get("Type") == rel_type and rel.get("Target") == target and same_mode:
                return rel.get("Id", "")
        taken = {rel.get("Id") for rel in rels}
        number = len(rels) + 1
        while f"rId{number}" in taken:
            number += 1
        rel = etree.SubElement(rels, f"{{{PKG_REL_NS}}}Relationship")
        rel.set("Id", f"rId{number}")
        rel.set("Type", rel_type)
        rel.set("Target", target)
        if external:
            rel.set("TargetMode", "External")
        return f"rId{number}"

    def set_content_type(self, part: str, content_type: str) -> None:
        types = self.xml("[Content_Types].xml")
        for override in types:
            if override.get("PartName") == f"/{part}":
                return
        override = etree.SubElement(types, f"{{{CT_NS}}}Override")
        override.set("PartName", f"/{part}")
        override.set("ContentType", content_type)


def copy_relationships(element: etree._Element, source: Package, target: Package) -> None:
    """Re-point every r:id/r:embed in `element` (copied from `source`) at `target`'s rels."""
    source_rels = {rel.get("Id"): rel for rel in source.rels(source.main)}
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        for attribute in list(node.attrib):
            if not attribute.startswith(f"{{{R_NS}}}"):
                continue
            rel = source_rels.get(node.get(attribute))
            if rel is None:
                continue
            external = rel.get("TargetMode") == "External"
            target_name = rel.get("Target", "")
            if not external:
                _copy_part(source, target, source.main, target_name)
            node.set(
                attribute, target.add_rel(target.main, rel.get("Type", ""), target_name, external)
            )


def _copy_part(source: Package, target: Package, owner: str, relative: str) -> None:
    name = posixpath.normpath(posixpath.join(posixpath.dirname(owner), relative))
    if name not in target.files and name in source.files:
        target.files[name] = source.files[name]


class Comments:
    """The comments part of a package, created when the first comment is added."""

    def __init__(self, package: Package, reviser: Reviser) -> None:
        self.package = package
        self.reviser = reviser
        self.name = package.related(package.main, COMMENTS_REL)
        self.added = 0

    def _root(self) -> etree._Element:
        if self.name is None:
            self.name = "word/comments.xml"
            self.package.files[self.name] = serialize(
                etree.Element(w("comments"), nsmap={"w": W_NS})
            )
            self.package.add_rel(self.package.main, COMMENTS_REL, "comments.xml", False)
            self.package.set_content_type(self.name, COMMENTS_TYPE)
        return self.package.xml(self.name)

    def own_comment(self, paragraphs: list[etree._Element]) -> etree._Element | None:
        """An artifactgen comment already anchored in these paragraphs, if any."""
        if self.name is None:
            return None
        ids = {
            start.get(w("id"))
            for paragraph in paragraphs
            for start in paragraph.iter(w("commentRangeStart"))
        }
        for comment in self._root():
            if comment.get(w("id")) in ids and comment.get(w("author")) == AUTHOR:
                return comment
        return None

    def comment_on(self, paragraphs: list[etree._Element], text: str) -> None:
        """Anchor a comment holding `text` on the paragraphs, or update artifactgen's own."""
        existing = self.own_comment(paragraphs)
        if existing is not None:
            for child in list(existing):
                existing.remove(child)
            _comment_paragraphs(existing, text)
            existing.set(w("date"), self.reviser.stamp)
            self.added += 1
            return
        identifier = self.reviser.take_id()
        comment = etree.SubElement(self._root(), w("comment"))
        comment.set(w("id"), identifier)
        comment.set(w("author"), AUTHOR)
        comment.set(w("date"), self.reviser.stamp)
        comment.set(w("initials"), INITIALS)
        _comment_paragraphs(comment, text)
        first, last = paragraphs[0], paragraphs[-1]
        start = etree.Element(w("commentRangeStart"))
        start.set(w("id"), identifier)
        properties = first.find(w("pPr"))
        if properties is not None:
            properties.addnext(start)
        else:
            first.insert(0, start)
        end = etree.SubElement(last, w("commentRangeEnd"))
        end.set(w("id"), identifier)
        reference = etree.SubElement(etree.SubElement(last, w("r")), w("commentReference"))
        reference.set(w("id"), identifier)
        self.added += 1


def _comment_paragraphs(comment: etree._Element, text: str) -> None:
    for line in text.split("\n"):
        paragraph = etree.SubElement(comment, w("p"))
        run = etree.SubElement(paragraph, w("r"))
        element = etree.SubElement(run, w("t"))
        element.text = line
        element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


class Numbering:
    """Maps list numbering instances of a fresh render onto the coach's numbering part."""

    def __init__(self, coach: Package, fresh: Package) -> None:
        self.coach, self.fresh = coach, fresh
        self.mapping: dict[str, str] = {}
        self.coach_name = coach.related(coach.main, NUMBERING_REL)
        self.fresh_name = fresh.related(fresh.main, NUMBERING_REL)

    def learn(self, fresh_paragraph: etree._Element, coach_paragraph: etree._Element) -> None:
        fresh_id, coach_id = _num_id(fresh_paragraph), _num_id(coach_paragraph)
        if fresh_id and coach_id:
            self.mapping.setdefault(fresh_id, coach_id)

    def adopt(self, element: etree._Element) -> None:
        """Give copied paragraphs numbering instances that exist in the coach's part."""
        for num_id in element.iter(w("numId")):
            value = num_id.get(w("val"), "")
            if value in ("", "0"):
                continue
            if value not in self.mapping:
                self.mapping[value] = self._clone(value)
            num_id.set(w("val"), self.mapping[value])

    def _clone(self, fresh_id: str) -> str:
        if self.coach_name is None or self.fresh_name is None:
            return fresh_id
        source = next(
            (n for n in self.fresh.xml(self.fresh_name) if n.get(w("numId")) == fresh_id), None
        )
        target = self.coach.xml(self.coach_name)
        if source is None:
            return fresh_id
        taken = [int(n.get(w("numId"), "0")) for n in target if local(n) == "num"]
        new_id = str(max(taken, default=0) + 1)
        clone = copy.deepcopy(source)
        clone.set(w("numId"), new_id)
        target.append(clone)
        return new_id


def _num_id(paragraph: etree._Element) -> str | None:
    element = paragraph.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")
    return element.get(w("val")) if element is not None else None


CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
CUSTOM_PART = "docProps/custom.xml"


def _base_property(root: etree._Element) -> etree._Element | None:
    for prop in root.findall(f"{{{CUSTOM_NS}}}property"):
        if prop.get("name") == BASE_PROPERTY:
            return prop[0] if len(prop) else None
    return None


def read_base(files: dict[str, bytes]) -> str | None:
    """The base id a DOCX carries (what artifactgen last generated or merged it from)."""
    if CUSTOM_PART not in files:
        return None
    try:
        value = _base_property(parse_xml(files[CUSTOM_PART]))
    except etree.XMLSyntaxError:
        return None
    return (value.text or None) if value is not None else None


def stamp_base(files: dict[str, bytes], base: str) -> bool:
    """Write the base id into the DOCX's own property; False when it has no such property."""
    if CUSTOM_PART not in files:
        return False
    root = parse_xml(files[CUSTOM_PART])
    value = _base_property(root)
    if value is None:
        return False
    value.text = base
    files[CUSTOM_PART] = serialize(root)
    return True


def to_review(package: Package) -> tuple[int, int]:
    """(tracked changes, comments) by artifactgen still in the document, as the file is now."""
    tracked = sum(
        1
        for mark in package.xml(package.main).iter(w("ins"), w("del"))
        if mark.get(w("author")) == AUTHOR and local(mark.getparent()) not in ("rPr", "trPr")
    )
    name = package.related(package.main, COMMENTS_REL)
    comments = 0
    if name is not None and name in package.files:
        comments = sum(1 for c in package.xml(name) if c.get(w("author")) == AUTHOR)
    return tracked, comments
