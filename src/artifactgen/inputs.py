"""What a build reads, fingerprinted with the standard library alone: case files and a build key."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from artifactgen import __version__

CASE_SUFFIXES = (".yaml", ".yml")
_CODE = Path(__file__).resolve().parent
DEFAULT_TEMPLATES = _CODE / "defaults" / "templates"  # the built-in templates and reference
FORMATS = {"md": ("md",), "docx": ("docx",), "all": ("md", "docx")}


@dataclass(frozen=True)
class Settings:
    """Where a build reads from and writes to."""

    out_dir: Path = Path("output")
    templates_dir: Path | None = None  # overrides of the built-in templates, file by file
    formats: tuple[str, ...] = ("md", "docx")
    force: bool = False


def find_cases(paths: list[Path]) -> list[Path]:
    """The case files named by `paths`: files as given, directories searched for *.yaml / *.yml."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            with os.scandir(path) as entries:
                names = sorted(
                    e.name for e in entries if os.path.splitext(e.name)[1] in CASE_SUFFIXES
                )
            found.extend(path / name for name in names)
        else:
            found.append(path)
    return found


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes; None when it cannot be read (the full check will say why)."""
    try:
        return hashlib.sha256(read_bytes(path)).hexdigest()
    except OSError:
        return None


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes, in half the system calls of open().read(): a no-op build reads two
    small files per case."""
    handle = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(handle, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


def template_file(name: str, templates_dir: Path | None) -> Path:
    """The template or reference DOCX `name`: the override in `templates_dir` if there is one."""
    if templates_dir is not None and (templates_dir / name).is_file():
        return templates_dir / name
    return DEFAULT_TEMPLATES / name


def build_key(templates_dir: Path | None, formats: tuple[str, ...]) -> str:
    """Everything besides the case file that decides what a build writes.

    The program (its version and its own files), every built-in template and the reference
    DOCX, every file in the overrides folder `templates_dir`, and the formats asked for.
    Outputs built under another key are rendered again; those built under this key and the
    same case bytes are not.
    """
    key = hashlib.sha256(f"artifactgen {__version__}\nformats {','.join(formats)}\n".encode())
    folders = (("code", _CODE), ("default", DEFAULT_TEMPLATES), ("template", templates_dir))
    for label, folder in folders:
        for path in sorted(folder.iterdir()) if folder is not None and folder.is_dir() else []:
            if path.is_file() and not path.name.startswith("."):
                key.update(f"{label} {path.name} {path.stat().st_size}\n".encode())
                key.update(path.read_bytes())
    return key.hexdigest()
