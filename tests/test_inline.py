"""Coach text with no inline markup skips the parser and still comes out exactly as parsed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from artifactgen import inline
from artifactgen.mdtree import markdown_it_tree, plain_text

# Text that looks like Markdown without holding inline markup, and text that does hold it.
characters = st.sampled_from(list("abc 12.#>+=~-|&;()'\"\t!*_`[]\\<\n"))


def parsed(text: str, **options: bool) -> str:
    """coach_markdown with the shortcut for plain text switched off."""
    original = inline._INLINE_MARKUP
    inline._INLINE_MARKUP = inline.re.compile(r"(?s).")  # every text "has markup"
    try:
        return inline.coach_markdown(text, **options)
    finally:
        inline._INLINE_MARKUP = original


@given(st.text(characters, max_size=40))
@pytest.mark.parametrize("options", [{}, {"line_breaks": False}, {"in_table": True}])
def test_plain_text_shortcut_gives_what_the_parser_gives(options, text):
    assert inline.coach_markdown(text, **options) == parsed(text, **options)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Budget: C:\\Users\\marcus\\\nnext line", "Budget: C:\\Users\\marcus\\\nnext line"),
        ("one\\\\\ntwo", "one\\\ntwo"),  # an escaped backslash, as before
        ("**kept**\\\nthen", "kept\\\nthen"),
    ],
)
def test_a_backslash_ending_a_line_shows_and_the_line_still_breaks(text, shown):
    (paragraph,) = markdown_it_tree(inline.coach_markdown(text) + "\n").children
    assert plain_text(paragraph.children[0]) == shown
