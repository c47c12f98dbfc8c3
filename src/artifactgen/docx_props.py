"""What one pPr, rPr, tblPr, trPr, tcPr or sectPr shows, with equivalent spellings made one."""

from __future__ import annotations

from lxml import etree

from artifactgen.wordml import W_NS, local, w

_W = f"{{{W_NS}}}"
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
# breaks; table widths and row heights, which LibreOffice rewrites ("auto" into rounded twips)
# and docx_layout compares within a tolerance.
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


def _default(key: str) -> str | None:
    return "0" if key in TOGGLES else _DEFAULTS.get(key)


def _shows(key: str, value: str | None) -> str | None:
    return None if value in (None, "none", _default(key)) else value


def props_text(props: Props) -> str:
    """The properties that show something, sorted, as "key=value" words."""
    return " ".join(f"{k}={v}" for k, v in sorted(props.items()) if _shows(k, v) is not None)


def props_delta(props: Props, base: Props) -> str:
    """The properties that show otherwise than in `base`, as "key=value" words; a property set
    back to its default shows that default ("b=0" on a run of a bold style)."""
    keys = sorted(
        k for k in props.keys() | base.keys() if _shows(k, props.get(k)) != _shows(k, base.get(k))
    )
    return " ".join(f"{k}={_shows(k, props.get(k)) or _default(k) or 'none'}" for k in keys)
