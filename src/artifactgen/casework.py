"""Builds the cases a plan left pending: validates them, renders each, brings its folder up to date.

With more than one job the cases are spread over worker processes; reports come back in the
order of the case files whatever order the workers finish in.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from artifactgen.case import CaseCheck, Claim, check_case, refusals, scan_claim
from artifactgen.errors import ArtifactgenError, OutputError, Problem
from artifactgen.generate import Generator, Output
from artifactgen.ics import calendar_name, render_calendar
from artifactgen.inputs import Settings
from artifactgen.models import Case
from artifactgen.outcomes import NEW_MARK, Action, CaseReport, Outcome, Progress
from artifactgen.settled import Plan
from artifactgen.store import Inputs, Manifest, Objects, digest, folder_lock
from artifactgen.sync import OutputFolder, apply, inspect, prepare
from artifactgen.templating import DELIVERABLES
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
    plan: Plan, settings: Settings, mapper: Mapper = map, *, thorough: bool = False
) -> list[tuple[Claim, Problem | None]]:
    """Each pending case file's claim on an output folder, with the problem refusing it, if any.

    Most claims are read from the file's `id:` line (or its name) without validating it; a file
    read that way is validated when its turn comes, and must then have the id it claimed.
    A file whose id is unclear, or claimed by another file too (an invalid file claims none),
    is validated now (all of them when `thorough`). Only the ids are kept, so a build holds a
    few validated cases at a time however many case files there are."""
    settled = plan.settled_ids()
    pending = plan.pending
    quick = [None if thorough else scan_claim(path) for path in pending]
    counts = Counter(claim.case_id for claim in quick if claim is not None)
    unsure = [
        path
        for path, claim in zip(pending, quick, strict=True)
        if claim is None or counts[claim.case_id] > 1 or claim.case_id in settled
    ]
    checked = dict(zip(unsure, mapper(_claim, unsure), strict=True))
    claims = [checked.get(path) or claim for path, claim in zip(pending, quick, strict=True)]
    out_dir = settings.out_dir
    refused = refusals(
        claims, owner_of=lambda case_id: recorded_case(out_dir / case_id), settled=settled
    )
    return [(claim, refused.get(index)) for index, claim in enumerate(claims)]


def _claim(path: Path) -> Claim:
    return check_case(path).claim


def admitted(claim: Claim, refusal: Problem | None) -> CaseCheck:
    """The case file validated for use: no case when invalid, refused its id, or changed since
    it claimed one (misread when the same bytes hold another id than a quick read found)."""
    check = check_case(claim.path)
    if check.case is not None and check.case.id != claim.case_id:
        check.case = None
        if claim.digest is not None and claim.digest == check.digest:
            check.misread = True
        else:
            line, column = check.id_at
            message = "the file changed while the build was running; build again"
            check.problems.append(Problem(str(claim.path), line, column, message))
    elif check.case is not None and refusal is not None:
        check.problems.append(refusal)
        check.case = None
    return check


def build_pending(
    plan: Plan, settings: Settings, when: dt.datetime, jobs: int, progress: Progress | None
) -> Iterator[CaseReport]:
    """Build every pending case, `jobs` at a time, yielding reports in the plan's order."""
    generator = Generator(settings)  # a missing templates folder fails here, once
    # What is loaded by now lives as long as the build: the collector need not walk it again
    # (measured: a tenth of a case's time), and forked workers share its pages untouched.
    gc.freeze()
    total = len(plan.pending)
    misread: list[Path] = []
    if min(jobs, total) <= 1:
        work = _work(plan, settings, when, map)
        reports = _misread_apart((build_case(job, generator) for job in work), misread)
        yield from _counted(reports, total, progress)
    else:
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
        initargs = (settings, os.getpid())
        with ProcessPoolExecutor(min(jobs, total), context, _start_worker, initargs) as pool:
            work = _work(plan, settings, when, partial(pool.map, chunksize=4))
            reports = _misread_apart(pool.map(_build_in_worker, work, chunksize=2), misread)
            yield from _counted(reports, total, progress)
    if misread:  # ids a quick read got wrong: every claim is checked again, slowly but surely
        for claim, refusal in claimed(plan, settings, thorough=True):
            if claim.path in misread:
                yield build_case(CaseJob(claim, refusal, settings, when, plan.key), generator)


def _misread_apart(reports: Iterable[CaseReport], misread: list[Path]) -> Iterator[CaseReport]:
    for report in reports:
        if report.misread:
            misread.append(report.source)
        else:
            yield report


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
    report = CaseReport(check.path, problems=list(check.problems), misread=check.misread)
    if check.case is None:
        return report
    report.case_id = check.case.id
    report.warnings = check.review.warnings if check.review else []
    try:
        files = generator.outputs(check.case)
        folder = job.settings.out_dir / check.case.id
        report.files, report.notes = _sync_case(folder, job, check, files)
        report.notes += _left_over(folder, check.case)
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


def _left_over(folder: Path, case: Case) -> list[str]:
    """The files of a deliverable the case no longer produces (its section was removed):
    never deleted, since the coach may have edited them; the build says so."""
    return [
        f"{path} is no longer built: the case has no `{deliverable.needs}` section; "
        "it is left as it is, so delete it if it is not needed"
        for deliverable in DELIVERABLES
        if not deliverable.applies_to(case)
        for path in (folder / f"{deliverable.stem}.md", folder / f"{deliverable.stem}.docx")
        if path.exists()
    ]


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
    for claim, refusal in claimed(plan, settings, thorough=True):
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
