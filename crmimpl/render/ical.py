"""iCalendar (.ics) of a plan: milestones and phases as all-day events,
and training sessions as timed events (floating local time, as people read a schedule).

UIDs are ``<task or phase id>@<project id>.crmimpl`` and DTSTAMP is the project's
document date (or start) at midnight UTC, so the same plan gives the same bytes and a
calendar application updates events in place when the plan moves. All-day events end
the day after their last day (DTEND is exclusive).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from crmimpl.i18n import words as i18n_words
from crmimpl.store import atomic_write_bytes

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan

@dataclass(frozen=True)
class CalendarSession:
    """A timed event such as a training session."""

    uid: str
    summary: str
    day: date
    start_time: str
    hours: float
    description: str = ""
    minutes: tuple[int, ...] = ()
    """Each topic's minutes: the event ends after the breaks the session adds on top."""


def ical_bytes(plan: Plan, sessions: Iterable[CalendarSession] = ()) -> bytes:
    """The plan's milestones, phases and (optionally) sessions as an iCalendar file.

    Written directly (RFC 5545): the same lines, in the same order, as the icalendar
    library writes them (a test holds the two equal), in a tenth of its time: a large
    training schedule is thousands of folded lines."""
    info = plan.project.project
    words = i18n_words("calendar", plan.language)
    stamp = _utc(datetime.combine(info.document_date or info.start, time(0, 0)))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//crmimpl//plan//EN",
             "CALSCALE:GREGORIAN", "X-WR-CALNAME:" + _text(" ".join(info.title.split()))]
    for phase in plan.phases:
        _event(lines, f"phase.{phase.id}@{info.id}.crmimpl", stamp,
               f"{words['phase']}: {phase.name}", phase.start, phase.finish, "PHASE")
    for task in plan.tasks:
        if task.milestone:
            _event(lines, f"{task.id}@{info.id}.crmimpl", stamp,
                   f"{words['milestone']}: {task.name}", task.start, task.start, "MILESTONE")
    for session in sessions:
        _session(lines, session, info.id, stamp)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines).encode("utf-8")


def _session(lines: list[str], s: CalendarSession, project_id: str, stamp: str) -> None:
    from crmimpl.plan.training import span_minutes

    hour, minute = (int(x) for x in s.start_time.split(":"))
    start = datetime.combine(s.day, time(hour, minute))
    end = start + timedelta(minutes=span_minutes(s.hours, s.minutes))
    lines += ["BEGIN:VEVENT", "SUMMARY:" + _text(s.summary),
              "DTSTART:" + start.strftime("%Y%m%dT%H%M%S"),
              "DTEND:" + end.strftime("%Y%m%dT%H%M%S"), "DTSTAMP:" + stamp,
              "UID:" + _text(f"{s.uid}@{project_id}.crmimpl"), "CATEGORIES:TRAINING"]
    if s.description:
        lines.append("DESCRIPTION:" + _text(s.description))
    lines.append("END:VEVENT")


def _event(lines: list[str], uid: str, stamp: str, summary: str, first: date, last: date,
           category: str) -> None:
    """An all-day event (DTEND is the day after the last)."""
    lines += ["BEGIN:VEVENT", "SUMMARY:" + _text(summary),
              "DTSTART;VALUE=DATE:" + first.strftime("%Y%m%d"),
              "DTEND;VALUE=DATE:" + (last + timedelta(days=1)).strftime("%Y%m%d"),
              "DTSTAMP:" + stamp, "UID:" + _text(uid), "CATEGORIES:" + _text(category),
              "TRANSP:TRANSPARENT", "END:VEVENT"]


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """A TEXT value escaped (RFC 5545 3.3.11): backslash, semicolon, comma, line breaks."""
    return (value.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str, limit: int = 75) -> str:
    """A content line folded into lines of fewer than ``limit`` octets (RFC 5545 3.1),
    never splitting an escape (a backslash stays with the character after it)."""
    data = line.encode("utf-8")
    if len(data) < limit:
        return line
    parts: list[str] = []
    chunk: list[str] = []
    size = 0
    for char in line:
        width = 1 if char < "\x80" else 2 if char < "\u0800" else 3 if char < "\U00010000" else 4
        if chunk and size + width >= limit:
            if len(chunk) > 1 and chunk[-1] in "\\^":
                carried = chunk.pop()
                parts.append("".join(chunk))
                chunk, size = [carried], len(carried.encode("utf-8"))
            else:
                parts.append("".join(chunk))
                chunk, size = [], 0
        chunk.append(char)
        size += width
    if chunk:
        parts.append("".join(chunk))
    return "\r\n ".join(parts)


def write_ical(plan: Plan, path: Path | str,
               sessions: Iterable[CalendarSession] = ()) -> Path:
    """Write the plan's iCalendar file atomically."""
    return atomic_write_bytes(path, ical_bytes(plan, sessions))
