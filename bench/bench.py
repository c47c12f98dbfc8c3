"""Times artifactgen and pandoc side by side on generated cases; prints each target of issue #7.

Usage: python bench/bench.py [--cases 200] [--large 1000 | --quick] [--risks 2000]
                             [--sample 20] [--timeout 1200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cases import generate_cases, large_case
from measure import Run, Target, figure, machine, median_wall, run, run_many, table

ROOT = Path(__file__).resolve().parent.parent
EDITED_TEMPLATE_LINE = "\n\nBring this page to every check-in; tick what is done.\n"


class Bench:
    """Runs the artifactgen CLI on folders of generated cases in one temporary folder."""

    def __init__(self, folder: Path, timeout: float) -> None:
        self.folder = folder
        self.timeout = timeout
        self.command = _artifactgen()
        self.env = _same_code_env()
        self.templates = folder / "templates"
        shutil.copytree(ROOT / "src/artifactgen/defaults/templates", self.templates)
        self.cores = len(os.sched_getaffinity(0))
        help_text = run([*self.command, "build", "--help"], timeout, env=self.env).output
        has_jobs = "--jobs" in help_text
        self.jobs = ["--jobs", str(self.cores)] if has_jobs else []
        self.peak_rss = 0

    @property
    def parallel(self) -> int:
        return self.cores if self.jobs else 1

    def build(self, cases: Path, out: Path, label: str, times: int = 1, cold: bool = False) -> Run:
        """Run a build `times` times, the median. A build with nothing to do changes nothing;
        a `cold` one builds into `out`, then into fresh folders beside it."""
        runs = []
        for attempt in range(times):
            into = out.with_name(f"{out.name}-{attempt + 1}") if cold and attempt else out
            command = [*self.command, "build", cases, "--out", into, "--templates", self.templates]
            # The bench's own writes (cases, earlier outputs) go to disk first: the build's one
            # flush per folder (syncfs) would otherwise pay for them.
            os.sync()
            runs.append(run([*command, *self.jobs], self.timeout, cwd=self.folder, env=self.env))
        runs.sort(key=lambda item: float("inf") if item.wall is None else item.wall)
        result = runs[len(runs) // 2]
        if times > 1:
            label += f" (median of {times})"
        self.peak_rss = max(self.peak_rss, *(item.peak_rss for item in runs))
        count = sum(1 for _ in cases.glob("*.yaml"))
        if result.wall is None:
            log(label, f"did not finish in {self.timeout:.0f} s")
        elif result.returncode:
            log(label, f"failed (exit {result.returncode}) after {figure(result.wall, 's')}:")
            print("\n".join(result.output.splitlines()[-10:]), flush=True)
        else:
            per_case = figure(result.wall / count * 1000, "ms")
            log(label, f"{figure(result.wall, 's')}  ({per_case} per case, peak {_mb(result)})")
        return result


def log(label: str, text: str) -> None:
    print(f"  {label:<46} {text}", flush=True)


def main() -> int:
    options = _arguments()
    print("Machine")
    for name, value in machine():
        print(f"  {name:<8} {value}")
    print(f"  load     {_load()} (1, 5, 15 min) before the run")
    with tempfile.TemporaryDirectory(prefix="artifactgen-bench-") as folder:
        targets = measure_all(Bench(Path(folder), options.timeout), options)
    print(f"  load average at the end: {_load()} (other work on the machine slows every figure)")
    print("\nTargets (issue #7)")
    print("\n".join("  " + line for line in table(targets)))
    return 0


def measure_all(bench: Bench, options: argparse.Namespace) -> list[Target]:
    import artifactgen

    count = options.cases
    print(f"  artifactgen {artifactgen.__version__} from {Path(artifactgen.__file__).parent}")
    jobs = f"--jobs {bench.cores}" if bench.jobs else "no --jobs option: one process"
    print(f"  builds run as `artifactgen build` ({jobs})\n\nMeasurements")
    version = median_wall([*bench.command, "--version"], 7, options.timeout, bench.env)
    log("artifactgen --version (median of 7)", figure(version, "s"))

    cases, out = bench.folder / "cases", bench.folder / "output"
    generate_cases(cases, count)
    cold = bench.build(cases, out, f"cold build, {count} cases", times=5, cold=True)
    noop = bench.build(cases, out, f"no-op rebuild, {count} cases", times=5)
    docx_files = len(list(out.glob("*/*.docx")))
    ours_per_docx = cold.wall / docx_files if cold.ok and docx_files else None
    if ours_per_docx is not None:
        log("  per DOCX (cold wall ÷ DOCX files)", figure(ours_per_docx * 1000, "ms"))

    documents = sorted(out.glob("*/*.md"))[: options.sample * 6]
    in_process = markdown_to_docx(documents, bench.templates / "reference.docx")
    pandoc = pandoc_per_document(documents, bench)
    ratio = pandoc / ours_per_docx if pandoc and ours_per_docx else None

    case_file = sorted(cases.glob("*.yaml"))[0]
    case_file.write_text(_edited(case_file.read_text(encoding="utf-8")), encoding="utf-8")
    bench.build(cases, out, f"one case edited, rebuild of {count}")
    (bench.templates / "03-risk-map.md.j2").touch()
    bench.build(cases, out, "one template touched (mtime only), rebuild")
    with (bench.templates / "06-30-day-roadmap.md.j2").open("a", encoding="utf-8") as template:
        template.write(EDITED_TEMPLATE_LINE)
    bench.build(cases, out, "one template edited, rebuild")

    large = large_case(bench.folder / "large", options.risks).parent
    risky = bench.build(large, bench.folder / "large-output", f"one case, {options.risks} risks")

    targets = [
        Target("Markdown → DOCX per document, with the parse", 3, "ms", in_process),
        Target("per DOCX: pandoc ÷ our whole build", 15, "×", ratio, at_least=True),
        Target(
            f"one case (12 files + calendar) in a batch of {count}",
            40,
            "ms",
            _per(cold, count, 1000),
        ),
        Target(f"no-op build, {count} cases", 0.15 if count <= 200 else 0.3, "s", _wall(noop)),
        Target("artifactgen --version", 0.1, "s", version),
    ]
    if not options.quick:
        many = bench.folder / "cases-many"
        generate_cases(many, options.large)
        many_out = bench.folder / "output-many"
        cold_many = bench.build(many, many_out, f"cold build, {options.large} cases")
        noop_many = None
        if cold_many.ok:
            noop_many = bench.build(
                many, many_out, f"no-op rebuild, {options.large} cases", times=5
            )
        targets += [
            Target(f"no-op build, {options.large} cases", 0.3, "s", _wall(noop_many)),
            Target(f"{options.large} cases cold, {bench.cores} cores", 25, "s", _wall(cold_many)),
        ]
    targets += [
        Target("peak memory, largest build process", 200, "MB", bench.peak_rss / 2**20),
        Target(f"one case with {options.risks} risks", 3, "s", _wall(risky)),
    ]
    return targets


def markdown_to_docx(documents: list[Path], reference: Path) -> float | None:
    """Milliseconds per document for parse + write in this process, over `documents`."""
    from artifactgen.docx_writer import DocumentProperties, DocxWriter
    from artifactgen.mdtree import parse_markdown

    if not documents:
        return None
    writer = DocxWriter(reference.read_bytes(), reference)
    created = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
    work = [
        (path.read_text(encoding="utf-8"), DocumentProperties(path.stem, "Bench", "Bench", created))
        for path in documents
    ]
    writer.write(parse_markdown(work[0][0]), work[0][1])  # warm-up
    passes = []
    for _ in range(5):
        started = time.perf_counter()
        for text, properties in work:
            writer.write(parse_markdown(text), properties)
        passes.append((time.perf_counter() - started) / len(work) * 1000)
    per_document = statistics.median(passes)
    log(
        f"Markdown → DOCX in-process, {len(work)} documents (median of 5 passes)",
        f"{figure(per_document, 'ms')} each",
    )
    return per_document


def pandoc_per_document(documents: list[Path], bench: Bench) -> float | None:
    """Seconds of wall per document for pandoc, one process per document, as many at a time
    as the build uses cores."""
    try:
        import pypandoc

        pandoc = pypandoc.get_pandoc_path()
    except (ImportError, OSError) as error:
        log("pandoc", f"not measured ({error}); pip install -e '.[dev]'")
        return None
    if not documents:
        return None
    out = bench.folder / "pandoc"
    out.mkdir()
    reference = f"--reference-doc={bench.templates / 'reference.docx'}"
    commands: list[list[str | Path]] = [
        [pandoc, "--from=gfm", "--to=docx", reference, "-o", out / f"{n}.docx", path]
        for n, path in enumerate(documents)
    ]
    run(commands[0], bench.timeout)  # warm-up
    wall, runs = run_many(commands, bench.parallel, bench.timeout)
    if not all(item.ok for item in runs):
        log("pandoc", "failed: " + next(item.output for item in runs if not item.ok)[-300:])
        return None
    single = sorted(item.wall for item in runs if item.wall is not None)[len(runs) // 2]
    label = f"pandoc, {len(runs)} documents, {bench.parallel} at a time"
    log(
        label, f"{figure(wall / len(runs) * 1000, 'ms')} per document (one process: {single:.3f} s)"
    )
    return wall / len(runs)


def _edited(text: str) -> str:
    """The case with one line changed: the client's role."""
    lines = text.splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith("  role: "))
    lines[at] = lines[at].rstrip("\n") + " (acting)\n"
    return "".join(lines)


def _wall(result: Run | None) -> float | None:
    return result.wall if result is not None and result.ok else None


def _per(result: Run, count: int, scale: float) -> float | None:
    wall = _wall(result)
    return wall / count * scale if wall is not None and count else None


def _mb(result: Run) -> str:
    return figure(result.peak_rss / 2**20, "MB")


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def _artifactgen() -> list[str]:
    script = Path(sys.executable).parent / "artifactgen"
    return [str(script)] if script.exists() else [shutil.which("artifactgen") or "artifactgen"]


def _same_code_env() -> dict[str, str]:
    """The environment, with the artifactgen this script imports first on the path (the
    builds run in the temporary folder, where a relative PYTHONPATH would find nothing).

    Bytecode is cached as on any installed copy: a machine that sets PYTHONDONTWRITEBYTECODE
    would otherwise compile every module of artifactgen again in each timed process."""
    import artifactgen

    source = str(Path(artifactgen.__file__).resolve().parent.parent)
    paths = [
        str(Path(p).resolve()) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p
    ]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([source, *paths])}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="cases in the main run")
    parser.add_argument("--large", type=int, default=1000, help="cases in the large cold run")
    parser.add_argument("--quick", action="store_true", help="skip the large cold run")
    parser.add_argument("--risks", type=int, default=2000, help="risks in the one large case")
    parser.add_argument(
        "--sample", type=int, default=20, help="cases whose Markdown goes through pandoc"
    )
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per process")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
