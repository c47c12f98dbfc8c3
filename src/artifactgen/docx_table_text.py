"""How big a reference's styles set table text, and how much room they leave around it."""

from __future__ import annotations

from lxml import etree

from artifactgen.columns import TableText
from artifactgen.wordml import w

WORD_SIZE = 20  # half-points: what Word uses where no style says
WORD_MARGIN = 108  # twips: each side of a cell, where no table style says
_SIDES = (("left", "start"), ("right", "end"))
_ON = ("1", "true", "on")


def table_text(styles: etree._Element | None, table_style: str) -> TableText:
    """The text of a table in `table_style`, at the largest size any style might give it.

    Word sets a cell's text at the table style's size where the Normal style's size is the
    document default; LibreOffice lets the Normal style's size win. Measuring at the larger of
    the two keeps words whole in both.
    """
    if styles is None:
        return TableText(WORD_SIZE / 2, 2 * WORD_MARGIN / 20)
    every = list(styles.iterchildren(w("style")))
    by_id = {style.get(w("styleId")): style for style in every}
    table = next((s for s in every if _is(s, "table") and table_style in _names(s)), None)
    normal = next((s for s in every if _is(s, "paragraph") and s.get(w("default")) in _ON), None)
    defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('sz')}")
    sizes = [_inherited(by_id, style, f"{w('rPr')}/{w('sz')}") for style in (table, normal)]
    size = max((s for s in (*sizes, _number(defaults)) if s is not None), default=WORD_SIZE)
    margins = 0
    for names in _SIDES:
        paths = [f"{w('tblPr')}/{w('tblCellMar')}/{w(name)}" for name in names]
        found = (_inherited(by_id, table, path) for path in paths)
        margins += next((margin for margin in found if margin is not None), WORD_MARGIN)
    return TableText(size / 2, margins / 20)


def _is(style: etree._Element, kind: str) -> bool:
    return (style.get(w("type")) or "paragraph") == kind


def _names(style: etree._Element) -> tuple[str | None, str | None]:
    """What Word shows as the style's name, and its id."""
    name = style.find(w("name"))
    return (name.get(w("val")) if name is not None else None), style.get(w("styleId"))


def _inherited(by_id: dict, style: etree._Element | None, path: str) -> int | None:
    """A number at `path` (w:val, or w:w for a margin) in the style or what it is based on."""
    seen = set()
    while style is not None and id(style) not in seen:
        seen.add(id(style))
        value = _number(style.find(path))
        if value is not None:
            return value
        based = style.find(w("basedOn"))
        style = by_id.get(based.get(w("val"))) if based is not None else None
    return None


def _number(element: etree._Element | None) -> int | None:
    if element is None:
        return None
    try:
        return int(element.get(w("val")) or element.get(w("w")) or "")
    except ValueError:
        return None
