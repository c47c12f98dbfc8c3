"""Properties of the merge primitives: word edits rebuild the new text; line merges are sound."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from artifactgen.diffing import align, merge_lines, word_edits

TEXT = st.text(alphabet="ab .,\t\nxyzé", max_size=40)
LINES = st.lists(st.sampled_from(["a\n", "b\n", "c\n", "d\n", "e\n"]), max_size=8)


def apply(old: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, replacement in reversed(edits):
        old = old[:start] + replacement + old[end:]
    return old


@given(TEXT, TEXT)
def test_word_edits_turn_old_into_new(old, new):
    edits = word_edits(old, new)
    assert apply(old, edits) == new
    assert all(a[1] <= b[0] for a, b in pairwise(edits))


@given(LINES, LINES)
def test_a_side_that_did_not_change_takes_the_other(base, other):
    assert merge_lines(base, base, other).lines == other
    assert merge_lines(base, other, base).lines == other
    assert merge_lines(base, other, base).conflicts == []
    assert merge_lines(base, other, other).lines == other


@given(LINES, LINES)
def test_align_pairs_every_index_once_in_order(a, b):
    pairs = align(a, b)
    assert sorted(i for i, _ in pairs if i is not None) == list(range(len(a)))
    assert sorted(j for _, j in pairs if j is not None) == list(range(len(b)))
    matched = [(i, j) for i, j in pairs if i is not None and j is not None]
    assert matched == sorted(matched) and [j for _, j in matched] == sorted(j for _, j in matched)
