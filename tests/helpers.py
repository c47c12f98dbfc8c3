"""Test helpers: golden files, ECMA-376 schema checks, and reading tables and lists from XML."""

from __future__ import annotations

import functools
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from artifactgen.docx_props import toggle
from artifactgen.mdtree import MarkdownNode, markdown_it_tree, plain_text
from tests.conftest import ROOT

GOLDENS = ROOT / "tests" / "goldens"
XSD = ROOT / "tests" / "data" / "ooxml-xsd"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def assert_goldens(outputs: dict[str, str], suffix: str) -> None:
    """Compare outputs (name under tests/goldens -> text) with every committed golden whose name
    ends in `suffix`: the same names, the same texts. UPDATE_GOLDENS=1 rewrites the goldens that
    differ, removes those no output has, and still fails, so no run that changed one passes."""
    committed = {
        path.relative_to(GOLDENS).as_posix(): path.read_text(encoding="utf-8")
        for path in GOLDENS.rglob(f"*{suffix}")
    }
    changed = sorted(
        name
        for name in committed.keys() | outputs.keys()
        if committed.get(name) != outputs.get(name)
    )
    if changed and os.environ.get("UPDATE_GOLDENS") == "1":
        for name in changed:
            path = GOLDENS / name
            if name in outputs:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(outputs[name], encoding="utf-8")
            else:
                path.unlink()
        pytest.fail(
            f"rewrote goldens {', '.join(changed)}: review the diff, then run the tests again"
        )
    assert sorted(outputs) == sorted(committed), "outputs and goldens differ in name"
    for name in changed:
        assert outputs[name] == committed[name], f"{name} differs from its golden"


@functools.cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD / name)))


# Which schema validates which part, by the part's content type.
SCHEMAS = {
    "document.main+xml": "wml.xsd",
    "styles+xml": "wml.xsd",
    "numbering+xml": "wml.xsd",
    "settings+xml": "wml.xsd",
    "header+xml": "wml.xsd",
    "footer+xml": "wml.xsd",
    "fontTable+xml": "wml.xsd",
    "webSettings+xml": "wml.xsd",
    "custom-properties+xml": "shared-documentPropertiesCustom.xsd",
    "extended-properties+xml": "shared-documentPropertiesExtended.xsd",
    "relationships+xml": "opc-xsd/opc-relationships.xsd",
    "theme+xml": "dml-main.xsd",
}


def strip_ignorable(root: etree._Element) -> etree._Element:
    """Drop what the root's mc:Ignorable lists: Word ignores it and the schema does not know it."""
    prefixes = (root.get(f"{{{MC}}}Ignorable") or "").split()
    ignored = {root.nsmap[p] for p in prefixes if p in root.nsmap} | {MC}
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).namespace in ignored and element.getparent() is not None:
            element.getparent().remove(element)
            continue
        for attribute in list(element.attrib):
            if etree.QName(attribute).namespace in ignored:
                del element.attrib[attribute]
    return root


def schema_errors(blob: bytes) -> list[str]:
    """Every schema error of every XML part of a DOCX, as 'part: message'."""
    errors: list[str] = []
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        types = etree.fromstring(package.read("[Content_Types].xml"))
        errors += _validate("[Content_Types].xml", types, "opc-xsd/opc-contentTypes.xsd")
        overrides = {
            o.get("PartName").lstrip("/"): o.get("ContentType") for o in types if o.get("PartName")
        }
        for name in package.namelist():
            content_type = overrides.get(
                name, "relationships+xml" if name.endswith(".rels") else ""
            )
            xsd = next((x for key, x in SCHEMAS.items() if content_type.endswith(key)), None)
            if xsd:
                errors += [f"{name}: {e}" for e in _part_errors(package.read(name), xsd)]
    return errors


@functools.lru_cache(maxsize=256)
def _part_errors(blob: bytes, xsd: str) -> tuple[str, ...]:
    """Schema errors of one part; identical parts (styles, theme) are checked once."""
    return tuple(
        error.split(": ", 1)[1]
        for error in _validate("-", strip_ignorable(etree.fromstring(blob)), xsd)
    )


def _validate(name: str, root: etree._Element, xsd: str) -> list[str]:
    validator = schema(xsd)
    if validator.validate(root):
        return []
    return [f"{name}: {error.message}" for error in validator.error_log]


def docx_parts(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        return {name: package.read(name) for name in package.namelist()}


def document_body(blob: bytes) -> etree._Element:
    """The w:body of a DOCX's main document part, read as XML without python-docx."""
    return etree.fromstring(docx_parts(blob)["word/document.xml"]).find(f"{W}body")


def usable_width(body: etree._Element) -> int:
    """The text width of the body's section in twips: the page width less the side margins."""
    section = body.find(f"{W}sectPr")
    page, margins = section.find(f"{W}pgSz"), section.find(f"{W}pgMar")
    sides = (margins.get(f"{W}{side}", "0") for side in ("left", "right", "gutter"))
    return int(page.get(f"{W}w")) - sum(map(int, sides))


def grid_widths(table: etree._Element) -> list[int]:
    return [int(column.get(f"{W}w", "0")) for column in table.iterfind(f"{W}tblGrid/{W}gridCol")]


def cell_widths(row: etree._Element) -> list[tuple[str | None, str | None]]:
    """Each cell's (w:type, w:w) from its w:tcW, (None, None) for a cell without one."""
    found = [cell.find(f"{W}tcPr/{W}tcW") for cell in row.iterfind(f"{W}tc")]
    return [(None, None) if w is None else (w.get(f"{W}type"), w.get(f"{W}w")) for w in found]


def repeats_as_header(row: etree._Element) -> bool:
    """Whether Word repeats this row at the top of each page: a w:tblHeader that is on."""
    marker = row.find(f"{W}trPr/{W}tblHeader")
    return marker is not None and toggle(marker) == "1"


@dataclass(frozen=True)
class MarkdownTable:
    """A Markdown table's cells as plain text, row by row, and how many rows its head has."""

    rows: list[list[str]]
    head_rows: int

    def longest_text(self, column: int) -> int:
        return max((len(row[column]) for row in self.rows if column < len(row)), default=0)


def markdown_tables(markdown: str) -> list[MarkdownTable]:
    """Every table of a Markdown document, in order."""
    tables = []

    def walk(node: MarkdownNode) -> None:
        if node.type != "table":
            for child in node.children:
                walk(child)
            return
        sections = {section.type: section.children for section in node.children}
        rows = [*sections.get("thead", []), *sections.get("tbody", [])]
        texts = [[plain_text(cell) for cell in row.children] for row in rows]
        tables.append(MarkdownTable(texts, len(sections.get("thead", []))))

    walk(markdown_it_tree(markdown))
    return tables


def ordered_list_items(markdown: str) -> list[tuple[int, int]]:
    """(which ordered list, the number it starts at) for each item of each ordered list of a
    Markdown document, in reading order; lists are counted from 0 as they open."""
    items: list[tuple[int, int]] = []
    opened = 0

    def walk(node: MarkdownNode) -> None:
        nonlocal opened
        if node.type == "ordered_list":
            number, opened = opened, opened + 1
            for item in node.children:
                items.append((number, int(node.attrs.get("start", 1))))
                walk(item)
            return
        for child in node.children:
            walk(child)

    walk(markdown_it_tree(markdown))
    return items


@dataclass(frozen=True)
class NumberedParagraph:
    """A body paragraph in a "List Number" style, and the numbering Word gives it."""

    style: str
    instance: str | None  # the w:numId of its own w:numPr
    definition: str | None  # the w:abstractNumId that instance draws on
    style_definition: str | None  # the one its style's own instance draws on
    start: str | None  # the instance's w:startOverride at the paragraph's level


def numbered_paragraphs(blob: bytes) -> list[NumberedParagraph]:
    """The body paragraphs in a "List Number" style, in order, read as XML."""
    parts = docx_parts(blob)
    instances = {
        num.get(f"{W}numId"): num
        for num in etree.fromstring(parts["word/numbering.xml"]).iterfind(f"{W}num")
    }
    list_styles = {  # style id -> (name, the numbering instance the style names)
        style.get(f"{W}styleId"): (_val(style, "w:name"), _val(style, "w:pPr/w:numPr/w:numId"))
        for style in etree.fromstring(parts["word/styles.xml"]).iterfind(f"{W}style")
        if (_val(style, "w:name") or "").startswith("List Number")
    }
    paragraphs = []
    for paragraph in document_body(blob).iter(f"{W}p"):
        if _val(paragraph, "w:pPr/w:pStyle") not in list_styles:
            continue
        name, style_instance = list_styles[_val(paragraph, "w:pPr/w:pStyle")]
        instance = _val(paragraph, "w:pPr/w:numPr/w:numId")
        level = _val(paragraph, "w:pPr/w:numPr/w:ilvl") or "0"
        num = instances.get(instance)
        override = f"w:lvlOverride[@w:ilvl='{level}']/w:startOverride"
        paragraphs.append(
            NumberedParagraph(
                style=name,
                instance=instance,
                definition=None if num is None else _val(num, "w:abstractNumId"),
                style_definition=_val(instances[style_instance], "w:abstractNumId"),
                start=None if num is None else _val(num, override),
            )
        )
    return paragraphs


def _val(element: etree._Element, path: str) -> str | None:
    """The w:val of the element at `path`, None if there is none."""
    found = element.find(path, namespaces={"w": W.strip("{}")})
    return None if found is None else found.get(f"{W}val")


__all__ = [
    "MarkdownTable",
    "NumberedParagraph",
    "Path",
    "W",
    "assert_goldens",
    "cell_widths",
    "document_body",
    "docx_parts",
    "grid_widths",
    "markdown_tables",
    "numbered_paragraphs",
    "ordered_list_items",
    "repeats_as_header",
    "schema_errors",
    "usable_width",
]
