"""Table column widths from their text: no word or short value broken, prose takes the rest.

Each column gets, as far as the page allows and in this order:

1. room for its widest word of up to WHOLE_WORD characters, so that "Likelihood" or "Medium"
   never breaks (a line may still break after a hyphen);
2. room for each body cell of up to SHORT_CELL characters on one line ("Sat 21 Nov 2026",
   "Marcus Lee"; a header may wrap between its words);
3. room for a longer unbreakable string (a URL), up to a third of the line;
4. up to its longest text (at most two thirds of the line), prose columns growing to one
   common width as far as the line allows.

Text is measured in DejaVu Sans (glyph_widths), wider than the house font, at the largest size
the reference gives table text. Strings longer than WHOLE_WORD (URLs) wrap inside their cell,
which a fixed table layout keeps from widening its column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from artifactgen.glyph_widths import advance

WHOLE_WORD = 20
SHORT_CELL = 20
EMU_PER_POINT = 12700
SLACK = 2.0  # points a column keeps beyond its text and padding: borders, rounding
_HYPHENS = frozenset("-\u2010\u2013\u2014")

Piece = tuple[str, str]  # text and its face: "regular", "bold" or "mono"


@dataclass(frozen=True, slots=True)
class TableText:
    """How table text is set: font size and a cell's left plus right margin, in points."""

    size: float = 11.0
    padding: float = 10.8


def column_widths(
    rows: list[list[list[Piece]]], heads: int, usable: int, text: TableText
) -> list[int]:
    """Each column's width in EMU; together they fill `usable` EMU. The first `heads` rows are
    the header, whose cells may wrap between words."""
    columns = max((len(row) for row in rows), default=0)
    if not columns:
        return []
    line = usable / EMU_PER_POINT
    needs = []
    for index in range(columns):
        cells = [row[index] if index < len(row) else [] for row in rows]
        needs.append(_needs(cells[:heads], cells[heads:], line, text))
    shares = _share(line, [list(level) for level in zip(*needs, strict=True)])
    widths = [int(share * EMU_PER_POINT) for share in shares]
    widths[-1] += usable - sum(widths)  # what rounding left over
    return widths


def _needs(
    head: list[list[Piece]], body: list[list[Piece]], line: float, text: TableText
) -> tuple[float, ...]:
    """A column's width, in points, at each level of need in turn (each at least the last)."""
    cells = [_measured(cell) for cell in head + body]
    heads = len(head)
    words = [word for cell in cells for word in cell.words]
    room = text.padding + SLACK

    def points(advance_: int) -> float:
        return advance_ * text.size / 1000

    whole = max((points(width) for width, size in words if size <= WHOLE_WORD), default=0)
    short = [points(cell.width) for cell in cells[heads:] if cell.size <= SHORT_CELL]
    long = [min(points(width), line / 3) for width, size in words if size > WHOLE_WORD]
    longest = max((points(cell.width) for cell in cells), default=0)
    levels = [whole, max([whole, *short]), max([whole, *short, *long])]
    levels.append(max(levels[-1], min(longest, line * 2 / 3 - room)))
    return tuple(level + room for level in levels)


@dataclass(slots=True)
class _Measured:
    """A cell without the spaces at either end: its advance (thousandths of an em) and its
    characters; and, as [advance, characters], each piece a line may not break inside: the
    cell split at spaces and after hyphens."""

    width: int = 0
    size: int = 0
    words: list[list[int]] = field(default_factory=list)


_SPACES = str.maketrans("\t\n\r", "   ")  # a line break or tab in a cell is set as a space
_SPACE_RUNS = re.compile(r"(\s+)")


def _measured(pieces: list[Piece]) -> _Measured:
    """The cell measured, remembered (never changed once made): tables of a batch of cases
    hold the same headers and values again and again."""
    key = tuple(pieces)
    found = _CELLS.get(key)
    if found is None:
        if len(_CELLS) >= _REMEMBERED:
            _CELLS.clear()
        found = _CELLS[key] = _measure(pieces)
    return found


_CELLS: dict[tuple[Piece, ...], _Measured] = {}


def _measure(pieces: list[Piece]) -> _Measured:
    cell = _Measured()
    spaces = [0, 0]  # since the last character; counted only once more text follows
    in_word = False  # the last word goes on with the next character
    for text, face in pieces:
        # Text and runs of spaces alternate, text first: each measured whole, and remembered.
        for index, run in enumerate(_SPACE_RUNS.split(text.translate(_SPACES))):
            if index % 2:
                if cell.size:
                    spaces[0] += _width(run, face)
                    spaces[1] += len(run)
                in_word = False
            elif run:
                cell.width += spaces[0] + _width(run, face)
                cell.size += spaces[1] + len(run)
                spaces = [0, 0]
                in_word = _add_words(cell.words, run, face, in_word)
    return cell


def _add_words(words: list[list[int]], run: str, face: str, in_word: bool) -> bool:
    """Add the text `run` (no spaces) to `words`, going on with the last word when `in_word`;
    whether the last word goes on."""
    if not _HYPHENS.intersection(run):
        if in_word:
            words[-1][0] += _width(run, face)
            words[-1][1] += len(run)
        else:
            words.append([_width(run, face), len(run)])
        return True
    for character in run:
        if not in_word:
            words.append([0, 0])
        words[-1][0] += _width(character, face)
        words[-1][1] += 1
        in_word = not (character in _HYPHENS and words[-1][1] > 1)
    return in_word


_WIDTHS: dict[Piece, int] = {}
_REMEMBERED = 50_000  # texts; then the memory starts again


def _width(text: str, face: str) -> int:
    """The advance of `text`, remembered: tables measure the same words again and again."""
    found = _WIDTHS.get((text, face))
    if found is None:
        if len(_WIDTHS) >= _REMEMBERED:
            _WIDTHS.clear()
        found = _WIDTHS[(text, face)] = sum(advance(character, face) for character in text)
    return found


def _share(line: float, levels: list[list[float]]) -> list[float]:
    """Meet each level of need in turn; between the last met and the first not, raise columns
    to one common width as far as the line allows. When even the first level cannot be met,
    scale it down; when all are, scale the last up."""
    met = levels[0]
    if sum(met) >= line:
        return [width * line / sum(met) for width in met] if sum(met) else met
    for level in levels[1:]:
        if sum(level) > line:
            return _raise(met, level, line)
        met = level
    return [width * line / sum(met) for width in met]


def _raise(low: list[float], high: list[float], line: float) -> list[float]:
    """Each column at `common`, kept within its low and high, for the common width that fills
    the line (found by halving: the same floats on every machine)."""
    below, above = 0.0, max(high)
    pairs = list(zip(low, high, strict=True))
    for _ in range(60):
        common = (below + above) / 2
        total = sum([max(a, min(b, common)) for a, b in pairs])
        below, above = (common, above) if total <= line else (below, common)
    return [max(a, min(b, below)) for a, b in zip(low, high, strict=True)]
