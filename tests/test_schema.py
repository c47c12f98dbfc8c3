"""The JSON Schema: committed copy in sync, and every valid case accepted by a real validator."""

from __future__ import annotations

import json

import jsonschema
import pytest
from ruamel.yaml import YAML

from artifactgen.schema import case_schema, case_schema_text, starter_case
from tests.conftest import EXAMPLES, MINIMAL, ROOT


def as_json_data(text: str):
    """The YAML as a JSON-minded tool sees it: dates are strings."""
    return json.loads(json.dumps(YAML(typ="safe").load(text), default=str))


def test_committed_schema_is_generated_from_the_models():
    committed = (ROOT / "schema" / "case.schema.json").read_text(encoding="utf-8")
    assert committed == case_schema_text(), "run `make schema` and commit the result"


def test_schema_is_draft_2020_12():
    schema = case_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(
    "text",
    [MINIMAL, starter_case("jordan-smith"), *(p.read_text(encoding="utf-8") for p in EXAMPLES)],
    ids=["minimal", "starter", *(p.stem for p in EXAMPLES)],
)
def test_schema_accepts_valid_cases(text):
    validator = jsonschema.Draft202012Validator(
        case_schema(), format_checker=jsonschema.FormatChecker()
    )
    assert list(validator.iter_errors(as_json_data(text))) == []


def test_schema_refuses_unknown_keys_and_bad_enums():
    validator = jsonschema.Draft202012Validator(case_schema())
    data = as_json_data(MINIMAL)
    data["client"]["rol"] = "x"
    data["risks"][0]["likelihood"] = "medum"
    messages = sorted(error.message for error in validator.iter_errors(data))
    assert messages == [
        "'medum' is not one of ['low', 'medium', 'high']",
        "Additional properties are not allowed ('rol' was unexpected)",
    ]
