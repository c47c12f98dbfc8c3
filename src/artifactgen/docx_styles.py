"""What a DOCX's formatting shows: properties, styles resolved through their bases, and lists."""

from __future__ import annotations

import hashlib
import json

from lxml import etree

from artifactgen.wordml import W_NS, local, w

_W = f"{{{W_NS}}}"
DRAWINGML = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
Props = dict[str, str | None]  # None: an inherited value removed (a cleared tab stop)

# fmt: off
TOGGLES = {  # on/off: <w:b/>, w:val="1", "true" and "on" are all on
    "b", "i", "caps", "smallCaps", "strike", "dstrike", "vanish", "outline", "shadow", "emboss",
    "imprint", "keepNext", "keepLines", "pageBreakBefore", "contextualSpacing", "bidi", "tblHeader",
    "cantSplit", "titlePg", "evenAndOddHeaders", "mirrorMargins", "gutterAtTop", "trackRevisions",
    "bookFoldPrinting", "beforeAutospacing", "afterAutospacing"}
# Compared as written. Everything not named here or in read_props is ignored: complex-script and
# East Asian variants (bCs, szCs, eastAsia fonts) and w:lang, which show nothing in Latin text;
# proofing marks, rsids, bookmarks (Word adds _GoBack), w14 ids; w:kern and w:widowControl, which
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
# fmt: on


def word_local(element: etree._Element) -> str:
    """The local name of a w: element; "" for any other namespace (w14:shadow is not w:shadow)."""
    is_word = isinstance(element.tag, str) and element.tag.startswith(_W)
    return local(element) if is_word else ""


def toggle(element: etree._Element, name: str = "val", default: str = "1") -> str:
    """An on/off attribute as "1" or "0", `default` where it is absent."""
    return "0" if (element.get(w(name)) or default).lower() in ("0", "false", "off") else "1"


def _border(element: etree._Element) -> str:
    if element.get(w("val"), "none") in ("none", "nil"):
        return "none"
    color = (element.get(w("color")) or "auto").upper()  # LibreOffice drops w:themeColor
    return "/".join([element.get(w("val"), ""), element.get(w("sz"), "0"),
                     element.get(w("space"), "0"), color])  # fmt: skip


def _shade(element: etree._Element) -> str:
    fill, value = (element.get(w("fill")) or "auto").upper(), element.get(w("val"), "clear")
    if value in ("clear", "nil"):
        return fill if value == "clear" else "AUTO"
    return f"{value}/{(element.get(w('color')) or 'auto').upper()}/{fill}"


def read_props(box: etree._Element | None, fonts: dict[str, str]) -> Props:
    """What a pPr, rPr, tblPr, trPr, tcPr or sectPr shows, with equivalent spellings made one."""
    out: Props = {}
    for child in box if box is not None else ():
        tag, value = word_local(child), child.get(w("val"))
        if tag in TOGGLES:
            out[tag] = toggle(child)
        elif tag in _VALUES or (tag == "spacing" and word_local(box) == "rPr"):
            out[tag] = value or {"vMerge": "continue", "u": "single"}.get(tag)
        elif tag in _GROUPS:
            names = _GROUPS[tag].split()
            out |= {f"{tag}.{n}": child.get(w(n)) for n in names if child.get(w(n)) is not None}
            out |= {n: toggle(child, n, "0") for n in TOGGLES if child.get(w(n)) is not None}
        elif tag in ("color", "jc"):
            value = {"start": "left", "end": "right"}.get(value or "auto", value or "auto")
            out[tag] = value.upper() if tag == "color" else value
        elif tag == "ind":  # w:start/w:end are the newer names; a hanging indent is negative
            get, hanging = child.get, child.get(w("hanging"))
            first = get(w("firstLine")) or (hanging and f"-{hanging}")
            found = {"left": get(w("left")) or get(w("start")), "first": first}
            found["right"] = get(w("right")) or get(w("end"))
            out |= {f"ind.{k}": str(round(float(v))) for k, v in found.items() if v is not None}
        elif tag == "rFonts" and (child.get(w("asciiTheme")) or child.get(w("ascii"))):
            theme = child.get(w("asciiTheme"))  # a theme font wins over the name beside it
            out["font"] = fonts.get(theme, theme) if theme else child.get(w("ascii"))
        elif tag in ("shd", "bdr"):
            out[tag] = _shade(child) if tag == "shd" else _border(child)
        elif tag in ("pBdr", "tblBorders", "tcBorders", "pgBorders"):
            out |= {f"{tag}.{word_local(s)}": _border(s) for s in child if word_local(s)}
        elif tag == "tblInd":
            out[tag] = child.get(w("w"))
        elif tag in ("tblCellMar", "tcMar"):
            out |= {f"{tag}.{word_local(s)}": s.get(w("w")) for s in child if word_local(s)}
        elif tag == "tabs":
            for tab in child.iter(w("tab")):
                kind = tab.get(w("val"))
                shown = None if kind == "clear" else f"{kind}/{tab.get(w('leader'), 'none')}"
                out["tab." + tab.get(w("pos"), "")] = shown
        elif tag == "numPr":
            out |= {
                word_local(c): c.get(w("val")) for c in child if word_local(c) in ("numId", "ilvl")
            }
        elif tag in ("ins", "del") or tag.endswith("PrChange"):  # tracked changes
            key = "mark" if tag in ("ins", "del") else "change"
            out[key] = f"{tag}:{child.get(w('author'), '')}"
    return out


def merge_props(*layers: Props) -> Props:
    """Later layers win; a None value removes what the layers before it set."""
    merged: Props = {}
    for layer in layers:
        for key, value in layer.items():
            merged[key] = value
            if value is None:
                del merged[key]
    return merged


def props_text(props: Props) -> str:
    """The properties that show something, sorted, as "key=value" words."""
    hidden = {k: "0" if k in TOGGLES else _DEFAULTS.get(k) for k in props}
    kept = [(k, v) for k, v in props.items() if v not in (None, "none", hidden[k])]
    return " ".join(f"{k}={v}" for k, v in sorted(kept))


def _numbering(root: etree._Element, fonts: dict[str, str]) -> dict[str, tuple]:
    """numId -> (abstractNumId, level -> what the level shows, level -> restart value)."""
    abstracts = {a.get(w("abstractNumId")): a for a in root.iter(w("abstractNum"))}
    result = {}
    for num in root.iter(w("num")):
        link = num.find(w("abstractNumId"))
        abstract_id = link.get(w("val"), "") if link is not None else ""
        levels = {
            v.get(w("ilvl")): v for v in abstracts.get(abstract_id, []) if word_local(v) == "lvl"
        }
        restarts = {}
        for override in num.iter(w("lvlOverride")):
            ilvl = override.get(w("ilvl"))
            for child in override:
                if word_local(child) == "lvl":
                    levels[ilvl] = child
                elif word_local(child) == "startOverride":
                    restarts[ilvl] = int(child.get(w("val"), "0"))
        shown = {ilvl: _level(level, fonts) for ilvl, level in levels.items()}
        result[num.get(w("numId"))] = (abstract_id, shown, restarts)
    return result


def _level(level: etree._Element, fonts: dict[str, str]) -> dict[str, str]:
    # Not w:pStyle (the level's link back to its style) nor w:legacy: LibreOffice drops them.
    shown = {"start": "0", "numFmt": "decimal", "lvlText": "", "lvlJc": "left", "suff": "tab"}
    for child in level:
        if word_local(child) in shown or word_local(child) in ("isLgl", "lvlRestart"):
            shown[word_local(child)] = child.get(w("val"), "1")
    shown["lvlJc"] = {"start": "left", "end": "right"}.get(shown["lvlJc"], shown["lvlJc"])
    boxes = (read_props(level.find(w(t)), fonts) for t in ("pPr", "rPr"))
    shown["boxes"] = " | ".join(props_text(box) for box in boxes)
    return shown


def table_style_parts(
    row: int, rows: int, cell: int, cells: int, look: etree._Element | None
) -> list[str]:
    """The conditional formats of a table style that apply to a cell, weakest first."""
    bits = int(look.get(w("val")) or "0", 16) if look is not None else 0
    names = ("firstRow", "lastRow", "firstColumn", "lastColumn", "noHBand", "noVBand")
    flag = {name: bool(bits & 32 << i) for i, name in enumerate(names)}
    if look is not None:  # the attributes, where present, override the bit mask
        flag |= {n: toggle(look, n) == "1" for n in names if look.get(w(n)) is not None}
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


class StyleSheet:
    """A document's styles, theme fonts and lists: resolved, numbered, and noted as used."""

    def __init__(
        self,
        styles: etree._Element | None,
        theme: etree._Element | None,
        numbering: etree._Element | None,
    ) -> None:
        self.fonts: dict[str, str] = {}  # majorHAnsi, minorAscii... -> the theme's Latin font
        major_minor = (f"{DRAWINGML}majorFont", f"{DRAWINGML}minorFont")
        for font in [] if theme is None else theme.iter(*major_minor):
            latin, kind = font.find(f"{DRAWINGML}latin"), etree.QName(font).localname[:5]
            if latin is not None:
                self.fonts |= dict.fromkeys((kind + "HAnsi", kind + "Ascii"), latin.get("typeface"))
        found = [] if styles is None else styles.iter(w("style"))
        self.by_id = {style.get(w("styleId")): style for style in found}
        self.default = {
            s.get(w("type")): i for i, s in self.by_id.items() if toggle(s, "default", "0") == "1"
        }
        self.defaults = {}
        for kind in ("p", "r"):
            path = f"{w('docDefaults')}/{w(kind + 'PrDefault')}/{w(kind + 'Pr')}"
            self.defaults[kind] = self.props(None if styles is None else styles.find(path))
        self.nums = {} if numbering is None else _numbering(numbering, self.fonts)
        self.resolved: dict[str | None, dict[str, Props]] = {}
        self.used: set[str | None] = set()
        self.counters: dict[str, dict[int, int]] = {}  # abstractNumId -> level -> last number
        self.restarted: set[tuple[str, str]] = set()
        self.definitions: list[str] = []  # list levels, in order of first use

    def props(self, box: etree._Element | None) -> Props:
        return read_props(box, self.fonts)

    def name(self, style_id: str | None) -> str:
        name = self.by_id[style_id].find(w("name")) if style_id in self.by_id else None
        return (str(style_id) if name is None else name.get(w("val"), "")).casefold()

    def style(self, box: etree._Element | None, kind: str) -> tuple[str | None, dict[str, Props]]:
        """The style a pPr/rPr/tblPr names (or the default one) and its resolved properties."""
        found = box.find(w(kind + "Style")) if box is not None else None
        style_id = found.get(w("val")) if found is not None else None
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
        based = element.find(w("basedOn"))
        result = dict(self.resolve(based.get(w("val"))) if based is not None else {})
        parts = [(f"{p.get(w('type'))}:", p) for p in element.iterchildren(w("tblStylePr"))]
        for prefix, part in [("", element), *parts]:
            for kind in ("p", "r", "tbl", "tc"):
                own = self.props(part.find(w(f"{kind}Pr")))
                result[prefix + kind] = merge_props(result.get(prefix + kind, {}), own)
        self.resolved[style_id] = result
        return result

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

    def text(self) -> str:
        """The styles the document uses, and those they are based on, fully resolved."""
        used, lines = set(), []
        for style_id in self.used:
            while style_id in self.by_id and style_id not in used:
                used.add(style_id)
                based = self.by_id[style_id].find(w("basedOn"))
                style_id = based.get(w("val")) if based is not None else None
        for style_id in used:
            element, boxes = self.by_id[style_id], []
            kind = element.get(w("type"), "")
            for key, props in sorted(self.resolve(style_id).items()):
                if kind != "table" and key not in ("r" if kind == "character" else "pr"):
                    continue
                if kind != "table":
                    props = merge_props(self.defaults[key], props)
                if props.get("numId") in self.nums:
                    level = self.nums[props["numId"]][1].get(props.get("ilvl") or "0", {})
                    level = json.dumps(level, ensure_ascii=False, sort_keys=True).encode()
                    props = props | {"numId": hashlib.sha256(level).hexdigest()[:12]}
                shown = props_text(props)
                boxes += [f"{key}: {shown}"] if shown else []
            links = [element.find(w(t)) for t in ("basedOn", "next")]
            links = [
                f"{word_local(e)}={self.name(e.get(w('val')))}" for e in links if e is not None
            ]
            lines.append(" ".join([kind, self.name(style_id), *links, "::", *boxes]))
        return "\n".join(sorted(lines))
