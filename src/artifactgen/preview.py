"""What a rebuild would change in a deliverable, block by block, word by word."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from artifactgen.diffing import align, word_edits
from artifactgen.package import Package
from artifactgen.wordml import Para, read_blocks


class ChangeKind(enum.Enum):
    ADDED = "+"
    REMOVED = "-"
    CHANGED = "~"


@dataclass(frozen=True)
class Change:
    """One block that differs; for CHANGED, `edits` are (start, end, replacement) in `old`."""

    kind: ChangeKind
    old: str
    new: str
    edits: tuple[tuple[int, int, str], ...] = ()


def docx_outline(files: dict[str, bytes]) -> list[str]:
    """A document as lines a person reads: each paragraph, and each table row as 'a | b'."""
    package = Package(dict(files))
    lines: list[str] = []
    for block in read_blocks(package.xml(package.main)):
        if isinstance(block, Para):
            lines.append(block.text)
        else:
            lines.extend(" | ".join(cell.text for cell in row.cells) for row in block.rows)
    return lines


def markdown_outline(data: bytes) -> list[str]:
    return data.decode("utf-8", "replace").splitlines()


def changes(old: list[str], new: list[str]) -> list[Change]:
    """The blocks that differ between two outlines, in order."""
    found: list[Change] = []
    for i, j in align(old, new):
        if i is None and j is not None:
            if new[j].strip():
                found.append(Change(ChangeKind.ADDED, "", new[j]))
        elif j is None and i is not None:
            if old[i].strip():
                found.append(Change(ChangeKind.REMOVED, old[i], ""))
        elif i is not None and j is not None and old[i] != new[j]:
            edits = tuple(word_edits(old[i], new[j]))
            found.append(Change(ChangeKind.CHANGED, old[i], new[j], edits))
    return found


def marked_up(change: Change, removed: tuple[str, str], added: tuple[str, str]) -> str:
    """The change as one line: removed words and added words wrapped in the given marks."""
    if change.kind is ChangeKind.ADDED:
        return f"{added[0]}{change.new}{added[1]}"
    if change.kind is ChangeKind.REMOVED:
        return f"{removed[0]}{change.old}{removed[1]}"
    pieces, position = [], 0
    for start, end, replacement in change.edits:
        pieces.append(change.old[position:start])
        if end > start:
            pieces.append(f"{removed[0]}{change.old[start:end]}{removed[1]}")
        if replacement:
            pieces.append(f"{added[0]}{replacement}{added[1]}")
        position = end
    pieces.append(change.old[position:])
    return "".join(pieces)
