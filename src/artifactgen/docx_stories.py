"""Walks a DOCX's stories (body, headers, notes) and writes each block as canonical text."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from lxml import etree

from artifactgen.docx_parts import R, part_roles, read_part, relationships
from artifactgen.docx_props import Props, merge_props, props_delta, props_text, word_local
from artifactgen.docx_styles import StyleSheet, table_style_parts
from artifactgen.wordml import w

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
# fmt: off
_VOLATILE = {  # fields whose result the application recomputes (LibreOffice counts the pages)
    "PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "DATE", "TIME", "SAVEDATE", "PRINTDATE",
    "CREATEDATE", "EDITTIME", "NUMWORDS", "NUMCHARS", "FILESIZE", "FILENAME", "REVNUM", "PAGEREF"}
# fmt: on
_REVISIONS = {"ins": "ins", "moveTo": "ins", "del": "del", "moveFrom": "del"}


def _instruction(text: str) -> str:
    words = text.split()
    for index in range(len(words) - 1, 0, -1):  # \* MERGEFORMAT only keeps old result formatting
        if words[index - 1] == "\\*" and words[index].upper() in ("MERGEFORMAT", "CHARFORMAT"):
            del words[index - 1 : index + 1]
    return " ".join([words[0].upper(), *words[1:]]) if words else ""


class Stories:
    """Walks the stories of one document, one line per block, collecting what they use.

    `relative`: formatting shows as what differs from the paragraph or character style and the
    document defaults (a style's definition is the styles role's business), lists as their kind
    and level rather than their number, and without the section a paragraph may end. Not
    relative to a table style: LibreOffice writes what a table style gives each cell into the
    cell, so that shows in full.
    `accepted`: tracked changes and comments by these authors read as accepted and absent."""

    def __init__(
        self, files: dict[str, bytes], *, relative: bool = False, accepted: Iterable[str] = ()
    ) -> None:
        self.files, self.roles = files, part_roles(files)
        parts = (read_part(files, self.roles.get(k)) for k in ("styles", "theme", "numbering"))
        self.sheet = StyleSheet(*parts)
        self.relative, self.accepted = relative, frozenset(accepted)
        self.media: list[str] = []
        self.refs: dict[str, list[str]] = {"comments": [], "footnotes": [], "endnotes": []}
        self.rels: dict[str, tuple[str, str]] = {}
        self.fields: list[list[str]] = []  # [instruction, phase] of each open field
        self.plain = False  # text only: LibreOffice gives comment text its own font and size
        self.commenters: dict[str, str] | None = None  # comment id -> author, where shown

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

    def direct(self, box: etree._Element | None) -> Props:
        """The properties a box sets itself, less tracked changes by accepted authors."""
        props = self.sheet.props(box)
        for key in ("mark", "change"):  # "ins:author", "rPrChange:author"
            if key in props and str(props[key]).split(":", 1)[-1] in self.accepted:
                del props[key]
        return props

    def shown(self, props: Props, base: Props) -> str:
        return props_delta(props, base) if self.relative else props_text(props)

    def listed(self, props: Props) -> Props:
        """numId and ilvl made the list label (or, relative, the kind of list) they show."""
        num, level = props.pop("numId", None), props.pop("ilvl", None) or "0"
        if num in self.sheet.nums:
            label = self.sheet.kind_of_list if self.relative else self.sheet.label
            props["list"] = label(num, level)
        return props

    def section(self, section: etree._Element) -> str:
        props = self.direct(section)
        if props.get("cols.num", "1") == "1":  # column spacing shows only with columns
            props.pop("cols.space", None)
        return "section " + props_text(props)

    def paragraph(self, paragraph: etree._Element, table: dict[str, Props]) -> list[str]:
        box, sheet = paragraph.find(w("pPr")), self.sheet
        style_id, style = sheet.style(box, "p")
        mark = self.direct(box.find(w("rPr")) if box is not None else None).get("mark")
        styled = merge_props(sheet.defaults["p"], table.get("p", {}), style.get("p", {}))
        props = self.listed(merge_props(styled, self.direct(box), {"mark": mark}))
        if self.relative:
            styled = self.listed(merge_props(sheet.defaults["p"], style.get("p", {})))
        pieces: list[list[str]] = []
        base = merge_props(sheet.defaults["r"], table.get("r", {}), style.get("r", {}))
        unshown = merge_props(sheet.defaults["r"], style.get("r", {}))
        self.inline(paragraph, (base, unshown), "", pieces)
        lines = ["p" if self.plain else f"p {sheet.name(style_id)}: {self.shown(props, styled)}"]
        lines += [f"  {json.dumps(text, ensure_ascii=False)} {fmt}" for fmt, text in pieces if text]
        inner = box.find(w("sectPr")) if box is not None else None
        if inner is None or self.relative:
            return lines
        # LibreOffice drops an empty paragraph that only ends a section (moving the section
        # into the paragraph before), so relative signatures leave sections to the body role.
        return (lines if len(lines) > 1 else []) + [self.section(inner)]

    def inline(self, parent: etree._Element, base: tuple, extra: str, pieces: list) -> None:
        """The runs of a paragraph; `base`: what its styles give a run, and what is not shown."""
        for child in parent:
            tag = word_local(child)
            if tag == "r":
                self.run(child, base, extra, pieces)
            elif tag == "hyperlink":
                link = self.rels.get(child.get(R + "id", ""), ("", ""))[1]
                link += "#" + child.get(w("anchor"), "") if child.get(w("anchor")) else ""
                self.inline(child, base, f"{extra} link={link}", pieces)
            elif tag in _REVISIONS and child.get(w("author"), "") in self.accepted:
                if _REVISIONS[tag] == "ins":
                    self.inline(child, base, extra, pieces)
            elif tag in _REVISIONS:
                author = child.get(w("author"), "")
                self.inline(child, base, f"{extra} {_REVISIONS[tag]}={author}", pieces)
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

    def run(self, run: etree._Element, base: tuple, extra: str, pieces: list) -> None:
        box, (styled, unshown) = run.find(w("rPr")), base
        style = self.sheet.style(box, "r")[1].get("r", {})
        fmt = self.shown(merge_props(styled, style, self.direct(box)), unshown)
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
                text = self.reference(tag[: -len("Reference")], child.get(w("id"), ""))
            elif tag == "fldChar":
                self.field(child.get(w("fldCharType"), ""), pieces)
            elif tag == "instrText" and self.fields and self.fields[-1][1] == "instruction":
                self.fields[-1][0] += child.text or ""
            elif tag in ("drawing", "pict", "object") or child.tag == MC + "AlternateContent":
                text = self.embedded(child)
            if text is not None:
                self.add(pieces, fmt + extra, text)

    def reference(self, kind: str, note_id: str) -> str | None:
        """[footnote], [endnote] or [comment]; with its author where commenters are known."""
        self.refs[kind + "s"].append(note_id)
        if kind != "comment" or self.commenters is None:
            return f"[{kind}]"
        author = self.commenters.get(note_id, "")
        return None if author in self.accepted else f"[comment {author}]"

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
        props = self.shown(merge_props(style.get("tbl", {}), self.direct(box)), {})
        columns = len(table.findall(f"{w('tblGrid')}/{w('gridCol')}"))
        lines = [f"table {sheet.name(style_id)} columns={columns}: {props}"]
        for row in table.findall(w("tr")):
            lines += self.row(row)
        return lines

    def row(self, row: etree._Element) -> list[str]:
        lines = [" row " + props_text(self.direct(row.find(w("trPr"))))]
        for cell in row.findall(w("tc")):
            lines += self.cell(cell)
        return lines

    def cell(self, cell: etree._Element) -> list[str]:
        context = self.cell_context(cell)
        props = merge_props(context.get("tc", {}), self.direct(cell.find(w("tcPr"))))
        shown = self.shown(props, {})
        return ["  cell " + shown] + ["   " + line for line in self.blocks(cell, context)]

    def cell_context(self, cell: etree._Element) -> dict[str, Props]:
        """What the table style gives the cell's paragraphs ("p", "r") and the cell ("tc")."""
        row = cell.getparent()
        table = row.getparent() if row is not None else None
        if table is None or word_local(row) != "tr" or word_local(table) != "tbl":
            return {}
        box = table.find(w("tblPr"))
        style = self.sheet.style(box, "tbl")[1]
        look = box.find(w("tblLook")) if box is not None else None
        rows, cells = table.findall(w("tr")), row.findall(w("tc"))
        parts = table_style_parts(rows.index(row), len(rows), cells.index(cell), len(cells), look)
        return {
            kind: merge_props(style.get(kind, {}), *(style.get(f"{p}:{kind}", {}) for p in parts))
            for kind in ("p", "r", "tc")
        }

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
