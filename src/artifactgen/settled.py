"""Finds the case files already built from exactly today's inputs, without rendering anything.

A case is settled when its folder's manifest records the same build key and case bytes, names
this case file as its source, and every output it lists still has the size and modification
time recorded when it was written. Only the standard library runs here, so a build with
nothing to do starts no template engine, validator or document library.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from artifactgen.errors import OutputError
from artifactgen.inputs import Settings, build_key, file_digest, find_cases, read_bytes
from artifactgen.store import MANIFEST_NAME, MANIFEST_VERSION, STATE_DIR
from artifactgen.writes import write_atomic

INDEX_VERSION = 1


class SettledOutput(NamedTuple):
    path: Path
    pristine: bool  # exactly as generated; otherwise edited by hand and already merged


@dataclass(frozen=True)
class Settled:
    """A case whose outputs are all up to date with its case file and the build's inputs."""

    source: Path
    case_id: str
    folder: Path  # as the user named it
    names: tuple[tuple[str, bool], ...]  # each output, and whether it is pristine

    @property
    def outputs(self) -> list[SettledOutput]:
        return [SettledOutput(self.folder / name, pristine) for name, pristine in self.names]


@dataclass
class Plan:
    """The case files of a build in order, which are settled, and what the others are read as."""

    key: str
    cases: list[Path] = field(default_factory=list)
    settled: dict[Path, Settled] = field(default_factory=dict)

    @property
    def pending(self) -> list[Path]:
        return [path for path in self.cases if path not in self.settled]

    def settled_ids(self) -> dict[str, Path]:
        return {item.case_id: item.source for item in self.settled.values()}


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No garbage collection while settled cases are listed: tens of thousands of small
    objects, none in a cycle, whose collection would cost up to half a no-op build."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def plan(paths: list[Path], settings: Settings) -> Plan:
    """Fingerprint the inputs and sort the case files into settled and pending."""
    found = Plan(build_key(settings.templates_dir, settings.formats), find_cases(paths))
    index = read_index(settings.out_dir)
    out_dir = os.path.realpath(settings.out_dir)
    real_folders: dict[Path, str] = {}
    for path in found.cases:
        digest = file_digest(path)
        if digest is None:
            continue
        source = _real_path(path, real_folders)
        case_id = index.get(source)
        if case_id and not settings.force:
            folder = os.path.join(out_dir, case_id)
            shown = settings.out_dir / case_id
            settled = _settled(path, source, (folder, shown), (found.key, digest))
            if settled:
                found.settled[path] = settled
    return found


def _real_path(path: Path, real_folders: dict[Path, str]) -> str:
    """os.path.realpath, resolving each folder once: case files share a few."""
    if path.is_symlink():
        return os.path.realpath(path)
    folder = real_folders.get(path.parent)
    if folder is None:
        folder = real_folders[path.parent] = os.path.realpath(path.parent)
    return os.path.join(folder, path.name)


def _settled(
    path: Path, source: str, folders: tuple[str, Path], inputs: tuple[str, str]
) -> Settled | None:
    """`path` as Settled when its folder's outputs are all as its last build left them.

    `folders`: the output folder resolved, and as the user named it (for reports). The
    manifest is read as plain JSON here; anything unexpected in it leaves the case to the
    full build, which says what is wrong."""
    folder, shown = folders
    try:
        manifest = json.loads(read_bytes(os.path.join(folder, STATE_DIR, MANIFEST_NAME)))
        recorded, files = manifest["inputs"], manifest["files"]
        if manifest["version"] != MANIFEST_VERSION or [recorded["key"], recorded["case"]] != [
            *inputs
        ]:
            return None
        if manifest["case"] != os.path.relpath(source, folder):
            return None
        outputs = []
        prefix = folder + os.sep
        for name in recorded["outputs"]:
            record = files[name]
            stat = os.stat(prefix + name)
            if stat.st_size != record["size"] or stat.st_mtime_ns != record["mtime_ns"]:
                return None
            outputs.append((name, record["pristine"] is True))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return Settled(path, shown.name, shown, tuple(outputs))


def _index_path(out_dir: Path) -> Path:
    return out_dir / STATE_DIR / "index.json"


def read_index(out_dir: Path) -> dict[str, str]:
    """Case file (resolved path) -> the id it was last built under: a hint, checked on use."""
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
        data = json.loads(_index_path(out_dir).read_text(encoding="utf-8"))
        if data.get("version") == INDEX_VERSION:
            return {str(k): str(v) for k, v in data["cases"].items()}
    return {}


def update_index(out_dir: Path, built: dict[Path, str]) -> None:
    """Remember which id each case file was built under, for the next build's `plan`."""
    index = read_index(out_dir)
    changes = {os.path.realpath(path): case_id for path, case_id in built.items()}
    if all(index.get(path) == case_id for path, case_id in changes.items()):
        return
    index.update(changes)
    data = {"version": INDEX_VERSION, "cases": dict(sorted(index.items()))}
    # Only a hint: without it the next build renders again.
    with contextlib.suppress(OSError, OutputError):
        _index_path(out_dir).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(_index_path(out_dir), (json.dumps(data, indent=1) + "\n").encode())
