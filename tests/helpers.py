"""Test helpers: golden files, and checking DOCX parts against the ECMA-376 schemas."""

from __future__ import annotations

import functools
import io
import os
import zipfile
from pathlib import Path

from lxml import etree

from tests.conftest import ROOT

GOLDENS = ROOT / "tests" / "goldens"
XSD = ROOT / "tests" / "data" / "ooxml-xsd"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/goldens/NAME; UPDATE_GOLDENS=1 rewrites it instead."""
    path = GOLDENS / name
    if os.environ.get("UPDATE_GOLDENS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden {name}; run UPDATE_GOLDENS=1 pytest"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden"


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


__all__ = ["Path", "assert_golden", "docx_parts", "schema_errors"]
