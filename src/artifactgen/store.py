"""An output folder's memory: content-addressed bases, a versioned manifest, and a lock."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from artifactgen.errors import OutputError
from artifactgen.writes import TEMPORARY_SUFFIX, write_atomic

STATE_DIR = ".artifactgen"
MANIFEST_VERSION = 2
MANIFEST_NAME = "manifest.json"
LOCK_WAIT_SECONDS = 60.0
KEPT_BASES = 4  # earlier bases kept per file, beyond the current one
_TREE = b'{"tree"'  # how a package stored part by part (before 0.2) starts


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _level(data: bytes) -> int:
    """How hard to compress a blob: a Word file is a zip, already compressed part by part."""
    return 0 if data.startswith(b"PK") else 6


class Objects:
    """Blobs stored once under their SHA-256, compressed; never changed once written."""

    def __init__(self, folder: Path, *, read_only: bool = False) -> None:
        self.folder = folder / STATE_DIR / "objects"
        self.read_only = read_only  # put() only computes keys (for status and diff)
        self.made = False  # the folder is known to exist
        self.blobs: set[str] = set()  # keys put here that are known not to be trees

    def put(self, data: bytes) -> str:
        key = digest(data)
        if not data.startswith(_TREE):
            self.blobs.add(key)
        path = self.folder / key
        if not self.read_only and not path.exists():
            if not self.made:
                self.folder.mkdir(parents=True, exist_ok=True)
                self.made = True
            # Not flushed to disk one by one: get() checks every object against its key, and
            # a base that is lost or damaged makes the build keep the file and write beside it.
            write_atomic(path, zlib.compress(data, _level(data)), durable=False)
        return key

    def get(self, key: str) -> bytes | None:
        try:
            data = zlib.decompress((self.folder / key).read_bytes())
        except (OSError, zlib.error):
            return None
        return data if digest(data) == key else None

    def _starts_with(self, key: str, prefix: bytes) -> bool:
        try:
            with (self.folder / key).open("rb") as handle:
                head = zlib.decompressobj().decompress(handle.read(64), len(prefix))
        except (OSError, zlib.error):
            return False
        return head == prefix

    def has(self, key: str) -> bool:
        return (self.folder / key).is_file()

    def keep_only(self, keys: set[str]) -> None:
        """Delete every object not reachable from `keys` (tree objects keep their parts)."""
        reachable = set(keys)
        for key in keys - self.blobs:
            reachable.update(self.tree_parts(key).values())
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name not in reachable:
                with contextlib.suppress(OSError):
                    path.unlink()

    def closest_text(self, data: bytes) -> str | None:
        """The stored text that `data` most resembles among those with the same first line
        (a deliverable's title): the likely base of a Markdown file whose record is lost."""
        first = data.split(b"\n", 1)[0]
        best, best_score = None, 0.0
        for path in sorted(self.folder.iterdir()) if self.folder.is_dir() else []:
            candidate = self.get(path.name)
            if candidate is None or candidate.split(b"\n", 1)[0] != first:
                continue
            score = SequenceMatcher(None, candidate.splitlines(), data.splitlines()).ratio()
            if score > best_score:
                best, best_score = path.name, score
        return best

    def tree_parts(self, key: str) -> dict[str, str]:
        """The parts of a package stored part by part (before 0.2), by their keys."""
        if not self._starts_with(key, _TREE):
            return {}  # told by its first bytes: no need to inflate and check all of it
        data = self.get(key)
        if data is None or not data.startswith(_TREE):
            return {}
        with contextlib.suppress(ValueError, KeyError, TypeError):
            return dict(json.loads(data)["tree"])
        return {}

    def get_tree(self, key: str) -> dict[str, bytes] | None:
        """A stored package's parts: from its zip, or part by part for bases stored before 0.2."""
        data = self.get(key)
        if data is not None and data.startswith(b"PK"):
            with (
                contextlib.suppress(zipfile.BadZipFile, OSError, ValueError),
                zipfile.ZipFile(io.BytesIO(data)) as package,
            ):
                return {name: package.read(name) for name in package.namelist()}
            return None
        listing = self.tree_parts(key)
        parts = {name: self.get(part) for name, part in listing.items()}
        if not listing or any(value is None for value in parts.values()):
            return None
        return {name: value for name, value in parts.items() if value is not None}


@dataclass
class Record:
    """What artifactgen knows about one output file it wrote."""

    sha256: str
    size: int
    mtime_ns: int
    base: str  # the render this file was last generated or merged from
    pristine: bool = True  # the file is that render, unedited
    # Earlier bases, newest first: a copy saved from an older version still finds its base.
    earlier: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Inputs:
    """What a folder was last built from in full: the build key, the case file's digest, and
    the outputs that build produced. A build with the same inputs renders nothing."""

    key: str
    case: str
    outputs: tuple[str, ...]


@dataclass
class Manifest:
    """Per output folder: the case file it was built from and a record per file."""

    folder: Path
    case: str | None = None  # the case file, relative to the folder
    client: str | None = None  # the client's name, so a copied case cannot take the folder
    files: dict[str, Record] = field(default_factory=dict)
    inputs: Inputs | None = None
    problem: str | None = None  # why a manifest on disk could not be used

    @property
    def path(self) -> Path:
        return self.folder / STATE_DIR / MANIFEST_NAME

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        manifest = cls(folder)
        try:
            text = manifest.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            if any(p.suffix in (".docx", ".md", ".ics") for p in _files(folder)):
                manifest.problem = "missing"
            return manifest
        except (OSError, ValueError):  # unreadable, or not UTF-8: damaged, said below
            text = ""
        try:
            data = json.loads(text)
            if data.get("version") != MANIFEST_VERSION:
                raise ValueError(f"version {data.get('version')}")
            manifest.case = data.get("case")
            manifest.client = data.get("client")
            manifest.files = {name: Record(**value) for name, value in data["files"].items()}
            if data.get("inputs"):
                found = data["inputs"]
                manifest.inputs = Inputs(found["key"], found["case"], tuple(found["outputs"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            manifest.problem = "damaged"
            manifest.files, manifest.inputs = {}, None
        return manifest

    def record(self, path: Path, base: str, *, pristine: bool, data: bytes | None = None) -> None:
        """Remember `path` as it is on disk now (`data`: its bytes, when the caller has them)."""
        data = path.read_bytes() if data is None else data
        stat = path.stat()
        old = self.files.get(path.name)
        earlier = old.earlier if old else []
        if old and old.base != base:
            earlier = [old.base, *[b for b in earlier if b not in (old.base, base)]]
        record = Record(digest(data), stat.st_size, stat.st_mtime_ns, base, pristine)
        record.earlier = earlier[:KEPT_BASES]
        self.files[path.name] = record

    def bases(self) -> set[str]:
        """Every base a file here may still be merged from."""
        return {key for r in self.files.values() for key in (r.base, *r.earlier)}

    def save(self) -> None:
        data = {
            "version": MANIFEST_VERSION,
            "case": self.case,
            "client": self.client,
            "files": {name: asdict(self.files[name]) for name in sorted(self.files)},
        }
        if self.inputs:
            data["inputs"] = asdict(self.inputs)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, (json.dumps(data, indent=1) + "\n").encode("utf-8"))


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []


@contextlib.contextmanager
def folder_lock(folder: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the output folder for one build at a time; a second one waits, then gives up."""
    state = folder / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    with (state / "lock").open("a+") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OutputError.at(
                        folder, 0, 0, "another artifactgen is still writing here; try again"
                    ) from None
                time.sleep(0.05)
        try:
            remove_temporary_files(folder)
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def remove_temporary_files(folder: Path) -> list[Path]:
    """Delete temporary files a killed build left behind (only while holding the lock)."""
    removed = []
    for place in (folder, folder / STATE_DIR, folder / STATE_DIR / "objects"):
        if not place.is_dir():
            continue
        for path in place.iterdir():
            if path.name.startswith(".") and path.name.endswith(TEMPORARY_SUFFIX):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed
