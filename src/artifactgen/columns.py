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

from collections.abc import Iterator
from dataclasses import dataclass

from artifactgen.glyph_widths import advance

WHOLE_WORD = 20
SHORT_CELL = 20
EMU_PER_POINT = 12700
SLACK = 2.0  # points a column keeps beyond its text and padding: borders, rounding
_HYPHENS = ("-", "\u2010", "\u2013", "\u2014")

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
        cells = [_characters(row[index]) if index < len(row) else [] for row in rows]
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
    words = [word for cell in cells for word in _words(cell)]
    room = text.padding + SLACK

    def points(advances: list[int]) -> float:
        return sum(advances) * text.size / 1000

    whole = max((points(word) for word in words if len(word) <= WHOLE_WORD), default=0)
    short = [points(cell[0]) for cell in cells[heads:] if len(cell[0]) <= SHORT_CELL]
    long = [min(points(word), line / 3) for word in words if len(word) > WHOLE_WORD]
    longest = max((points(cell[0]) for cell in cells), default=0)
    levels = [whole, max([whole, *short]), max([whole, *short, *long])]
    levels.append(max(levels[-1], min(longest, line * 2 / 3 - room)))
    return tuple(level + room for level in levels)


# A cell measured: each character's advance, whether it is a space, and whether a hyphen.
_Measured = tuple[list[int], list[bool], list[bool]]


def _characters(pieces: list[Piece]) -> list[Piece]:
    """The cell as single characters with their faces, line breaks and tabs as spaces, and no
    space at either end."""
    characters = [
        (" " if character in "\t\n\r" else character, face)
        for text, face in pieces
        for character in text
    ]
    start, end = 0, len(characters)
    while start < end and characters[start][0].isspace():
        start += 1
    while end > start and characters[end - 1][0].isspace():
        end -= 1
    return characters[start:end]


def _measured(cell: list[Piece]) -> _Measured:
    """Each character's advance (in thousandths of an em), and where a line may break."""
    advances = [_advance(character, face) for character, face in cell]
    return (
        advances,
        [character.isspace() for character, _ in cell],
        [character in _HYPHENS for character, _ in cell],
    )


def _words(cell: _Measured) -> Iterator[list[int]]:
    """The advances of each piece a line may not break inside: split at spaces and after
    hyphens."""
    advances, spaces, hyphens = cell
    word: list[int] = []
    for advance_, space, hyphen in zip(advances, spaces, hyphens, strict=True):
        if space:
            if word:
                yield word
            word = []
            continue
        word.append(advance_)
        if hyphen and len(word) > 1:
            yield word
            word = []
    if word:
        yield word


_ADVANCES: dict[Piece, int] = {}


def _advance(character: str, face: str) -> int:
    """`advance`, remembered: a table measures the same few dozen characters again and again."""
    found = _ADVANCES.get((character, face))
    if found is None:
        found = _ADVANCES[(character, face)] = advance(character, face)
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
    for _ in range(60):
        common = (below + above) / 2
        total = sum(max(a, min(b, common)) for a, b in zip(low, high, strict=True))
        below, above = (common, above) if total <= line else (below, common)
    return [max(a, min(b, below)) for a, b in zip(low, high, strict=True)]
