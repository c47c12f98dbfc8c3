"""Builds the cases a plan left pending: validates them, renders each, brings its folder up to date.

With more than one job the cases are spread over worker processes; reports come back in the
order of the case files whatever order the workers finish in.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from artifactgen.case import CaseCheck, Claim, check_case, refusals
from artifactgen.errors import ArtifactgenError, OutputError, Problem
from artifactgen.generate import Generator, Output
from artifactgen.ics import calendar_name, render_calendar
from artifactgen.inputs import Settings
from artifactgen.outcomes import NEW_MARK, Action, CaseReport, Outcome, Progress
from artifactgen.settled import Plan
from artifactgen.store import Inputs, Manifest, Objects, digest, folder_lock
from artifactgen.sync import OutputFolder, apply, inspect, prepare
from artifactgen.writes import Batch

_WORKER_GENERATOR: list[Generator] = []
Mapper = Callable[
    [Callable[[Path], Claim], list[Path]], Iterable[Claim]
]  # in a worker process: the one it renders with


@dataclass(frozen=True)
class CaseJob:
    """One case file to build, with the id it may build under and the build's settings."""

    claim: Claim
    refusal: Problem | None  # why it may not have that id after all
    settings: Settings
    when: dt.datetime
    key: str


def claimed(
    plan: Plan, settings: Settings, mapper: Mapper = map
) -> list[tuple[Claim, Problem | None]]:
    """Each pending case file's claim on an output folder, with the problem refusing it, if any.

    Only the ids are kept: each case file is validated again when its turn comes, so that a
    build holds a few validated cases at a time however many case files there are."""
    claims = list(mapper(_claim, plan.pending))
    out_dir = settings.out_dir
    refused = refusals(
        claims,
        owner_of=lambda case_id: recorded_case(out_dir / case_id),
        settled=plan.settled_ids(),
    )
    return [(claim, refused.get(index)) for index, claim in enumerate(claims)]


def _claim(path: Path) -> Claim:
    return check_case(path).claim


def admitted(claim: Claim, refusal: Problem | None) -> CaseCheck:
    """The case file validated for use: no case when invalid, refused its id, or changed since
    it claimed one."""
    check = check_case(claim.path)
    if check.case is not None and check.case.id != claim.case_id:
        line, column = check.id_at
        message = "the file changed while the build was running; build again"
        check.problems.append(Problem(str(claim.path), line, column, message))
        check.case = None
    elif check.case is not None and refusal is not None:
        check.problems.append(refusal)
        check.case = None
    return check


def build_pending(
    plan: Plan, settings: Settings, when: dt.datetime, jobs: int, progress: Progress | None
) -> Iterator[CaseReport]:
    """Build every pending case, `jobs` at a time, yielding reports in the plan's order."""
    generator = Generator(settings)  # a missing templates folder fails here, once
    total = len(plan.pending)
    if min(jobs, total) <= 1:
        work = _work(plan, settings, when, map)
        yield from _counted((build_case(job, generator) for job in work), total, progress)
        return
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    initargs = (settings, os.getpid())
    with ProcessPoolExecutor(min(jobs, total), context, _start_worker, initargs) as pool:
        work = _work(plan, settings, when, partial(pool.map, chunksize=4))
        yield from _counted(pool.map(_build_in_worker, work, chunksize=2), total, progress)


def _work(plan: Plan, settings: Settings, when: dt.datetime, mapper: Mapper) -> list[CaseJob]:
    return [
        CaseJob(claim, refusal, settings, when, plan.key)
        for claim, refusal in claimed(plan, settings, mapper)
    ]


def _start_worker(settings: Settings, parent: int) -> None:
    _WORKER_GENERATOR[:] = [Generator(settings)]
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    """End this worker when the build that started it is gone (killed, say): nobody would
    collect its work, and it would otherwise wait for more forever. Files stay whole: every
    write goes through a temporary file, removed by the next build."""
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)


def _build_in_worker(job: CaseJob) -> CaseReport:
    return build_case(job, _WORKER_GENERATOR[0])


def _counted(
    reports: Iterable[CaseReport], total: int, progress: Progress | None
) -> Iterator[CaseReport]:
    for done, report in enumerate(reports, start=1):
        if progress:
            progress(done, total)
        yield report


def build_case(job: CaseJob, generator: Generator) -> CaseReport:
    """Render one case and bring its output folder up to date; problems go in the report."""
    check = admitted(job.claim, job.refusal)
    report = CaseReport(check.path, problems=list(check.problems))
    if check.case is None:
        return report
    report.case_id = check.case.id
    try:
        files = generator.outputs(check.case)
        folder = job.settings.out_dir / check.case.id
        report.files, report.notes = _sync_case(folder, job, check, files)
    except ArtifactgenError as error:
        report.problems.extend(error.problems)
    return report


def _sync_case(
    folder: Path, job: CaseJob, check: CaseCheck, files: dict[str, Output]
) -> tuple[list[Outcome], list[str]]:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError.at(folder, 0, 0, f"cannot use the folder: {error.strerror}") from None
    with folder_lock(folder):
        manifest = Manifest.load(folder)
        notes = _take_folder(folder, manifest, check)
        objects = Objects(folder)
        files = with_calendar(check, files, manifest, objects)
        target = OutputFolder(objects, manifest, job.settings.force, job.when, Batch())
        manifest.inputs = None  # until every output is in place
        try:
            outcomes = []
            for name, data in files.items():
                fresh = prepare(objects, name, data)
                path = folder / name
                found = inspect(path, manifest.files.get(name), objects, fresh)
                outcomes.append(apply(path, found, fresh, target))
            target.batch.commit()
        finally:
            target.batch.discard()
        if check.digest and all(outcome.action is not Action.SKIPPED for outcome in outcomes):
            manifest.inputs = Inputs(job.key, check.digest, tuple(files))
        _record_pending(folder, manifest, objects)
        manifest.save()
        objects.keep_only(manifest.bases())
    return outcomes, notes


def with_calendar(
    check: CaseCheck, files: dict[str, Output], manifest: Manifest, objects: Objects
) -> dict[str, Output]:
    """The renders plus the plan's calendar, which continues the UIDs and sequence numbers of
    the calendar last generated in the folder (its base, whatever the coach did to the file;
    the file itself when the manifest is lost)."""
    assert check.case is not None
    name = calendar_name(str(check.case.id))
    record = manifest.files.get(name)
    previous = objects.get(record.base) if record else None
    if previous is None and (manifest.folder / name).is_file():
        previous = (manifest.folder / name).read_bytes()
    return {**files, name: render_calendar(check.case, previous)}


def recorded_case(folder: Path) -> Path | None:
    """The case file an output folder was last built from, if it says."""
    manifest = Manifest.load(folder) if folder.is_dir() else None
    return folder / manifest.case if manifest and manifest.case else None


def _record_pending(folder: Path, manifest: Manifest, objects: Objects) -> None:
    """Re-record untouched NAME.new.* files a lost manifest forgot, so they stay untouched."""
    for path in sorted(folder.glob(f"*{NEW_MARK}*")):
        if path.name not in manifest.files and path.suffix in (".md", ".ics"):
            key = digest(path.read_bytes())
            if objects.has(key):
                manifest.record(path, key, pristine=True)


def _take_folder(folder: Path, manifest: Manifest, check: CaseCheck) -> list[str]:
    """Refuse a folder built from another case file, or for another client; note a lost manifest.

    A case file that was renamed or moved keeps its folder as long as the client is the same.
    """
    assert check.case is not None
    owner = os.path.relpath(check.path.resolve(), folder.resolve())
    client = check.case.client.name
    moved = bool(manifest.case) and manifest.case != owner
    other_file = moved and (folder / str(manifest.case)).exists()
    other_client = moved and manifest.client is not None and manifest.client != client
    if other_file or other_client:
        whose = (
            os.path.relpath((folder / str(manifest.case)).resolve())
            if other_file
            else f"another client ({manifest.client})"
        )
        line, column = check.id_at
        raise OutputError.at(
            check.path,
            line,
            column,
            f"{folder} holds the documents of {whose}; give this case its own `id:`",
        )
    manifest.case, manifest.client = owner, client
    if manifest.problem:
        return [
            f"{manifest.path} was {manifest.problem}; rebuilt it from the documents and "
            "the bases stored beside them"
        ]
    return []


def rendered(
    plan: Plan, settings: Settings
) -> Iterator[tuple[CaseCheck, dict[str, Output] | None]]:
    """Each pending case file with its fresh renders (None when invalid or failing to render)."""
    generator = Generator(settings)
    for claim, refusal in claimed(plan, settings):
        check = admitted(claim, refusal)
        if check.case is None:
            yield check, None
            continue
        try:
            folder = settings.out_dir / check.case.id
            objects = Objects(folder, read_only=True)
            files = generator.outputs(check.case)
            yield check, with_calendar(check, files, Manifest.load(folder), objects)
        except ArtifactgenError as error:
            check.problems.extend(error.problems)
            yield check, None
