"""Brings an edited DOCX up to date: body merged as tracked changes, other parts merged by part."""

from __future__ import annotations

import copy
import datetime as dt
import posixpath
from dataclasses import dataclass, field

from lxml import etree

from artifactgen.docx_canon import differing_roles, part_roles
from artifactgen.docx_merge import Conflict, MergeError, merge_body
from artifactgen.package import Package, read_base, rels_name, stamp_base, to_review
from artifactgen.wordml import (
    body_of,
    local,
    parse_xml,
    read_package,
    w,
)

# Parts taken whole from the fresh render when the coach left them as generated.
_WHOLE_PARTS = ("styles", "settings", "header:", "footer:")
# Page setup children of the section properties that follow the reference document.
_PAGE_SETUP = ("pgSz", "pgMar", "cols", "docGrid")
_PROPERTY_PARTS = ("docProps/core.xml",)


@dataclass(frozen=True)
class KeptPart:
    """A part the coach changed, so what the case or house style changed there is not applied."""

    role: str
    new_text: str = ""  # for headers and footers: what the fresh render shows there


@dataclass
class DocxMerge:
    """A merged document and what the merge did."""

    data: bytes
    tracked: int = 0  # artifactgen's revisions in the file now, as Word's Review pane lists them
    conflicts: list[Conflict] = field(default_factory=list)
    kept_parts: list[KeptPart] = field(default_factory=list)


def merge_docx(base: dict[str, bytes], coach: bytes, fresh: bytes, when: dt.datetime) -> DocxMerge:
    """Merge what changed from `base` (a stored render's parts) to `fresh` into `coach`.

    The merged file names the fresh render as its base. Raises MergeError when unsafe.
    """
    try:
        packages = [Package(dict(base)), Package.open(coach), Package.open(fresh)]
    except Exception as error:  # a damaged zip or XML: nothing can be merged
        raise MergeError(f"cannot read the document ({error})") from None
    base_package, coach_package, fresh_package = packages
    fresh_base = read_base(fresh_package.files)
    if fresh_base:  # before any part is parsed, so that saving keeps it
        stamp_base(coach_package.files, fresh_base)
    coach_changed = differing_roles(base_package.files, coach_package.files)
    case_changed = differing_roles(base_package.files, fresh_package.files)
    roles = [part_roles(package.files) for package in packages]
    body = merge_body(base_package, coach_package, fresh_package, when)
    kept: list[KeptPart] = []
    for role, fresh_name in roles[2].items():
        if not role.startswith(_WHOLE_PARTS) and role != "numbering":
            continue
        if role not in case_changed:
            continue  # neither the case nor the house style changed this part
        coach_name = roles[1].get(role)
        if coach_name is None or role in coach_changed:
            shown = "".join(fresh_package.xml(fresh_name).itertext(w("t")))
            kept.append(KeptPart(role, shown if role.startswith(("header", "footer")) else ""))
        elif role == "numbering":
            _adopt_list_styles(coach_package, coach_name, fresh_package, fresh_name)
        else:
            _adopt_part(coach_package, coach_name, fresh_package, fresh_name)
    if "properties" not in case_changed:
        pass
    elif "properties" in coach_changed:
        kept.append(KeptPart("properties"))
    else:
        for name in _PROPERTY_PARTS:
            if name in fresh_package.files and name in coach_package.files:
                coach_package.put(name, fresh_package.files[name])
    _adopt_page_setup(base_package, coach_package, fresh_package)
    tracked, _ = to_review(coach_package)
    data = coach_package.save()
    _check(data)
    return DocxMerge(data, tracked, body.conflicts, sorted(kept, key=lambda part: part.role))


def _adopt_part(coach: Package, coach_name: str, fresh: Package, fresh_name: str) -> None:
    """Replace a part with the fresh render's, bringing the parts it relates to."""
    coach.put(coach_name, fresh.files[fresh_name])
    fresh_rels = rels_name(fresh_name)
    if fresh_rels in fresh.files:
        coach.put(rels_name(coach_name), fresh.files[fresh_rels])
        for rel in fresh.xml(fresh_rels):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            name = _resolve(fresh_name, target)
            if name in fresh.files and name not in coach.files:
                coach.files[name] = fresh.files[name]


def _resolve(owner: str, target: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(owner), target))


def _adopt_list_styles(coach: Package, coach_name: str, fresh: Package, fresh_name: str) -> None:
    """Take the fresh list definitions, keeping the coach's numbering instances (list identity)."""
    coach_root, fresh_root = coach.xml(coach_name), fresh.xml(fresh_name)
    fresh_abstract = {
        node.get(w("abstractNumId")): node for node in fresh_root if local(node) == "abstractNum"
    }
    for node in list(coach_root):
        if local(node) == "abstractNum" and node.get(w("abstractNumId")) in fresh_abstract:
            node.addprevious(copy.deepcopy(fresh_abstract[node.get(w("abstractNumId"))]))
            coach_root.remove(node)


def _adopt_page_setup(base: Package, coach: Package, fresh: Package) -> None:
    """Page size, margins and columns follow the reference unless the coach changed them."""
    sections = [_section(package) for package in (base, coach, fresh)]
    if any(section is None for section in sections):
        return
    base_section, coach_section, fresh_section = sections
    assert base_section is not None and coach_section is not None and fresh_section is not None
    for name in _PAGE_SETUP:
        old, mine, new = (s.find(w(name)) for s in sections)
        if _same(old, new) or not _same(old, mine):
            continue
        if mine is not None:
            coach_section.remove(mine)
        if new is not None:
            _place(coach_section, copy.deepcopy(new))


def _section(package: Package) -> etree._Element | None:
    return body_of(package.xml(package.main)).find(w("sectPr"))


def _same(a: etree._Element | None, b: etree._Element | None) -> bool:
    if a is None or b is None:
        return a is b
    return dict(a.attrib) == dict(b.attrib)


def _place(section: etree._Element, element: etree._Element) -> None:
    order = [
        "headerReference", "footerReference", "footnotePr", "endnotePr", "type",
        "pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols",
    ]  # fmt: skip
    rank = order.index(local(element)) if local(element) in order else len(order)
    for child in section:
        if local(child) not in order[: rank + 1]:
            child.addprevious(element)
            return
    section.append(element)


def _check(data: bytes) -> None:
    """Read the merged package back: every XML part parses and revision ids are unique."""
    files = read_package(data)
    seen: set[str] = set()
    for name, blob in files.items():
        if not name.endswith(".xml"):
            continue
        root = parse_xml(blob)
        for element in root.iter(w("ins"), w("del")):
            identifier = element.get(w("id"), "")
            if identifier in seen:
                raise MergeError(f"revision id {identifier} is used twice in {name}")
            seen.add(identifier)
