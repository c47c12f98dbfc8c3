"""Coach text is data: whatever is typed shows literally in Markdown and Word, markup aside."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from artifactgen.case import load_case
from artifactgen.docx_package import content_dump, open_docx
from artifactgen.generate import Generator
from artifactgen.inline import coach_markdown, coach_parser
from artifactgen.inputs import Settings
from artifactgen.mdtree import parse_markdown, plain_text
from artifactgen.models import Case
from artifactgen.templating import deliverables_for
from tests.conftest import MINIMAL, write_case
from tests.helpers import schema_errors

# (field path, where it shows up): every kind of place a coach's text lands.
FIELDS = [
    ("client.name", "01-decision-snapshot"),
    ("snapshot.question", "01-decision-snapshot"),
    ("snapshot.what_is_true.0", "01-decision-snapshot"),
    ("fork.headline", "02-fork-recommendation"),
    ("fork.options.0.pros.0", "02-fork-recommendation"),
    ("risks.0.risk", "03-risk-map"),
    ("risks.0.warning_signs.0", "03-risk-map"),
    ("conversations.0.with", "04-conversation-scripts"),
    ("conversations.0.opening", "04-conversation-scripts"),
    ("conversations.0.pushback.0.they_say", "04-conversation-scripts"),
    ("action_plan.0.action", "05-14-day-action-plan"),
    ("action_plan.0.detail", "05-14-day-action-plan"),
    ("roadmap.milestones.0.milestone", "06-30-day-roadmap"),
    ("roadmap.check_ins.0.agenda.0", "06-30-day-roadmap"),
]
MARKUP = "*_`[]\\"
# Stands in a field where the generated text will: plain letters, found in no deliverable.
PLACEHOLDER = "Qzxplaceholderqzx"


@cache
def base_data() -> dict:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        case = load_case(write_case(Path(folder), MINIMAL, "jo-park.yaml"))
    data = case.model_dump(by_alias=True, exclude_none=True)
    data["fork"]["options"] = [{"path": "stay", "summary": "Stay.", "pros": ["x"], "cons": []}]
    data["risks"][0]["warning_signs"] = ["x"]
    data["conversations"][0]["pushback"] = [{"they_say": "x", "you_say": "y"}]
    data["action_plan"][0]["detail"] = "x"
    data["roadmap"]["check_ins"][0]["agenda"] = ["x"]
    return data


@cache
def generator() -> Generator:
    return Generator(Settings())


def render_with(path: str, text: str, stem: str | None = None) -> dict[str, bytes]:
    import copy

    data = copy.deepcopy(base_data())
    *parents, last = path.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = text
    case = Case.model_validate(data)
    only = tuple(d for d in deliverables_for(case) if stem in (None, d.stem))
    return generator().render(case, only)


def md_blocks(markdown: str) -> list[str]:
    """The text of every paragraph, heading and table cell, as a reader sees it."""
    blocks = []

    def walk(node):
        if node.type == "inline":
            blocks.append(plain_text(node))
            return
        for child in node.children:
            walk(child)

    walk(parse_markdown(markdown))
    return blocks


def docx_blocks(blob: bytes) -> list[str]:
    document = open_docx(blob)
    blocks = [p.text for p in document.paragraphs]
    for table in document.tables:
        blocks += [cell.text for row in table.rows for cell in row.cells]
    return blocks


def coach_plain_text(text: str) -> str:
    return plain_text_of_inline(coach_parser().parseInline(text)[0].children)


def plain_text_of_inline(tokens) -> str:
    return "".join(
        t.content
        if t.type in ("text", "text_special", "code_inline")
        else " "
        if t.type == "softbreak"
        else ""
        for t in tokens
    )


text_characters = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn"))
# Pieces Markdown, HTML or Jinja2 would take for syntax where they stand, were they not escaped.
SYNTAX = ["# ", "> ", "- ", "+ ", "1. ", "12) ", "|", "<b>", "<!-- ", "&amp;", "&#35;", "{{ x }}"]
plain_piece = st.text(
    st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn"), exclude_characters=MARKUP
    )
    | st.sampled_from("#>-+=|<>{}!&;.1) ~"),
    min_size=1,
    max_size=12,
)
# Most texts start with a piece of syntax, as a line start is where most of it counts.
literal_text = st.builds(
    lambda start, rest: start + "".join(rest),
    st.sampled_from(["", *SYNTAX]),
    st.lists(st.sampled_from(SYNTAX) | plain_piece, max_size=3),
).filter(str.strip)
HEADING_FIELD = "conversations.0.with"  # ends a heading: see test_trailing_hashes_stay...


@cache
def blocks_with_placeholder(path: str, stem: str) -> tuple[list[str], list[str]]:
    """The deliverable's Markdown and Word blocks with PLACEHOLDER in the field."""
    files = render_with(path, PLACEHOLDER, stem)
    blocks = md_blocks(files[f"{stem}.md"].decode("utf-8")), docx_blocks(files[f"{stem}.docx"])
    assert all(any(PLACEHOLDER in block for block in kind) for kind in blocks), (path, blocks)
    return blocks


@pytest.mark.parametrize(("path", "stem"), FIELDS, ids=[path for path, _ in FIELDS])
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=literal_text)
def test_text_without_markup_shows_exactly_as_typed(path, stem, text):
    """Every block reads as with a placeholder in the field, the text standing where it stood:
    no text passes by occurring elsewhere in the deliverable, none splits or spills a block."""
    files = render_with(path, text, stem)
    md_before, docx_before = blocks_with_placeholder(path, stem)
    expected = text.strip()
    markdown = files[f"{stem}.md"].decode("utf-8")
    assert md_blocks(markdown) == [b.replace(PLACEHOLDER, expected) for b in md_before], markdown
    assert docx_blocks(files[f"{stem}.docx"]) == [
        b.replace(PLACEHOLDER, expected) for b in docx_before
    ]


def test_trailing_hashes_stay_in_a_heading():
    files = render_with(HEADING_FIELD, "Sam #", "04-conversation-scripts")
    assert "1. With Sam #" in md_blocks(files["04-conversation-scripts.md"].decode("utf-8"))
    assert "1. With Sam #" in docx_blocks(files["04-conversation-scripts.docx"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIELDS), st.text(text_characters, min_size=1, max_size=30).filter(str.strip))
def test_any_text_reads_the_same_in_both_formats_and_word_stays_valid(field, text):
    path, stem = field
    files = render_with(path, text, stem)
    markdown = files[f"{stem}.md"].decode("utf-8")
    blob = files[f"{stem}.docx"]
    assert sorted(md_blocks(markdown)) == sorted(docx_blocks(blob))
    shown = coach_plain_text(text.strip())
    if shown.strip():
        assert any(
            shown.strip() in " ".join(block.split()) or shown.strip() in block
            for block in md_blocks(markdown)
        )
    assert schema_errors(blob) == []


@pytest.mark.parametrize(
    "text",
    [
        "<before>",
        "a | b",
        "{{ x }}",
        "{% if %}",
        "1. first",
        "#1",
        "- not a list",
        "> not a quote",
        "---",
        "&amp; stays",
        "<!-- hidden? -->",
        "`unclosed",
        "| leading pipe",
        "2) also",
    ],
)
def test_dangerous_text_is_literal_everywhere(text):
    for path, stem in FIELDS:
        files = render_with(path, text, stem)
        assert any(text in block for block in md_blocks(files[f"{stem}.md"].decode())), (path, text)
        assert any(text in block for block in docx_blocks(files[f"{stem}.docx"])), (path, text)


def test_inline_markup_becomes_word_formatting():
    files = render_with(
        "snapshot.question", "Is **this** *really* about `pay` or [status](https://example.com)?"
    )
    dump = content_dump(open_docx(files["01-decision-snapshot.docx"]))
    assert "Normal: Is **this** *really* about `pay` or <https://example.com>status</>?\n" in dump


def test_escaping_examples():
    assert coach_markdown("1. a | b <c> #d") == "1\\. a \\| b \\<c> #d"
    assert coach_markdown("# x\n- y") == "\\# x\\\n\\- y"
    assert coach_markdown("# x\n- y", line_breaks=False) == "\\# x \\- y"
    assert coach_markdown("**b** `a|b`", in_table=True) == "**b** `a\\|b`"
    assert coach_markdown("R&D &amp;") == "R&D \\&amp;"


def test_created_date_is_the_session_date():
    files = render_with("client.name", "Jo", "01-decision-snapshot")
    assert open_docx(files["01-decision-snapshot.docx"]).core_properties.created == dt.datetime(
        2026, 11, 20, tzinfo=dt.timezone.utc
    )
