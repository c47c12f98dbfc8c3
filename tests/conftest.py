"""Shared fixtures: a minimal valid case as text, and helpers to load variants of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from artifactgen.case import load_case
from artifactgen.errors import CaseError
from artifactgen.workspace import MARKER

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"
EXAMPLES = sorted(CASES.glob("*.yaml"))

MINIMAL = """\
schema_version: 1
client:
  name: Jo Park
  role: Team Lead
coach:
  name: Dana Ortiz
session:
  date: 2026-11-20
snapshot:
  question: Stay or go?
  summary: Jo is unsure.
  what_is_true:
    - Jo likes the team.
  what_matters:
    - Growth.
fork:
  recommendation: stay
  headline: Stay for now.
  reasoning:
    - The team is good.
risks:
  - id: stall
    risk: Growth stalls.
    likelihood: medium
    impact: high
    mitigation: Ask for a stretch project.
conversations:
  - id: manager
    with: Manager
    goal: Get a stretch project.
    opening: I'd like more scope.
    ask: One stretch project.
action_plan:
  - day: 1
    action: Book the talk.
    conversation: manager
    mitigates: [stall]
roadmap:
  milestones:
    - by_day: 10
      milestone: Project agreed.
      measure: The project is in Jo's objectives.
  check_ins:
    - day: 14
      with: Coach
"""


def make_workspace(root: Path) -> Path:
    """Mark `root` as an artifactgen workspace, as `artifactgen init` does."""
    (root / MARKER).touch()
    return root


def write_case(directory: Path, text: str | bytes, name: str = "case.yaml") -> Path:
    path = directory / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def problems_of(directory: Path, text: str | bytes, name: str = "case.yaml") -> list[str]:
    """Every problem reported for `text`, with the file shown by its name only."""
    path = write_case(directory, text, name)
    try:
        load_case(path)
    except CaseError as error:
        return [str(problem).replace(str(directory) + "/", "") for problem in error.problems]
    return []


@pytest.fixture
def problems(tmp_path: Path):
    return lambda text, name="case.yaml": problems_of(tmp_path, text, name)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A workspace with a copy of the project's cases, with the working directory inside it."""
    shutil.copytree(CASES, make_workspace(tmp_path) / "cases")
    monkeypatch.chdir(tmp_path)
    return tmp_path
