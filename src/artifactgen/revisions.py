"""Tracked changes and comments by artifactgen, written into WordprocessingML elements."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from artifactgen.diffing import word_edits
from artifactgen.wordml import (
    XML_SPACE,
    local,
    run_text,
    visible_runs,
    w,
)

AUTHOR = "artifactgen"
INITIALS = "AG"
# pPr children that must come after the paragraph mark's rPr.
_AFTER_MARK = {"sectPr", "pPrChange"}


def max_id(parts: Iterable[etree._Element]) -> int:
    """The largest decimal w:id in any of the parts (revisions, comments, bookmarks)."""
    largest = 0
    for root in parts:
        for element in root.iter():
            value = element.get(w("id")) if isinstance(element.tag, str) else None
            if value and value.isdigit():
                largest = max(largest, int(value))
    return largest


@dataclass
class Reviser:
    """Makes revision elements with one id counter, one author and one date."""

    next_id: int
    date: dt.datetime

    @property
    def stamp(self) -> str:
        return self.date.strftime("%Y-%m-%dT%H:%M:%SZ")

    def take_id(self) -> str:
        self.next_id += 1
        return str(self.next_id - 1)

    def mark(self, kind: str) -> etree._Element:
        element = etree.Element(w(kind))
        element.set(w("id"), self.take_id())
        element.set(w("author"), AUTHOR)
        element.set(w("date"), self.stamp)
        return element

    def replace_text(self, paragraph: etree._Element, new_text: str, fresh: etree._Element) -> int:
        """Turn the paragraph's visible text into `new_text` word by word, as tracked changes.

        Inserted words take the formatting of the fresh render's run at that place.
        Returns the number of changed places.
        """
        old_text = "".join(run_text(run) for run in visible_runs(paragraph))
        edits = word_edits(old_text, new_text)
        formatting = _formatting_by_offset(fresh)
        shifts = _shifts(edits)
        for (start, end, replacement), shift in reversed(list(zip(edits, shifts, strict=True))):
            deleted = self._delete_range(paragraph, start, end) if end > start else None
            if replacement:
                rpr = formatting(start + shift)
                self._insert_text(paragraph, start, replacement, rpr, after=deleted)
        return len(edits)

    def _delete_range(self, paragraph: etree._Element, start: int, end: int) -> etree._Element:
        split_runs_at(paragraph, start)
        split_runs_at(paragraph, end)
        last = None
        for group in _groups(_runs_between(paragraph, start, end)):
            deletion = self.mark("del")
            group[0].addprevious(deletion)
            for run in group:
                deletion.append(run)
                to_deleted_text(run)
            last = deletion
        assert last is not None
        return last

    def _insert_text(
        self,
        paragraph: etree._Element,
        offset: int,
        text: str,
        rpr: etree._Element | None,
        after: etree._Element | None,
    ) -> None:
        insertion = self.mark("ins")
        insertion.append(make_run(text, rpr))
        if after is not None:
            after.addnext(insertion)
            return
        split_runs_at(paragraph, offset)
        before, following = _neighbours(paragraph, offset)
        if before is not None:
            _outermost_inline(before).addnext(insertion)
        elif following is not None:
            _outermost_inline(following).addprevious(insertion)
        else:
            paragraph.append(insertion)

    def insert_paragraph(self, paragraph: etree._Element) -> etree._Element:
        """Mark a new paragraph (already placed) as a tracked insertion, runs and mark."""
        self._wrap_all(paragraph, "ins")
        set_paragraph_mark(paragraph, self.mark("ins"))
        return paragraph

    def delete_paragraph(self, paragraph: etree._Element, *, mark: bool = True) -> None:
        """A tracked deletion of everything in the paragraph (and its mark, unless in a cell)."""
        self._wrap_all(paragraph, "del")
        if mark:
            set_paragraph_mark(paragraph, self.mark("del"))

    def insert_row(self, row: etree._Element) -> None:
        set_row_mark(row, self.mark("ins"))
        for paragraph in row.iter(w("p")):
            self.insert_paragraph(paragraph)

    def delete_row(self, row: etree._Element) -> None:
        set_row_mark(row, self.mark("del"))
        for paragraph in row.iter(w("p")):
            self.delete_paragraph(paragraph, mark=False)

    def _wrap_all(self, paragraph: etree._Element, kind: str) -> None:
        runs = [run for run in visible_runs(paragraph) if run_text(run) or kind == "ins"]
        for group in _groups(runs):
            wrapper = self.mark(kind)
            group[0].addprevious(wrapper)
            for run in group:
                wrapper.append(run)
                if kind == "del":
                    to_deleted_text(run)


def _shifts(edits: list[tuple[int, int, str]]) -> list[int]:
    """For each edit, how far its start has moved in the new text by the edits before it."""
    shifts, shift = [], 0
    for start, end, replacement in edits:
        shifts.append(shift)
        shift += len(replacement) - (end - start)
    return shifts


def _formatting_by_offset(paragraph: etree._Element):
    """A function: character offset in the paragraph's text -> a copy of that run's rPr."""
    spans = []
    position = 0
    for run in visible_runs(paragraph):
        length = len(run_text(run))
        spans.append((position, position + length, run.find(w("rPr"))))
        position += length

    def at(offset: int) -> etree._Element | None:
        for start, end, rpr in spans:
            if start <= offset < end:
                return copy.deepcopy(rpr) if rpr is not None else None
        return copy.deepcopy(spans[-1][2]) if spans and spans[-1][2] is not None else None

    return at


def make_run(text: str, rpr: etree._Element | None) -> etree._Element:
    """A run showing `text`, with tabs and line breaks as their own elements."""
    run = etree.Element(w("r"))
    if rpr is not None:
        run.append(rpr)
    for piece in re.split(r"(\t|\n)", text):
        if piece == "\t":
            etree.SubElement(run, w("tab"))
        elif piece == "\n":
            etree.SubElement(run, w("br"))
        elif piece:
            element = etree.SubElement(run, w("t"))
            element.text = piece
            element.set(XML_SPACE, "preserve")
    return run


def to_deleted_text(run: etree._Element) -> None:
    for child in run:
        if local(child) == "t":
            child.tag = w("delText")
        elif local(child) == "instrText":
            child.tag = w("delInstrText")


def to_visible_text(run: etree._Element) -> None:
    for child in run:
        if local(child) == "delText":
            child.tag = w("t")
        elif local(child) == "delInstrText":
            child.tag = w("instrText")


def set_paragraph_mark(paragraph: etree._Element, revision: etree._Element) -> None:
    properties = paragraph.find(w("pPr"))
    if properties is None:
        properties = etree.Element(w("pPr"))
        paragraph.insert(0, properties)
    mark = properties.find(w("rPr"))
    if mark is None:
        mark = etree.Element(w("rPr"))
        later = [child for child in properties if local(child) in _AFTER_MARK]
        if later:
            later[0].addprevious(mark)
        else:
            properties.append(mark)
    for old in [child for child in mark if local(child) in ("ins", "del")]:
        mark.remove(old)
    mark.insert(0, revision)


def set_row_mark(row: etree._Element, revision: etree._Element) -> None:
    properties = row.find(w("trPr"))
    if properties is None:
        properties = etree.Element(w("trPr"))
        exceptions = row.find(w("tblPrEx"))
        if exceptions is not None:
            exceptions.addnext(properties)
        else:
            row.insert(0, properties)
    change = properties.find(w("trPrChange"))
    if change is not None:
        change.addprevious(revision)
    else:
        properties.append(revision)


def split_runs_at(paragraph: etree._Element, offset: int) -> None:
    """Make `offset` (in the visible text) fall on a run boundary, splitting one run if needed."""
    position = 0
    for run in visible_runs(paragraph):
        length = len(run_text(run))
        if position < offset < position + length:
            _split_run(run, offset - position)
            return
        position += length


def _split_run(run: etree._Element, at: int) -> None:
    tail = etree.Element(w("r"))
    for name, value in run.attrib.items():
        tail.set(name, value)
    rpr = run.find(w("rPr"))
    if rpr is not None:
        tail.append(copy.deepcopy(rpr))
    position = 0
    moving = False
    for child in list(run):
        if local(child) == "rPr":
            continue
        if moving:
            tail.append(child)
            continue
        length = len(run_text(_single(child)))
        if position + length <= at:
            position += length
            moving = position == at
            continue
        keep = at - position
        second = copy.deepcopy(child)
        child.text, second.text = (child.text or "")[:keep], (child.text or "")[keep:]
        for element in (child, second):
            element.set(XML_SPACE, "preserve")
        tail.append(second)
        moving = True
    run.addnext(tail)


def _single(child: etree._Element) -> etree._Element:
    holder = etree.Element(w("r"))
    holder.append(copy.deepcopy(child))
    return holder


def _runs_between(paragraph: etree._Element, start: int, end: int) -> list[etree._Element]:
    found, position = [], 0
    for run in visible_runs(paragraph):
        length = len(run_text(run))
        if length and start <= position and position + length <= end:
            found.append(run)
        position += length
    return found


def _neighbours(paragraph: etree._Element, offset: int):
    """The visible run ending at `offset` and the one starting there (either may be None)."""
    before = following = None
    position = 0
    for run in visible_runs(paragraph):
        length = len(run_text(run))
        if length and position + length == offset:
            before = run
        if length and position == offset and following is None:
            following = run
        position += length
    return before, following


def _outermost_inline(run: etree._Element) -> etree._Element:
    """The run, or the tracked-change wrapper it sits in (revisions cannot nest)."""
    element = run
    while local(element.getparent()) in ("ins", "smartTag", "customXml"):
        element = element.getparent()
    return element


def _groups(runs: list[etree._Element]) -> list[list[etree._Element]]:
    """Consecutive siblings grouped, so one wrapper can hold each group."""
    groups: list[list[etree._Element]] = []
    for run in runs:
        if groups and groups[-1][-1].getnext() is run:
            groups[-1].append(run)
        else:
            groups.append([run])
    return groups
