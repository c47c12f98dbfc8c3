"""Client packs and PDFs of built cases: made again only when what they come from changed, and
never written over a file someone edited (the new one goes beside it, as NAME.new.EXT)."""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from artifactgen import __version__
from artifactgen.case import CaseCheck, check_case
from artifactgen.errors import ArtifactgenError, Problem
from artifactgen.inputs import Settings, file_digest, find_cases, template_file
from artifactgen.office import DEFAULT_TIMEOUT, require_soffice, to_pdf
from artifactgen.outcomes import NEW_MARK
from artifactgen.store import STATE_DIR, Manifest, digest, folder_lock
from artifactgen.sync import marked
from artifactgen.templating import DELIVERABLES
from artifactgen.writes import write_atomic

STATE_NAME = "delivered.json"
STATE_VERSION = 1
PACK_FORMAT = "client pack 1"  # change to make every pack again


class Unresolved(enum.Enum):
    """What to do with a document that still holds tracked changes or comments."""

    REFUSE = "refuse"  # make nothing for that case, and say which documents
    WARN = "warn"  # make it, and say which documents
    PROCEED = "proceed"  # make it


class Made(enum.Enum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"
    BESIDE = "written beside an edited file"


@dataclass
class Delivered:
    path: Path
    made: Made
    edited: Path | None = None  # the edited file kept where this one belonged


@dataclass(frozen=True)
class Pending:
    """A document with tracked changes or comments nobody has resolved."""

    path: Path
    tracked: int
    comments: int


@dataclass
class DeliveryReport:
    files: list[Delivered] = field(default_factory=list)
    unresolved: list[Pending] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # case ids left out for unresolved ones
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Built:
    """A case's output folder and the Word files its last build produced, in deliverable order."""

    check: CaseCheck
    folder: Path
    members: list[Path]
    data: list[bytes]


def built_cases(paths: list[Path], settings: Settings, report: DeliveryReport) -> list[Built]:
    """Each valid case with its deliverables' Word files read once; problems go in `report`."""
    found = []
    for path in find_cases(paths):
        check = check_case(path)
        report.problems.extend(check.problems)
        if check.case is None:
            continue
        folder = settings.out_dir / str(check.case.id)
        manifest = Manifest.load(folder)
        made = set(manifest.inputs.outputs if manifest.inputs else manifest.files)
        members = [
            folder / f"{item.stem}.docx" for item in DELIVERABLES if f"{item.stem}.docx" in made
        ]
        line, column = check.id_at
        missing = [member for member in members if not member.is_file()]
        if not members or missing:
            what = f"{missing[0]} is missing" if missing else f"no Word files in {folder}"
            report.problems.append(
                Problem(str(path), line, column, f"{what}; run `artifactgen build` first")
            )
            continue
        if manifest.inputs and manifest.inputs.case != file_digest(path):
            report.notes.append(
                f"{path} changed since its last build; run `artifactgen build` first to "
                "include the change"
            )
        found.append(Built(check, folder, members, [member.read_bytes() for member in members]))
    return found


def admit(built: Built, policy: Unresolved, report: DeliveryReport) -> bool:
    """Whether the case's documents may go out, given the tracked changes and comments in them."""
    from artifactgen.pack_parts import unresolved

    pending = []
    for member, data in zip(built.members, built.data, strict=True):
        tracked, comments = unresolved(data)
        if tracked or comments:
            pending.append(Pending(member, tracked, comments))
    if policy is not Unresolved.PROCEED:
        report.unresolved.extend(pending)
    if pending and policy is Unresolved.REFUSE:
        report.refused.append(str(built.check.case.id if built.check.case else built.folder.name))
        return False
    return True


def pack_key(built: Built, reference: bytes, cover: str) -> str:
    """What a pack is made from: the program, the house style, the cover and every member."""
    key = hashlib.sha256(f"{PACK_FORMAT}\n{__version__}\n{cover}\n".encode())
    key.update(hashlib.sha256(reference).digest())
    for member, data in zip(built.members, built.data, strict=True):
        key.update(f"{member.name}\n".encode() + hashlib.sha256(data).digest())
    return key.hexdigest()


def reference_bytes(settings: Settings) -> bytes:
    return template_file("reference.docx", settings.templates_dir).read_bytes()


@dataclass
class Record:
    key: str
    sha256: str
    size: int
    mtime_ns: int


class DeliveredState:
    """What was made in a folder: per file, the key it was made from and its bytes' digest."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / STATE_DIR / STATE_NAME
        self.files: dict[str, Record] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == STATE_VERSION:
                self.files = {name: Record(**value) for name, value in data["files"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.files = {}

    def untouched(self, path: Path) -> bool:
        """Whether `path` is exactly as this module wrote it (or absent)."""
        record = self.files.get(path.name)
        if not path.exists():
            return True
        if record is None:
            return False
        stat = path.stat()
        if (stat.st_size, stat.st_mtime_ns) == (record.size, record.mtime_ns):
            return True
        return digest(path.read_bytes()) == record.sha256

    def current(self, path: Path, key: str) -> bool:
        record = self.files.get(path.name)
        return record is not None and record.key == key and path.exists() and self.untouched(path)

    def record(self, path: Path, key: str, data: bytes) -> None:
        stat = path.stat()
        self.files[path.name] = Record(key, digest(data), stat.st_size, stat.st_mtime_ns)

    def save(self) -> None:
        files = {name: asdict(self.files[name]) for name in sorted(self.files)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"version": STATE_VERSION, "files": files}, indent=1) + "\n"
        write_atomic(self.path, text.encode("utf-8"))


def place(folder: Path, name: str, key: str, make: Callable[[], bytes]) -> Delivered:
    """Write what `make` returns as folder/name unless it is current with `key`; an edited
    file there stays, and the new one is written beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    with folder_lock(folder):
        state = DeliveredState(folder)
        path = folder / name
        if state.current(path, key):
            return Delivered(path, Made.UNCHANGED)
        target, edited = path, None
        if not state.untouched(path):
            edited, number = path, 1
            target = marked(path, NEW_MARK, number)
            while not state.untouched(target):
                number += 1
                target = marked(path, NEW_MARK, number)
            if state.current(target, key):
                return Delivered(target, Made.UNCHANGED, edited)
        data = make()
        write_atomic(target, data)
        state.record(target, key, data)
        state.save()
        return Delivered(target, Made.BESIDE if edited else Made.WRITTEN, edited)


def make_packs(
    paths: list[Path],
    settings: Settings,
    *,
    policy: Unresolved = Unresolved.REFUSE,
    pdf: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> DeliveryReport:
    """Each case's client pack (and with `pdf` its PDF) from the Word files on disk.

    LibreOffice is looked for first, so that a missing one stops before anything is written."""
    if pdf:
        require_soffice()
    from artifactgen.pack import Cover, assemble, pack_name

    report = DeliveryReport()
    reference = reference_bytes(settings)
    packs = []
    for built in built_cases(paths, settings, report):
        if not admit(built, policy, report):
            continue
        assert built.check.case is not None
        cover = Cover.of(built.check.case)
        key = pack_key(built, reference, cover.key())
        try:
            done = place(
                built.folder,
                pack_name(str(built.check.case.id)),
                key,
                lambda cover=cover, built=built: assemble(reference, cover, built.data),
            )
        except ArtifactgenError as error:
            report.problems.extend(error.problems)
            continue
        report.files.append(done)
        packs.append(done.path)
    if packs and pdf:
        report.files += convert(packs, fill_contents=True, timeout=timeout)
    return report


def make_pdfs(
    paths: list[Path],
    settings: Settings,
    *,
    policy: Unresolved = Unresolved.REFUSE,
    timeout: float = DEFAULT_TIMEOUT,
) -> DeliveryReport:
    """A PDF beside each deliverable's Word file, as the file is on disk."""
    require_soffice()
    report = DeliveryReport()
    documents = []
    for built in built_cases(paths, settings, report):
        if admit(built, policy, report):
            documents += built.members
    report.files += convert(documents, fill_contents=False, timeout=timeout)
    return report


def convert(documents: list[Path], *, fill_contents: bool, timeout: float) -> list[Delivered]:
    """A PDF beside each document; those already current are left alone, the others are made
    in one LibreOffice run and then put in place."""
    done: dict[Path, Delivered] = {}
    jobs = []
    for document in documents:
        key = hashlib.sha256(b"pdf 1\n" + document.read_bytes()).hexdigest()
        target = document.with_suffix(".pdf")
        if DeliveredState(document.parent).current(target, key):
            done[document] = Delivered(target, Made.UNCHANGED)
        else:
            jobs.append((document, target, key))
    made = to_pdf([job[0] for job in jobs], fill_contents=fill_contents, timeout=timeout)
    for (document, target, key), data in zip(jobs, made, strict=True):
        done[document] = place(target.parent, target.name, key, lambda data=data: data)
    return [done[document] for document in documents]
