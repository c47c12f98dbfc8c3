"""Document properties and the header fields that show them, set on parts without python-docx."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from artifactgen.wordml import XML_SPACE, w

_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)

# Core property element -> the document value it shows (a marker name) or fixed text, in the
# order python-docx set them, which is the order it appends the ones a reference lacks.
_CORE = (
    (_DC, "title", "title"),
    (_DC, "creator", "author"),
    (_CP, "lastModifiedBy", "author"),
    (_DC, "subject", "subject"),
    (_DCTERMS, "created", "created"),
    (_DCTERMS, "modified", "created"),
    (_CP, "revision", None),
    (_CP, "keywords", None),
    (_DC, "description", None),
    (_CP, "category", None),
    (_CP, "contentStatus", None),
    (_DC, "identifier", None),
    (_CP, "version", None),
)


def fill_core(blob: bytes, marker: Callable[[str], str]) -> bytes:
    """core.xml with the document's values as markers, fixed dates, and no leftovers."""
    root = (
        etree.fromstring(blob, _PARSER)
        if blob
        else etree.Element(
            f"{{{_CP}}}coreProperties", nsmap={"cp": _CP, "dc": _DC, "dcterms": _DCTERMS}
        )
    )
    for namespace, name, value in _CORE:
        element = root.find(f"{{{namespace}}}{name}")
        if element is None:
            element = etree.SubElement(root, f"{{{namespace}}}{name}")
        element.text = marker(value) if value else ("1" if name == "revision" else "")
        if namespace == _DCTERMS:
            root.set(f"{{{_XSI}}}foo", "bar")  # declares xsi on the root, as python-docx did
            element.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")
            del root.attrib[f"{{{_XSI}}}foo"]
    return _serialize(root)


def set_custom_property(blob: bytes, name: str, value: str) -> bytes:
    """custom.xml (empty bytes: none yet) with the text property `name` set to `value`."""
    if blob:
        root = etree.fromstring(blob, _PARSER)
    else:
        root = etree.Element(f"{{{_CUSTOM_NS}}}Properties", nsmap={None: _CUSTOM_NS, "vt": _VT_NS})
    for existing in root.findall(f"{{{_CUSTOM_NS}}}property"):
        if existing.get("name") == name:
            root.remove(existing)
    ids = [int(p.get("pid", "1")) for p in root.findall(f"{{{_CUSTOM_NS}}}property")]
    prop = etree.SubElement(root, f"{{{_CUSTOM_NS}}}property")
    prop.set("fmtid", _FMTID)
    prop.set("pid", str(max(ids, default=1) + 1))
    prop.set("name", name)
    etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = value
    return _serialize(root)


def fill_fields(part: etree._Element, values: dict[str, str]) -> bool:
    """Show `values` as the results of the fields they name (SUBJECT, AUTHOR); True if any."""
    filled = False
    for simple in part.iter(w("fldSimple")):
        name = simple.get(w("instr"), "").split()
        if name and name[0].upper() in values:
            filled |= _set_result(simple.findall(w("r")), values[name[0].upper()])
    name, result, phase = None, [], "outside"
    for run in list(part.iter(w("r"))):
        char = run.find(w("fldChar"))
        kind = char.get(w("fldCharType")) if char is not None else None
        if kind == "begin":
            name, result, phase = None, [], "instruction"
        elif kind == "separate":
            phase = "result"
        elif kind == "end":
            if name in values:
                filled |= _set_result(result, values[name])
            phase = "outside"
        elif phase == "instruction" and run.find(w("instrText")) is not None:
            words = (run.find(w("instrText")).text or "").split()
            name = words[0].upper() if words and name is None else name
        elif phase == "result":
            result.append(run)
    return filled


def _set_result(runs: list[etree._Element], text: str) -> bool:
    texts = [t for run in runs for t in run.iter(w("t"))]
    if not texts:
        return False
    texts[0].text = text
    texts[0].set(XML_SPACE, "preserve")
    for extra in texts[1:]:
        extra.text = ""
    return True


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
