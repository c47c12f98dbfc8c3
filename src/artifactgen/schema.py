"""The JSON Schema (draft 2020-12) of a case file, from the models; and the starter case."""

from __future__ import annotations

import json
import os
import re
from importlib.resources import files
from pathlib import Path

from artifactgen.errors import ArtifactgenError
from artifactgen.models import SLUG_PATTERN, Case, slugify

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_PATH = Path("schema") / "case.schema.json"
MODELINE = "# yaml-language-server: $schema="


def case_schema() -> dict:
    """The JSON Schema a case file's YAML satisfies, for editors and other tools."""
    schema = Case.model_json_schema(mode="validation")
    return {
        "$schema": DRAFT,
        **schema,
    }


def case_schema_text() -> str:
    return json.dumps(case_schema(), indent=2, ensure_ascii=False) + "\n"


def starter_case(case_id: str) -> str:
    """The text of a complete, commented new case file whose id is `case_id`."""
    if not re.match(SLUG_PATTERN, case_id):
        raise ArtifactgenError.at(
            case_id,
            0,
            0,
            f"a case name uses lowercase letters, digits and hyphens, like '{slugify(case_id)}'",
        )
    template = files("artifactgen").joinpath("starter.yaml").read_text(encoding="utf-8")
    return template.replace("__ID__", case_id)


def write_new_case(cases_dir: Path, case_id: str, schema: Path | None = None) -> Path:
    """Write `cases_dir/case_id.yaml` from the starter; never overwrite an existing file.

    With `schema`, the file's first line points editors at it, relative to the new file.
    """
    text = starter_case(case_id)
    if schema is not None and text.startswith(MODELINE):
        where = Path(os.path.relpath(schema, cases_dir)).as_posix()
        rest = text.partition("\n")[2]
        text = f"{MODELINE}{where}\n{rest}"
    target = cases_dir / f"{case_id}.yaml"
    cases_dir.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ArtifactgenError.at(
            target, 0, 0, "already exists; pick another name or edit that file"
        ) from None
    return target
