"""Canonical text of a DOCX's parts: equal after a mere re-save, different after a hand edit."""

from __future__ import annotations

import hashlib
import json

from lxml import etree

from artifactgen.docx_parts import R, part_roles, read_part, relationships
from artifactgen.docx_styles import (
    TOGGLES,
    Props,
    StyleSheet,
    merge_props,
    props_text,
    table_style_parts,
    toggle,
    word_local,
)
from artifactgen.wordml import w

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"

# fmt: off
_VOLATILE = {  # fields whose result the application recomputes (LibreOffice counts the pages)
    "PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "DATE", "TIME", "SAVEDATE", "PRINTDATE",
    "CREATEDATE", "EDITTIME", "NUMWORDS", "NUMCHARS", "FILESIZE", "FILENAME", "REVNUM", "PAGEREF"}
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


def _instruction(text: str) -> str:
    words = text.split()
    for index in range(len(words) - 1, 0, -1):  # \* MERGEFORMAT only keeps old result formatting
        if words[index - 1] == "\\*" and words[index].upper() in ("MERGEFORMAT", "CHARFORMAT"):
            del words[index - 1 : index + 1]
    return " ".join([words[0].upper(), *words[1:]]) if words else ""


class _Stories:
    """Walks the stories of one document, one line per block, collecting what they use."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files, self.roles = files, part_roles(files)
        parts = (read_part(files, self.roles.get(k)) for k in ("styles", "theme", "numbering"))
        self.sheet = StyleSheet(*parts)
        self.media: list[str] = []
        self.refs: dict[str, list[str]] = {"comments": [], "footnotes": [], "endnotes": []}
        self.rels: dict[str, tuple[str, str]] = {}
        self.fields: list[list[str]] = []  # [instruction, phase] of each open field
        self.plain = False  # text only: LibreOffice gives comment text its own font and size

    def story(self, part: str, root: etree._Element | None = None) -> str:
        """The blocks of a document body, header, footer, note or comment, one line each."""
        root = read_part(self.files, part) if root is None else root
        self.rels, self.fields = relationships(self.files, part), []
        body = root.find(w("body")) if root is not None else None
        return "\n".join(self.blocks(root if body is None else body, {}))

    def blocks(self, parent: etree._Element, table: dict[str, Props]) -> list[str]:
        lines = []
        for child in parent:
            tag = word_local(child)
            if tag == "p":
                lines += self.paragraph(child, table)
            elif tag == "tbl":
                lines += self.table(child)
            elif tag == "sectPr":
                lines.append(self.section(child))
            elif tag in ("sdt", "sdtContent", "customXml"):  # content controls: their content
                lines += self.blocks(child, table)
        return lines

    def section(self, section: etree._Element) -> str:
        props = self.sheet.props(section)
        if props.get("cols.num", "1") == "1":  # column spacing shows only with columns
            props.pop("cols.space", None)
        return "section " + props_text(props)

    def paragraph(self, paragraph: etree._Element, table: dict[str, Props]) -> list[str]:
        box, sheet = paragraph.find(w("pPr")), self.sheet
        style_id, style = sheet.style(box, "p")
        mark = sheet.props(box.find(w("rPr")) if box is not None else None).get("mark")
        props = merge_props(sheet.defaults["p"], table.get("p", {}), style.get("p", {}))
        props = merge_props(props, sheet.props(box), {"mark": mark})
        num, level = props.pop("numId", None), props.pop("ilvl", None) or "0"
        if num in sheet.nums:
            props["list"] = sheet.label(num, level)
        pieces: list[list[str]] = []
        base = merge_props(sheet.defaults["r"], table.get("r", {}), style.get("r", {}))
        self.inline(paragraph, base, "", pieces)
        lines = ["p" if self.plain else f"p {sheet.name(style_id)}: {props_text(props)}"]
        lines += [f"  {json.dumps(text, ensure_ascii=False)} {fmt}" for fmt, text in pieces if text]
        inner = box.find(w("sectPr")) if box is not None else None
        if inner is not None:  # LibreOffice drops an empty paragraph that only ends a section
            return (lines if len(lines) > 1 else []) + [self.section(inner)]
        return lines

    def inline(self, parent: etree._Element, base: Props, extra: str, pieces: list) -> None:
        for child in parent:
            tag = word_local(child)
            if tag == "r":
                self.run(child, base, extra, pieces)
            elif tag == "hyperlink":
                link = self.rels.get(child.get(R + "id", ""), ("", ""))[1]
                link += "#" + child.get(w("anchor"), "") if child.get(w("anchor")) else ""
                self.inline(child, base, f"{extra} link={link}", pieces)
            elif tag in ("ins", "del", "moveTo", "moveFrom"):
                kind = "ins" if tag in ("ins", "moveTo") else "del"
                self.inline(child, base, f"{extra} {kind}={child.get(w('author'), '')}", pieces)
            elif tag == "fldSimple":
                self.fields.append([child.get(w("instr"), ""), "instruction"])
                self.field("separate", pieces)
                self.inline(child, base, extra, pieces)
                self.field("end", pieces)
            elif tag in ("smartTag", "customXml", "sdt", "sdtContent", "dir", "bdo"):
                self.inline(child, base, extra, pieces)
            elif child.tag in (M + "oMath", M + "oMathPara"):
                self.add(pieces, "math" + extra, "".join(child.itertext(M + "t")))

    def add(self, pieces: list, fmt: str, text: str) -> None:
        if any(p != "result" or _instruction(i).split(" ")[0] in _VOLATILE for i, p in self.fields):
            return
        fmt = "" if self.plain else fmt
        if pieces and pieces[-1][0] == fmt:
            pieces[-1][1] += text
        else:
            pieces.append([fmt, text])

    def field(self, kind: str, pieces: list) -> None:
        """A field shows as {INSTRUCTION}, then its result unless the result is recomputed."""
        if kind == "begin":
            self.fields.append(["", "instruction"])
        elif self.fields and self.fields[-1][1] == "instruction" and kind in ("separate", "end"):
            instruction = self.fields.pop()[0]
            self.add(pieces, "", "{" + _instruction(instruction) + "}")
            self.fields.append([instruction, "result"])
        if kind == "end" and self.fields:
            self.fields.pop()

    def run(self, run: etree._Element, base: Props, extra: str, pieces: list) -> None:
        box = run.find(w("rPr"))
        style = self.sheet.style(box, "r")[1].get("r", {})
        fmt = props_text(merge_props(base, style, self.sheet.props(box)))
        for child in run:
            tag, text = word_local(child), None
            if tag in ("t", "delText"):
                text = child.text or ""
            elif tag in ("tab", "ptab", "br", "cr", "noBreakHyphen", "softHyphen"):
                kind = child.get(w("type"), "") if tag == "br" else tag
                text = {"tab": "\t", "ptab": "\t", "page": "\f", "column": "\v"}.get(kind, "\n")
                text = {"noBreakHyphen": "\u2011", "softHyphen": "\u00ad"}.get(tag, text)
            elif tag == "sym":
                text = chr(int(child.get(w("char"), "20"), 16)) + "/" + child.get(w("font"), "")
            elif tag in ("footnoteReference", "endnoteReference", "commentReference"):
                self.refs[tag[: -len("Reference")] + "s"].append(child.get(w("id"), ""))
                text = f"[{tag[: -len('Reference')]}]"
            elif tag == "fldChar":
                self.field(child.get(w("fldCharType"), ""), pieces)
            elif tag == "instrText" and self.fields and self.fields[-1][1] == "instruction":
                self.fields[-1][0] += child.text or ""
            elif tag in ("drawing", "pict", "object") or child.tag == MC + "AlternateContent":
                text = self.embedded(child)
            if text is not None:
                self.add(pieces, fmt + extra, text)

    def embedded(self, element: etree._Element) -> str:
        """A picture, object or text box: hashes of the parts it shows, its text and its size."""
        found, stack = [], [element]
        while stack:
            node = stack.pop(0)
            if node.tag == MC + "AlternateContent":  # mc:Fallback repeats mc:Choice for old readers
                stack[:0] = list(node.iterchildren(MC + "Choice"))[:1]
                continue
            for key, value in node.attrib.items():
                kind, target = self.rels.get(value, ("", "")) if key.startswith(R) else ("", "")
                if kind in ("image", "oleObject", "package", "video", "audio"):
                    blob = self.files.get(target, target.encode())
                    found.append("sha256:" + hashlib.sha256(blob).hexdigest())
            if word_local(node) == "txbxContent":
                found.append(json.dumps(self.blocks(node, {}), ensure_ascii=False))
                continue
            stack[:0] = list(node)
        self.media += [f for f in found if f.startswith("sha256:")]
        sizes = [f"{e.get('cx')}x{e.get('cy')}" for e in element.iter("{*}extent")]
        return "[object " + " ".join(found + sizes[:1]) + "]"

    def table(self, table: etree._Element) -> list[str]:
        box, sheet = table.find(w("tblPr")), self.sheet
        style_id, style = sheet.style(box, "tbl")
        props = props_text(merge_props(style.get("tbl", {}), sheet.props(box)))
        columns = len(table.findall(f"{w('tblGrid')}/{w('gridCol')}"))
        lines = [f"table {sheet.name(style_id)} columns={columns}: {props}"]
        look, rows = box.find(w("tblLook")) if box is not None else None, table.findall(w("tr"))
        for row_index, row in enumerate(rows):
            lines.append(" row " + props_text(sheet.props(row.find(w("trPr")))))
            cells = row.findall(w("tc"))
            for cell_index, cell in enumerate(cells):
                parts = table_style_parts(row_index, len(rows), cell_index, len(cells), look)
                context = {
                    kind: merge_props(
                        style.get(kind, {}), *(style.get(f"{p}:{kind}", {}) for p in parts)
                    )
                    for kind in ("p", "r", "tc")
                }
                props = props_text(merge_props(context["tc"], sheet.props(cell.find(w("tcPr")))))
                lines += ["  cell " + props] + ["   " + line for line in self.blocks(cell, context)]
        return lines

    def notes(self, kind: str) -> str:
        """Comments, footnotes or endnotes, in the order the document refers to them."""
        root = read_part(self.files, self.roles[kind])
        found = {} if root is None else {n.get(w("id")): n for n in root if word_local(n)}
        lines = []
        for note_id in dict.fromkeys(self.refs[kind] + list(found)):
            note = found.get(note_id)
            if note is None or note.get(w("type")) in ("separator", "continuationSeparator"):
                continue
            self.plain = kind == "comments"
            who = (
                f" {note.get(w('author'), '')} ({note.get(w('initials'), '')})"
                if self.plain
                else ""
            )
            lines += [kind[:-1] + who, self.story(self.roles[kind], note)]
            self.plain = False
        return "\n".join(lines)


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
    """Role -> canonical text of everything a person can see or Word keeps in that role."""
    stories = _Stories(files)
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
    return result
