"""What the next build would change in each output, block by block, computed in memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from artifactgen.build import build_time
from artifactgen.casework import rendered
from artifactgen.diffing import merge_lines
from artifactgen.docx_merge import Conflict, ConflictKind, MergeError
from artifactgen.docx_update import merge_docx
from artifactgen.errors import ArtifactgenError, Problem
from artifactgen.generate import Output
from artifactgen.inputs import Settings
from artifactgen.outcomes import Status
from artifactgen.preview import Change, changes, docx_outline, markdown_outline
from artifactgen.settled import plan
from artifactgen.store import Objects
from artifactgen.sync import inspect_folder, markdown_heading
from artifactgen.wordml import read_package


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
    for folder, files in _each_pending(paths, settings, problems):
        try:
            objects, inspected = inspect_folder(folder, files)
        except ArtifactgenError as error:
            problems.extend(error.problems)
            continue
        for path, fresh, found in inspected:
            if found.base == fresh.base:
                continue
            before = _outline(path.name, objects, found.base)
            after = _outline_of(path.name, fresh.data)
            item = FileDiff(path, found.status, changes(before, after))
            if found.status is Status.EDITED:
                item.conflicts = _would_conflict(path, objects, found.base, fresh.data)
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
        Conflict(ConflictKind.CHANGED, markdown_heading(merged_lines.lines, at, path.suffix))
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


def _each_pending(
    paths: list[Path], settings: Settings, problems: list[Problem]
) -> Iterator[tuple[Path, dict[str, Output]]]:
    """The output folder and fresh renders of each case with something to do (settled cases
    would change nothing); problems of the invalid ones."""
    for check, files in rendered(plan(paths, settings), settings):
        problems.extend(check.problems)
        if check.case is not None and files is not None:
            yield settings.out_dir / check.case.id, files
