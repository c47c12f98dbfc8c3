"""Makes a workspace, and copies built-in templates into one: never over an existing file."""

from __future__ import annotations

import os
from pathlib import Path

from artifactgen.errors import ArtifactgenError, OutputError, Problem
from artifactgen.inputs import DEFAULT_TEMPLATES
from artifactgen.schema import SCHEMA_PATH, case_schema_text
from artifactgen.workspace import MARKER, find_workspace

SKELETON = Path(__file__).resolve().parent / "defaults" / "workspace"
KEEP = "already exists; nothing was written, so that it stays as it is"


def workspace_files() -> dict[str, bytes]:
    """Every file `init` writes, by its path inside the workspace, in order.

    The marker, Makefile, README.txt, the example case and the case format come from the
    package; the JSON Schema is the one this version of artifactgen prints.
    """
    if not (SKELETON / MARKER).is_file():
        raise RuntimeError(f"artifactgen is installed without its workspace files ({SKELETON})")
    files = {
        path.relative_to(SKELETON).as_posix(): path.read_bytes()
        for path in SKELETON.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    files[SCHEMA_PATH.as_posix()] = case_schema_text().encode("utf-8")
    return dict(sorted(files.items()))


def init_workspace(target: Path) -> list[Path]:
    """Make the folder `target` a workspace; the files written, then `output/`.

    Refused, with nothing written, when `target` is in a workspace already or when any file
    it would write exists: a coach's files are never replaced."""
    if target.exists() and not target.is_dir():
        raise OutputError.at(target, 0, 0, "is a file, not a folder")
    enclosing = find_workspace(target)
    if enclosing is not None:
        if enclosing.root == Path(os.path.abspath(target)):
            raise ArtifactgenError.at(
                target / MARKER, 0, 0, "this folder is an artifactgen workspace already"
            )
        raise ArtifactgenError.at(
            target,
            0,
            0,
            f"is inside the artifactgen workspace {enclosing.root}; "
            "a workspace cannot hold another, so pick a folder outside it",
        )
    files = workspace_files()
    folders = {str(Path(name).parent) for name in files if "/" in name} | {"output"}
    clashes = [target / name for name in files if os.path.lexists(target / name)]
    clashes += [target / name for name in folders if _not_a_folder(target / name)]
    if clashes:
        raise ArtifactgenError([Problem(str(path), 0, 0, KEEP) for path in clashes])
    written = [_create(target / name, data) for name, data in files.items()]
    output = target / "output"
    try:
        output.mkdir(exist_ok=True)
    except OSError as error:
        raise OutputError.at(output, 0, 0, f"cannot make the folder: {error.strerror}") from None
    return [*written, output]


def template_names() -> list[str]:
    """The built-in templates and reference document, by file name."""
    return sorted(path.name for path in DEFAULT_TEMPLATES.iterdir() if path.is_file())


def copy_templates(names: list[str], templates_dir: Path) -> list[Path]:
    """Copy the built-in files `names` into `templates_dir`, where they override the built-in
    ones; refused, with nothing written, for an unknown name or a file that exists."""
    known = template_names()
    problems = [
        Problem(name, 0, 0, f"no such built-in template; use one of: {', '.join(known)}")
        for name in names
        if name not in known
    ]
    problems += [
        Problem(str(templates_dir / name), 0, 0, "already exists; edit it there")
        for name in names
        if name in known and os.path.lexists(templates_dir / name)
    ]
    if problems:
        raise ArtifactgenError(problems)
    return [
        _create(templates_dir / name, (DEFAULT_TEMPLATES / name).read_bytes())
        for name in dict.fromkeys(names)
    ]


def _not_a_folder(path: Path) -> bool:
    return os.path.lexists(path) and not path.is_dir()


def _create(path: Path, data: bytes) -> Path:
    """Write a new file; one that appeared meanwhile is left alone and reported."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError.at(
            path.parent, 0, 0, f"cannot make the folder: {error.strerror}"
        ) from None
    try:
        with path.open("xb") as handle:
            handle.write(data)
    except FileExistsError:
        raise ArtifactgenError.at(path, 0, 0, "already exists; left as it is") from None
    except OSError as error:
        raise OutputError.at(path, 0, 0, f"cannot write: {error.strerror}") from None
    return path
