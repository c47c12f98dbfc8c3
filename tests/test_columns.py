"""Cells are measured word by word exactly as character by character: same widths, same words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from artifactgen import columns
from artifactgen.glyph_widths import advance

HYPHENS = "-\u2010\u2013\u2014"


def measured_by_character(pieces: list[tuple[str, str]]) -> tuple[int, int, list[list[int]]]:
    """The rules spelled out one character at a time: tabs and line breaks are spaces, spaces
    at either end do not count, a word ends at a space and after a hyphen that is not its
    first character."""
    characters = [
        (" " if character in "\t\n\r" else character, face)
        for text, face in pieces
        for character in text
    ]
    while characters and characters[0][0].isspace():
        characters.pop(0)
    while characters and characters[-1][0].isspace():
        characters.pop()
    words: list[list[int]] = []
    word: list[int] | None = None
    for character, face in characters:
        if character.isspace():
            word = None
            continue
        if word is None:
            word = [0, 0]
            words.append(word)
        word[0] += advance(character, face)
        word[1] += 1
        if character in HYPHENS and word[1] > 1:
            word = None
    width = sum(advance(character, face) for character, face in characters)
    return width, len(characters), words


pieces = st.lists(
    st.tuples(
        st.text(st.sampled_from(list("ab W1. \t\n\r\u00a0\u3000é漢" + HYPHENS)), max_size=12),
        st.sampled_from(["regular", "bold", "mono"]),
    ),
    max_size=4,
)


@given(pieces)
def test_a_cell_measures_as_its_characters_add_up(cell):
    found = columns._measured(cell)
    assert (found.width, found.size, found.words) == measured_by_character(cell)


def test_words_run_across_pieces_and_split_after_inner_hyphens():
    cell = [("well-", "regular"), ("known", "bold"), (" -x a--b ", "regular")]
    words = [size for _, size in columns._measured(cell).words]
    assert words == [5, 5, 2, 2, 2]  # "well-" "known" "-x" "a-" "-b"
