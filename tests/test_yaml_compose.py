"""libyaml reads a case file exactly as ruamel does: same values, line/column map and errors."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from artifactgen import yaml_compose
from artifactgen.errors import CaseError
from artifactgen.schema import starter_case
from artifactgen.source import parse_source
from tests.conftest import EXAMPLES, MINIMAL

# Plain scalars that YAML 1.1 and 1.2 (or ruamel and libyaml) may read differently.
WORDS = """
yes Yes YES no No NO on On ON off Off OFF y Y n N true True TRUE false False FALSE tRue
0o17 017 09 0x1F 0b101 1_000 +12 -0 0 00 0. 3. .5 -.5 +.5 1e3 1E3 1.e3 6.8523015e+5 1.2.3
1:20 190:20:30 1:20:30.5 12:30:45 .inf -.Inf +.INF .nan .NaN ~ null Null NULL nULL = <<
2001-12-14 2001-1-1 2001-12-14t21:59:43.10-05:00 2001-12-14T21:59:43Z +_ 0x_1 1__0
"""
SCALARS = [
    *WORDS.split(),
    "2001-12-14 21:59:43.10 -5",
    "plain text",
    "a:b",
    "http://example.com/x?y=1",
    "x-",
    "-x",
    "?x",
    "50% off",
    "text with *stars* and **bold**",
    "[link](http://x)",
    "Café ünïcödé 🎉",
    "a #b",
    "a#b",
]
QUOTED = ["'yes'", '"no"', "'017'", "''", '""', "'it''s'", "'a: b'"]
QUOTED += ['"esc \\t \\u00e9 \\/ \\x41 \\N"']
FLOWS = ["[]", "[a, b]", "[yes, 017, 1:20, ~]", "[a, [b, [c]]]", "[a,\n  b]", "[ ]", "[a, b,]"]
BLOCKS = ["|\n  a\n  b\n", ">\n  a\n  b\n\n  c\n", "|-\n  keep\n", ">+\n  x\n\n", "|\n\n  lead\n"]


def outcome(text: str) -> str:
    """Everything a caller can see of parsing `text`: values, key and value marks, or the errors."""
    try:
        source = parse_source(text.encode(), "case.yaml")
    except CaseError as error:
        return f"error: {error}"
    return repr((source.data, source.keys, source.values))


def with_ruamel_only(text: str) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yaml_compose, "_compose_with_libyaml", lambda _text: None)
        return outcome(text)


def takes_libyaml(text: str) -> bool:
    return yaml_compose._compose_with_libyaml(text) is not None


def case_like(values: list[str]) -> str:
    lines = ["schema_version: 1", "client:"]
    lines += [f"  field_{index}: {value}" for index, value in enumerate(values)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "text", [MINIMAL, starter_case("jo-park"), *(path.read_text() for path in EXAMPLES)]
)
def test_real_cases_take_libyaml_and_read_the_same(text):
    assert takes_libyaml(text)
    assert outcome(text) == with_ruamel_only(text)


@pytest.mark.parametrize("path", EXAMPLES)
def test_a_case_without_empty_values_or_odd_syntax_skips_the_token_pass(path, monkeypatch):
    def refuse(loader_class, text):
        raise AssertionError("the token pass ran")

    monkeypatch.setattr(yaml_compose, "_read_tokens", refuse)
    assert takes_libyaml(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("value", SCALARS + QUOTED + FLOWS + BLOCKS + ["", "  # comment"])
def test_each_scalar_resolves_as_in_yaml_1_2(value):
    text = case_like([value, "after"])
    reference = with_ruamel_only(text)
    assert outcome(text) == reference
    assert takes_libyaml(text) or reference.startswith("error")


def test_yaml_1_1_values_stay_text_or_numbers_as_in_yaml_1_2():
    data = parse_source(case_like(["yes", "off", "017", "0o17", "1:20", "1_000"]).encode(), "c")
    assert list(data.data["client"].values()) == ["yes", "off", 17, 15, "1:20", 1000]


@pytest.mark.parametrize(
    "text",
    [
        "a:\nb: 1\n",  # empty value before a key: ruamel marks it at that key
        "a:\n  b:\nc: 1\n",  # before the end of a block
        "a:   # comment\n\n  # more\nb: 1\n",
        "a:\n",
        "a:",  # at the end of a text without a final line break
        "a:\n? b\n: c\n",  # before an explicit key: after its `?`
        "? a\n? b\n",  # explicit keys without values
        "? a",
        "a: 1\r\nb:\r\nc: 2\r\n",
        "- a\n",  # not a mapping: the message names what it is
        "a: [b: c]\n",  # a mapping inside a flow sequence
    ],
)
def test_empty_values_and_odd_shapes_are_located_as_ruamel_does(text):
    assert outcome(text) == with_ruamel_only(text)


# Each of these reads differently with libyaml alone (values, marks or messages).
@pytest.mark.parametrize(
    "text",
    [
        "&kkey: 1\n",  # anchors: libyaml reads `kkey` and an empty key, ruamel refuses `kkey:`
        "a: [!x, b]\n",  # tags: ruamel reads the tag `!x,`
        "%YAML 1.1\n---\na: yes\n",  # ruamel reads `yes` as false under a 1.1 directive
        "a: 1\n...\n...\n",  # ruamel sees a second, empty document
        "a: {b: }\n",  # flow mappings: empty values are placed differently
        "a: ['q':x]\n",  # and libyaml accepts more of them
        "a: b\tc\n",  # tabs: ruamel refuses this one
        "a: 1\rb:",  # old Mac line breaks
        "a:\x85b: 1\n",  # NEL is a line break to libyaml only
        "a:\n  \ufeffb: 1\n",  # a byte-order mark inside the text is counted differently
        "a: |\n  \n      x\n",  # ruamel refuses a spaces-only first line less indented
        "a: >+#\n  x\n",  # a header ruamel refuses
        "---",  # not a mapping: libyaml counts a line more at the end
        "a:" + " [" * 250 + " ]" * 250 + "\n",  # deeper than libyaml may recurse safely
    ],
)
def test_text_where_the_two_differ_is_left_to_ruamel(text):
    assert not takes_libyaml(text)
    assert outcome(text) == with_ruamel_only(text)


KEYS = st.sampled_from(["a", "client", "name", "yes", "null", "1", "2001-01-01", "é", "a b", "'q'"])
SCALAR_VALUES = st.sampled_from(SCALARS + QUOTED + FLOWS + ["", "", "'multi\n  line'"])
COMMENTS = st.sampled_from(["", "", " # note", "  #x", " # a: *b* | c"])


@st.composite
def documents(draw: st.DrawFn, depth: int = 0, indent: str = "") -> str:
    """A YAML mapping in the shapes case files take, with comments, blank lines and odd values."""
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        key = draw(KEYS)
        kind = draw(st.sampled_from(["scalar", "scalar", "block", "list", "map", "complex"]))
        if draw(st.booleans()) and draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", indent + "# a comment *with* `marks`: ok"])))
        if kind == "map" and depth < 3:
            lines.append(f"{indent}{key}:{draw(COMMENTS)}")
            lines.append(draw(documents(depth + 1, indent + draw(st.sampled_from(["  ", " "])))))
        elif kind == "list" and depth < 3:
            lines.append(f"{indent}{key}:")
            item_indent = indent + draw(st.sampled_from(["", "  "]))
            for _ in range(draw(st.integers(1, 3))):
                lines.append(f"{item_indent}- {draw(SCALAR_VALUES)}{draw(COMMENTS)}")
        elif kind == "block":
            header, *body = draw(st.sampled_from(BLOCKS)).split("\n")
            lines.append(f"{indent}{key}: {header}")
            lines += [f"{indent}{line}" if line else line for line in body[:-1]]
        elif kind == "complex":
            lines.append(f"{indent}? {key}")
            if draw(st.booleans()):
                lines.append(f"{indent}: {draw(SCALAR_VALUES)}")
        else:
            value = draw(SCALAR_VALUES)
            lines.append(f"{indent}{key}:{' ' + value if value else ''}{draw(COMMENTS)}")
    return "\n".join(lines)


@st.composite
def files(draw: st.DrawFn) -> str:
    text = draw(documents()) + draw(st.sampled_from(["\n", "", "\n\n# end\n"]))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(list(" \n:-#'\"[],?|>x"))) + text[at:]
    return text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files())
def test_any_case_shaped_file_reads_the_same_both_ways(text):
    assert outcome(text) == with_ruamel_only(text)


# Where a node may start, as one regular expression: the rule _may_need_tokens follows.
NODE_INDICATOR = re.compile(
    r"(?:^[ \t]*(?:[-?:][ \t]+)*|:[ \t]+|[\[,][ \t]*)([&*!{|>%@`])|^\.\.\.", re.MULTILINE
)


def needs_tokens_by_the_rule(text: str) -> bool:
    for found in NODE_INDICATOR.finditer(text):
        header = found.group(1) in ("|", ">")
        if not header or not yaml_compose._PLAIN_BLOCK_HEADER.match(text, found.start(1)):
            return True
    return False


@given(st.text(st.sampled_from(list(" \t\n-?:[,&*!{|>%@`.a#+")), max_size=40))
def test_the_token_pass_is_skipped_only_where_no_node_starts_with_an_indicator(text):
    assert yaml_compose._may_need_tokens(text) == needs_tokens_by_the_rule(text)
