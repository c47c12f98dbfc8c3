"""Finds each DOCX table row in LibreOffice's PDF: whole words, one page, or a problem to report."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A word up to this many characters is never broken across lines; longer ones may wrap anywhere.
WHOLE_WORD = 20
# A body cell up to this many characters ("Sat 21 Nov 2026", "Medium") stays on one line.
SHORT_CELL = 20
# Where a line may break inside a word: after a hyphen, a dash or a slash.
_BREAKS_AFTER = ("-", "\u2010", "\u2013", "\u2014", "/")
_WORD = re.compile(r'<word xMin="[^"]*" yMin="([^"]*)" xMax="[^"]*" yMax="[^"]*">([^<]*)</word>')
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'"}


@dataclass(frozen=True)
class Row:
    header: bool  # w:tblHeader: repeats on each page, and its cells may wrap between words
    cells: list[str]


@dataclass(frozen=True)
class PdfWord:
    page: int  # from 1
    top: float
    text: str


def normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def pdf_words(pdf: Path) -> list[PdfWord]:
    """Every word of the PDF in content-stream order (LibreOffice draws cell after cell)."""
    xhtml = subprocess.run(
        ["pdftotext", "-raw", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    words = []
    for page, content in enumerate(xhtml.split("<page ")[1:], start=1):
        for top, text in _WORD.findall(content):
            for entity, character in _ENTITIES.items():
                text = text.replace(entity, character)
            words.append(PdfWord(page, float(top), normal(text)))
    return words


def docx_tables(docx: bytes) -> list[list[Row]]:
    """The rows of each body table: cell texts, paragraphs joined by spaces."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    tables = []
    for table in root.iter(f"{W}tbl"):
        rows = []
        for row in table.iterfind(f"{W}tr"):
            cells = []
            for cell in row.iterfind(f"{W}tc"):
                texts = []
                for paragraph in cell.iterfind(f"{W}p"):
                    pieces = paragraph.iter(f"{W}t", f"{W}tab", f"{W}br")
                    texts.append("".join(p.text or "" if p.tag == f"{W}t" else " " for p in pieces))
                cells.append(normal(" ".join(texts)))
            rows.append(Row(row.find(f"{W}trPr/{W}tblHeader") is not None, cells))
        tables.append(rows)
    return tables


def _match(token: str, words: list[PdfWord], start: int) -> int | None:
    """Where `token` ends if it starts at words[start]: one word, or pieces only a long word or
    a break after a hyphen or slash explains."""
    if start < len(words) and words[start].text == token:
        return start + 1
    joined, end = "", start
    while end < len(words) and len(joined) < len(token):
        piece = words[end].text
        if not token.startswith(joined + piece):
            return None
        if joined and len(token) <= WHOLE_WORD and not joined.endswith(_BREAKS_AFTER):
            return None  # a short word broken where no line may break
        joined, end = joined + piece, end + 1
    return end if joined == token else None


def _row_at(tokens: list[str], words: list[PdfWord], start: int) -> list[int]:
    """Where each of the first tokens that match in a row from words[start] ends."""
    ends, position = [], start
    for token in tokens:
        end = _match(token, words, position)
        if end is None:
            break
        ends.append(end)
        position = end
    return ends


def check_tables(tables: list[list[Row]], words: list[PdfWord]) -> list[str]:
    """A problem for each row whose words the PDF does not show whole, in order, on one page,
    and for each body cell of up to SHORT_CELL characters not on one line."""
    problems, cursor = [], 0
    for number, table in enumerate(tables, start=1):
        for row_number, row in enumerate(table, start=1):
            tokens = [token for cell in row.cells for token in cell.split()]
            where = f"table {number} row {row_number} ({' | '.join(row.cells)[:60]!r})"
            found = _find_row(tokens, words, cursor)
            if isinstance(found, str):
                problems.append(f"{where}: {found}")
                continue
            start, ends = found
            pages = sorted({word.page for word in words[start : ends[-1] if ends else start]})
            if len(pages) > 1:
                problems.append(f"{where}: split over pages {pages}")
            problems += [f"{where}: {problem}" for problem in _short_cells(row, words, start, ends)]
            cursor = ends[-1] if ends else cursor
    return problems


def _short_cells(row: Row, words: list[PdfWord], start: int, ends: list[int]) -> list[str]:
    """A problem for each body cell of up to SHORT_CELL characters that takes two lines."""
    problems, first = [], 0
    for cell in row.cells:
        count = len(cell.split())
        if count and not row.header and len(cell) <= SHORT_CELL:
            begin = ends[first - 1] if first else start
            tops = {round(word.top, 1) for word in words[begin : ends[first + count - 1]]}
            if len(tops) > 1:
                problems.append(f"{cell!r} takes {len(tops)} lines")
        first += count
    return problems


def _find_row(tokens: list[str], words: list[PdfWord], cursor: int) -> tuple[int, list[int]] | str:
    """Where the first whole match of `tokens` from `cursor` starts, and where each token
    ends; or what went wrong."""
    if not tokens:
        return cursor, []
    best: tuple[int, list[int]] = (cursor, [])
    for start in range(cursor, len(words)):
        ends = _row_at(tokens, words, start)
        if len(ends) == len(tokens):
            return start, ends
        if len(ends) > len(best[1]):
            best = (start, ends)
    start, ends = best
    if not ends:
        return f"{tokens[0]!r} is not in the PDF after what came before"
    token, page, end = tokens[len(ends)], words[start].page, ends[-1]
    shown = " ".join(f"{w.text}(p{w.page})" for w in words[end : end + 4])
    if end < len(words) and len(token) <= WHOLE_WORD and token.startswith(words[end].text):
        return f"{token!r} is broken: the PDF shows {shown}"
    later = (w.page for at, w in enumerate(words[end:], end) if _match(token, words, at))
    if next((p for p in later if p > page), None) is not None:
        return f"split over pages: {token!r} and what follows it are after page {page}"
    return f"after {len(ends)} words, expected {token!r} but the PDF shows {shown}"
