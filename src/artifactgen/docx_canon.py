"""Canonical text of a DOCX's parts: equal when Word or LibreOffice merely re-saves it, not after an edit."""

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
Props = dict[str, str | None]

_PACKAGE_ROLES = {
    "officeDocument": "body",
    "core-properties": "properties:core",
    "extended-properties": "properties:app",
    "custom-properties": "properties:custom",
}
_DOCUMENT_ROLES = ("styles", "numbering", "settings", "comments", "footnotes", "endnotes", "theme")
# On/off properties (w:b, w:b w:val="1"/"true"/"on" are all "on").
_TOGGLES = set(
    "b i caps smallCaps strike dstrike vanish outline shadow emboss imprint keepNext keepLines"
    " pageBreakBefore contextualSpacing bidi tblHeader cantSplit titlePg".split()
)
# Properties whose w:val is compared as written; everything not named here or handled below is
# ignored: complex-script and East Asian variants (bCs, szCs, eastAsia fonts), w:lang and proofing
# marks, which show nothing in Latin text; w:kern and w:widowControl, which LibreOffice rewrites
# (kerning threshold, widow control made explicit) and which only nudge line breaks; and rsids.
_VALUES = set("sz vertAlign highlight position w em u outlineLvl vAlign gridSpan".split())
_DEFAULTS = {
    "u": "none", "color": "AUTO", "highlight": "none", "vertAlign": "baseline", "position": "0",
    "spacing": "0", "w": "100", "em": "none", "shd": "AUTO", "sz": "20", "jc": "left",
    "spacing.before": "0", "spacing.after": "0", "spacing.line": "240", "spacing.lineRule": "auto",
    "ind.left": "0", "ind.right": "0", "ind.first": "0", "outlineLvl": "9", "vAlign": "top",
    "gridSpan": "1", "tblInd": "0", "ilvl": "0",
}  # fmt: skip
# Fields whose shown result the application recomputes (LibreOffice fills in page counts).
_VOLATILE = set(
    "PAGE NUMPAGES SECTIONPAGES SECTION DATE TIME SAVEDATE PRINTDATE CREATEDATE EDITTIME"
    " NUMWORDS NUMCHARS FILESIZE FILENAME REVNUM PAGEREF".split()
)
_ROMAN = ((1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1), "m cm d cd c xc l xl x ix v iv i")
_CORE = ("title", "subject", "creator", "keywords", "description", "category", "contentStatus")


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag[len(W) :] if isinstance(tag, str) and tag.startswith(W) else ""


def _on(element: etree._Element) -> str:
    return "0" if (element.get(W + "val") or "1").lower() in ("0", "false", "off") else "1"


def _xml(files: dict[str, bytes], name: str | None) -> etree._Element | None:
    try:
        return etree.fromstring(files[name], _PARSER) if name in files else None
    except etree.XMLSyntaxError:
        return None


def _rels(files: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    """rId -> (relationship type's last word, target part name or external URL)."""
    folder, name = posixpath.split(part)
    root = _xml(files, posixpath.join(folder, "_rels", name + ".rels"))
    result = {}
    for rel in root if root is not None else ():
        target = rel.get("Target", "")
        if rel.get("TargetMode") != "External":
            target = posixpath.normpath(posixpath.join("/" + folder, target)).lstrip("/")
        result[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
    return result


def _sections(body: etree._Element) -> list[etree._Element]:
    return [s for s in body.iter(W + "sectPr") if _local(s.getparent()) != "sectPrChange"]


def part_roles(files: dict[str, bytes]) -> dict[str, str]:
    """Role -> zip part name, found through the relationships (never by file name)."""
    roles = {}
    for kind, target in _rels(files, "").values():
        if kind in _PACKAGE_ROLES and target in files:
            roles[_PACKAGE_ROLES[kind]] = target
    body = _xml(files, roles.get("body"))
    if body is None:
        return roles
    rels = _rels(files, roles["body"])
    roles |= {kind: t for kind, t in rels.values() if kind in _DOCUMENT_ROLES and t in files}
    inherited: dict[str, str] = {}  # a section without its own header shows the previous one
    for index, section in enumerate(_sections(body), start=1):
        for ref in section:
            if _local(ref) in ("headerReference", "footerReference"):
                target = rels.get(ref.get(R + "id", ""), ("", ""))[1]
                kind = _local(ref)[: -len("Reference")]
                if target in files:
                    inherited[f"{kind}:{ref.get(W + 'type', 'default')}"] = target
        suffix = f":{index}" if index > 1 else ""
        roles |= {role + suffix: target for role, target in inherited.items()}
    return roles


def _border(element: etree._Element) -> str:
    value = element.get(W + "val", "none")
    if value in ("none", "nil"):
        return "none"
    size, space = element.get(W + "sz", "0"), element.get(W + "space", "0")
    return f"{value}/{size}/{space}/{(element.get(W + 'color') or 'auto').upper()}"


def _shade(element: etree._Element) -> str:
    fill, value = (element.get(W + "fill") or "auto").upper(), element.get(W + "val", "clear")
    if value in ("clear", "nil"):
        return fill if value == "clear" else "AUTO"
    return f"{value}/{(element.get(W + 'color') or 'auto').upper()}/{fill}"


def _props(box: etree._Element | None, fonts: dict[str, str]) -> Props:
    """The visible properties of a pPr, rPr, tblPr, trPr, tcPr or sectPr, normalised."""
    out: Props = {}
    for child in box if box is not None else ():
        tag, value = _local(child), child.get(W + "val")
        if tag in _TOGGLES:
            out[tag] = _on(child)
        elif tag in _VALUES:
            out[tag] = value or ("continue" if tag == "vMerge" else "single")
        elif tag == "vMerge":
            out[tag] = value or "continue"
        elif tag == "color":
            out[tag] = (value or "auto").upper()
        elif tag == "jc":
            out[tag] = {"start": "left", "end": "right"}.get(value or "", value)
        elif tag == "spacing" and _local(box) == "rPr":
            out[tag] = value
        elif tag == "spacing":
            for name in ("before", "after", "line", "lineRule"):
                if child.get(W + name) is not None:
                    out["spacing." + name] = child.get(W + name)
            for name in ("beforeAutospacing", "afterAutospacing"):
                if child.get(W + name) is not None:
                    out[name] = "0" if child.get(W + name) in ("0", "false", "off") else "1"
        elif tag == "ind":
            get = child.get
            for key, value in (
                ("left", get(W + "left") or get(W + "start")),
                ("right", get(W + "right") or get(W + "end")),
                (
                    "first",
                    get(W + "firstLine") or (get(W + "hanging") and f"-{get(W + 'hanging')}"),
                ),
            ):
                if value is not None:
                    out["ind." + key] = str(int(value))
        elif tag == "rFonts" and (child.get(W + "asciiTheme") or child.get(W + "ascii")):
            theme = child.get(W + "asciiTheme")
            out["font"] = fonts.get(theme, theme) if theme else child.get(W + "ascii")
        elif tag in ("shd", "bdr"):
            out[tag] = _shade(child) if tag == "shd" else _border(child)
        elif tag in ("pBdr", "tblBorders", "tcBorders", "pgBorders"):
            out |= {f"{tag}.{_local(side)}": _border(side) for side in child if _local(side)}
        elif tag in ("tblCellMar", "tcMar"):
            out |= {f"{tag}.{_local(side)}": side.get(W + "w") for side in child if _local(side)}
        elif tag == "tblInd":
            out[tag] = child.get(W + "w")
        elif tag == "tabs":
            for tab in child.iter(W + "tab"):
                kind, leader = tab.get(W + "val"), tab.get(W + "leader", "none")
                out["tab." + tab.get(W + "pos", "")] = (
                    None if kind == "clear" else f"{kind}/{leader}"
                )
        elif tag == "numPr":
            for item in child:
                if _local(item) in ("numId", "ilvl"):
                    out[_local(item)] = item.get(W + "val")
        elif tag in ("ins", "del"):
            out["mark"] = f"{tag}:{child.get(W + 'author', '')}"
        elif tag in ("pgSz", "pgMar", "cols", "pgNumType", "type", "textDirection"):
            out |= {f"{tag}.{etree.QName(k).localname}": v for k, v in child.attrib.items()}
    return out


def _merge(*layers: Props) -> Props:
    merged: Props = {}
    for layer in layers:
        for key, value in layer.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
    return merged


def _show(props: Props) -> str:
    kept = {
        k: v
        for k, v in props.items()
        if v not in (None, "none", _DEFAULTS.get(k)) and not (k in _TOGGLES and v == "0")
    }
    return " ".join(f"{k}={v}" for k, v in sorted(kept.items()))


class _Styles:
    """Style definitions resolved through basedOn; a style is known by its name, not its id."""

    def __init__(self, root: etree._Element | None, fonts: dict[str, str]) -> None:
        self.fonts = fonts
        self.by_id = (
            {s.get(W + "styleId"): s for s in root.iter(W + "style")} if root is not None else {}
        )
        defaults = root.find(W + "docDefaults") if root is not None else None
        find = (lambda path: defaults.find(path)) if defaults is not None else (lambda path: None)
        self.defaults = {
            "p": _props(find(f"{W}pPrDefault/{W}pPr"), fonts),
            "r": _props(find(f"{W}rPrDefault/{W}rPr"), fonts),
        }
        self.default = {
            s.get(W + "type"): i for i, s in self.by_id.items() if _on_attr(s, "default")
        }
        self.cache: dict[str, dict[str, Props]] = {}

    def name(self, style_id: str | None) -> str:
        element = self.by_id.get(style_id)
        name = element.find(W + "name") if element is not None else None
        return (name.get(W + "val", "") if name is not None else str(style_id)).casefold()

    def resolved(self, style_id: str | None) -> dict[str, Props]:
        """Each property box of the style ('p', 'r', 'tbl', 'tc', 'firstRow:r'...) with its bases."""
        if style_id in self.cache or style_id not in self.by_id:
            return self.cache.get(style_id, {})
        self.cache[style_id] = {}  # guards against basedOn cycles
        element = self.by_id[style_id]
        based = element.find(W + "basedOn")
        result = dict(self.resolved(based.get(W + "val")) if based is not None else {})
        boxes = [("", element)] + [
            (c.get(W + "type", "") + ":", c) for c in element.iter(W + "tblStylePr")
        ]
        for prefix, box in boxes:
            for kind, tag in (("p", "pPr"), ("r", "rPr"), ("tbl", "tblPr"), ("tc", "tcPr")):
                own = _props(box.find(W + tag), self.fonts)
                result[prefix + kind] = _merge(result.get(prefix + kind, {}), own)
        self.cache[style_id] = result
        return result

    def of(self, element: etree._Element | None, kind: str) -> str | None:
        """The style id a pStyle/rStyle/tblStyle child names, or the default style of the kind."""
        found = element.find(W + kind + "Style") if element is not None else None
        if found is not None and found.get(W + "val") in self.by_id:
            return found.get(W + "val")
        return self.default.get({"p": "paragraph", "tbl": "table"}.get(kind, ""))


def _on_attr(element: etree._Element, name: str) -> bool:
    return element.get(W + name, "0").lower() in ("1", "true", "on")


def _numbering(root: etree._Element | None, fonts: dict[str, str]) -> dict[str, tuple]:
    """numId -> (abstractNumId, level -> what the level shows, level -> restart value)."""
    if root is None:
        return {}
    abstracts = {a.get(W + "abstractNumId"): a for a in root.iter(W + "abstractNum")}
    result = {}
    for num in root.iter(W + "num"):
        link = num.find(W + "abstractNumId")
        abstract_id = link.get(W + "val", "") if link is not None else ""
        abstract = abstracts.get(abstract_id)
        levels = {} if abstract is None else {v.get(W + "ilvl"): v for v in abstract.iter(W + "lvl")}
        restarts = {}
        for override in num.iter(W + "lvlOverride"):
            if override.find(W + "lvl") is not None:
                levels[override.get(W + "ilvl")] = override.find(W + "lvl")
            start = override.find(W + "startOverride")
            if start is not None:
                restarts[override.get(W + "ilvl")] = int(start.get(W + "val", "0"))
        shown = {ilvl: _level(level, fonts) for ilvl, level in levels.items()}
        result[num.get(W + "numId")] = (abstract_id, shown, restarts)
    return result


def _number(value: int, style: str) -> str:
    """A list counter as Word shows it in the given w:numFmt."""
    if style.endswith("Letter"):
        text = chr(97 + (value - 1) % 26) * ((value - 1) // 26 + 1)
    elif style.endswith("Roman"):
        text = ""
        for size, digits in zip(_ROMAN[0], _ROMAN[1].split(), strict=True):
            text, value = text + digits * (value // size), value % size
    else:
        return f"{value:02d}" if style == "decimalZero" else str(value)
    return text.upper() if style.startswith("upper") else text


def _level(level: etree._Element, fonts: dict[str, str]) -> dict[str, str]:
    # w:pStyle (the level's link back to its style) and w:legacy are left out: LibreOffice drops them.
    shown = {"start": "0", "numFmt": "decimal", "lvlText": "", "lvlJc": "left", "suff": "tab"}
    for child in level:
        if _local(child) in shown:
            shown[_local(child)] = child.get(W + "val", "")
        elif _local(child) in ("isLgl", "lvlRestart"):
            shown[_local(child)] = child.get(W + "val", "1")
    shown["lvlJc"] = {"start": "left", "end": "right"}.get(shown["lvlJc"], shown["lvlJc"])
    boxes = (_show(_props(level.find(W + t), fonts)) for t in ("pPr", "rPr"))
    shown["boxes"] = " | ".join(boxes)
    return shown


def _theme_fonts(root: etree._Element | None) -> dict[str, str]:
    fonts = {}
    for kind in ("major", "minor"):
        latin = None if root is None else root.find(f".//{A}{kind}Font/{A}latin")
        if latin is not None:
            fonts[kind + "HAnsi"] = fonts[kind + "Ascii"] = latin.get("typeface", "")
    return fonts


def _instruction(text: str) -> str:
    words = text.split()
    for index in range(len(words) - 1, 0, -1):  # \* MERGEFORMAT only keeps old result formatting
        if words[index - 1] == "\\*" and words[index].upper() in ("MERGEFORMAT", "CHARFORMAT"):
            del words[index - 1 : index + 1]
    return " ".join([words[0].upper(), *words[1:]]) if words else ""


def _table_parts(row: int, rows: int, cell: int, cells: int, look: etree._Element | None) -> list:
    """The conditional parts of a table style that apply to a cell, weakest first."""
    bits = int(look.get(W + "val", "0") or "0", 16) if look is not None else 0x04A0
    flag = {n: bool(bits & b) for n, b in (("firstRow", 32), ("lastRow", 64), ("firstColumn", 128),
            ("lastColumn", 256), ("noHBand", 512), ("noVBand", 1024))}  # fmt: skip
    for name in flag:
        if look is not None and look.get(W + name) is not None:
            flag[name] = _on_attr(look, name)
    first, last = flag["firstRow"] and row == 0, flag["lastRow"] and row == rows - 1
    first_col, last_col = (
        flag["firstColumn"] and cell == 0,
        flag["lastColumn"] and cell == cells - 1,
    )
    parts = ["wholeTable"]
    if not flag["noVBand"] and not (first_col or last_col):
        parts.append(f"band{(cell - flag['firstColumn']) % 2 + 1}Vert")
    if not flag["noHBand"] and not (first or last):
        parts.append(f"band{(row - flag['firstRow']) % 2 + 1}Horz")
    parts += [n for n, on in (("firstCol", first_col), ("lastCol", last_col)) if on]
    parts += [n for n, on in (("firstRow", first), ("lastRow", last)) if on]
    corners = {"nwCell": first and first_col, "neCell": first and last_col}
    corners |= {"swCell": last and first_col, "seCell": last and last_col}
    return parts + [n for n, on in corners.items() if on]


class _Canon:
    """Walks the stories of one document, collecting what they use on the way."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files, self.roles = files, part_roles(files)
        self.fonts = _theme_fonts(_xml(files, self.roles.get("theme")))
        self.styles = _Styles(_xml(files, self.roles.get("styles")), self.fonts)
        self.nums = _numbering(_xml(files, self.roles.get("numbering")), self.fonts)
        self.counters: dict[str, dict[int, int]] = {}  # abstractNumId -> level -> last number
        self.restarted: set[tuple[str, str]] = set()
        self.definitions: list[str] = []  # list levels in order of first use
        self.used: set[str | None] = set()
        self.media: list[str] = []
        self.refs: dict[str, list[str]] = {"comments": [], "footnotes": [], "endnotes": []}
        self.rels: dict[str, tuple[str, str]] = {}
        self.fields: list[list[str]] = []

    def story(self, part: str, root: etree._Element | None = None) -> str:
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
            elif tag in ("sdt", "sdtContent", "customXml"):
                lines += self.blocks(child, table)
        return lines

    def section(self, section: etree._Element) -> str:
        props = _props(section, self.fonts)
        if props.get("cols.num", "1") == "1":
            props = {k: v for k, v in props.items() if not k.startswith("cols.")}
        defaults = {"type.val": "nextPage", "pgNumType.fmt": "decimal", "textDirection.val": "lrTb"}
        defaults |= {"pgSz.orient": "portrait", "pgSz.code": props.get("pgSz.code")}
        return "section " + _show({k: v for k, v in props.items() if defaults.get(k) != v})

    def paragraph(self, paragraph: etree._Element, table: dict[str, Props]) -> list[str]:
        box = paragraph.find(W + "pPr")
        style_id = self.styles.of(box, "p")
        self.used.add(style_id)
        style = self.styles.resolved(style_id)
        mark = _props(box.find(W + "rPr") if box is not None else None, self.fonts).get("mark")
        props = _merge(self.styles.defaults["p"], table.get("p", {}), style.get("p", {}))
        props = _merge(props, _props(box, self.fonts), {"mark": mark})
        num, level = props.pop("numId", None), props.pop("ilvl", None) or "0"
        if num in self.nums:
            props["list"] = self.label(num, level)
        pieces: list[list[str]] = []
        base = _merge(self.styles.defaults["r"], table.get("r", {}), style.get("r", {}))
        self.inline(paragraph, base, "", pieces)
        lines = [f"p {self.styles.name(style_id)}: {_show(props)}"]
        lines += [f"  {json.dumps(text, ensure_ascii=False)} {fmt}" for fmt, text in pieces if text]
        inner = box.find(W + "sectPr") if box is not None else None
        return lines + ([self.section(inner)] if inner is not None else [])

    def label(self, num: str, level: str) -> str | None:
        """The number or bullet Word shows: counters run per abstract list, restarts per num."""
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
            text = text.replace(f"%{int(ilvl) + 1}", _number(value, shown["numFmt"]))
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
                link += "#" + child.get(W + "anchor") if child.get(W + "anchor") else ""
                self.inline(child, base, f"{extra} link={link}", pieces)
            elif tag in ("ins", "del", "moveTo", "moveFrom"):
                kind = "ins" if tag in ("ins", "moveTo") else "del"
                self.inline(child, base, f"{extra} {kind}={child.get(W + 'author', '')}", pieces)
            elif tag == "fldSimple":
                self.field("begin", pieces, "")
                self.fields[-1][0] = child.get(W + "instr", "")
                self.field("separate", pieces, extra)
                self.inline(child, base, extra, pieces)
                self.field("end", pieces, extra)
            elif tag in ("smartTag", "customXml", "sdt", "sdtContent", "dir", "bdo"):
                self.inline(child, base, extra, pieces)
            elif child.tag in (M + "oMath", M + "oMathPara"):
                self.add(pieces, "math" + extra, "".join(t.text or "" for t in child.iter(M + "t")))

    def add(self, pieces: list, fmt: str, text: str) -> None:
        if any(phase != "result" or _instruction(i).split(" ")[0] in _VOLATILE
               for i, phase in self.fields):  # fmt: skip
            return
        if pieces and pieces[-1][0] == fmt:
            pieces[-1][1] += text
        else:
            pieces.append([fmt, text])

    def field(self, kind: str, pieces: list, fmt: str) -> None:
        if kind == "begin":
            self.fields.append(["", "instruction"])
        elif self.fields and self.fields[-1][1] == "instruction" and kind in ("separate", "end"):
            instruction, _ = self.fields.pop()
            self.add(pieces, "", "{" + _instruction(instruction) + "}")
            self.fields.append([instruction, "result"])
        if kind == "end" and self.fields:
            self.fields.pop()

    def run(self, run: etree._Element, base: Props, extra: str, pieces: list) -> None:
        box = run.find(W + "rPr")
        style_id = self.styles.of(box, "r")
        self.used.add(style_id)
        fmt = _show(
            _merge(base, self.styles.resolved(style_id).get("r", {}), _props(box, self.fonts))
        )
        fmt += extra
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
                self.field(child.get(W + "fldCharType", ""), pieces, fmt)
            elif tag == "instrText" and self.fields and self.fields[-1][1] == "instruction":
                self.fields[-1][0] += child.text or ""
            elif tag in ("drawing", "pict", "object") or child.tag == MC + "AlternateContent":
                text = self.embedded(child)
            if text is not None:
                self.add(pieces, fmt, text)

    def embedded(self, element: etree._Element) -> str:
        """A picture or object: the hashes of the parts it shows, and its size."""
        found, stack = [], [element]
        while stack:
            node = stack.pop(0)
            if node.tag == MC + "AlternateContent":  # Fallback repeats Choice for old readers
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
        style_id = self.styles.of(box, "tbl")
        self.used.add(style_id)
        style = self.styles.resolved(style_id)
        props = _merge(style.get("tbl", {}), _props(box, self.fonts))
        columns = len(table.findall(f"{W}tblGrid/{W}gridCol"))
        lines = [f"table {self.styles.name(style_id)} columns={columns}: {_show(props)}"]
        look = box.find(W + "tblLook") if box is not None else None
        rows = table.findall(W + "tr")
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
                lines.append(
                    "  cell "
                    + _show(_merge(context["tc"], _props(cell.find(W + "tcPr"), self.fonts)))
                )
                lines += ["   " + line for line in self.blocks(cell, context)]
        return lines

    def notes(self, kind: str) -> str:
        root = _xml(self.files, self.roles[kind])
        if root is None:
            return ""
        notes = {
            n.get(W + "id"): n for n in root if _local(n) in ("comment", "footnote", "endnote")
        }
        order = list(dict.fromkeys(self.refs[kind] + list(notes)))
        lines = []
        for note_id in order:
            note = notes.get(note_id)
            if note is None or note.get(W + "type") in ("separator", "continuationSeparator"):
                continue
            author = (
                f" {note.get(W + 'author', '')} ({note.get(W + 'initials', '')})"
                if kind == "comments"
                else ""
            )
            lines += [f"{kind[:-1]}{author}", self.story(self.roles[kind], note)]
        return "\n".join(lines)

    def styles_text(self) -> str:
        used, lines = set(), []
        for style_id in self.used:  # with the styles they are based on
            while style_id in self.styles.by_id and style_id not in used:
                used.add(style_id)
                based = self.styles.by_id[style_id].find(W + "basedOn")
                style_id = based.get(W + "val") if based is not None else None
        for style_id in used:
            element, name = self.styles.by_id[style_id], self.styles.name(style_id)
            resolved = self.styles.resolved(style_id)
            boxes = []
            kind = element.get(W + "type", "")
            for key, props in sorted(resolved.items()):
                if kind != "table" and (key != "r" if kind == "character" else key not in "pr"):
                    continue
                if key in ("p", "r") and kind != "table":
                    props = _merge(self.styles.defaults[key], props)
                if props.get("numId") in self.nums:
                    level = self.nums[props["numId"]][1].get(props.get("ilvl") or "0", {})
                    level = json.dumps(level, ensure_ascii=False, sort_keys=True).encode()
                    props = props | {"numId": hashlib.sha256(level).hexdigest()[:12]}
                boxes += [f"{key}: {_show(props)}"] if _show(props) else []
            links = [element.find(W + t) for t in ("basedOn", "next")]
            links = [
                f"{_local(e)}={self.styles.name(e.get(W + 'val'))}" for e in links if e is not None
            ]
            lines.append(
                f"{element.get(W + 'type')} {name} {' '.join(links)} :: " + " :: ".join(boxes)
            )
        return "\n".join(sorted(lines))

    def numbering_text(self) -> str:
        return "\n".join(f"{i}: {d}" for i, d in enumerate(self.definitions, start=1))



# Settings that change what is shown or how the document behaves. The rest is left out: zoom and
# view state, rsids, proofing state, compression and math defaults, East Asian layout options,
# w:autoHyphenation (LibreOffice writes it even when it is off) and w14/w15 ids.
_SETTINGS = ("defaultTabStop", "evenAndOddHeaders", "mirrorMargins", "gutterAtTop",
             "trackRevisions", "bookFoldPrinting", "footnotePr", "endnotePr",
             "documentProtection", "compatSetting")  # fmt: skip


def _settings(root: etree._Element) -> str:
    lines = []
    for element in root.iter(*(W + name for name in _SETTINGS)):
        if _local(element) == "compatSetting" and element.get(W + "name") != "compatibilityMode":
            continue
        attributes = {etree.QName(k).localname: v for k, v in element.attrib.items()}
        if _local(element) in (
            "evenAndOddHeaders",
            "mirrorMargins",
            "gutterAtTop",
            "trackRevisions",
        ):
            attributes = {"val": _on(element)}
        elif _local(element) == "documentProtection":
            attributes = {k: attributes.get(k) for k in ("edit", "enforcement")}
        lines.append(f"{_local(element)} {json.dumps(attributes, sort_keys=True)}")
    return "\n".join(lines)


def _properties(files: dict[str, bytes], roles: dict[str, str]) -> str | None:
    core, custom = (_xml(files, roles.get(f"properties:{k}")) for k in ("core", "custom"))
    if core is None and custom is None:
        return None
    lines = [
        f"{etree.QName(e).localname}: {e.text}"
        for e in (core if core is not None else ())
        if etree.QName(e).localname in _CORE and (e.text or "").strip()
    ]
    for prop in custom if custom is not None else ():
        name = prop.get("name", "")
        if not name.startswith("artifactgen-"):  # the tool's own bookkeeping
            lines.append(f"custom {name}: {''.join(prop.itertext())}")
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
    for kind in ("comments", "footnotes", "endnotes"):
        if kind in roles:
            result[kind] = canon.notes(kind)
    if "styles" in roles:
        result["styles"] = canon.styles_text()
    if "numbering" in roles:
        result["numbering"] = canon.numbering_text()
    settings = _xml(files, roles.get("settings"))
    if settings is not None:
        result["settings"] = _settings(settings)
    if canon.media:
        result["media"] = "\n".join(canon.media)
    properties = _properties(files, roles)
    if properties is not None:
        result["properties"] = properties
    return result
