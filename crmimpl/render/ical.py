"""iCalendar (.ics) of a plan: milestones and phases as all-day events (icalendar),
and training sessions as timed events (floating local time, as people read a schedule).

UIDs are ``<task or phase id>@<project id>.crmimpl`` and DTSTAMP is the project's
document date (or start) at midnight UTC, so the same plan gives the same bytes and a
calendar application updates events in place when the plan moves. All-day events end
the day after their last day (DTEND is exclusive).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    """The plan's milestones, phases and (optionally) sessions as an iCalendar file."""
    from icalendar import Calendar, Event

    info = plan.project.project
    words = i18n_words("calendar", plan.language)
    stamp = datetime.combine(info.document_date or info.start, time(0, 0), tzinfo=UTC)
    cal = Calendar()
    cal.add("prodid", "-//crmimpl//plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # icalendar escapes line breaks in known properties but not in X- properties
    cal.add("x-wr-calname", " ".join(info.title.split()))
    for phase in plan.phases:
        cal.add_component(_event(Event, f"phase.{phase.id}@{info.id}.crmimpl", stamp,
                                 f"{words['phase']}: {phase.name}", phase.start,
                                 phase.finish, "PHASE"))
    for task in plan.tasks:
        if task.milestone:
            cal.add_component(_event(Event, f"{task.id}@{info.id}.crmimpl", stamp,
                                     f"{words['milestone']}: {task.name}", task.start,
                                     task.start, "MILESTONE"))
    for session in sessions:
        cal.add_component(_session(Event, session, info.id, stamp))
    data: bytes = cal.to_ical()
    return data


def _session(event_cls: Any, s: CalendarSession, project_id: str, stamp: datetime) -> Any:
    hour, minute = (int(x) for x in s.start_time.split(":"))
    start = datetime.combine(s.day, time(hour, minute))
    event = event_cls()
    event.add("uid", f"{s.uid}@{project_id}.crmimpl")
    event.add("dtstamp", stamp)
    event.add("summary", s.summary)
    event.add("dtstart", start)
    from crmimpl.plan.training import span_minutes

    event.add("dtend", start + timedelta(minutes=span_minutes(s.hours, s.minutes)))
    if s.description:
        event.add("description", s.description)
    event.add("categories", ["TRAINING"])
    return event


def _event(event_cls: Any, uid: str, stamp: datetime, summary: str, first: date,
           last: date, category: str) -> Any:
    event = event_cls()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", first)
    event.add("dtend", last + timedelta(days=1))
    event.add("categories", [category])
    event.add("transp", "TRANSPARENT")
    return event


def write_ical(plan: Plan, path: Path | str,
               sessions: Iterable[CalendarSession] = ()) -> Path:
    """Write the plan's iCalendar file atomically."""
    return atomic_write_bytes(path, ical_bytes(plan, sessions))
