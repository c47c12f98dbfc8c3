"""Renders a case through the deliverable templates into CommonMark (with GFM tables)."""

from __future__ import annotations

import datetime as dt
import functools
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from artifactgen.errors import Problem, TemplateError
from artifactgen.inline import Markdown, coach_markdown
from artifactgen.inputs import DEFAULT_TEMPLATES
from artifactgen.models import Case

LEVELS = {"low": 1, "medium": 2, "high": 3}
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


@dataclass(frozen=True)
class Deliverable:
    """One of the documents a case produces."""

    number: int
    slug: str
    title: str
    needs: str | None = None  # the optional case section without which it is not produced

    def applies_to(self, case: Case) -> bool:
        return self.needs is None or getattr(case, self.needs) is not None

    @property
    def stem(self) -> str:
        return f"{self.number:02d}-{self.slug}"

    @property
    def template(self) -> str:
        return f"{self.stem}.md.j2"


DELIVERABLES = (
    Deliverable(1, "decision-snapshot", "Decision Snapshot"),
    Deliverable(2, "fork-recommendation", "Fork Recommendation"),
    Deliverable(3, "risk-map", "Risk Map"),
    Deliverable(4, "conversation-scripts", "Conversation Scripts"),
    Deliverable(5, "14-day-action-plan", "14-Day Action Plan"),
    Deliverable(6, "30-day-roadmap", "30-Day Roadmap"),
    Deliverable(7, "interview-brief", "Interview Brief", needs="interview"),
)  # the one list of deliverables, in order; `deliverables_for` picks a case's


def deliverables_for(case: Case) -> tuple[Deliverable, ...]:
    """The deliverables `case` produces: the six, and the Interview Brief when it has one."""
    return tuple(deliverable for deliverable in DELIVERABLES if deliverable.applies_to(case))


def long_date(date: dt.date) -> str:
    """'Monday 23 November 2026', the same on every machine whatever its locale."""
    return f"{_DAYS[date.weekday()]} {date.day} {_MONTHS[date.month - 1]} {date.year}"


def short_date(date: dt.date) -> str:
    """'Mon 23 Nov 2026'."""
    return f"{_DAYS[date.weekday()][:3]} {date.day} {_MONTHS[date.month - 1][:3]} {date.year}"


def by_severity(risks: list[Any]) -> list[Any]:
    """Most severe first (likelihood x impact, then impact); ties keep the coach's order."""
    return sorted(
        risks,
        key=lambda risk: (-LEVELS[risk.likelihood] * LEVELS[risk.impact], -LEVELS[risk.impact]),
    )


# A case prints the same text many times over (its client's name, a risk in three places):
# six in seven escapes are ones already made.
_escaped = functools.lru_cache(maxsize=4096)(coach_markdown)


def _finalize(value: Any) -> str:
    """Every `{{ }}` goes through here: coach text is escaped unless already Markdown."""
    if value is None:
        raise ValueError("a template printed an empty optional field; guard it with {% if %}")
    if isinstance(value, Markdown):
        return value
    return _escaped(str(value), line_breaks=False)


def make_environment(folders: list[Path]) -> jinja2.Environment:
    """Templates are looked up in `folders` in order: the first that has a file wins."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in folders]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no stat per render
    )
    environment.filters.update(
        lines=lambda text: _escaped(str(text), line_breaks=True),
        cell=lambda text: _escaped(str(text), in_table=True),
        cells=lambda items, separator="; ": Markdown(
            separator.join(_escaped(str(item), in_table=True) for item in items)
        ),
        long_date=long_date,
        short_date=short_date,
        by_severity=by_severity,
        numbered=lambda items: list(enumerate(items, start=1)),  # (1, first), (2, second), ...
    )
    return environment


class Renderer:
    """Renders the deliverables of cases with the built-in templates, or their overrides.

    A file in `templates_dir` replaces the built-in file of the same name, including the
    partials the others include (`_header.md.j2`); the other built-in files stay in use.
    """

    def __init__(self, templates_dir: Path | None = None) -> None:
        self.folders = [*([templates_dir] if templates_dir is not None else []), DEFAULT_TEMPLATES]
        self.environment = make_environment(self.folders)

    def render(self, case: Case, deliverable: Deliverable) -> str:
        """The Markdown of one deliverable; TemplateError says where a template went wrong."""
        try:
            template = self.environment.get_template(deliverable.template)
            text = template.render(case=case, deliverable=deliverable)
        except jinja2.TemplateSyntaxError as error:
            filename = error.filename or deliverable.template
            raise self._error(filename, error.lineno, error, case) from None
        except jinja2.TemplateNotFound as error:
            missing = str(self.folders[0] / str(error.name))
            raise self._error(missing, 0, "template not found", case) from None
        except Exception as error:
            filename, line = self._template_frame(error, deliverable)
            raise self._error(filename, line, error, case) from None
        return _tidy(text)

    def unsupported(
        self, deliverable: Deliverable, case: Case, kind: str, line: int
    ) -> TemplateError:
        """The error for Markdown a template wrote that a Word document cannot hold (`kind`,
        a syntax tree node type, at `line` of the Markdown)."""
        what = _CONSTRUCTS.get(kind, f"Markdown of the kind '{kind}'")
        where = f" on line {line}" if line else ""
        message = (
            f"the Markdown it writes for case '{case.id}' has {what}{where}, which Word "
            "documents cannot hold; use headings, paragraphs, lists, quotes, tables, bold, "
            "italic, code or links instead"
        )
        path = self._template_frame(Exception(), deliverable)[0]
        return TemplateError(Problem(_relative(path), 0, 0, message))

    def _template_frame(self, error: Exception, deliverable: Deliverable) -> tuple[str, int]:
        roots = [folder.resolve() for folder in self.folders]
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            where = Path(frame.filename).resolve() if frame.filename else None
            if where and any(where.is_relative_to(root) for root in roots):
                return frame.filename, frame.lineno or 0
        found = [folder for folder in self.folders if (folder / deliverable.template).is_file()]
        return str((found or self.folders)[0] / deliverable.template), 0

    def _error(self, filename: str, line: int, error: object, case: Case) -> TemplateError:
        message = str(getattr(error, "message", None) or error)
        return TemplateError(
            Problem(_relative(filename), line, 0, f"{message} (while rendering case '{case.id}')")
        )


# What a coach calls the Markdown the Word writer has no rule for.
_CONSTRUCTS = {
    "fence": "a fenced code block (``` lines)",
    "code_block": "an indented code block (a line starting with four spaces)",
    "hr": "a horizontal rule (---)",
    "image": "an image (![...](...))",
}


def _relative(filename: str) -> str:
    path = Path(filename)
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _tidy(text: str) -> str:
    """At most one blank line in a row, and exactly one newline at the end."""
    lines = [line.rstrip(" ") if not line.endswith("\\") else line for line in text.split("\n")]
    tidy: list[str] = []
    for line in lines:
        if line == "" and tidy and tidy[-1] == "":
            continue
        tidy.append(line)
    return "\n".join(tidy).strip("\n") + "\n"
