"""Decides what happens to each output file: write it, keep it, merge into it, back it up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from artifactgen.diffing import merge_lines
from artifactgen.docx_canon import differing_roles
from artifactgen.docx_merge import Conflict, ConflictKind, MergeError
from artifactgen.docx_update import merge_docx
from artifactgen.errors import OutputError
from artifactgen.ics import event_summary, readable_calendar
from artifactgen.outcomes import BACKUP_MARK, NEW_MARK, Action, Outcome, Status
from artifactgen.package import read_base, stamp_base
from artifactgen.store import Manifest, Objects, Record, digest
from artifactgen.wordml import read_package, write_package
from artifactgen.writes import Batch, ChangedMeanwhile, Signature, signature, write_atomic

CHANGED_MEANWHILE = "it changed while the build was running"


@dataclass(frozen=True)
class Render:
    """A fresh render of one output, with the key it is stored under."""

    name: str
    data: bytes
    base: str


@dataclass(frozen=True)
class Inspection:
    status: Status
    base: str | None = None  # the render the file was generated or last merged from
    data: bytes | None = None
    seen: Signature | None = None  # the file as it was inspected; None: it did not exist


def prepare(objects: Objects, name: str, data: bytes | dict[str, bytes]) -> Render:
    """Store a fresh render (bytes, or a DOCX's parts) as a base; a DOCX gets the base's key
    in its own properties."""
    if isinstance(data, bytes) and not name.endswith(".docx"):
        return Render(name, data, objects.put(data))
    files = dict(data) if isinstance(data, dict) else read_package(data)
    key = objects.put(write_package(files))  # one object per base: the package as rendered
    stamp_base(files, key)
    return Render(name, write_package(files), key)


def inspect(path: Path, record: Record | None, objects: Objects, fresh: Render) -> Inspection:
    """Compare the file on disk with what was generated there, then with the fresh render."""
    seen = signature(path)
    if seen is None:
        return Inspection(Status.MISSING)
    if not path.is_file():
        raise OutputError.at(
            path, 0, 0, "this is a folder, where a document belongs; move or rename it, then build"
        )
    generated, base, data = _provenance(path, record, objects)
    if base is None:
        return Inspection(Status.UNKNOWN, None, data, seen)
    if not generated:
        return Inspection(Status.EDITED, base, data, seen)
    status = Status.UP_TO_DATE if base == fresh.base else Status.STALE
    return Inspection(status, base, data, seen)


def inspect_folder(
    folder: Path, files: dict[str, bytes | dict[str, bytes]]
) -> tuple[Objects, list[tuple[Path, Render, Inspection]]]:
    """Each fresh render beside the file on disk, for status and diff: nothing is written."""
    objects = Objects(folder, read_only=True)
    manifest = Manifest.load(folder)
    found = []
    for name, data in files.items():
        fresh = prepare(objects, name, data)
        found.append(
            (folder / name, fresh, inspect(folder / name, manifest.files.get(name), objects, fresh))
        )
    return objects, found


def is_generated(path: Path, record: Record | None, objects: Objects) -> bool:
    """Whether the file is exactly a render artifactgen made (so deleting it loses nothing)."""
    generated, base, _ = _provenance(path, record, objects)
    return generated and base is not None


def _provenance(
    path: Path, record: Record | None, objects: Objects
) -> tuple[bool, str | None, bytes | None]:
    """(the file is a render as generated, the base it came from, its bytes when read)."""
    stat = path.stat()
    if not path.is_file():  # a folder in a document's place: nobody's render
        return False, None, None
    if record and (stat.st_size, stat.st_mtime_ns) == (record.size, record.mtime_ns):
        return record.pristine, record.base, None
    data = path.read_bytes()
    if record and digest(data) == record.sha256:
        return record.pristine, record.base, data
    if not path.name.endswith(".docx"):
        if objects.has(digest(data)):
            return True, digest(data), data
        if record and objects.has(record.base):
            return False, record.base, data
        return False, objects.closest_text(data), data  # the manifest is lost: best guess
    try:
        files = read_package(data)
        for candidate in (read_base(files), record.base if record else None):
            base_files = objects.get_tree(candidate) if candidate else None
            if base_files is not None:
                return not differing_roles(base_files, files), candidate, data
    except Exception:  # not a readable DOCX any more: the coach's, whatever it is
        return False, None, data
    return False, None, data


@dataclass(frozen=True)
class OutputFolder:
    """Where a build writes: the stored renders, the manifest, and how to treat edits."""

    objects: Objects
    manifest: Manifest
    force: bool
    when: dt.datetime  # the date of tracked changes
    batch: Batch  # plain writes, put in place together when the folder is done


def apply(path: Path, found: Inspection, fresh: Render, folder: OutputFolder) -> Outcome:
    """Bring one file up to date without losing anything a person did to it."""
    try:
        return _apply(path, found, fresh, folder)
    except ChangedMeanwhile:
        return Outcome(path, Action.SKIPPED, reason=CHANGED_MEANWHILE)


def _apply(path: Path, found: Inspection, fresh: Render, folder: OutputFolder) -> Outcome:
    status, manifest = found.status, folder.manifest
    if status is Status.UP_TO_DATE:
        _refresh(manifest, path, found.base or fresh.base, pristine=True)
        return Outcome(path, Action.UNCHANGED)
    if status in (Status.MISSING, Status.STALE):
        return _write(path, fresh, folder, found.seen)
    if folder.force:
        backup = free_path(path, BACKUP_MARK)
        data = path.read_bytes()
        if signature(path) != found.seen:
            raise ChangedMeanwhile(path)
        write_atomic(backup, data, unchanged_since=None)
        outcome = _write(path, fresh, folder, found.seen)
        outcome.action, outcome.backup = Action.REPLACED, backup
        return outcome
    if status is Status.EDITED and found.base == fresh.base:
        _refresh(manifest, path, fresh.base, pristine=False)
        return Outcome(path, Action.KEPT)
    if status is Status.UNKNOWN or found.base is None:
        reason = "artifactgen has no record of what it generated here"
        return _fork(path, fresh, manifest, reason)
    data = found.data if found.data is not None else path.read_bytes()
    if path.name.endswith(".docx"):
        return _merge_docx(path, data, found, fresh, folder)
    return _merge_markdown(path, data, found, fresh, folder)


def _merge_docx(
    path: Path, data: bytes, found: Inspection, fresh: Render, folder: OutputFolder
) -> Outcome:
    manifest = folder.manifest
    base_files = folder.objects.get_tree(found.base) if found.base else None
    if base_files is None:
        return _fork(path, fresh, manifest, "its base is missing")
    try:
        merged = merge_docx(base_files, data, fresh.data, folder.when)
    except MergeError as error:
        return _fork(path, fresh, manifest, str(error))
    write_atomic(path, merged.data, unchanged_since=found.seen)
    manifest.record(path, fresh.base, pristine=False)
    return Outcome(path, Action.MERGED, merged.tracked, merged.conflicts, merged.kept_parts)


def _merge_markdown(
    path: Path, data: bytes, found: Inspection, fresh: Render, folder: OutputFolder
) -> Outcome:
    manifest = folder.manifest
    base_data = folder.objects.get(found.base) if found.base else None
    if base_data is None:
        return _fork(path, fresh, manifest, "its base is missing")
    texts = [
        blob.decode("utf-8", "replace").splitlines(keepends=True) for blob in (base_data, data)
    ]
    fresh_lines = fresh.data.decode("utf-8").splitlines(keepends=True)
    merged = merge_lines(texts[0], texts[1], fresh_lines)
    if path.suffix == ".ics" and not readable_calendar("".join(merged.lines).encode("utf-8")):
        reason = "merging the case's changes into it would not give a calendar apps can read"
        return _fork(path, fresh, manifest, reason)
    write_atomic(path, "".join(merged.lines).encode("utf-8"), unchanged_since=found.seen)
    manifest.record(path, fresh.base, pristine=False)
    outcome = Outcome(path, Action.MERGED, tracked=merged.applied)
    if merged.conflicts:
        outcome.beside = _write_beside(path, fresh, manifest)
        outcome.conflicts = [
            Conflict(ConflictKind.CHANGED, markdown_heading(merged.lines, at, path.suffix))
            for at in merged.conflicts
        ]
    return outcome


def markdown_heading(lines: list[str], at: int, suffix: str = ".md") -> str:
    """What a text conflict is under: the Markdown heading, or the calendar event's summary."""
    if suffix == ".ics":
        return event_summary(lines, at)
    for line in reversed(lines[: at + 1]):
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return ""


def _write(path: Path, fresh: Render, folder: OutputFolder, seen: Signature | None) -> Outcome:
    """Stage the fresh render for `path`; it goes in place (and on record) with the batch."""
    outcome = Outcome(path, Action.WRITTEN)

    def done(written: bool) -> None:
        if written:
            folder.manifest.record(path, fresh.base, pristine=True, data=fresh.data)
        else:
            outcome.action, outcome.reason = Action.SKIPPED, CHANGED_MEANWHILE

    folder.batch.stage(path, fresh.data, seen, done)
    return outcome


def _fork(path: Path, fresh: Render, manifest: Manifest, reason: str) -> Outcome:
    """Keep the edited file as it is and write the fresh render beside it.

    From then on the file counts as edited from that render, so later case changes merge
    into it instead of forking again.
    """
    beside = _write_beside(path, fresh, manifest)
    manifest.record(path, fresh.base, pristine=False)
    return Outcome(path, Action.FORKED, beside=beside, reason=reason)


def _write_beside(path: Path, fresh: Render, manifest: Manifest) -> Path:
    """NAME.new.EXT, or NAME.new-2.EXT and so on when the coach has edited an earlier one."""
    number = 1
    while True:
        candidate = marked(path, NEW_MARK, number)
        record = manifest.files.get(candidate.name)
        if not candidate.exists() or (record and _untouched(candidate, record)):
            break
        number += 1
    write_atomic(candidate, fresh.data)
    manifest.record(candidate, fresh.base, pristine=True)
    return candidate


def _untouched(path: Path, record: Record) -> bool:
    return record.pristine and digest(path.read_bytes()) == record.sha256


def _refresh(manifest: Manifest, path: Path, base: str, *, pristine: bool) -> None:
    record = manifest.files.get(path.name)
    stat = path.stat()
    if record and (record.size, record.mtime_ns, record.base, record.pristine) == (
        stat.st_size,
        stat.st_mtime_ns,
        base,
        pristine,
    ):
        return
    manifest.record(path, base, pristine=pristine)


def marked(path: Path, mark: str, number: int = 1) -> Path:
    """`01-x.docx` -> `01-x.new.docx`, or `01-x.backup-2.docx` for number 2."""
    suffix = mark if number == 1 else f"{mark}-{number}"
    return path.with_name(f"{path.stem}{suffix}{path.suffix}")


def free_path(path: Path, mark: str) -> Path:
    number = 1
    while marked(path, mark, number).exists():
        number += 1
    return marked(path, mark, number)
