"""Writing files safely: through a temporary file and a rename, never over a newer save.

A build stages the files of one output folder in a Batch: each is written to a temporary
file, all are flushed to disk in one step, and only then is each renamed into place. A crash
leaves every file either as it was or complete.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from artifactgen.errors import OutputError

TEMPORARY_SUFFIX = ".tmp"


Signature = tuple[int, int, int]  # inode, size, modification time: changes with every save
ANY = object()  # write_atomic's default: whatever is at the path may be replaced


class ChangedMeanwhile(Exception):
    """The file changed on disk after the build read it (a save in Word, say)."""


def signature(path: Path) -> Signature | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def write_atomic(
    path: Path, data: bytes, *, unchanged_since: object = ANY, durable: bool = True
) -> None:
    """Write via a temporary file and a rename, so a crash never leaves a half-written file.

    With `unchanged_since` (a signature, or None for "must not exist"), the file is replaced
    only if it is still the one the build read; otherwise ChangedMeanwhile, nothing written.
    `durable=False` skips the flush to disk, for files whose damage is detected when read.
    """
    temporary = _temporary(path)
    try:
        _write_new(temporary, data, durable)
        _into_place(temporary, path, unchanged_since)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise OutputError.at(path, 0, 0, f"cannot write: {error.strerror}") from None


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{_PROCESS[0]}{TEMPORARY_SUFFIX}")


# This process's id, asked once (and again in a forked worker): getpid is a system call.
_PROCESS = [os.getpid()]
os.register_at_fork(after_in_child=lambda: _PROCESS.__setitem__(0, os.getpid()))


def _write_new(path: Path, data: bytes, durable: bool = False) -> None:
    """Write a temporary file, replacing one a killed build left, in few system calls."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _BINARY, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
        if durable:
            os.fsync(handle)
    finally:
        os.close(handle)


_BINARY = getattr(os, "O_BINARY", 0)  # Windows


def _into_place(temporary: Path, path: Path, unchanged_since: object) -> None:
    """Rename `temporary` to `path` if `path` is still as the build saw it."""
    try:
        if unchanged_since is None:
            os.link(temporary, path)  # fails if someone created the file meanwhile
            temporary.unlink()
            return
        if unchanged_since is not ANY and signature(path) != unchanged_since:
            raise ChangedMeanwhile(path)
        os.replace(temporary, path)
    except FileExistsError:
        temporary.unlink(missing_ok=True)
        raise ChangedMeanwhile(path) from None
    except ChangedMeanwhile:
        temporary.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class _Staged:
    path: Path
    temporary: Path
    unchanged_since: object
    done: Callable[[bool], None]  # told whether the file went into place


class Batch:
    """Files of one folder written together: temporaries, one flush to disk, then renames."""

    def __init__(self) -> None:
        self.staged: list[_Staged] = []

    def stage(
        self, path: Path, data: bytes, unchanged_since: object, done: Callable[[bool], None]
    ) -> None:
        temporary = _temporary(path)
        try:
            _write_new(temporary, data)
        except OSError as error:
            self.discard()
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise OutputError.at(path, 0, 0, f"cannot write: {error.strerror}") from None
        self.staged.append(_Staged(path, temporary, unchanged_since, done))

    def commit(self) -> None:
        """Flush every staged file to disk, then put each in place unless it changed meanwhile."""
        staged, self.staged = self.staged, []
        if not staged:
            return
        try:
            _flush([item.temporary for item in staged])
        except OSError as error:
            self.staged = staged
            self.discard()
            raise OutputError.at(staged[0].path, 0, 0, f"cannot write: {error.strerror}") from None
        for item in staged:
            try:
                _into_place(item.temporary, item.path, item.unchanged_since)
            except ChangedMeanwhile:
                item.done(False)
            except OSError as error:
                self.staged = [s for s in staged if s.temporary.exists()]
                self.discard()
                raise OutputError.at(item.path, 0, 0, f"cannot write: {error.strerror}") from None
            else:
                item.done(True)

    def discard(self) -> None:
        for item in self.staged:
            with contextlib.suppress(OSError):
                item.temporary.unlink()
        self.staged = []


def _flush(paths: list[Path]) -> None:
    """Make the files' contents durable: one syncfs on Linux, else an fsync per file."""
    if sys.platform == "linux" and _syncfs(paths[0]):
        return
    for path in paths:
        handle = os.open(path, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _syncfs(path: Path) -> bool:
    """syncfs(2): flush the whole file system holding `path` at once; False if unavailable."""
    import ctypes

    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return False
    handle = os.open(path, os.O_RDONLY)
    try:
        return syncfs(handle) == 0
    finally:
        os.close(handle)
