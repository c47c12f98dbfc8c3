"""Finds the workspace a command runs in, as git finds its repository: with the standard library.

A workspace is a folder holding the marker file `artifactgen.toml`, with `cases/`, `output/`,
`schema/` and, optionally, `templates/` (files there override the built-in templates one by
one). A command run in the workspace or any folder below it uses those folders unless told
otherwise; paths are shown relative to the folder the command runs in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from artifactgen.errors import ArtifactgenError

MARKER = "artifactgen.toml"


@dataclass(frozen=True)
class Workspace:
    """A workspace's root folder, as found from the folder a command runs in."""

    root: Path  # absolute

    def shown(self, name: str) -> Path:
        """The workspace's folder or file `name`, relative to the current folder."""
        return Path(os.path.relpath(self.root / name))

    @property
    def cases(self) -> Path:
        return self.shown("cases")

    @property
    def output(self) -> Path:
        return self.shown("output")

    @property
    def templates(self) -> Path:
        return self.shown("templates")

    @property
    def schema(self) -> Path:
        return self.shown("schema/case.schema.json")


def find_workspace(start: Path | None = None) -> Workspace | None:
    """The workspace holding `start` (default: the current folder), or None outside any."""
    here = Path(os.path.abspath(start if start is not None else os.getcwd()))
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return Workspace(folder)
    return None


def require_workspace(start: Path | None = None) -> Workspace:
    """The workspace holding `start`; outside any, an error that says how to make one."""
    found = find_workspace(start)
    if found is None:
        here = os.path.abspath(start if start is not None else os.getcwd())
        raise ArtifactgenError.at(
            here,
            0,
            0,
            f"not inside an artifactgen workspace (no {MARKER} here or in a folder above); "
            "run 'artifactgen init' to make this folder one",
        )
    return found


def cases_or_workspace(paths: list[Path]) -> list[Path]:
    """The case files or folders named, else the workspace's cases/."""
    return paths or [require_workspace().cases]


def folder_or_workspace(given: Path | None, name: str) -> Path:
    """The folder named, else the workspace's folder `name` (output, cases)."""
    return given if given is not None else require_workspace().shown(name)


def overrides_or_workspace(given: Path | None) -> Path | None:
    """The template overrides named, else the workspace's templates/ when it has one."""
    if given is not None:
        return given
    found = find_workspace()
    return found.templates if found is not None and found.templates.is_dir() else None
