"""What Word is known to change when it saves a file unchanged, done to a package's parts."""

from __future__ import annotations

import copy

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from artifactgen.docx_parts import part_roles

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def word_resave(files: dict[str, bytes]) -> dict[str, bytes]:
    """What Word is known to add when it saves a file unchanged (Word itself is not available):
    rsids, w14:paraId, proofing marks, rendered page breaks, _GoBack, split runs, <w:b w:val="1"/>,
    more namespaces and mc:Ignorable prefixes, statistics, modified date, editor and revision."""
    files, roles = dict(files), part_roles(files)
    for part in (roles["body"], roles["header:default"], roles["footer:default"], roles["styles"]):
        root = etree.fromstring(files[part])
        for number, element in enumerate(root.iter(qn("w:p"), qn("w:style"), qn("w:b"))):
            if element.tag == qn("w:b"):
                element.set(qn("w:val"), "1")
            else:
                element.set(qn("w:rsidR"), f"00{number:06X}")
                element.set(f"{{{W14}}}paraId", f"{number:08X}")
        for element in list(root.iter(qn("w:r"))):  # runs of one w:t, formatted or not
            texts = element.findall(qn("w:t"))
            if len(texts) == 1 and len(element) == 1 + (element.find(qn("w:rPr")) is not None):
                split_run(element, texts[0])
        body = root.find(qn("w:body"))
        if body is not None:
            mark = f'w:id="0" w:name="_GoBack" {nsdecls("w")}'
            body[0].append(parse_xml(f"<w:bookmarkStart {mark}/>"))
            body[0].append(parse_xml(f'<w:bookmarkEnd w:id="0" {nsdecls("w")}/>'))
        nsmap = {**root.nsmap, "w15": W15, "mc": MC}
        wider = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=nsmap)
        wider.set(f"{{{MC}}}Ignorable", "w14 w15 wp14")
        wider.extend(list(root))
        files[part] = etree.tostring(wider, xml_declaration=True, encoding="UTF-8", standalone=True)
    core = etree.fromstring(files[roles["properties:core"]])
    for element in core:
        name = etree.QName(element).localname
        element.text = {"modified": "2026-12-01T09:30:00Z", "lastModifiedBy": "Marcus Lee"}.get(
            name, "4" if name == "revision" else element.text
        )
    files[roles["properties:core"]] = etree.tostring(core)
    for part, old, new in (
        (roles["properties:app"], b"<Words>0</Words>", b"<Words>612</Words>"),
        (
            roles["settings"],
            b"</w:settings>",
            b'<w:rsids><w:rsidRoot w:val="00A1B2C3"/></w:rsids></w:settings>',
        ),
    ):
        assert old in files[part], (part, old)
        files[part] = files[part].replace(old, new)
    return files


def split_run(run: etree._Element, text: etree._Element) -> None:
    """Word splits runs where edits happened, marking proofing errors in between."""
    if len(text.text or "") < 4:
        return
    tail = copy.deepcopy(run)
    tail.set(qn("w:rsidRPr"), "00F0E1D2")
    tail.find(qn("w:t")).text, text.text = text.text[2:], text.text[:2]
    for piece in (text, tail.find(qn("w:t"))):
        piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.addprevious(parse_xml(f"<w:lastRenderedPageBreak {nsdecls('w')}/>"))
    run.addnext(tail)
    run.addnext(parse_xml(f'<w:proofErr w:type="spellStart" {nsdecls("w")}/>'))
