"""Builds cases into output folders, merging into hand-edited files; status, diff and clean."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from artifactgen.case import CaseCheck, check_cases
from artifactgen.diffing import merge_lines
from artifactgen.docx_merge import Conflict, ConflictKind, MergeError
from artifactgen.docx_reference import build_reference
from artifactgen.docx_update import merge_docx
from artifactgen.docx_writer import DocumentProperties, DocxWriter
from artifactgen.errors import ArtifactgenError, OutputError, Problem
from artifactgen.mdtree import parse_markdown
from artifactgen.models import Case
from artifactgen.package import Package, to_review
from artifactgen.preview import Change, changes, docx_outline, markdown_outline
from artifactgen.store import STATE_DIR, Manifest, Objects, digest, folder_lock, write_atomic
from artifactgen.sync import (
    BACKUP_MARK,
    NEW_MARK,
    Action,
    Outcome,
    OutputFolder,
    Status,
    apply,
    inspect,
    is_generated,
    markdown_heading,
    prepare,
)
from artifactgen.templating import DELIVERABLES, Deliverable, Renderer
from artifactgen.wordml import read_package

FORMATS = {"md": ("md",), "docx": ("docx",), "all": ("md", "docx")}


@dataclass(frozen=True)
class Settings:
    """Where a build reads from and writes to."""

    out_dir: Path = Path("output")
    templates_dir: Path = Path("templates")
    formats: tuple[str, ...] = ("md", "docx")
    force: bool = False


class Generator:
    """Renders every deliverable of a case, in memory, in the formats asked for."""

    def __init__(self, settings: Settings) -> None:
        if not settings.templates_dir.is_dir():
            raise OutputError.at(settings.templates_dir, 0, 0, "no such templates folder")
        self.settings = settings
        self.renderer = Renderer(settings.templates_dir)
        reference = settings.templates_dir / "reference.docx"
        if reference.exists():
            self.writer = DocxWriter(reference.read_bytes(), reference)
        else:
            self.writer = DocxWriter(build_reference(), "built-in reference document")

    def render(
        self, case: Case, deliverables: tuple[Deliverable, ...] = DELIVERABLES
    ) -> dict[str, bytes]:
        """File name -> content for the outputs of `case`; nothing is written."""
        files: dict[str, bytes] = {}
        created = dt.datetime.combine(case.session.date, dt.time(), tzinfo=dt.timezone.utc)
        for deliverable in deliverables:
            markdown = self.renderer.render(case, deliverable)
            if "md" in self.settings.formats:
                files[f"{deliverable.stem}.md"] = markdown.encode("utf-8")
            if "docx" in self.settings.formats:
                properties = DocumentProperties(
                    title=f"{deliverable.title}: {case.client.name}",
                    author=case.coach.name,
                    subject=case.client.name,
                    created=created,
                )
                files[f"{deliverable.stem}.docx"] = self.writer.write(
                    parse_markdown(markdown), properties
                )
        return files


@dataclass
class CaseReport:
    source: Path
    case_id: str | None = None
    files: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class BuildReport:
    cases: list[CaseReport] = field(default_factory=list)

    @property
    def failed(self) -> list[CaseReport]:
        return [case for case in self.cases if case.problems]

    def count(self, action: Action) -> int:
        return sum(1 for case in self.cases for item in case.files if item.action is action)


def build_time() -> dt.datetime:
    """When tracked changes are dated: SOURCE_DATE_EPOCH when set, else now (UTC, seconds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def build(paths: list[Path], settings: Settings, when: dt.datetime | None = None) -> BuildReport:
    """Validate and build every case named by `paths`; one bad case never stops the others."""
    generator = Generator(settings)
    report = BuildReport()
    when = when or build_time()
    for check, files in _rendered(paths, generator):
        entry = CaseReport(check.path, problems=list(check.problems))
        report.cases.append(entry)
        if check.case is None or files is None:
            continue
        entry.case_id = check.case.id
        try:
            folder = settings.out_dir / check.case.id
            entry.files, entry.notes = _sync_case(folder, check, files, settings, when)
        except ArtifactgenError as error:
            entry.problems.extend(error.problems)
    return report


def _rendered(
    paths: list[Path], generator: Generator
) -> Iterator[tuple[CaseCheck, dict[str, bytes] | None]]:
    """Each case file with its fresh renders (None when it is invalid or fails to render)."""
    out_dir = generator.settings.out_dir
    for check in check_cases(paths, owner_of=lambda case_id: _recorded_case(out_dir / case_id)):
        if check.case is None:
            yield check, None
            continue
        try:
            yield check, generator.render(check.case)
        except ArtifactgenError as error:
            check.problems.extend(error.problems)
            yield check, None


def _sync_case(
    folder: Path, check: CaseCheck, files: dict[str, bytes], settings: Settings, when: dt.datetime
) -> tuple[list[Outcome], list[str]]:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError.at(folder, 0, 0, f"cannot use the folder: {error.strerror}") from None
    with folder_lock(folder):
        manifest = Manifest.load(folder)
        notes = _claim(folder, manifest, check)
        objects = Objects(folder)
        target = OutputFolder(objects, manifest, settings.force, when)
        outcomes = []
        for name, data in files.items():
            fresh = prepare(objects, name, data)
            path = folder / name
            found = inspect(path, manifest.files.get(name), objects, fresh)
            outcomes.append(apply(path, found, fresh, target))
            manifest.save()
        _record_pending(folder, manifest, objects)
        objects.keep_only(manifest.bases())
    return outcomes, notes


def _recorded_case(folder: Path) -> Path | None:
    """The case file an output folder was last built from, if it says."""
    manifest = Manifest.load(folder) if folder.is_dir() else None
    return folder / manifest.case if manifest and manifest.case else None


def _record_pending(folder: Path, manifest: Manifest, objects: Objects) -> None:
    """Re-record untouched NAME.new.* files a lost manifest forgot, so they stay untouched."""
    for path in sorted(folder.glob(f"*{NEW_MARK}*")):
        if path.name not in manifest.files and path.suffix == ".md":
            key = digest(path.read_bytes())
            if objects.has(key):
                manifest.record(path, key, pristine=True)


def _claim(folder: Path, manifest: Manifest, check: CaseCheck) -> list[str]:
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
    report = StatusReport()
    for folder, files in _each_case(paths, settings, report.problems):
        objects = Objects(folder, read_only=True)
        manifest = Manifest.load(folder)
        for name, data in files.items():
            fresh = prepare(objects, name, data)
            found = inspect(folder / name, manifest.files.get(name), objects, fresh)
            item = FileStatus(folder / name, found.status)
            if found.status is Status.EDITED and name.endswith(".docx"):
                with contextlib.suppress(Exception):
                    item.tracked, item.comments = to_review(Package.open(item.path.read_bytes()))
            report.files.append(item)
        report.extras.extend(_extras(folder, manifest, objects))
    return report


def _extras(folder: Path, manifest: Manifest, objects: Objects) -> list[tuple[Path, str]]:
    """Fresh renders written beside edited files, and backups."""
    found = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if NEW_MARK in path.name:
            label = "the case's version, beside an edited file"
            if not is_generated(path, manifest.files.get(path.name), objects):
                label += " (edited since)"
            found.append((path, label))
        elif BACKUP_MARK in path.name:
            found.append((path, "backup of an edited file"))
    return found


def _each_case(
    paths: list[Path], settings: Settings, problems: list[Problem]
) -> Iterator[tuple[Path, dict[str, bytes]]]:
    """The output folder and fresh renders of each valid case; problems of the others."""
    for check, files in _rendered(paths, Generator(settings)):
        problems.extend(check.problems)
        if check.case is not None and files is not None:
            yield settings.out_dir / check.case.id, files


@dataclass
class FileDiff:
    path: Path
    status: Status
    changes: list[Change]
    conflicts: list[Conflict] = field(default_factory=list)  # where the coach changed it too


def diff(paths: list[Path], settings: Settings) -> tuple[list[FileDiff], list[Problem]]:
    """What a build would change in each output, block by block; nothing is written."""
    problems: list[Problem] = []
    found_diffs = []
    for folder, files in _each_case(paths, settings, problems):
        objects = Objects(folder, read_only=True)
        manifest = Manifest.load(folder)
        for name, data in files.items():
            fresh = prepare(objects, name, data)
            found = inspect(folder / name, manifest.files.get(name), objects, fresh)
            if found.base == fresh.base:
                continue
            before = _outline(name, objects, found.base)
            after = _outline_of(name, fresh.data)
            item = FileDiff(folder / name, found.status, changes(before, after))
            if found.status is Status.EDITED:
                item.conflicts = _would_conflict(folder / name, objects, found.base, fresh.data)
            found_diffs.append(item)
    return found_diffs, problems


def _would_conflict(path: Path, objects: Objects, base: str | None, fresh: bytes) -> list[Conflict]:
    """The conflicts a build would report, from a merge done in memory."""
    coach = path.read_bytes()
    if path.suffix == ".docx":
        base_files = objects.get_tree(base) if base else None
        if base_files is None:
            return []
        try:
            merged = merge_docx(base_files, coach, fresh, build_time())
        except MergeError:
            return []
        return merged.conflicts
    base_data = objects.get(base) if base else None
    if base_data is None:
        return []
    lines = [blob.decode("utf-8", "replace").splitlines(True) for blob in (base_data, coach, fresh)]
    merged_lines = merge_lines(*lines)
    return [
        Conflict(ConflictKind.CHANGED, markdown_heading(merged_lines.lines, at))
        for at in merged_lines.conflicts
    ]


def _outline(name: str, objects: Objects, base: str | None) -> list[str]:
    if base is None:
        return []
    if name.endswith(".docx"):
        files = objects.get_tree(base)
        return docx_outline(files) if files else []
    data = objects.get(base)
    return markdown_outline(data) if data else []


def _outline_of(name: str, data: bytes) -> list[str]:
    return docx_outline(read_package(data)) if name.endswith(".docx") else markdown_outline(data)


@dataclass
class CleanReport:
    removed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def clean(out_dir: Path) -> CleanReport:
    """Delete generated files nobody edited, and stray temporary files; keep every edit."""
    report = CleanReport()
    if not out_dir.is_dir():
        return report
    for folder in sorted(path for path in out_dir.iterdir() if path.is_dir()):
        if not (folder / STATE_DIR).is_dir():
            continue
        with folder_lock(folder):
            manifest = Manifest.load(folder)
            objects = Objects(folder, read_only=True)
            record = manifest.files.get
            for name in sorted(manifest.files):
                path = folder / name
                pending = NEW_MARK in name  # the case's side of a conflict, still to review
                if path.exists() and (pending or not is_generated(path, record(name), objects)):
                    report.kept.append(path)
                    continue
                if path.exists():
                    path.unlink()
                    report.removed.append(path)
                del manifest.files[name]
            report.kept.extend(
                p for p in sorted(folder.iterdir()) if p.is_file() and p not in report.kept
            )
            if manifest.files:
                manifest.save()
                Objects(folder).keep_only(manifest.bases())
        if not manifest.files:
            shutil.rmtree(folder / STATE_DIR, ignore_errors=True)
            with contextlib.suppress(OSError):
                folder.rmdir()
    return report


def write_reference(path: Path) -> Path:
    """Write the default reference DOCX to `path`; never overwrite an existing file."""
    if path.exists():
        raise OutputError.at(path, 0, 0, "already exists; move it away first or pick another path")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, build_reference())
    return path
