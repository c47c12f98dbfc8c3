"""Builds cases into output folders and reports their status; settled cases cost only a stat.

The heavy stages (validation, templates, the Word writer, the merge) are imported only when
some case has something to do, so a build or status with nothing to do stays light.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from artifactgen.errors import ArtifactgenError, Problem
from artifactgen.inputs import FORMATS, Settings
from artifactgen.outcomes import (
    BACKUP_MARK,
    NEW_MARK,
    Action,
    BuildReport,
    CaseReport,
    Outcome,
    Progress,
    Status,
)
from artifactgen.settled import Settled, collection_paused, plan, update_index

if TYPE_CHECKING:
    from artifactgen.generate import Output

__all__ = ["FORMATS", "BuildReport", "Settings", "build", "build_time", "status"]


def build_time() -> dt.datetime:
    """When tracked changes are dated: SOURCE_DATE_EPOCH when set, else now (UTC, seconds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def build(
    paths: list[Path],
    settings: Settings,
    when: dt.datetime | None = None,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    check_settled: bool = False,
) -> BuildReport:
    """Validate and build every case named by `paths`; one bad case never stops the others.

    Cases whose inputs and outputs are as the last build left them are reported unchanged
    without being read, so without the checks' warnings unless `check_settled`; the others
    are built `jobs` at a time, and checked.
    """
    with collection_paused():
        found = plan(paths, settings)
        reports = {path: _settled_report(item) for path, item in found.settled.items()}
    if check_settled and found.settled:
        from artifactgen.case import check_case

        for path in found.settled:
            review = check_case(path).review
            reports[path].warnings = review.warnings if review else []
    if found.pending:
        from artifactgen.casework import build_pending

        built = build_pending(found, settings, when or build_time(), jobs, progress)
        built_reports = list(built)
        reports.update((report.source, report) for report in built_reports)
        # Settled cases were found through the index: only built ones can change it.
        update_index(
            settings.out_dir,
            {r.source: r.case_id for r in built_reports if r.case_id and not r.problems},
        )
    return BuildReport([reports[path] for path in found.cases if path in reports])


def _settled_report(item: Settled) -> CaseReport:
    actions = {True: Action.UNCHANGED, False: Action.KEPT}
    files = [Outcome(output.path, actions[output.pristine]) for output in item.outputs]
    return CaseReport(item.source, item.case_id, files)


@dataclass
class FileStatus:
    path: Path
    status: Status
    tracked: int = 0  # artifactgen's tracked changes still to review
    comments: int = 0  # artifactgen's comments still in the document


@dataclass
class StatusReport:
    files: list[FileStatus] = field(default_factory=list)
    extras: list[tuple[Path, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def status(paths: list[Path], settings: Settings) -> StatusReport:
    """Each output of each case: up to date, stale, edited (what is left to review), missing."""
    per_case: dict[Path, list[FileStatus]] = {}
    folders: dict[Path, Path] = {}
    with collection_paused():
        found = plan(paths, settings)
        for path, item in found.settled.items():
            per_case[path] = [_settled_status(out.path, out.pristine) for out in item.outputs]
            folders[path] = item.folder
    report = StatusReport()
    if found.pending:
        from artifactgen.casework import rendered

        for check, files in rendered(found, settings):
            report.problems.extend(check.problems)
            if check.case is not None and files is not None:
                folders[check.path] = settings.out_dir / check.case.id
                try:
                    per_case[check.path] = _rendered_status(folders[check.path], files)
                except ArtifactgenError as error:
                    report.problems.extend(error.problems)
    for path in found.cases:
        report.files.extend(per_case.get(path, []))
        if path in folders:
            report.extras.extend(_extras(folders[path]))
    return report


def _settled_status(path: Path, pristine: bool) -> FileStatus:
    if pristine:
        return FileStatus(path, Status.UP_TO_DATE)
    return _edited(FileStatus(path, Status.EDITED))


def _edited(item: FileStatus) -> FileStatus:
    """An edited Word file with the count of artifactgen's revisions still in it."""
    if item.path.suffix == ".docx":
        from artifactgen.package import Package, to_review

        # An unreadable file is still listed as edited, without counts.
        with contextlib.suppress(Exception):
            item.tracked, item.comments = to_review(Package.open(item.path.read_bytes()))
    return item


def _rendered_status(folder: Path, files: dict[str, Output]) -> list[FileStatus]:
    from artifactgen.sync import inspect_folder

    found = []
    for path, _, seen in inspect_folder(folder, files)[1]:
        item = FileStatus(path, seen.status)
        found.append(_edited(item) if seen.status is Status.EDITED else item)
    return found


def _extras(folder: Path) -> list[tuple[Path, str]]:
    """Fresh renders written beside edited files, and backups."""
    names = sorted(folder.iterdir()) if folder.is_dir() else []
    extras = [path for path in names if NEW_MARK in path.name or BACKUP_MARK in path.name]
    if not extras:
        return []
    from artifactgen.store import Manifest, Objects
    from artifactgen.sync import is_generated

    manifest = Manifest.load(folder)
    objects = Objects(folder, read_only=True)
    found = []
    for path in extras:
        if NEW_MARK in path.name:
            label = "the case's version, beside an edited file"
            if not is_generated(path, manifest.files.get(path.name), objects):
                label += " (edited since)"
            found.append((path, label))
        else:
            found.append((path, "backup of an edited file"))
    return found
