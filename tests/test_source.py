"""Reading the YAML itself: encodings, tabs, duplicates, aliases and other traps, each located."""

from __future__ import annotations

from artifactgen import source
from tests.conftest import MINIMAL


def test_duplicate_key_names_both_lines(problems):
    text = MINIMAL.replace("  role: Team Lead\n", "  role: Team Lead\n  role: Lead\n")
    assert problems(text) == ["case.yaml:5:3: duplicate key 'role' (first given on line 4)"]


def test_billion_laughs_is_refused_within_the_value_budget(problems, monkeypatch):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    visited = []
    real_value = source._Converter._value

    def counted(self, node, path):
        visited.append(path)
        return real_value(self, node, path)

    monkeypatch.setattr(source._Converter, "_value", counted)
    found = problems("\n".join(lines) + "\n")
    assert len(visited) == source.MAX_VALUES + 1  # stopped at the budget, not at 10**10
    assert found == [
        "case.yaml:6:1: anchors and aliases expand to far too many values here; "
        "write the values out"
    ]


def test_a_few_aliases_are_fine(problems):
    text = MINIMAL.replace("  name: Dana Ortiz\n", "  name: &coach Dana Ortiz\n")
    text = text.replace("      with: Coach\n", "      with: *coach\n")
    assert problems(text) == []


def test_file_over_one_mebibyte_is_refused(problems):
    text = MINIMAL + "# " + "x" * (1 << 20) + "\n"
    assert problems(text) == [
        "case.yaml:1:1: the file is larger than 1 MiB; a case file is far smaller"
    ]


def test_non_utf8_bytes_are_located(problems):
    raw = MINIMAL.replace("Jo Park", "Jos\xe9 Park").encode("latin-1")
    assert problems(raw) == [
        "case.yaml:3:12: the file is not valid UTF-8 (byte 0xE9); save it with UTF-8 encoding"
    ]


def test_tabs_in_indentation_are_each_reported(problems):
    text = MINIMAL.replace("  name: Jo Park", "\tname: Jo Park").replace(
        "  role: Team Lead", "\trole: Team Lead"
    )
    assert problems(text) == [
        "case.yaml:3:1: a tab is used for indentation; YAML needs spaces",
        "case.yaml:4:1: a tab is used for indentation; YAML needs spaces",
    ]


def test_tab_inside_quoted_text_is_fine(problems):
    assert problems(MINIMAL.replace("Jo is unsure.", '"Jo is\tunsure."')) == []


def test_empty_file(problems):
    assert problems("") == ["case.yaml:1:1: the file is empty; start from `artifactgen new NAME`"]


def test_file_with_only_comments_is_empty(problems):
    assert problems("# nothing yet\n\n") == [
        "case.yaml:1:1: the file is empty; start from `artifactgen new NAME`"
    ]


def test_list_document_is_not_a_case(problems):
    assert problems("- a\n- b\n") == [
        "case.yaml:1:1: a case file is a mapping of fields (like `client:`), not a list"
    ]


def test_scalar_document_is_not_a_case(problems):
    assert problems("hello\n") == [
        "case.yaml:1:1: a case file is a mapping of fields (like `client:`), not a single value"
    ]


def test_raw_control_character_is_located(problems):
    text = MINIMAL.replace("Jo is unsure.", "Jo is\x07unsure.")
    assert problems(text) == [
        "case.yaml:11:17: control character U+0007 is not allowed in a case file"
    ]


def test_syntax_error_is_located(problems):
    text = MINIMAL.replace("  role: Team Lead", "  role: [Team Lead")
    found = problems(text)
    assert len(found) == 1
    assert found[0].startswith("case.yaml:4:9: this list in brackets cannot be read")


def test_second_document_is_refused(problems):
    assert problems(MINIMAL + "---\nid: other\n") == [
        "case.yaml:46:1: not valid YAML: only one YAML document per case file; "
        "remove the second `---`"
    ]


def test_python_tags_are_refused_not_run(problems):
    text = MINIMAL.replace("Stay for now.", "!!python/object/apply:os.system [echo hi]")
    assert problems(text) == [
        "case.yaml:18:13: the YAML tag !!python/object/apply:os.system is not allowed; "
        "write a plain value"
    ]


def test_merge_keys_are_refused(problems):
    text = MINIMAL.replace("  role: Team Lead\n", "  role: Team Lead\n  <<: {x: 1}\n")
    assert problems(text) == [
        "case.yaml:5:3: merge keys (<<) are not supported; write the fields out"
    ]
