"""The one exception root: every problem a coach can cause carries a file, a line and a column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, at a 1-based line and column (0 when unknown)."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.path}:{self.line}:{self.column}: {self.message}"
        if self.line:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}: {self.message}"


class ArtifactgenError(Exception):
    """Root of every error artifactgen reports to a user; holds one or more problems."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else sorted(problems)
        if not self.problems:
            raise ValueError("an ArtifactgenError needs at least one problem")
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def path(self) -> str:
        return self.problems[0].path

    @property
    def line(self) -> int:
        return self.problems[0].line

    @classmethod
    def at(cls, path: str | Path, line: int, column: int, message: str) -> ArtifactgenError:
        return cls(Problem(str(path), line, column, message))


class CaseError(ArtifactgenError):
    """A case file that cannot be read or does not follow the contract."""


class TemplateError(ArtifactgenError):
    """A deliverable template that does not compile or fails while rendering a case."""


class OutputError(ArtifactgenError):
    """An output file or folder that cannot be read or written."""
