"""A DOCX's parts, found by the role they play through its relationships, never by file name."""

from __future__ import annotations

import posixpath

from lxml import etree

from artifactgen.wordml import R_NS, local, w

R = f"{{{R_NS}}}"
# Not wordml.parse_xml: huge_tree lets a part past libxml2's limits (a text node over 10 MB, more
# than 256 levels of nesting) be read rather than taken for a missing part.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)

# fmt: off
_PACKAGE_ROLES = {"officeDocument": "body", "core-properties": "properties:core",
                  "extended-properties": "properties:app", "custom-properties": "properties:custom"}
_DOCUMENT_ROLES = ("styles", "numbering", "settings", "comments", "footnotes", "endnotes", "theme")
# fmt: on


def read_part(files: dict[str, bytes], name: str | None) -> etree._Element | None:
    """The parsed part, or None where it is missing or is not well-formed XML."""
    try:
        return etree.fromstring(files[name], _PARSER) if name in files else None
    except etree.XMLSyntaxError:
        return None


def relationships(files: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    """rId -> (last word of the relationship type, target part name or external URL)."""
    folder, name = posixpath.split(part)
    result = {}
    root = read_part(files, posixpath.join(folder, "_rels", name + ".rels"))
    for rel in root if root is not None else ():
        target = rel.get("Target", "")
        if rel.get("TargetMode") != "External":
            target = posixpath.normpath(posixpath.join("/" + folder, target)).lstrip("/")
        result[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
    return result


def part_roles(files: dict[str, bytes]) -> dict[str, str]:
    """Role -> zip part name, found through the relationships (never by file name)."""
    package = relationships(files, "").values()
    roles = {_PACKAGE_ROLES[kind]: target for kind, target in package if kind in _PACKAGE_ROLES}
    body = read_part(files, roles.get("body"))
    if body is None:
        return {role: part for role, part in roles.items() if part in files}
    rels = relationships(files, roles["body"])
    roles |= {kind: target for kind, target in rels.values() if kind in _DOCUMENT_ROLES}
    shown: dict[str, str] = {}  # a section without a header of its own shows the previous one
    sections = [s for s in body.iter(w("sectPr")) if s.getparent().tag != w("sectPrChange")]
    for index, section in enumerate(sections, start=1):
        for ref in section.iterchildren(w("headerReference"), w("footerReference")):
            kind = local(ref)[: -len("Reference")] + ":" + ref.get(w("type"), "default")
            shown[kind] = rels.get(ref.get(R + "id", ""), ("", ""))[1]
        roles |= {role + (f":{index}" if index > 1 else ""): part for role, part in shown.items()}
    return {role: part for role, part in roles.items() if part in files}
