"""Benchmark: time and peak memory to validate and build many cases. Not a test; prints numbers.

Usage: .venv/bin/python bench/bench_build.py [COPIES]   (default 10 copies of each example)
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from artifactgen.build import Settings, build
from artifactgen.case import check_cases

ROOT = Path(__file__).resolve().parent.parent


def main(copies: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        cases = Path(folder) / "cases"
        cases.mkdir()
        for example in sorted((ROOT / "cases").glob("*.yaml")):
            for number in range(copies):
                shutil.copy(example, cases / f"{example.stem}-{number}.yaml")
                text = (cases / f"{example.stem}-{number}.yaml").read_text(encoding="utf-8")
                text = text.replace(f"id: {example.stem}\n", "")
                (cases / f"{example.stem}-{number}.yaml").write_text(text, encoding="utf-8")
        count = len(list(cases.iterdir()))
        settings = Settings(out_dir=Path(folder) / "output", templates_dir=ROOT / "templates")

        started = time.perf_counter()
        check_cases([cases])
        validated = time.perf_counter() - started

        started = time.perf_counter()
        report = build([cases], settings)
        first = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

        started = time.perf_counter()
        build([cases], settings)
        again = time.perf_counter() - started

    assert not report.failed
    print(f"cases:                 {count}")
    print(f"validate, per case:    {validated / count * 1000:.1f} ms")
    print(f"first build, per case: {first / count * 1000:.1f} ms (12 files)")
    print(f"rebuild, per case:     {again / count * 1000:.1f} ms (nothing changed)")
    print(f"peak resident memory:  {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
