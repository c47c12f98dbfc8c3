"""Table layout (column widths, row heights), compared within what a re-save rounds away.

LibreOffice rewrites every table it saves: an "auto" table width becomes the sum of the columns
in twips, a cell width without a type becomes dxa, and column widths move by a twip or two
(5343 becomes 5342, 1635 becomes 1634) on their way through its own units, and it adds
w:tblLayout="fixed", which is therefore not compared. A row without a height stays without one.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from artifactgen.docx_parts import part_roles, read_part
from artifactgen.wordml import w

# Two widths or heights within max(TWIPS, SHARE of the larger) of each other are the same: 30
# twips is half a millimetre, far under what a person can set by dragging or typing, and 1%
# covers a re-save that scales a whole table to its page.
TWIPS, SHARE = 30, 0.01
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

Width = int | str | None  # twips; "pct:N" for a share of the page; None for "auto"


@dataclass(frozen=True)
class RowLayout:
    rule: str  # "atLeast" (also an absent or "auto" height, as 0) or "exact"
    height: int
    cells: tuple[Width, ...]


@dataclass(frozen=True)
class TableLayout:
    width: Width
    grid: tuple[int, ...]
    rows: tuple[RowLayout, ...]


def _twips(value: str | None) -> int:
    try:
        return round(float(value or "0"))
    except ValueError:
        return 0


def _measure(element: etree._Element | None) -> Width:
    """A tblW or tcW: twips, "pct:N", or None where it is absent, "auto" or 0."""
    if element is None:
        return None
    kind, value = element.get(w("type"), "dxa"), element.get(w("w"))
    if kind == "pct":
        return f"pct:{value}"
    if kind != "dxa":  # "auto" or "nil"
        return None
    return _twips(value) or None


def _height(row: etree._Element) -> tuple[str, int]:
    """Word reads a trHeight without hRule as "atLeast"; "auto" ignores its value."""
    height = row.find(f"{w('trPr')}/{w('trHeight')}")
    if height is None or height.get(w("hRule")) == "auto":
        return "atLeast", 0
    return height.get(w("hRule"), "atLeast"), _twips(height.get(w("val")))


def table_layout(table: etree._Element) -> TableLayout:
    """A table's width, grid and rows; an "auto" width is what the grid it covers adds up to."""
    grid = tuple(
        _twips(col.get(w("w"))) for col in table.iterfind(f"{w('tblGrid')}/{w('gridCol')}")
    )
    rows = []
    for row in table.iterfind(w("tr")):
        before = row.find(f"{w('trPr')}/{w('gridBefore')}")
        start, cells = _twips(before.get(w("val"))) if before is not None else 0, []
        for cell in row.iterfind(w("tc")):
            span = cell.find(f"{w('tcPr')}/{w('gridSpan')}")
            end = start + max(1, _twips(span.get(w("val"))) if span is not None else 1)
            width = _measure(cell.find(f"{w('tcPr')}/{w('tcW')}"))
            cells.append(sum(grid[start:end]) if width is None else width)
            start = end
        rows.append(RowLayout(*_height(row), tuple(cells)))
    width = _measure(table.find(f"{w('tblPr')}/{w('tblW')}"))
    return TableLayout(sum(grid) if width is None else width, grid, tuple(rows))


def document_layout(files: dict[str, bytes]) -> dict[str, list[TableLayout]]:
    """Story role (body, header:default...) -> the layout of each of its tables, nested ones
    after the table holding them; stories without tables are left out."""
    result = {}
    for role, part in part_roles(files).items():
        if role != "body" and not role.startswith(("header:", "footer:")):
            continue
        root = read_part(files, part)
        tables = [
            table_layout(table)
            for table in (root.iter(w("tbl")) if root is not None else ())
            if not any(
                a.tag == MC_FALLBACK for a in table.iterancestors()
            )  # a copy for old readers
        ]
        if tables:
            result[role] = tables
    return result


def close(a: Width, b: Width) -> bool:
    """Two widths or heights a re-save could have turned one into the other."""
    if isinstance(a, int) and isinstance(b, int):
        return abs(a - b) <= max(TWIPS, SHARE * max(abs(a), abs(b)))
    return a == b


def _all_close(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b, strict=True))


def same_table(a: TableLayout, b: TableLayout) -> bool:
    if not (close(a.width, b.width) and _all_close(a.grid, b.grid) and len(a.rows) == len(b.rows)):
        return False
    return all(
        x.rule == y.rule and close(x.height, y.height) and _all_close(x.cells, y.cells)
        for x, y in zip(a.rows, b.rows, strict=True)
    )


def same_layout(a: dict[str, list[TableLayout]], b: dict[str, list[TableLayout]]) -> bool:
    return a.keys() == b.keys() and all(
        len(a[role]) == len(b[role]) and all(map(same_table, a[role], b[role])) for role in a
    )


__all__ = ["RowLayout", "TableLayout", "document_layout", "same_layout", "table_layout"]
