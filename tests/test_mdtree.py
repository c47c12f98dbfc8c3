"""The fast Markdown reader (pulldown-cmark) builds the tree markdown-it-py builds, or defers."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from artifactgen import mdtree
from artifactgen.case import load_case
from artifactgen.generate import Generator
from artifactgen.inline import coach_markdown
from artifactgen.inputs import Settings
from artifactgen.mdtree import MarkdownNode, markdown_it_tree, parse_markdown
from tests.conftest import EXAMPLES
from tests.stress_case import stress_case

Shape = tuple


def shape(node: MarkdownNode) -> Shape:
    """What the Word writer reads of a node: its type, level, link, list start, text, the line
    a block starts on, and its children, with adjacent texts joined and empty texts dropped."""
    attrs = {key: node.attrs[key] for key in ("href", "title", "start") if key in node.attrs}
    text = node.content if node.type in ("text", "code_inline") else ""
    line = node.map[0] if node.map and node.type != "inline" else None
    children: list[Shape] = []
    for child in node.children:
        found = shape(child)
        if found[0] == "text" and not found[3]:
            continue
        if found[0] == "text" and children and children[-1][0] == "text":
            found = ("text", "", {}, children.pop()[3] + found[3], None, ())
        children.append(found)
    tag = node.tag if node.type == "heading" else ""
    return node.type, tag, attrs, text, line, tuple(children)


def fast_tree(text: str) -> MarkdownNode:
    """The tree of the fast reader alone; it fails rather than deferring to markdown-it-py."""
    return mdtree._EventTree(text).root


@pytest.fixture(scope="module")
def deliverables() -> list[str]:
    generator = Generator(Settings(formats=("md",)))
    cases = [load_case(path) for path in EXAMPLES]
    files = [data for case in cases for data in generator.render(case).values()]
    return [data.decode("utf-8") for data in files]


def test_every_example_deliverable_is_read_by_the_fast_reader_as_markdown_it_reads_it(
    deliverables,
):
    for markdown in deliverables:
        assert shape(fast_tree(markdown)) == shape(markdown_it_tree(markdown))


def test_the_examples_never_need_markdown_it(deliverables, monkeypatch):
    def refuse(text: str) -> MarkdownNode:
        raise AssertionError(f"markdown-it-py read a deliverable:\n{text}")

    monkeypatch.setattr(mdtree, "markdown_it_tree", refuse)
    for markdown in deliverables:
        parse_markdown(markdown)


def test_the_stress_case_with_long_text_links_and_fifty_risks_is_read_alike(tmp_path):
    (tmp_path / "stress.yaml").write_text(stress_case(), encoding="utf-8")
    files = Generator(Settings(formats=("md",))).render(load_case(tmp_path / "stress.yaml"))
    for data in files.values():
        text = data.decode("utf-8")
        assert shape(fast_tree(text)) == shape(markdown_it_tree(text))


# Coach text, with every character that means something in Markdown.
coach_text = st.text(st.sampled_from(list("ab 1.#>+-=~|&;:()'\"\t!*_`[]\\<>/\n")), max_size=30)
# Markdown a template may write around coach text, the odd and the ordinary.
fragments = st.sampled_from(
    ["**b**", "*i*", "_i_", "`c`", "[l](https://x.org/a b)", '[l](https://x.org "t")', "&amp;",
     "&#35;", "\\*", "a  \nb", "a\\\nb", "[a*\\\nb](c)", "[\\\\\n](c)", "a\nb", " | ", "~x~",
     "***x***", "**a *b* c**", "é"]
)  # fmt: skip
inline_text = st.lists(
    st.one_of(coach_text.map(coach_markdown), fragments), min_size=1, max_size=4
).map("".join)
cell_text = st.lists(
    st.one_of(coach_text.map(lambda text: coach_markdown(text, in_table=True)), fragments),
    min_size=0,
    max_size=3,
).map(lambda parts: "".join(parts).replace("\n", " "))


@st.composite
def table(draw) -> str:
    columns = draw(st.integers(1, 4))
    rows = draw(st.lists(st.lists(cell_text, min_size=1, max_size=5), min_size=0, max_size=4))
    head = "| " + " | ".join(draw(cell_text) or "h" for _ in range(columns)) + " |"
    alignments = st.sampled_from(["---", ":--", "--:", ":-:"])
    rule = "|" + "|".join(draw(alignments) for _ in range(columns)) + "|"
    return "\n".join([head, rule, *("| " + " | ".join(row) + " |" for row in rows)])


@st.composite
def items(draw, depth: int) -> str:
    """A list as templates write one: continuation lines and sublists under the item's text."""
    marker = draw(st.sampled_from(["-", "*", "1.", "3)", "10."]))
    loose = draw(st.booleans())
    found = []
    for _ in range(draw(st.integers(1, 3))):
        indent = "\n" + " " * (len(marker) + 1)
        body = draw(inline_text).replace("\n", indent)
        if depth < 2 and draw(st.booleans()):
            sub = draw(items(depth + 1)).replace("\n", indent)
            body += ("\n" if draw(st.booleans()) else "") + indent + sub
        found.append(f"{marker} {body}")
        if marker[0].isdigit():
            marker = str(int(marker[:-1]) + 1) + marker[-1]
    return ("\n\n" if loose else "\n").join(found)


blocks = st.one_of(
    inline_text,
    st.builds(
        lambda level, text: "#" * level + " " + text.replace("\n", " "),
        st.integers(1, 6),
        inline_text,
    ),
    items(0),
    table(),
    inline_text.map(lambda text: "> " + text.replace("\n", "\n> ")),
    st.sampled_from(["---", "    code", "```\nfence\n```", "Setext\n===", "![i](u)"]),
)
documents = st.builds(
    lambda found, line_end: ("\n\n".join(found) + "\n").replace("\n", line_end),
    st.lists(blocks, min_size=1, max_size=6),
    st.sampled_from(["\n", "\n", "\r\n"]),  # a template saved on Windows
)


@given(documents)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_document_of_templates_and_coach_text_is_read_as_markdown_it_reads_it(markdown):
    assert shape(parse_markdown(markdown)) == shape(markdown_it_tree(markdown))


@pytest.mark.parametrize(
    "markdown",
    [
        "a <b>bold</b> word\n",
        "<div>\n# not a heading in HTML\n</div>\n",
        "see <https://x.org/a>\n",
        "[l][ref]\n\n[ref]: https://x.org\n",
        "[l](javascript:alert(1))\n",
        "[a*\\\n](https://x.org)\n",  # a hard break in link text: pulldown keeps the backslash
    ],
)
def test_what_the_two_read_differently_goes_to_markdown_it(markdown):
    with pytest.raises(mdtree._ReadDifferently):
        fast_tree(markdown)
    assert shape(parse_markdown(markdown)) == shape(markdown_it_tree(markdown))


@pytest.mark.parametrize(
    "markdown",
    [
        "10.  1\n    - 1\n      - 1\n    - 1\n",  # text two spaces after its marker
        "-\ta\n  - b\n",  # after a tab
        "10.\n11.  1\n    - \n        - 1\n",  # an empty item
        "- 1\t\n  2\n",  # a tab ending a line
        "- 1\t\r\n  2\r\n",  # with a CRLF line end
        "a\\ \r\nb\r\n",  # a backslash and a space ending a line
    ],
)
def test_lists_the_two_nest_differently_go_to_markdown_it(markdown):
    assert mdtree._READ_DIFFERENTLY.search(markdown)
    assert shape(parse_markdown(markdown)) == shape(markdown_it_tree(markdown))
