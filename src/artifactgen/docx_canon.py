"""Canonical text of a DOCX's parts: equal after a mere re-save, different after a hand edit."""

from __future__ import annotations

import json

from lxml import etree

from artifactgen.docx_layout import document_layout, same_layout
from artifactgen.docx_parts import part_roles, read_part
from artifactgen.docx_props import TOGGLES, toggle, word_local
from artifactgen.docx_stories import Stories
from artifactgen.wordml import w

# fmt: off
# Settings that change what is shown or how the document behaves. Left out: zoom and view state,
# rsids, proofing state, compression and math defaults, East Asian layout, note separators and
# w:autoHyphenation, which LibreOffice 7.4 writes as on into files that never had it.
_SETTINGS = ("defaultTabStop", "evenAndOddHeaders", "mirrorMargins", "gutterAtTop",
             "trackRevisions", "bookFoldPrinting", "documentProtection", "compatSetting")
# What a person edits in File > Properties. Left out: dates, lastModifiedBy, revision, language
# and the statistics in app.xml, which every save rewrites.
_PROPERTIES = ("title", "subject", "creator", "keywords", "description", "category",
               "contentStatus", "Manager", "Company")
# fmt: on


def _settings(root: etree._Element) -> str:
    lines = []
    for element in root.iter(*(w(name) for name in _SETTINGS)):
        attributes = {etree.QName(k).localname: v for k, v in element.attrib.items()}
        if word_local(element) == "documentProtection":  # not the password hash, salted each save
            attributes = {k: v for k, v in attributes.items() if k in ("edit", "enforcement")}
        elif word_local(element) in TOGGLES:
            attributes = {"val": toggle(element)}
        if attributes.get("val") != "0" and attributes.get("name") in (None, "compatibilityMode"):
            lines.append(f"{word_local(element)} {json.dumps(attributes, sort_keys=True)}")
    return "\n".join(lines)


def _properties(files: dict[str, bytes], roles: dict[str, str]) -> str | None:
    parts = [read_part(files, roles.get(f"properties:{k}")) for k in ("core", "app", "custom")]
    if all(part is None for part in parts):
        return None
    core, app, custom = (part if part is not None else [] for part in parts)
    named = {etree.QName(e).localname: (e.text or "").strip() for e in [*core, *app]}
    lines = [f"{name}: {named[name]}" for name in _PROPERTIES if named.get(name)]
    for prop in custom:  # except artifactgen's own bookkeeping
        if not prop.get("name", "").startswith("artifactgen-"):
            lines.append(f"custom {prop.get('name')}: {''.join(prop.itertext())}")
    return "\n".join(sorted(lines))


def canonical_parts(files: dict[str, bytes]) -> dict[str, str]:
    """Role -> canonical text of everything a person can see or Word keeps in that role.

    Table widths and row heights are not in it: a re-save rounds them, so they are compared
    within a tolerance by differing_roles, the test for an edit."""
    return _canonical(files)[0]


def _canonical(files: dict[str, bytes]) -> tuple[dict[str, str], Stories]:
    stories = Stories(files)
    roles, result = stories.roles, {}
    if "body" in roles:
        result["body"] = stories.story(roles["body"])
        background = read_part(files, roles["body"]).find(w("background"))
        if background is not None:
            result["body"] += f"\nbackground {(background.get(w('color')) or 'auto').upper()}"
    for role in sorted(r for r in roles if r.startswith(("header:", "footer:"))):
        result[role] = stories.story(roles[role])
    for kind in ("comments", "footnotes", "endnotes"):  # a part with only separators is no role
        notes = stories.notes(kind) if kind in roles else ""
        if notes:
            result[kind] = notes
    if "styles" in roles:
        result["styles"] = stories.sheet.text()
    if stories.sheet.definitions:
        definitions = enumerate(stories.sheet.definitions, 1)
        result["numbering"] = "\n".join(f"{i}: {d}" for i, d in definitions)
    settings = read_part(files, roles.get("settings"))
    if settings is not None:
        result["settings"] = _settings(settings)
    if stories.media:
        result["media"] = "\n".join(stories.media)
    properties = _properties(files, roles)
    if properties is not None:
        result["properties"] = properties
    return result, stories


def differing_roles(base: dict[str, bytes], other: dict[str, bytes]) -> set[str]:
    """The roles whose content differs between two documents: the roles of canonical_parts
    (a role in one document only counts), and "layout" for the table widths and row heights of
    the body, headers and footers, compared within docx_layout's tolerance.

    Styles and lists count only as they are defined: a style or list level that `other` newly
    uses (or no longer uses) and that both documents define alike makes no difference here;
    the body shows that it is used."""
    (mine, my_stories), (theirs, their_stories) = _canonical(base), _canonical(other)
    roles = {role for role in mine.keys() | theirs.keys() if mine.get(role) != theirs.get(role)}
    sheets = my_stories.sheet, their_stories.sheet
    both = my_stories.roles.keys() & their_stories.roles.keys()  # parts both documents have
    if "styles" in roles & both:
        names = sheets[0].used_names() | sheets[1].used_names()
        if sheets[0].text(names) == sheets[1].text(names):
            roles.discard("styles")
    if "numbering" in roles & both:  # the role is there when a list is used, the part may be
        used = [set(sheet.definitions) for sheet in sheets]
        if used[1] <= sheets[0].all_definitions() and used[0] <= sheets[1].all_definitions():
            roles.discard("numbering")
    if not same_layout(document_layout(base), document_layout(other)):
        roles.add("layout")
    return roles


__all__ = ["canonical_parts", "differing_roles", "part_roles"]
