"""Builds cases into output folders without ever overwriting a hand edit; status and clean."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from artifactgen.case import check_cases
from artifactgen.docx_reference import build_reference
from artifactgen.docx_writer import DocumentProperties, DocxWriter
from artifactgen.errors import ArtifactgenError, OutputError, Problem
from artifactgen.mdtree import parse_markdown
from artifactgen.models import Case
from artifactgen.outputs import (
    BACKUP_MARK,
    NEW_MARK,
    Manifest,
    beside,
    file_state,
    free_backup_path,
    generated_fingerprint,
    write_atomic,
)
from artifactgen.templating import DELIVERABLES, Deliverable, Renderer

FORMATS = {"md": ("md",), "docx": ("docx",), "all": ("md", "docx")}


@dataclass(frozen=True)
class Settings:
    """Where a build reads from and writes to."""

    out_dir: Path = Path("output")
    templates_dir: Path = Path("templates")
    reference: Path | None = None  # default: templates/reference.docx, else the built-in style
    formats: tuple[str, ...] = ("md", "docx")
    force: bool = False


@dataclass(frozen=True)
class Written:
    """What happened to one output file."""

    path: Path
    action: str  # "written", "unchanged", "kept", "replaced"
    new_render: Path | None = None
    backup: Path | None = None


@dataclass
class CaseReport:
    source: Path
    case_id: str | None = None
    files: list[Written] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class BuildReport:
    cases: list[CaseReport] = field(default_factory=list)

    @property
    def failed(self) -> list[CaseReport]:
        return [case for case in self.cases if case.problems]

    def count(self, action: str) -> int:
        return sum(1 for case in self.cases for item in case.files if item.action == action)


class Generator:
    """Renders every deliverable of a case, in memory, in the formats asked for."""

    def __init__(self, settings: Settings) -> None:
        if not settings.templates_dir.is_dir():
            raise OutputError.at(settings.templates_dir, 0, 0, "no such templates folder")
        self.settings = settings
        self.renderer = Renderer(settings.templates_dir)
        reference = settings.reference or settings.templates_dir / "reference.docx"
        if reference.exists():
            self.writer = DocxWriter(reference.read_bytes(), reference)
        elif settings.reference is not None:
            raise OutputError.at(reference, 0, 0, "no such reference document")
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


def build(paths: list[Path], settings: Settings) -> BuildReport:
    """Validate and build every case named by `paths`; one bad case never stops the others."""
    generator = Generator(settings)
    report = BuildReport()
    owners: dict[str, Path] = {}
    for check in check_cases(paths):
        entry = CaseReport(check.path, problems=list(check.problems))
        report.cases.append(entry)
        if check.case is None:
            continue
        entry.case_id = check.case.id
        if check.case.id in owners:
            entry.problems.append(
                Problem(
                    str(check.path),
                    1,
                    1,
                    f"case id '{check.case.id}' is already used by {owners[check.case.id]}; "
                    "give this case its own `id:`",
                )
            )
            continue
        owners[str(check.case.id)] = check.path
        try:
            files = generator.render(check.case)
            entry.files = write_case_outputs(settings.out_dir / str(check.case.id), files, settings)
        except ArtifactgenError as error:
            entry.problems.extend(error.problems)
    return report


def write_case_outputs(folder: Path, files: dict[str, bytes], settings: Settings) -> list[Written]:
    """Write one case's files, keeping every file that was edited by hand since it was made."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError.at(folder, 0, 0, f"cannot create the folder: {error.strerror}") from None
    manifest = Manifest(folder)
    results = []
    try:
        for name, data in files.items():
            results.append(_write_one(folder / name, data, manifest, settings.force))
    except ArtifactgenError:
        with contextlib.suppress(ArtifactgenError):
            manifest.save()  # record what was written before the failure
        raise
    manifest.save()
    return results


def _write_one(path: Path, data: bytes, manifest: Manifest, force: bool) -> Written:
    fresh = generated_fingerprint(path.name, data)
    state = file_state(path, manifest, fresh)
    if state.state == "up to date":
        manifest.record(path.name, fresh)
        return Written(path, "unchanged")
    if state.state in ("missing", "stale"):
        write_atomic(path, data)
        manifest.record(path.name, fresh)
        return Written(path, "written")
    if force:
        backup = free_backup_path(path)
        write_atomic(backup, path.read_bytes())
        write_atomic(path, data)
        manifest.record(path.name, fresh)
        return Written(path, "replaced", backup=backup)
    new_render = beside(path, NEW_MARK)
    write_atomic(new_render, data)
    manifest.record(new_render.name, fresh)
    return Written(path, "kept", new_render=new_render)


@dataclass
class StatusReport:
    files: list[tuple[Path, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def status(paths: list[Path], settings: Settings) -> StatusReport:
    """Each output of each case: up to date, stale, edited by hand, or missing."""
    generator = Generator(settings)
    report = StatusReport()
    for check in check_cases(paths):
        report.problems.extend(check.problems)
        if check.case is None:
            continue
        try:
            files = generator.render(check.case)
        except ArtifactgenError as error:
            report.problems.extend(error.problems)
            continue
        folder = settings.out_dir / str(check.case.id)
        manifest = Manifest(folder)
        for name, data in files.items():
            state = file_state(folder / name, manifest, generated_fingerprint(name, data))
            label = "edited by hand" if state.state == "edited" else state.state
            report.files.append((folder / name, label))
    return report


@dataclass
class CleanReport:
    removed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def clean(out_dir: Path) -> CleanReport:
    """Delete generated files that nobody edited; keep edited files and backups."""
    report = CleanReport()
    if not out_dir.is_dir():
        return report
    for folder in sorted(path for path in out_dir.iterdir() if path.is_dir()):
        manifest = Manifest(folder)
        for name in sorted(manifest.files):
            path = folder / name
            state = file_state(path, manifest, None)
            if state.state == "stale":
                path.unlink()
                manifest.record(name, None)
                report.removed.append(path)
            elif state.state == "missing":
                manifest.record(name, None)
            else:
                report.kept.append(path)
        manifest.save()
        report.kept.extend(sorted(folder.glob(f"*{BACKUP_MARK}*")))
        if not any(folder.iterdir()):
            folder.rmdir()
    return report


def write_reference(path: Path) -> Path:
    """Write the default reference DOCX to `path`; never overwrite an existing file."""
    if path.exists():
        raise OutputError.at(path, 0, 0, "already exists; move it away first or pick another path")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, build_reference())
    return path
