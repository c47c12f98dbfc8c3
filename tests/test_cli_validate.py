"""The validate, new and schema commands: exact output and exit status."""

from __future__ import annotations

import io
import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from artifactgen import __version__
from artifactgen.case import validate_source
from artifactgen.cli import main
from artifactgen.errors import CaseError
from artifactgen.models import Case
from artifactgen.source import parse_source, read_source
from tests.conftest import MINIMAL, make_workspace, write_case


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(make_workspace(tmp_path))
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), prog_name="artifactgen")


def test_validate_all_valid(run, tmp_path):
    (tmp_path / "cases").mkdir()
    write_case(tmp_path / "cases", MINIMAL, "jo.yaml")
    write_case(tmp_path / "cases", MINIMAL, "kim.yml")
    result = run("validate")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "2 case files checked: all valid\n",
        "",
    )


def test_validate_reports_each_problem_and_a_summary(run, tmp_path):
    write_case(tmp_path, MINIMAL, "good.yaml")
    write_case(tmp_path, MINIMAL.replace("impact: high", "impact: huge"), "bad.yaml")
    result = run("validate", "good.yaml", "bad.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        "bad.yaml:25:13: risks, item 1, impact: 'huge' is not allowed; use low, medium or high\n"
    )
    assert result.stdout == "2 case files checked: 1 valid, 1 with 1 problem\n"


def test_validate_missing_path_is_a_usage_error(run):
    result = run("validate", "nowhere.yaml")
    assert result.exit_code == 2
    assert "Path 'nowhere.yaml' does not exist" in result.stderr


def test_validate_empty_folder(run, tmp_path):
    (tmp_path / "cases").mkdir()
    result = run("validate")
    assert (result.exit_code, result.stderr) == (1, "no case files found\n")


def test_new_writes_a_valid_commented_case(run, tmp_path):
    result = run("new", "jordan-smith")
    assert result.exit_code == 0
    assert result.stdout == (
        "wrote cases/jordan-smith.yaml; fill it in, then run: "
        "artifactgen validate cases/jordan-smith.yaml\n"
    )
    text = (tmp_path / "cases" / "jordan-smith.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/case.schema.json\n")
    source = read_source(tmp_path / "cases" / "jordan-smith.yaml")
    case = Case.model_validate({"id": "jordan-smith", **source.data})
    shown = case.model_dump(exclude_unset=True, by_alias=True)
    assert set(shown) == set(case.model_dump(by_alias=True)), "the starter shows every field"
    checked = run("validate", "cases/jordan-smith.yaml")
    assert checked.exit_code == 1, "an untouched starter is never built"
    flagged = checked.stderr.splitlines()
    assert len(flagged) > 30
    assert all(
        line.endswith(
            "is still the new case's example text; replace it, or delete the line if optional"
        )
        for line in flagged
    )


def test_new_refuses_to_overwrite(run, tmp_path):
    run("new", "jordan-smith")
    path = tmp_path / "cases" / "jordan-smith.yaml"
    path.write_text("# my edits\n", encoding="utf-8")
    result = run("new", "jordan-smith")
    assert (result.exit_code, result.stderr) == (
        1,
        "cases/jordan-smith.yaml: already exists; pick another name or edit that file\n",
    )
    assert path.read_text(encoding="utf-8") == "# my edits\n"


def test_new_refuses_an_unsafe_name(run, tmp_path):
    result = run("new", "../escape")
    assert (result.exit_code, result.stderr) == (
        1,
        "../escape: a case name uses lowercase letters, digits and hyphens, like 'escape'\n",
    )
    assert not (tmp_path.parent / "escape.yaml").exists()


def test_new_suggests_the_name_to_use(run):
    result = run("new", "Ana Lucía Pérez")
    assert (result.exit_code, result.stderr) == (
        1,
        "Ana Lucía Pérez: a case name uses lowercase letters, digits and hyphens, "
        "like 'ana-lucia-perez'\n",
    )


def test_schema_prints_json(run):
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "artifactgen case file, version 1"


def test_version(run):
    assert run("--version").stdout == f"artifactgen, version {__version__}\n"


@pytest.mark.parametrize("command", [[], ["validate"], ["new"], ["schema"]])
def test_every_help_has_an_example(run, command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert re.search(r"\n  Example:\n    artifactgen \S", result.stdout)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "replace")))
def test_any_bytes_give_problems_never_a_crash(raw):
    try:
        parse_source(raw, "case.yaml")
    except CaseError as error:
        assert all(str(problem).startswith("case.yaml:") for problem in error.problems)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["client", "risks", "fork", "id", "x"]), yaml_values))
def test_any_structure_gives_located_problems(data):
    buffer = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, buffer)
    try:
        validate_source(parse_source(buffer.getvalue().encode(), "case.yaml"), "case")
    except CaseError as error:
        assert all(problem.line >= 1 for problem in error.problems)
