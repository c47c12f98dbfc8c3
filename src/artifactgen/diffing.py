"""Sequence alignment for merges: words in a paragraph, blocks in a document, lines in Markdown."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
PAIRING_THRESHOLD = 0.6
KIND_MARK = "\x00"  # starts the key of a block that is not a paragraph (a table)


def words(text: str) -> list[str]:
    """Words, runs of white space and single punctuation marks; joined they give `text` back."""
    return _TOKEN.findall(text)


def word_edits(old: str, new: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) character edits turning `old` into `new`, word by word.

    Changes separated only by white space are joined into one, as a person would read them.
    """
    old_tokens, new_tokens = words(old), words(new)
    old_starts, new_starts = _offsets(old_tokens), _offsets(new_tokens)
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    spans: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if spans and all(token.isspace() for token in old_tokens[spans[-1][1] : i1]):
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    return [
        (old_starts[i1], old_starts[i2], new[new_starts[j1] : new_starts[j2]])
        for i1, i2, j1, j2 in spans
    ]


def _offsets(tokens: list[str]) -> list[int]:
    starts = [0]
    for token in tokens:
        starts.append(starts[-1] + len(token))
    return starts


def _same_kind(a: str, b: str) -> bool:
    """Keys starting with KIND_MARK (tables) pair only with each other."""
    return a.startswith(KIND_MARK) == b.startswith(KIND_MARK)


def similarity(a: str, b: str) -> float:
    """How much of the shorter text is found in the longer one (1.0: fully contained)."""
    if not _same_kind(a, b):
        return 0.0
    if not a or not b:
        return 1.0 if a == b else 0.0
    matcher = SequenceMatcher(None, words(a), words(b), autojunk=False)
    shared = sum(len("".join(words(a)[m.a : m.a + m.size])) for m in matcher.get_matching_blocks())
    return shared / min(len(a), len(b))


Pair = tuple[int | None, int | None]


def align(a: Sequence[str], b: Sequence[str]) -> list[Pair]:
    """Pair equal items of `a` and `b` in order, then similar ones inside each changed region.

    Every index of both sides appears exactly once; (i, None) is an item only in `a`,
    (None, j) one only in `b`.
    """
    pairs: list[Pair] = []
    matcher = SequenceMatcher(None, list(a), list(b), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            pairs.extend(_pair_similar(a, b, range(i1, i2), range(j1, j2)))
    return pairs


def _pair_similar(a: Sequence[str], b: Sequence[str], left: range, right: range) -> list[Pair]:
    """The best order-keeping pairing of similar items (a small dynamic programme).

    One item replaced by one item is the same item, edited, whatever its new wording.
    """
    n, m = len(left), len(right)
    if n == m == 1 and _same_kind(a[left[0]], b[right[0]]):
        return [(left[0], right[0])]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = similarity(a[left[i]], b[right[j]])
            paired = score[i + 1][j + 1] + s if s >= PAIRING_THRESHOLD else -1.0
            score[i][j] = max(score[i + 1][j], score[i][j + 1], paired)
    pairs: list[Pair] = []
    i = j = 0
    while i < n and j < m:
        s = similarity(a[left[i]], b[right[j]])
        if s >= PAIRING_THRESHOLD and score[i][j] == score[i + 1][j + 1] + s:
            pairs.append((left[i], right[j]))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            pairs.append((left[i], None))
            i += 1
        else:
            pairs.append((None, right[j]))
            j += 1
    pairs.extend((left[k], None) for k in range(i, n))
    pairs.extend((None, right[k]) for k in range(j, m))
    return pairs


@dataclass(frozen=True)
class LineMerge:
    """The result of a three-way line merge: merged lines, and where each conflict starts."""

    lines: list[str]
    conflicts: list[int]
    applied: int  # changes taken from `theirs`


def merge_lines(base: list[str], ours: list[str], theirs: list[str]) -> LineMerge:
    """Three-way merge: changes only in `theirs` are applied to `ours`; where both sides
    changed the same base lines differently, `ours` is kept and counted as a conflict."""
    hunks = sorted(
        [(*hunk, 0) for hunk in _hunks(base, ours)] + [(*hunk, 1) for hunk in _hunks(base, theirs)],
        key=lambda hunk: (hunk[0], hunk[1]),
    )
    groups: list[list[Hunk]] = []
    for hunk in hunks:
        if groups and _clash(groups[-1], hunk):
            groups[-1].append(hunk)
        else:
            groups.append([hunk])
    merged: list[str] = []
    conflicts: list[int] = []
    applied = position = 0
    for group in groups:
        start, end = min(h[0] for h in group), max(h[1] for h in group)
        merged.extend(base[position:start])
        mine = _apply(base, start, end, [h for h in group if h[3] == 0])
        other = _apply(base, start, end, [h for h in group if h[3] == 1])
        sides = {h[3] for h in group}
        if sides == {1}:
            applied += 1
        elif sides == {0, 1} and mine != other:
            conflicts.append(len(merged))
        merged.extend(other if sides == {1} else mine)
        position = end
    merged.extend(base[position:])
    return LineMerge(merged, conflicts, applied)


Hunk = tuple[int, int, list[str], int]  # base start, base end, new lines, side


def _hunks(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [
        (i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]


def _clash(group: list[Hunk], hunk: Hunk) -> bool:
    """Whether `hunk` touches the same base lines as the group (insertions at one place too)."""
    start, end = min(h[0] for h in group), max(h[1] for h in group)
    first, last = hunk[0], hunk[1]
    if max(start, first) < min(end, last):
        return True
    if start == end:
        return first == last == start or first < start < last
    return first == last and start < first < end


def _apply(base: list[str], start: int, end: int, hunks: list[Hunk]) -> list[str]:
    """base[start:end] with one side's hunks applied."""
    lines: list[str] = []
    position = start
    for first, last, new, _ in sorted(hunks, key=lambda h: (h[0], h[1])):
        lines.extend(base[position:first])
        lines.extend(new)
        position = last
    lines.extend(base[position:end])
    return lines
