"""What a build found and did, per output file: the states and actions every stage reports."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from artifactgen.errors import Problem

if TYPE_CHECKING:
    from artifactgen.checks import CaseWarning
    from artifactgen.docx_merge import Conflict
    from artifactgen.docx_update import KeptPart

NEW_MARK = ".new"  # NAME.new.EXT: the case's version, written beside an edited file
BACKUP_MARK = ".backup"  # NAME.backup.EXT: an edited file that --force replaced
Progress = Callable[[int, int], None]  # cases done, cases to do


class Status(enum.Enum):
    """How a file on disk relates to what artifactgen generated there and would generate now."""

    MISSING = "missing"
    UP_TO_DATE = "up to date"
    STALE = "stale"
    EDITED = "edited"
    UNKNOWN = "edited, no base"  # not as generated, and nothing known to merge from


class Action(enum.Enum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"
    MERGED = "merged"
    KEPT = "kept"  # edited, and the case brought nothing new
    FORKED = "forked"  # edited and could not be merged: the fresh render is beside it
    REPLACED = "replaced"  # --force: the edited file went to a backup
    SKIPPED = "skipped"  # the file changed on disk while the build ran: left as it is


@dataclass
class Outcome:
    """What happened to one output file."""

    path: Path
    action: Action
    tracked: int = 0  # tracked changes added (Word) or changes applied (Markdown)
    conflicts: list[Conflict] = field(default_factory=list)
    kept_parts: list[KeptPart] = field(default_factory=list)
    beside: Path | None = None  # a fresh render written next to an edited file
    backup: Path | None = None
    reason: str = ""


@dataclass
class CaseReport:
    """One case file's build: its problems, notes, and what happened to each output."""

    source: Path
    case_id: str | None = None
    files: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[CaseWarning] | None = None  # None: not read again (settled), so not checked
    misread: bool = False  # not built: its id was misread, it must be claimed again


@dataclass
class BuildReport:
    cases: list[CaseReport] = field(default_factory=list)

    @property
    def failed(self) -> list[CaseReport]:
        return [case for case in self.cases if case.problems]

    @property
    def warnings(self) -> list[CaseWarning]:
        return [warning for case in self.cases for warning in case.warnings or []]

    def count(self, action: Action) -> int:
        return sum(1 for case in self.cases for item in case.files if item.action is action)
