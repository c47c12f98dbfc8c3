"""Three-way merge of a fresh render into a coach's edited DOCX, as tracked changes and comments."""

from __future__ import annotations

import copy
import datetime as dt
import enum
from dataclasses import dataclass, field

from lxml import etree

from artifactgen.diffing import KIND_MARK, align
from artifactgen.docx_blocks import BlockCanon
from artifactgen.package import Comments, Numbering, Package, copy_relationships
from artifactgen.revisions import AUTHOR, Reviser, max_id, to_visible_text
from artifactgen.wordml import (
    OBJECTS,
    Block,
    Cell,
    Para,
    Row,
    Table,
    body_of,
    heading_before,
    local,
    paragraph_text,
    read_blocks,
    read_table,
    w,
)


class MergeError(Exception):
    """The merge could not be carried out safely; the coach's file must stay as it is."""


class ConflictKind(enum.Enum):
    CHANGED = "changed"  # both the coach and the case changed it
    REMOVED = "removed"  # the coach changed it, the case removed it
    DELETED = "deleted"  # the coach deleted it, the case changed it


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    heading: str


@dataclass
class BodyMerge:
    """What a merge found in the body of the coach's document."""

    conflicts: list[Conflict] = field(default_factory=list)


def block_key(block: Block) -> str:
    return f"{KIND_MARK}{block.key}" if isinstance(block, Table) else block.key


def merge_body(base: Package, coach: Package, fresh: Package, when: dt.datetime) -> BodyMerge:
    """Carry what changed from base to fresh into the coach's document body, in place."""
    merger = _BodyMerger(base, coach, fresh, when)
    merger.run()
    return merger.result


def own_revision(element: etree._Element) -> bool:
    return local(element) in ("ins", "del") and element.get(w("author")) == AUTHOR


def foreign_revisions(element: etree._Element) -> bool:
    """Whether someone other than artifactgen has tracked changes in the element."""
    return any(
        local(node) in ("ins", "del", "moveFrom", "moveTo") and not own_revision(node)
        for node in element.iter()
    )


def revert_own(element: etree._Element) -> bool:
    """Reject artifactgen's unreviewed revisions in the element; False if the element was
    itself artifactgen's insertion and is now gone."""
    for mark in list(element.iter(w("ins"), w("del"))):
        if not own_revision(mark):
            continue
        holder = mark.getparent()
        if local(holder) in ("rPr", "trPr"):  # a tracked paragraph mark or table row
            owner = (
                holder.getparent() if local(holder) == "trPr" else holder.getparent().getparent()
            )
            holder.remove(mark)
            if local(mark) == "ins":
                owner.getparent().remove(owner)
                if owner is element:
                    return False
        elif local(mark) == "ins":
            holder.remove(mark)
        else:
            for run in list(mark):
                to_visible_text(run)
                mark.addprevious(run)
            holder.remove(mark)
    return True


class _BodyMerger:
    def __init__(self, base: Package, coach: Package, fresh: Package, when: dt.datetime) -> None:
        self.coach, self.fresh = coach, fresh
        self.reviser = Reviser(max_id(coach.xml_parts()) + 1, when)
        self.comments = Comments(coach, self.reviser)
        self.numbering = Numbering(coach, fresh)
        self.result = BodyMerge()
        self.base_signature = BlockCanon(base.files).of
        self.coach_signature = BlockCanon(coach.files, accepted=(AUTHOR,)).of
        self.base_blocks = read_blocks(base.xml(base.main))
        self.coach_blocks = read_blocks(coach.xml(coach.main))
        self.fresh_blocks = read_blocks(fresh.xml(fresh.main))
        self.inserted_after: dict[int, etree._Element] = {}

    def run(self) -> None:
        base, coach, fresh = self.base_blocks, self.coach_blocks, self.fresh_blocks
        to_coach = _mapping(align([block_key(b) for b in base], [block_key(c) for c in coach]))
        to_fresh = _mapping(align([block_key(b) for b in base], [block_key(f) for f in fresh]))
        for i, j in to_fresh.items():
            if i in to_coach and isinstance(fresh[j], Para):
                self.numbering.learn(fresh[j].element, coach[to_coach[i]].element)
        from_fresh = {j: i for i, j in to_fresh.items()}
        self.to_coach = to_coach
        for i, block in enumerate(base):
            self._merge_block(i, block, to_coach.get(i), to_fresh.get(i))
        for j, block in enumerate(fresh):
            if j not in from_fresh:
                anchor = self._anchor(j, from_fresh, to_coach)
                self._insert_block(block, anchor)

    def _merge_block(self, i: int, base: Block, c: int | None, f: int | None) -> None:
        coach = self.coach_blocks[c] if c is not None else None
        fresh = self.fresh_blocks[f] if f is not None else None
        if isinstance(base, Table) and isinstance(coach, Table) and isinstance(fresh, Table):
            self._merge_table(base, coach, fresh)
            return
        fresh_same = fresh is not None and block_key(fresh) == block_key(base)
        if fresh_same:
            return
        if coach is None:
            if fresh is not None:
                heading = heading_before(base.element, self.base_blocks)
                self._conflict(self._neighbour(i), ConflictKind.DELETED, fresh.text, heading)
            return
        if not self._unchanged(base, coach):
            kind = ConflictKind.CHANGED if fresh is not None else ConflictKind.REMOVED
            self._conflict(coach, kind, fresh.text if fresh is not None else "")
            return
        if fresh is None:
            self._delete_block(coach)
        elif isinstance(coach, Para) and isinstance(fresh, Para):
            self._replace_paragraph(coach.element, fresh.element)
        else:
            self._delete_block(coach)
            self._insert_block(fresh, coach.element)

    def _unchanged(self, base: Block | Row | Cell, coach: Block | Row | Cell) -> bool:
        """The coach's block still shows exactly what artifactgen wrote (its own pending
        changes accepted): same text, formatting, comments, objects, tracked changes."""
        if type(base) is not type(coach) or base.key != coach.key:
            return False
        same = self.base_signature(base.element) == self.coach_signature(coach.element)
        return same and not _touched(coach.element)

    def _neighbour(self, i: int) -> Block | None:
        """The coach's block nearest to where base block `i` was (the next one, else before)."""
        for k in [*range(i + 1, len(self.base_blocks)), *range(i - 1, -1, -1)]:
            if k in self.to_coach:
                return self.coach_blocks[self.to_coach[k]]
        return None

    def _replace_paragraph(self, paragraph: etree._Element, fresh: etree._Element) -> None:
        new_text = paragraph_text(fresh)
        anchor = paragraph.getprevious()
        parent = paragraph.getparent()
        if not revert_own(paragraph):  # it was artifactgen's own pending insertion
            copied = self._copy(fresh)
            if anchor is not None:
                anchor.addnext(copied)
            else:
                parent.insert(0, copied)
            self.reviser.insert_paragraph(copied)
            return
        if paragraph_text(paragraph) == new_text:
            return
        self.reviser.replace_text(paragraph, new_text, fresh)
        if paragraph_text(paragraph) != new_text:
            raise MergeError(f"a tracked replacement did not give the new text: {new_text!r}")

    def _merge_table(self, base: Table, coach: Table, fresh: Table) -> None:
        to_coach = _mapping(align([r.key for r in base.rows], [r.key for r in coach.rows]))
        to_fresh = _mapping(align([r.key for r in base.rows], [r.key for r in fresh.rows]))
        for i, row in enumerate(base.rows):
            c, f = to_coach.get(i), to_fresh.get(i)
            coach_row = coach.rows[c] if c is not None else None
            fresh_row = fresh.rows[f] if f is not None else None
            self._merge_row(coach, row, coach_row, fresh_row)
        from_fresh = {j: i for i, j in to_fresh.items()}
        for j, row in enumerate(fresh.rows):
            if j in from_fresh:
                continue
            anchor = next(
                (
                    coach.rows[to_coach[from_fresh[k]]].element
                    for k in range(j - 1, -1, -1)
                    if k in from_fresh and from_fresh[k] in to_coach
                ),
                None,
            )
            self._insert_row(row.element, coach.element, anchor)

    def _merge_row(self, table: Table, base: Row, coach: Row | None, fresh: Row | None) -> None:
        if fresh is not None and fresh.key == base.key:
            return
        if coach is None:
            if fresh is not None:
                self._conflict(table, ConflictKind.DELETED, fresh.key.replace("\t", " | "))
            return
        if fresh is None:
            if self._unchanged(base, coach):
                if revert_own(coach.element):
                    self.reviser.delete_row(coach.element)
            else:
                self._conflict_cells(coach.cells, ConflictKind.REMOVED, "")
            return
        for index, base_cell in enumerate(base.cells):
            if index >= len(coach.cells) or index >= len(fresh.cells):
                continue
            self._merge_cell(base_cell, coach.cells[index], fresh.cells[index])

    def _merge_cell(self, base: Cell, coach: Cell, fresh: Cell) -> None:
        if fresh.text == base.text:
            return
        simple = len(coach.paragraphs) == 1 and len(fresh.paragraphs) == 1
        if simple and self._unchanged(base, coach):
            self._replace_paragraph(coach.paragraphs[0], fresh.paragraphs[0])
        else:
            self._conflict_cells([coach], ConflictKind.CHANGED, fresh.text)

    def _insert_row(
        self, row: etree._Element, table: etree._Element, anchor: etree._Element | None
    ) -> None:
        copied = self._copy(row)
        key = id(anchor) if anchor is not None else id(table)
        previous = self.inserted_after.get(key, anchor)
        if previous is not None:
            previous.addnext(copied)
        else:
            grid = table.find(w("tblGrid"))
            (grid if grid is not None else table.find(w("tblPr"))).addnext(copied)
        self.inserted_after[key] = copied
        self.reviser.insert_row(copied)

    def _delete_block(self, block: Block) -> None:
        if not revert_own(block.element):
            return
        if isinstance(block, Para):
            self.reviser.delete_paragraph(block.element)
        else:
            for row in read_table(block.element).rows:
                self.reviser.delete_row(row.element)

    def _anchor(
        self, j: int, from_fresh: dict[int, int], to_coach: dict[int, int]
    ) -> etree._Element | None:
        """The coach's block after which fresh block `j` belongs: after its predecessor and
        after any paragraphs the coach added below that, which stay with what they follow."""
        matched = set(to_coach.values())
        for k in range(j - 1, -1, -1):
            if k in from_fresh and from_fresh[k] in to_coach:
                c = to_coach[from_fresh[k]]
                while c + 1 < len(self.coach_blocks) and c + 1 not in matched:
                    c += 1
                return self.coach_blocks[c].element
        return None

    def _insert_block(self, block: Block, anchor: etree._Element | None) -> None:
        copied = self._copy(block.element)
        key = id(anchor)
        previous = self.inserted_after.get(key, anchor)
        if previous is not None:
            previous.addnext(copied)
        else:
            body = body_of(self.coach.xml(self.coach.main))
            body.insert(0, copied)
        self.inserted_after[key] = copied
        if isinstance(block, Para):
            self.reviser.insert_paragraph(copied)
        else:
            for row in read_table(copied).rows:
                self.reviser.insert_row(row.element)

    def _copy(self, element: etree._Element) -> etree._Element:
        copied = copy.deepcopy(element)
        copy_relationships(copied, self.fresh, self.coach)
        self.numbering.adopt(copied)
        return copied

    def _conflict(
        self, block: Block | None, kind: ConflictKind, new_text: str, heading: str | None = None
    ) -> None:
        paragraphs = self._paragraphs_for_comment(block)
        if paragraphs:
            self.comments.comment_on(paragraphs, _comment_text(kind, new_text))
        if heading is None:
            heading = heading_before(block.element, self.coach_blocks) if block else ""
        self.result.conflicts.append(Conflict(kind, heading))

    def _conflict_cells(self, cells: list[Cell], kind: ConflictKind, new_text: str) -> None:
        paragraphs = [p for cell in cells for p in cell.paragraphs]
        if paragraphs:
            self.comments.comment_on(paragraphs[:1], _comment_text(kind, new_text))
        table = cells[0].element.getparent().getparent() if cells else None
        heading = heading_before(table, self.coach_blocks) if table is not None else ""
        self.result.conflicts.append(Conflict(kind, heading))

    def _paragraphs_for_comment(self, block: Block | None) -> list[etree._Element]:
        if block is None:
            paragraphs = [b for b in self.coach_blocks if isinstance(b, Para)]
            return [paragraphs[0].element] if paragraphs else []
        if isinstance(block, Para):
            return [block.element]
        first = next(block.element.iter(w("p")), None)
        return [first] if first is not None else []


def _comment_text(kind: ConflictKind, new_text: str) -> str:
    if kind is ConflictKind.REMOVED:
        return (
            "The case no longer has this text. You had edited it, so it is kept; "
            "delete it if it should go."
        )
    if kind is ConflictKind.DELETED:
        return f"The case changed text that you had deleted here. The case now says:\n{new_text}"
    return f"The case changed this text after you edited it. The case now says:\n{new_text}"


def _touched(element: etree._Element) -> bool:
    """Pictures, objects or someone else's tracked changes: the coach made this block theirs."""
    has_object = any(local(node) in OBJECTS for node in element.iter())
    return has_object or foreign_revisions(element)


def _mapping(pairs: list[tuple[int | None, int | None]]) -> dict[int, int]:
    return {i: j for i, j in pairs if i is not None and j is not None}
