"""iCalendar: milestones and phases as all-day events with stable UIDs and DTSTAMP."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from crmimpl.plan.builder import build_plan
from crmimpl.render.ical import ical_bytes, write_ical
from tests.plan_helpers import small_project


def test_events_and_determinism(tmp_path: Path) -> None:
    from icalendar import Calendar

    plan = build_plan(small_project(tmp_path))
    data = ical_bytes(plan)
    assert data == ical_bytes(build_plan(small_project(tmp_path)))
    cal = Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    milestones = [t for t in plan.tasks if t.milestone]
    assert len(events) == len(plan.phases) + len(milestones)
    by_uid = {str(e["UID"]): e for e in events}
    acceptance = by_uid["rollout.acceptance@small.crmimpl"]
    task = plan.task("rollout.acceptance")
    assert acceptance["DTSTART"].dt == task.start
    assert acceptance["DTEND"].dt == task.start + timedelta(days=1)
    phase = by_uid["phase.development@small.crmimpl"]
    dev = plan.phase("development")
    assert (phase["DTSTART"].dt, phase["DTEND"].dt) == (dev.start, dev.finish + timedelta(1))
    assert all(e["DTSTAMP"].dt.date() == date(2026, 3, 2) for e in events)


def test_write_ical(tmp_path: Path) -> None:
    plan = build_plan(small_project(tmp_path))
    path = write_ical(plan, tmp_path / "out" / "plan.ics")
    assert path.read_bytes().startswith(b"BEGIN:VCALENDAR")
