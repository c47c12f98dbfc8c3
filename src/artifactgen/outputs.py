"""Output files: atomic writes, the manifest of what was generated, and hand-edit detection."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from artifactgen.docx_package import (
    FINGERPRINT_PROPERTY,
    custom_property,
    embedded_fingerprint,
    fingerprint,
    open_docx,
)
from artifactgen.errors import OutputError

MANIFEST_NAME = ".artifactgen.json"
NEW_MARK = ".new"
BACKUP_MARK = ".backup"


def content_fingerprint(name: str, data: bytes) -> str | None:
    """What a file says, independent of how it was saved; None when it cannot be read."""
    return read_fingerprints(name, data)[0]


def generated_fingerprint(name: str, data: bytes) -> str | None:
    """The fingerprint of a file artifactgen has just rendered (a DOCX carries its own)."""
    if name.endswith(".docx"):
        return embedded_fingerprint(data)
    return content_fingerprint(name, data)


def read_fingerprints(name: str, data: bytes) -> tuple[str | None, str | None]:
    """(what the file says now, what artifactgen recorded inside it when it wrote it)."""
    if not name.endswith(".docx"):
        text = data.replace(b"\r\n", b"\n")
        return "sha256:" + hashlib.sha256(text).hexdigest(), None
    try:
        document = open_docx(data)
        return fingerprint(document), custom_property(document, FINGERPRINT_PROPERTY)
    except Exception:  # a damaged or foreign file: python-docx raises many kinds
        return None, None


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and a rename, so a crash never leaves a half-written file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise OutputError.at(path, 0, 0, f"cannot write: {error.strerror}") from None


def beside(path: Path, mark: str, number: int = 1) -> Path:
    """`01-x.docx` -> `01-x.new.docx`, or `01-x.backup-2.docx` for number 2."""
    suffix = mark if number == 1 else f"{mark}-{number}"
    return path.with_name(f"{path.stem}{suffix}{path.suffix}")


def free_backup_path(path: Path) -> Path:
    number = 1
    while beside(path, BACKUP_MARK, number).exists():
        number += 1
    return beside(path, BACKUP_MARK, number)


class Manifest:
    """The fingerprint of every file artifactgen last generated in one output folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / MANIFEST_NAME
        self.files: dict[str, str] = {}
        if self.path.exists():
            try:
                self.files = dict(json.loads(self.path.read_text(encoding="utf-8"))["files"])
            except (OSError, ValueError, KeyError, TypeError):
                self.files = {}

    def recorded(self, name: str) -> str | None:
        return self.files.get(name)

    def record(self, name: str, value: str | None) -> None:
        if value is None:
            self.files.pop(name, None)
        else:
            self.files[name] = value

    def save(self) -> None:
        if not self.files:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            return
        text = json.dumps({"version": 1, "files": self.files}, indent=2, sort_keys=True) + "\n"
        write_atomic(self.path, text.encode("utf-8"))


@dataclass(frozen=True)
class FileState:
    """How one output file on disk relates to what artifactgen generated and would generate."""

    path: Path
    state: str  # "missing", "up to date", "stale", "edited"


def file_state(path: Path, manifest: Manifest, fresh: str | None) -> FileState:
    """Compare the file on disk with the manifest and (when given) a fresh render's fingerprint."""
    if not path.exists():
        return FileState(path, "missing")
    current, embedded = read_fingerprints(path.name, path.read_bytes())
    if current is not None and current == fresh:
        return FileState(path, "up to date")
    if current is not None and current == (manifest.recorded(path.name) or embedded):
        return FileState(path, "stale")
    return FileState(path, "edited")
