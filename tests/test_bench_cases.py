"""The benchmark's generated cases are valid, distinct, varied and reproducible."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from ruamel.yaml import YAML

from artifactgen.case import check_cases

ROOT = Path(__file__).resolve().parent.parent
_SPEC = importlib.util.spec_from_file_location("bench_cases", ROOT / "bench" / "cases.py")
assert _SPEC is not None and _SPEC.loader is not None
bench_cases = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench_cases)


def test_generated_cases_are_valid_distinct_and_varied(tmp_path: Path) -> None:
    paths = bench_cases.generate_cases(tmp_path / "cases", 12)
    results = check_cases([tmp_path / "cases"])
    assert [problem for result in results for problem in result.problems] == []
    cases = [result.case for result in results]
    assert len({case.id for case in cases}) == 12
    assert len({case.client.name for case in cases}) > 6
    assert len({len(case.risks) for case in cases}) > 3
    assert len({len(case.action_plan) for case in cases}) > 3
    again = bench_cases.generate_cases(tmp_path / "again", 12)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]


def test_large_case_holds_the_risks_asked_for(tmp_path: Path) -> None:
    path = bench_cases.large_case(tmp_path, 300)
    (result,) = check_cases([path])
    assert result.problems == []
    assert len(result.case.risks) == 300


def test_yaml_writer_round_trips_every_example() -> None:
    loader = YAML(typ="safe", pure=True)
    for example in bench_cases.load_examples():
        assert loader.load(bench_cases.to_yaml(example)) == example
