"""What a DOCX's styles show: resolved through their bases, with theme fonts and lists."""

from __future__ import annotations

import hashlib
import json

from lxml import etree

from artifactgen.docx_props import Props, merge_props, props_text, read_props, toggle, word_local
from artifactgen.wordml import w

DRAWINGML = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


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

    def kind_of_list(self, num: str | None, level: str) -> str | None:
        """What a list level numbers with ("bullet", "decimal"...), without its counter."""
        levels = self.nums[num][1] if num in self.nums else {}
        return f"{levels[level]['numFmt']}@{level}" if level in levels else None

    def all_definitions(self) -> set[str]:
        """Every list level the numbering part defines, as `definitions` writes them."""
        return {
            json.dumps(level, ensure_ascii=False, sort_keys=True)
            for _, levels, _ in self.nums.values()
            for level in levels.values()
        }

    def used_names(self) -> set[str]:
        return {self.name(style_id) for style_id in self.used if style_id in self.by_id}

    def text(self, also: set[str] | frozenset[str] = frozenset()) -> str:
        """The styles the document uses or `also` names, and those they are based on, resolved."""
        used, lines = set(), []
        named = {style_id for style_id in self.by_id if self.name(style_id) in also}
        for style_id in self.used | named:
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
