"""How reports read to a coach: a line per output, the build's summary, status words."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from artifactgen.outcomes import Action, BuildReport, Outcome, Status

if TYPE_CHECKING:
    from artifactgen.build import FileStatus
    from artifactgen.docx_update import KeptPart

SUMMARY = [
    (Action.WRITTEN, "written"),
    (Action.UNCHANGED, "unchanged"),
    (Action.MERGED, "merged into edited files"),
    (Action.KEPT, "edited and already up to date"),
    (Action.FORKED, "kept with the new version beside"),
    (Action.REPLACED, "replaced with a backup"),
    (Action.SKIPPED, "left for the next build"),
]


def build_summary(report: BuildReport) -> str:
    """`3 cases built: 2 files written, 34 unchanged`, and how many cases failed."""
    built = len(report.cases) - len(report.failed)
    parts = [f"{plural(report.count(Action.WRITTEN), 'file')} written"]
    parts += [
        f"{report.count(action)} {words}"
        for action, words in SUMMARY[1:]
        if report.count(action) or action is Action.UNCHANGED
    ]
    summary = f"{plural(built, 'case')} built: " + ", ".join(parts)
    if report.failed:
        summary += f"; {plural(len(report.failed), 'case')} failed"
    return summary


def outcome_line(item: Outcome) -> str | None:
    """What a coach is told about one output file; None when there is nothing to say."""
    if item.action is Action.MERGED:
        details = []
        if item.tracked and item.path.suffix == ".docx":
            details.append(f"{plural(item.tracked, 'tracked change')} to review")
        elif item.tracked:
            details.append(f"{plural(item.tracked, 'change')} from the case applied")
        for conflict in item.conflicts:
            where = f' under "{conflict.heading}"' if conflict.heading else ""
            details.append(f"a conflict{where}")
        if not details:
            details.append("nothing to review")
        line = f"merged {item.path}: " + ", ".join(details)
        if item.conflicts and item.path.suffix == ".docx":
            line += " (see the comments by artifactgen)"
        if item.beside:
            line += f"; your lines are kept, the case's version is {item.beside}"
        for part in item.kept_parts:
            line += "\n  " + kept_words(part)
        return line
    if item.action is Action.FORKED:
        return f"kept {item.path} (edited by hand; {item.reason}); the new version is {item.beside}"
    if item.action is Action.REPLACED:
        return f"replaced {item.path}; the edited copy is now {item.backup}"
    if item.action is Action.SKIPPED:
        return f"left {item.path} as it is: {item.reason}; run the build again to update it"
    return None


def kept_words(part: KeptPart) -> str:
    """Why a part of an edited Word file did not follow the case or the house style."""
    kind, _, rest = part.role.partition(":")
    if kind in ("header", "footer"):
        which = "" if rest.startswith("default") else f"{rest.split(':')[0]}-page "
        return (
            f"the {which}{kind} was not updated because you edited it; "
            f'the case\'s version reads "{part.new_text}"'
        )
    if kind == "properties":
        return "the document properties (title, author, subject) were not updated: you edited them"
    names = {"styles": "the styles", "settings": "the settings", "numbering": "the list styles"}
    return (
        f"the house-style change to {names.get(kind, kind)} was not applied: "
        "you changed them in this document"
    )


_STATUS_SUMMARY = [
    (Status.UP_TO_DATE, "up to date"),
    (Status.STALE, "stale"),
    (Status.EDITED, "edited"),
    (Status.UNKNOWN, "edited with no stored version"),
    (Status.MISSING, "missing"),
]


def status_summary(files: list[FileStatus]) -> str | None:
    """`41 files: 38 up to date, 1 stale, 2 edited`, and what to do next; None for none."""
    if not files:
        return None
    counts = Counter(item.status for item in files)
    if counts[Status.UP_TO_DATE] == len(files):
        return f"{plural(len(files), 'file')}: all up to date"
    parts = [f"{counts[status]} {words}" for status, words in _STATUS_SUMMARY if counts[status]]
    summary = f"{plural(len(files), 'file')}: " + ", ".join(parts)
    to_review = sum(1 for item in files if item.tracked or item.comments)
    if to_review:
        summary += f"; {to_review} with artifactgen's changes to review in Word"
    behind = [words for status, words in _BEHIND if counts[status]]
    if behind:
        ones = "one" if counts[Status.STALE] + counts[Status.MISSING] == 1 else "ones"
        summary += f"; `artifactgen build` brings the {' and '.join(behind)} {ones} up to date"
    return summary


_BEHIND = [(Status.STALE, "stale"), (Status.MISSING, "missing")]


def status_words(item: FileStatus) -> str:
    words = item.status.value
    if item.tracked or item.comments:
        words += (
            f", with {plural(item.tracked, 'tracked change')} and "
            f"{plural(item.comments, 'comment')} by artifactgen to review"
        )
    return words


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
