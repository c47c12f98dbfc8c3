"""Tidying an output folder: remove what nobody edited; write the default reference DOCX."""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from artifactgen.docx_reference import build_reference
from artifactgen.errors import OutputError
from artifactgen.outcomes import NEW_MARK
from artifactgen.store import STATE_DIR, Manifest, Objects, folder_lock
from artifactgen.sync import is_generated
from artifactgen.writes import write_atomic


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
            _clean_delivered(folder, report)
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


def _clean_delivered(folder: Path, report: CleanReport) -> None:
    """Packs and PDFs as they were made go too; edited ones stay."""
    from artifactgen.delivery import DeliveredState

    state = DeliveredState(folder)
    for name in sorted(state.files):
        path = folder / name
        if path.is_file() and state.untouched(path):
            path.unlink()
            report.removed.append(path)
            del state.files[name]
        elif not path.exists():
            del state.files[name]
    if state.files:
        state.save()


def write_reference(path: Path) -> Path:
    """Write the default reference DOCX to `path`; never overwrite an existing file."""
    if path.exists():
        raise OutputError.at(path, 0, 0, "already exists; move it away first or pick another path")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, build_reference())
    return path
