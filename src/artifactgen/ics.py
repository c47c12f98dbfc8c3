"""The plan as an iCalendar file: an all-day event per plan step, roadmap milestone and check-in.

Text is escaped by `icalendar` (vText, vDate); the calendar is assembled line by line because
its component API costs ten times more per case. Each event keeps the UID it had in the last
render (`previous`), so re-importing the file updates the client's events, and its SEQUENCE
rises only when what the event says or when it happens changed.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import hashlib
from dataclasses import dataclass

from icalendar import vDate, vText

from artifactgen.inline import plain_text as plain
from artifactgen.models import Case, CheckIn, Milestone, Step
from artifactgen.templating import long_date

CALENDAR_SUFFIX = "-plan.ics"
PRODUCT = "-//artifactgen//client plan//EN"
DOMAIN = "artifactgen"


class EventKind(enum.Enum):
    """What an event comes from; the value is its CATEGORIES, the name part of its UID."""

    STEP = "Action plan"
    MILESTONE = "Milestone"
    CHECK_IN = "Check-in"

    @property
    def tag(self) -> str:
        return self.name.lower().replace("_", "-")


@dataclass(frozen=True)
class Entry:
    """One event before its UID and SEQUENCE are settled."""

    kind: EventKind
    day: int
    date: dt.date
    summary: str
    description: str

    def default_uid(self, case_id: str, ordinal: int) -> str:
        return f"{case_id}-{self.kind.tag}-day{self.day:02d}-{ordinal}@{DOMAIN}"

    @functools.cached_property
    def lines(self) -> list[str]:
        """The event's content lines, UID, DTSTAMP and SEQUENCE aside."""
        end = self.date + dt.timedelta(days=1)
        return [
            f"DTSTART;VALUE=DATE:{vDate(self.date).to_ical().decode()}",
            f"DTEND;VALUE=DATE:{vDate(end).to_ical().decode()}",
            f"SUMMARY:{_text(self.summary)}",
            f"DESCRIPTION:{_text(self.description)}",
            f"CATEGORIES:{_text(self.kind.value)}",
            "TRANSP:TRANSPARENT",
        ]


@dataclass(frozen=True)
class Known:
    """An event of the previous render: what it was called and what it said."""

    uid: str
    sequence: int
    kind: str
    summary: str
    digest: str


def calendar_name(case_id: str) -> str:
    return f"{case_id}{CALENDAR_SUFFIX}"


def render_calendar(case: Case, previous: bytes | None = None) -> bytes:
    """The case's plan as RFC 5545 bytes: the same case and previous render give the same bytes."""
    case_id = str(case.id)
    stamp = f"{case.session.date:%Y%m%d}T000000Z"  # from the case: rebuilds change no byte
    name = f"{plain(case.client.name)}: plan with {plain(case.coach.name)}"
    session = f"the session with {plain(case.coach.name)} on {long_date(case.session.date)}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{_text(name)}",
        f"X-WR-CALNAME:{_text(name)}",
        f"DESCRIPTION:{_text(f'The 14-day action plan and 30-day roadmap from {session}.')}",
        f"X-WR-CALDESC:{_text(f'The 14-day action plan and 30-day roadmap from {session}.')}",
    ]
    events = entries(case)
    for entry, (uid, sequence) in zip(events, settle(case_id, events, previous), strict=True):
        lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}", f"SEQUENCE:{sequence}"]
        lines += [*entry.lines, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return b"".join(_folded(line) for line in lines)


def _folded(line: str) -> bytes:
    """One content line folded as RFC 5545 says: at most 75 octets a line, never inside a
    UTF-8 character, each continuation starting with a space; then CRLF. (icalendar's own
    folding walks the line a character at a time, most of the cost of a calendar.)"""
    data = line.encode("utf-8")
    pieces, limit = [], 75
    while len(data) > limit:
        cut = limit
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            cut -= 1
        pieces.append(data[:cut])
        data, limit = data[cut:], 74
    pieces.append(data)
    return b"\r\n ".join(pieces) + b"\r\n"


def entries(case: Case) -> list[Entry]:
    """Every event in date order: the plan's steps, then the roadmap's milestones and check-ins."""
    found = [_step(case, step) for step in sorted(case.action_plan, key=lambda s: s.day)]
    roadmap: list[tuple[int, int, Entry]] = [
        (m.by_day, 0, _milestone(m)) for m in case.roadmap.milestones
    ]
    roadmap += [(c.day, 1, _check_in(c)) for c in case.roadmap.check_ins]
    found += [entry for _, _, entry in sorted(roadmap, key=lambda item: item[:2])]
    return found


def _step(case: Case, step: Step) -> Entry:
    parts = [plain(step.detail)] if step.detail else []
    if step.conversation:
        talk = case.conversation(step.conversation)
        parts.append(
            f"Conversation to have: {plain(talk.with_)}. Goal: {plain(talk.goal)}"
            "\nThe script is in Conversation Scripts."
        )
    if step.mitigates:
        risks = "\n".join(f"- {plain(case.risk(risk).risk)}" for risk in step.mitigates)
        parts.append(f"Reduces the risk that:\n{risks}")
    parts.append(f"Day {step.day} of the 14-day action plan.")
    return Entry(
        EventKind.STEP, step.day, step.calendar_date, plain(step.action), "\n\n".join(parts)
    )


def _milestone(milestone: Milestone) -> Entry:
    parts = [plain(milestone.milestone)]
    if milestone.measure:
        parts.append(f"How you will know: {plain(milestone.measure)}")
    parts.append(f"Day {milestone.by_day} of the 30-day roadmap.")
    summary = f"Milestone: {plain(milestone.milestone)}"
    return Entry(
        EventKind.MILESTONE, milestone.by_day, milestone.calendar_date, summary, "\n\n".join(parts)
    )


def _check_in(check_in: CheckIn) -> Entry:
    parts = [f"With: {plain(check_in.with_)}"]
    if check_in.agenda:
        items = "\n".join(f"{n}. {plain(item)}" for n, item in enumerate(check_in.agenda, 1))
        parts.append(f"Agenda:\n{items}")
    parts.append(f"Day {check_in.day} of the 30-day roadmap.")
    summary = f"Check-in with {plain(check_in.with_)}"
    return Entry(
        EventKind.CHECK_IN, check_in.day, check_in.calendar_date, summary, "\n\n".join(parts)
    )


def settle(case_id: str, events: list[Entry], previous: bytes | None) -> list[tuple[str, int]]:
    """Each event's UID and SEQUENCE, continuing the previous render.

    An event keeps the UID of the previous event of its kind with the same summary (a step
    moved to another day), else of the one in its place (same kind, day and rank that day: a
    step reworded); otherwise it gets the UID of its place, numbered past any taken. SEQUENCE
    rises by one when the event's content differs from the one whose UID it keeps."""
    known = {item.uid: item for item in read_events(previous)}
    ranks: dict[tuple[EventKind, int], int] = {}
    places = []
    for entry in events:
        ranks[entry.kind, entry.day] = ranks.get((entry.kind, entry.day), 0) + 1
        places.append(entry.default_uid(case_id, ranks[entry.kind, entry.day]))
    chosen: list[str | None] = [None] * len(events)
    taken: set[str] = set()

    def take(index: int, uid: str) -> None:
        chosen[index] = uid
        taken.add(uid)

    for index, (entry, place) in enumerate(zip(events, places, strict=True)):
        same = known.get(place)
        if same and same.kind == entry.kind.value and same.summary == _text(entry.summary):
            take(index, place)
    for index, entry in enumerate(events):
        if chosen[index] is None:
            moved = next(
                (
                    item.uid
                    for item in known.values()
                    if item.uid not in taken
                    and item.kind == entry.kind.value
                    and item.summary == _text(entry.summary)
                ),
                None,
            )
            if moved:
                take(index, moved)
    for index, place in enumerate(places):
        if chosen[index] is None and place in known and place not in taken:
            take(index, place)
    result = []
    for index, (entry, place) in enumerate(zip(events, places, strict=True)):
        uid = chosen[index]
        if uid is None:
            stem, _, rest = place.partition("@")
            number, uid = 1, place
            while uid in taken or uid in known:
                number += 1
                uid = f"{stem}.{number}@{rest}"
            take(index, uid)
        before = known.get(uid)
        sequence = 0
        if before is not None:
            sequence = before.sequence + (before.digest != _digest(entry.lines))
        result.append((uid, sequence))
    return result


def read_events(data: bytes | None) -> list[Known]:
    """The events of a calendar this module wrote, read line by line (no full parse)."""
    if not data:
        return []
    text = data.decode("utf-8", "replace").replace("\r\n ", "").replace("\n ", "")
    events, current, body = [], {}, []
    for line in text.splitlines():
        if line == "BEGIN:VEVENT":
            current, body = {}, []
        elif line == "END:VEVENT":
            try:
                sequence = int(current.get("SEQUENCE", "0"))
            except ValueError:
                sequence = 0
            if "UID" in current:
                events.append(
                    Known(
                        current["UID"],
                        sequence,
                        current.get("CATEGORIES", ""),
                        current.get("SUMMARY", ""),
                        _digest(body),
                    )
                )
        else:
            name = line.split(":", 1)[0].split(";", 1)[0]
            current[name] = line.partition(":")[2]
            if name not in ("UID", "DTSTAMP", "SEQUENCE"):
                body.append(line)
    return events


def readable_calendar(data: bytes) -> bool:
    """Whether `data` parses as an iCalendar file (a merged calendar must, or it is not written)."""
    from icalendar import Calendar

    try:
        return bool(Calendar.from_ical(data).walk("VEVENT"))
    except (ValueError, IndexError, KeyError):
        return False


def event_summary(lines: list[str], at: int) -> str:
    """The SUMMARY of the event line `at` belongs to ("" outside any event), as plain text."""
    start = next((i for i in range(at, -1, -1) if lines[i].startswith("BEGIN:VEVENT")), None)
    if start is None or any(line.startswith("END:VEVENT") for line in lines[start:at]):
        return ""
    for index in range(start, len(lines)):
        if lines[index].startswith("END:VEVENT"):
            break
        if lines[index].startswith("SUMMARY:"):
            text = lines[index].rstrip("\r\n")[len("SUMMARY:") :]
            for more in lines[index + 1 :]:
                if not more.startswith(" "):
                    break
                text += more.rstrip("\r\n")[1:]
            return vText.from_ical(text)
    return ""


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _text(value: str) -> str:
    return vText(value).to_ical().decode("utf-8")
