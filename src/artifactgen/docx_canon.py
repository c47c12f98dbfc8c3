"""Canonical text of a DOCX's parts: equal after a mere re-save, different after a hand edit."""

from __future__ import annotations

import hashlib
import json
import posixpath

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
Props = dict[str, str | None]  # None: an inherited value removed (a cleared tab stop)

# fmt: off
_PACKAGE_ROLES = {"officeDocument": "body", "core-properties": "properties:core",
                  "extended-properties": "properties:app", "custom-properties": "properties:custom"}
_DOCUMENT_ROLES = ("styles", "numbering", "settings", "comments", "footnotes", "endnotes", "theme")
_TOGGLES = {  # on/off: <w:b/>, w:val="1", "true" and "on" are all on
    "b", "i", "caps", "smallCaps", "strike", "dstrike", "vanish", "outline", "shadow", "emboss",
    "imprint", "keepNext", "keepLines", "pageBreakBefore", "contextualSpacing", "bidi", "tblHeader",
    "cantSplit", "titlePg", "evenAndOddHeaders", "mirrorMargins", "gutterAtTop", "trackRevisions",
    "bookFoldPrinting", "beforeAutospacing", "afterAutospacing"}
# Compared as written. Everything not named here or in _props is ignored: complex-script and East
# Asian variants (bCs, szCs, eastAsia fonts) and w:lang, which show nothing in Latin text; proofing
# marks, rsids, bookmarks (Word adds _GoBack), w14 ids; w:kern and w:widowControl, which
# LibreOffice rewrites (kerning threshold, widow control made explicit) and which only nudge line
# breaks; table and column widths, which LibreOffice turns from "auto" into rounded twips.
_VALUES = {"sz", "vertAlign", "highlight", "position", "w", "em", "u", "outlineLvl", "vAlign",
           "gridSpan", "vMerge"}
_GROUPS = {"spacing": "before after line lineRule", "pgSz": "w h orient", "cols": "num space",
           "pgMar": "top right bottom left header footer gutter", "pgNumType": "fmt start",
           "type": "val", "textDirection": "val"}
_DEFAULTS = {
    "u": "none", "color": "AUTO", "highlight": "none", "vertAlign": "baseline", "position": "0",
    "spacing": "0", "w": "100", "em": "none", "shd": "AUTO", "sz": "20", "jc": "left",
    "spacing.before": "0", "spacing.after": "0", "spacing.line": "240", "spacing.lineRule": "auto",
    "ind.left": "0", "ind.right": "0", "ind.first": "0", "outlineLvl": "9", "vAlign": "top",
    "gridSpan": "1", "tblInd": "0", "ilvl": "0", "type.val": "nextPage", "pgNumType.fmt": "decimal",
    "textDirection.val": "lrTb", "pgSz.orient": "portrait", "cols.num": "1"}
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


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag[len(W) :] if isinstance(tag, str) and tag.startswith(W) else ""


def _on(element: etree._Element, name: str = "val", default: str = "1") -> str:
    return "0" if (element.get(W + name) or default).lower() in ("0", "false", "off") else "1"


def _xml(files: dict[str, bytes], name: str | None) -> etree._Element | None:
    try:
        return etree.fromstring(files[name], _PARSER) if name in files else None
    except etree.XMLSyntaxError:
        return None


def _rels(files: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    """rId -> (last word of the relationship type, target part name or external URL)."""
    folder, name = posixpath.split(part)
    result = {}
    root = _xml(files, posixpath.join(folder, "_rels", name + ".rels"))
    for rel in root if root is not None else ():
        target = rel.get("Target", "")
        if rel.get("TargetMode") != "External":
            target = posixpath.normpath(posixpath.join("/" + folder, target)).lstrip("/")
        result[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
    return result


def part_roles(files: dict[str, bytes]) -> dict[str, str]:
    """Role -> zip part name, found through the relationships (never by file name)."""
    roles = {_PACKAGE_ROLES[k]: t for k, t in _rels(files, "").values() if k in _PACKAGE_ROLES}
    body = _xml(files, roles.get("body"))
    if body is None:
        return {role: part for role, part in roles.items() if part in files}
    rels = _rels(files, roles["body"])
    roles |= {kind: target for kind, target in rels.values() if kind in _DOCUMENT_ROLES}
    shown: dict[str, str] = {}  # a section without a header of its own shows the previous one
    sections = [s for s in body.iter(W + "sectPr") if _local(s.getparent()) != "sectPrChange"]
    for index, section in enumerate(sections, start=1):
        for ref in section.iterchildren(W + "headerReference", W + "footerReference"):
            kind = _local(ref)[: -len("Reference")] + ":" + ref.get(W + "type", "default")
            shown[kind] = rels.get(ref.get(R + "id", ""), ("", ""))[1]
        roles |= {role + (f":{index}" if index > 1 else ""): part for role, part in shown.items()}
    return {role: part for role, part in roles.items() if part in files}


def _border(element: etree._Element) -> str:
    if element.get(W + "val", "none") in ("none", "nil"):
        return "none"
    color = (element.get(W + "color") or "auto").upper()  # LibreOffice drops w:themeColor
    return "/".join([element.get(W + "val", ""), element.get(W + "sz", "0"),
                     element.get(W + "space", "0"), color])  # fmt: skip


def _shade(element: etree._Element) -> str:
    fill, value = (element.get(W + "fill") or "auto").upper(), element.get(W + "val", "clear")
    if value in ("clear", "nil"):
        return fill if value == "clear" else "AUTO"
    return f"{value}/{(element.get(W + 'color') or 'auto').upper()}/{fill}"


def _props(box: etree._Element | None, fonts: dict[str, str]) -> Props:
    """What a pPr, rPr, tblPr, trPr, tcPr or sectPr shows, with equivalent spellings made one."""
    out: Props = {}
    for child in box if box is not None else ():
        tag, value = _local(child), child.get(W + "val")
        if tag in _TOGGLES:
            out[tag] = _on(child)
        elif tag in _VALUES or (tag == "spacing" and _local(box) == "rPr"):
            out[tag] = value or {"vMerge": "continue", "u": "single"}.get(tag)
        elif tag in _GROUPS:
            names = _GROUPS[tag].split()
            out |= {f"{tag}.{n}": child.get(W + n) for n in names if child.get(W + n) is not None}
            out |= {n: _on(child, n, "0") for n in _TOGGLES if child.get(W + n) is not None}
        elif tag in ("color", "jc"):
            value = {"start": "left", "end": "right"}.get(value or "auto", value or "auto")
            out[tag] = value.upper() if tag == "color" else value
        elif tag == "ind":  # w:start/w:end are the newer names; a hanging indent is negative
            get, hanging = child.get, child.get(W + "hanging")
            first = get(W + "firstLine") or (hanging and f"-{hanging}")
            found = {"left": get(W + "left") or get(W + "start"), "first": first}
            found["right"] = get(W + "right") or get(W + "end")
            out |= {f"ind.{k}": str(round(float(v))) for k, v in found.items() if v is not None}
        elif tag == "rFonts" and (child.get(W + "asciiTheme") or child.get(W + "ascii")):
            theme = child.get(W + "asciiTheme")  # a theme font wins over the name beside it
            out["font"] = fonts.get(theme, theme) if theme else child.get(W + "ascii")
        elif tag in ("shd", "bdr"):
            out[tag] = _shade(child) if tag == "shd" else _border(child)
        elif tag in ("pBdr", "tblBorders", "tcBorders", "pgBorders"):
            out |= {f"{tag}.{_local(side)}": _border(side) for side in child if _local(side)}
        elif tag == "tblInd":
            out[tag] = child.get(W + "w")
        elif tag in ("tblCellMar", "tcMar"):
            out |= {f"{tag}.{_local(side)}": side.get(W + "w") for side in child if _local(side)}
        elif tag == "tabs":
            for tab in child.iter(W + "tab"):
                kind = tab.get(W + "val")
                shown = None if kind == "clear" else f"{kind}/{tab.get(W + 'leader', 'none')}"
                out["tab." + tab.get(W + "pos", "")] = shown
        elif tag == "numPr":
            out |= {_local(c): c.get(W + "val") for c in child if _local(c) in ("numId", "ilvl")}
        elif tag in ("ins", "del") or tag.endswith("PrChange"):  # tracked changes
            key = "mark" if tag in ("ins", "del") else "change"
            out[key] = f"{tag}:{child.get(W + 'author', '')}"
    return out


def _merge(*layers: Props) -> Props:
    merged: Props = {}
    for layer in layers:
        for key, value in layer.items():
            merged[key] = value
            if value is None:
                del merged[key]
    return merged


def _show(props: Props) -> str:
    hidden = {k: "0" if k in _TOGGLES else _DEFAULTS.get(k) for k in props}
    kept = [(k, v) for k, v in props.items() if v not in (None, "none", hidden[k])]
    return " ".join(f"{k}={v}" for k, v in sorted(kept))


def _numbering(root: etree._Element, fonts: dict[str, str]) -> dict[str, tuple]:
    """numId -> (abstractNumId, level -> what the level shows, level -> restart value)."""
    abstracts = {a.get(W + "abstractNumId"): a for a in root.iter(W + "abstractNum")}
    result = {}
    for num in root.iter(W + "num"):
        link = num.find(W + "abstractNumId")
        abstract_id = link.get(W + "val", "") if link is not None else ""
        levels = {
            v.get(W + "ilvl"): v for v in abstracts.get(abstract_id, []) if _local(v) == "lvl"
        }
        restarts = {}
        for override in num.iter(W + "lvlOverride"):
            ilvl = override.get(W + "ilvl")
            for child in override:
                if _local(child) == "lvl":
                    levels[ilvl] = child
                elif _local(child) == "startOverride":
                    restarts[ilvl] = int(child.get(W + "val", "0"))
        shown = {ilvl: _level(level, fonts) for ilvl, level in levels.items()}
        result[num.get(W + "numId")] = (abstract_id, shown, restarts)
    return result


def _level(level: etree._Element, fonts: dict[str, str]) -> dict[str, str]:
    # Not w:pStyle (the level's link back to its style) nor w:legacy: LibreOffice drops them.
    shown = {"start": "0", "numFmt": "decimal", "lvlText": "", "lvlJc": "left", "suff": "tab"}
    for child in level:
        if _local(child) in shown or _local(child) in ("isLgl", "lvlRestart"):
            shown[_local(child)] = child.get(W + "val", "1")
    shown["lvlJc"] = {"start": "left", "end": "right"}.get(shown["lvlJc"], shown["lvlJc"])
    shown["boxes"] = " | ".join(_show(_props(level.find(W + t), fonts)) for t in ("pPr", "rPr"))
    return shown


def _instruction(text: str) -> str:
    words = text.split()
    for index in range(len(words) - 1, 0, -1):  # \* MERGEFORMAT only keeps old result formatting
        if words[index - 1] == "\\*" and words[index].upper() in ("MERGEFORMAT", "CHARFORMAT"):
            del words[index - 1 : index + 1]
    return " ".join([words[0].upper(), *words[1:]]) if words else ""


def _table_parts(row: int, rows: int, cell: int, cells: int, look: etree._Element | None) -> list:
    """The conditional formats of a table style that apply to a cell, weakest first."""
    bits = int(look.get(W + "val") or "0", 16) if look is not None else 0
    names = ("firstRow", "lastRow", "firstColumn", "lastColumn", "noHBand", "noVBand")
    flag = {name: bool(bits & 32 << i) for i, name in enumerate(names)}
    if look is not None:  # the attributes, where present, override the bit mask
        flag |= {n: _on(look, n) == "1" for n in names if look.get(W + n) is not None}
    first, last = flag["firstRow"] and row == 0, flag["lastRow"] and row == rows - 1
    left, right = flag["firstColumn"] and cell == 0, flag["lastColumn"] and cell == cells - 1
    parts = ["wholeTable"]
    if not flag["noVBand"] and not (left or right):
        parts.append(f"band{(cell - flag['firstColumn']) % 2 + 1}Vert")
    if not flag["noHBand"] and not (first or last):
        parts.append(f"band{(row - flag['firstRow']) % 2 + 1}Horz")
    corners = {"firstCol": left, "lastCol": right, "firstRow": first, "lastRow": last}
    corners |= {"nwCell": first and left, "neCell": first and right}
    corners |= {"swCell": last and left, "seCell": last and right}
    return parts + [name for name, applies in corners.items() if applies]


class _Canon:
    """Walks the stories of one document, resolving styles and collecting what they use."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files, self.roles = files, part_roles(files)
        theme, styles = (_xml(files, self.roles.get(k)) for k in ("theme", "styles"))
        self.fonts: dict[str, str] = {}  # majorHAnsi, minorAscii... -> the theme's Latin font
        for font in [] if theme is None else theme.iter(f"{A}majorFont", f"{A}minorFont"):
            latin, kind = font.find(f"{A}latin"), etree.QName(font).localname[:5]
            if latin is not None:
                self.fonts |= dict.fromkeys((kind + "HAnsi", kind + "Ascii"), latin.get("typeface"))
        found = [] if styles is None else styles.iter(W + "style")
        self.by_id = {style.get(W + "styleId"): style for style in found}
        self.default = {
            s.get(W + "type"): i for i, s in self.by_id.items() if _on(s, "default", "0") == "1"
        }
        self.defaults = {}
        for kind in ("p", "r"):
            path = f"{W}docDefaults/{W}{kind}PrDefault/{W}{kind}Pr"
            self.defaults[kind] = _props(None if styles is None else styles.find(path), self.fonts)
        numbering = _xml(files, self.roles.get("numbering"))
        self.nums = {} if numbering is None else _numbering(numbering, self.fonts)
        self.resolved: dict[str | None, dict[str, Props]] = {}
        self.counters: dict[str, dict[int, int]] = {}  # abstractNumId -> level -> last number
        self.restarted: set[tuple[str, str]] = set()
        self.definitions: list[str] = []  # list levels, in order of first use
        self.used: set[str | None] = set()
        self.media: list[str] = []
        self.refs: dict[str, list[str]] = {"comments": [], "footnotes": [], "endnotes": []}
        self.rels: dict[str, tuple[str, str]] = {}
        self.fields: list[list[str]] = []  # [instruction, phase] of each open field
        self.plain = False  # text only: LibreOffice gives comment text its own font and size

    def name(self, style_id: str | None) -> str:
        name = self.by_id[style_id].find(W + "name") if style_id in self.by_id else None
        return (str(style_id) if name is None else name.get(W + "val", "")).casefold()

    def style(self, box: etree._Element | None, kind: str) -> tuple[str | None, dict[str, Props]]:
        """The style a pPr/rPr/tblPr names (or the default one) and its resolved properties."""
        found = box.find(W + kind + "Style") if box is not None else None
        style_id = found.get(W + "val") if found is not None else None
        if style_id not in self.by_id:
            style_id = self.default.get({"p": "paragraph", "tbl": "table"}.get(kind, "character"))
        self.used.add(style_id)
        return style_id, self.resolve(style_id)

    def resolve(self, style_id: str | None) -> dict[str, Props]:
        """pPr, rPr, tblPr, tcPr ('p', 'r'...) and table parts ('firstRow:r'...) with bases."""
        if style_id in self.resolved or style_id not in self.by_id:
            return self.resolved.get(style_id, {})
        self.resolved[style_id] = {}  # guards against basedOn cycles
        element = self.by_id[style_id]
        based = element.find(W + "basedOn")
        result = dict(self.resolve(based.get(W + "val")) if based is not None else {})
        parts = [(f"{p.get(W + 'type')}:", p) for p in element.iterchildren(W + "tblStylePr")]
        for prefix, part in [("", element), *parts]:
            for kind in ("p", "r", "tbl", "tc"):
                own = _props(part.find(f"{W}{kind}Pr"), self.fonts)
                result[prefix + kind] = _merge(result.get(prefix + kind, {}), own)
        self.resolved[style_id] = result
        return result

    def story(self, part: str, root: etree._Element | None = None) -> str:
        """The blocks of a document body, header, footer, note or comment, one line each."""
        root = _xml(self.files, part) if root is None else root
        self.rels, self.fields = _rels(self.files, part), []
        body = root.find(W + "body") if root is not None else None
        return "\n".join(self.blocks(root if body is None else body, {}))

    def blocks(self, parent: etree._Element, table: dict[str, Props]) -> list[str]:
        lines = []
        for child in parent:
            tag = _local(child)
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
        props = _props(section, self.fonts)
        if props.get("cols.num", "1") == "1":  # column spacing shows only with columns
            props.pop("cols.space", None)
        return "section " + _show(props)

    def paragraph(self, paragraph: etree._Element, table: dict[str, Props]) -> list[str]:
        box = paragraph.find(W + "pPr")
        style_id, style = self.style(box, "p")
        mark = _props(box.find(W + "rPr") if box is not None else None, self.fonts).get("mark")
        props = _merge(self.defaults["p"], table.get("p", {}), style.get("p", {}))
        props = _merge(props, _props(box, self.fonts), {"mark": mark})
        num, level = props.pop("numId", None), props.pop("ilvl", None) or "0"
        if num in self.nums:
            props["list"] = self.label(num, level)
        pieces: list[list[str]] = []
        self.inline(
            paragraph,
            _merge(self.defaults["r"], table.get("r", {}), style.get("r", {})),
            "",
            pieces,
        )
        lines = ["p" if self.plain else f"p {self.name(style_id)}: {_show(props)}"]
        lines += [f"  {json.dumps(text, ensure_ascii=False)} {fmt}" for fmt, text in pieces if text]
        inner = box.find(W + "sectPr") if box is not None else None
        if inner is not None:  # LibreOffice drops an empty paragraph that only ends a section
            return (lines if len(lines) > 1 else []) + [self.section(inner)]
        return lines

    def label(self, num: str, level: str) -> str | None:
        """The number or bullet shown: counters run per abstract list, a num may restart them."""
        abstract, levels, restarts = self.nums[num]
        if level not in levels:
            return None
        counters = self.counters.setdefault(abstract, {})
        if level in restarts and (num, level) not in self.restarted:
            self.restarted.add((num, level))
            counters[int(level)] = restarts[level] - 1
        counters[int(level)] = counters.get(int(level), int(levels[level]["start"]) - 1) + 1
        for deeper in [k for k in counters if k > int(level)]:
            del counters[deeper]
        text = levels[level]["lvlText"]
        for ilvl, shown in levels.items():
            value = counters.get(int(ilvl), int(shown["start"]))
            text = text.replace(f"%{int(ilvl) + 1}", str(value))  # its w:numFmt is in the list
        definition = json.dumps(levels[level], ensure_ascii=False, sort_keys=True)
        if definition not in self.definitions:
            self.definitions.append(definition)
        return f"{self.definitions.index(definition) + 1}:{text}"

    def inline(self, parent: etree._Element, base: Props, extra: str, pieces: list) -> None:
        for child in parent:
            tag = _local(child)
            if tag == "r":
                self.run(child, base, extra, pieces)
            elif tag == "hyperlink":
                link = self.rels.get(child.get(R + "id", ""), ("", ""))[1]
                link += "#" + child.get(W + "anchor", "") if child.get(W + "anchor") else ""
                self.inline(child, base, f"{extra} link={link}", pieces)
            elif tag in ("ins", "del", "moveTo", "moveFrom"):
                kind = "ins" if tag in ("ins", "moveTo") else "del"
                self.inline(child, base, f"{extra} {kind}={child.get(W + 'author', '')}", pieces)
            elif tag == "fldSimple":
                self.fields.append([child.get(W + "instr", ""), "instruction"])
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
        box = run.find(W + "rPr")
        fmt = _show(_merge(base, self.style(box, "r")[1].get("r", {}), _props(box, self.fonts)))
        for child in run:
            tag, text = _local(child), None
            if tag in ("t", "delText"):
                text = child.text or ""
            elif tag in ("tab", "ptab", "br", "cr", "noBreakHyphen", "softHyphen"):
                kind = child.get(W + "type", "") if tag == "br" else tag
                text = {"tab": "\t", "ptab": "\t", "page": "\f", "column": "\v"}.get(kind, "\n")
                text = {"noBreakHyphen": "\u2011", "softHyphen": "\u00ad"}.get(tag, text)
            elif tag == "sym":
                text = chr(int(child.get(W + "char", "20"), 16)) + "/" + child.get(W + "font", "")
            elif tag in ("footnoteReference", "endnoteReference", "commentReference"):
                self.refs[tag[: -len("Reference")] + "s"].append(child.get(W + "id", ""))
                text = f"[{tag[: -len('Reference')]}]"
            elif tag == "fldChar":
                self.field(child.get(W + "fldCharType", ""), pieces)
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
            if _local(node) == "txbxContent":
                found.append(json.dumps(self.blocks(node, {}), ensure_ascii=False))
                continue
            stack[:0] = list(node)
        self.media += [f for f in found if f.startswith("sha256:")]
        sizes = [f"{e.get('cx')}x{e.get('cy')}" for e in element.iter("{*}extent")]
        return "[object " + " ".join(found + sizes[:1]) + "]"

    def table(self, table: etree._Element) -> list[str]:
        box = table.find(W + "tblPr")
        style_id, style = self.style(box, "tbl")
        props = _show(_merge(style.get("tbl", {}), _props(box, self.fonts)))
        columns = len(table.findall(f"{W}tblGrid/{W}gridCol"))
        lines = [f"table {self.name(style_id)} columns={columns}: {props}"]
        look, rows = box.find(W + "tblLook") if box is not None else None, table.findall(W + "tr")
        for row_index, row in enumerate(rows):
            lines.append(" row " + _show(_props(row.find(W + "trPr"), self.fonts)))
            cells = row.findall(W + "tc")
            for cell_index, cell in enumerate(cells):
                parts = _table_parts(row_index, len(rows), cell_index, len(cells), look)
                context = {
                    kind: _merge(
                        style.get(kind, {}), *(style.get(f"{p}:{kind}", {}) for p in parts)
                    )
                    for kind in ("p", "r", "tc")
                }
                props = _show(_merge(context["tc"], _props(cell.find(W + "tcPr"), self.fonts)))
                lines += ["  cell " + props] + ["   " + line for line in self.blocks(cell, context)]
        return lines

    def notes(self, kind: str) -> str:
        """Comments, footnotes or endnotes, in the order the document refers to them."""
        root = _xml(self.files, self.roles[kind])
        found = {} if root is None else {n.get(W + "id"): n for n in root if _local(n)}
        lines = []
        for note_id in dict.fromkeys(self.refs[kind] + list(found)):
            note = found.get(note_id)
            if note is None or note.get(W + "type") in ("separator", "continuationSeparator"):
                continue
            self.plain = kind == "comments"
            who = (
                f" {note.get(W + 'author', '')} ({note.get(W + 'initials', '')})"
                if self.plain
                else ""
            )
            lines += [kind[:-1] + who, self.story(self.roles[kind], note)]
            self.plain = False
        return "\n".join(lines)

    def styles_text(self) -> str:
        """The styles the document uses, and those they are based on, fully resolved."""
        used, lines = set(), []
        for style_id in self.used:
            while style_id in self.by_id and style_id not in used:
                used.add(style_id)
                based = self.by_id[style_id].find(W + "basedOn")
                style_id = based.get(W + "val") if based is not None else None
        for style_id in used:
            element, boxes = self.by_id[style_id], []
            kind = element.get(W + "type", "")
            for key, props in sorted(self.resolve(style_id).items()):
                if kind != "table" and key not in ("r" if kind == "character" else "pr"):
                    continue
                if kind != "table":
                    props = _merge(self.defaults[key], props)
                if props.get("numId") in self.nums:
                    level = self.nums[props["numId"]][1].get(props.get("ilvl") or "0", {})
                    level = json.dumps(level, ensure_ascii=False, sort_keys=True).encode()
                    props = props | {"numId": hashlib.sha256(level).hexdigest()[:12]}
                shown = _show(props)
                boxes += [f"{key}: {shown}"] if shown else []
            links = [element.find(W + t) for t in ("basedOn", "next")]
            links = [f"{_local(e)}={self.name(e.get(W + 'val'))}" for e in links if e is not None]
            lines.append(" ".join([kind, self.name(style_id), *links, "::", *boxes]))
        return "\n".join(sorted(lines))


def _settings(root: etree._Element) -> str:
    lines = []
    for element in root.iter(*(W + name for name in _SETTINGS)):
        attributes = {etree.QName(k).localname: v for k, v in element.attrib.items()}
        if _local(element) == "documentProtection":  # not the password hash, which each save salts
            attributes = {k: v for k, v in attributes.items() if k in ("edit", "enforcement")}
        elif _local(element) in _TOGGLES:
            attributes = {"val": _on(element)}
        if attributes.get("val") != "0" and attributes.get("name") in (None, "compatibilityMode"):
            lines.append(f"{_local(element)} {json.dumps(attributes, sort_keys=True)}")
    return "\n".join(lines)


def _properties(files: dict[str, bytes], roles: dict[str, str]) -> str | None:
    parts = [_xml(files, roles.get(f"properties:{k}")) for k in ("core", "app", "custom")]
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
    canon = _Canon(files)
    roles, result = canon.roles, {}
    if "body" in roles:
        result["body"] = canon.story(roles["body"])
        background = _xml(files, roles["body"]).find(W + "background")
        if background is not None:
            result["body"] += f"\nbackground {(background.get(W + 'color') or 'auto').upper()}"
    for role in sorted(r for r in roles if r.startswith(("header:", "footer:"))):
        result[role] = canon.story(roles[role])
    for kind in ("comments", "footnotes", "endnotes"):  # a part with only separators is no role
        notes = canon.notes(kind) if kind in roles else ""
        if notes:
            result[kind] = notes
    if "styles" in roles:
        result["styles"] = canon.styles_text()
    if canon.definitions:
        result["numbering"] = "\n".join(f"{i}: {d}" for i, d in enumerate(canon.definitions, 1))
    settings = _xml(files, roles.get("settings"))
    if settings is not None:
        result["settings"] = _settings(settings)
    if canon.media:
        result["media"] = "\n".join(canon.media)
    properties = _properties(files, roles)
    if properties is not None:
        result["properties"] = properties
    return result
