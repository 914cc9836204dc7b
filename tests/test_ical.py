"""iCalendar: milestones and phases as all-day events with stable UIDs and DTSTAMP."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from crmimpl.i18n import words
from crmimpl.plan.builder import build_plan
from crmimpl.render.ical import CalendarSession, ical_bytes, write_ical
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


def _icalendar_bytes(plan: Any, sessions: list[CalendarSession]) -> bytes:
    """The same calendar written by the icalendar library: the reference for our writer."""
    from icalendar import Calendar, Event, vText

    from crmimpl.plan.training import span_minutes

    info = plan.project.project
    names = words("calendar", plan.language)
    stamp = datetime.combine(info.document_date or info.start, time(0, 0), tzinfo=UTC)
    cal = Calendar()
    cal.add("prodid", "-//crmimpl//plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # a calendar's name is TEXT (RFC 7986 NAME): escaped, as Google and Apple write it
    cal.add("x-wr-calname", vText(" ".join(info.title.split())))

    def event(uid: str, summary: str, category: str) -> Any:
        e = Event()
        e.add("uid", uid)
        e.add("dtstamp", stamp)
        e.add("summary", summary)
        e.add("categories", [category])
        return e

    for phase in plan.phases:
        e = event(f"phase.{phase.id}@{info.id}.crmimpl", f"{names['phase']}: {phase.name}", "PHASE")
        e.add("dtstart", phase.start)
        e.add("dtend", phase.finish + timedelta(days=1))
        e.add("transp", "TRANSPARENT")
        cal.add_component(e)
    for task in plan.tasks:
        if task.milestone:
            e = event(f"{task.id}@{info.id}.crmimpl", f"{names['milestone']}: {task.name}",
                      "MILESTONE")
            e.add("dtstart", task.start)
            e.add("dtend", task.start + timedelta(days=1))
            e.add("transp", "TRANSPARENT")
            cal.add_component(e)
    for s in sessions:
        hour, minute = (int(x) for x in s.start_time.split(":"))
        start = datetime.combine(s.day, time(hour, minute))
        e = event(f"{s.uid}@{info.id}.crmimpl", s.summary, "TRAINING")
        e.add("dtstart", start)
        e.add("dtend", start + timedelta(minutes=span_minutes(s.hours, s.minutes)))
        if s.description:
            e.add("description", s.description)
        cal.add_component(e)
    data: bytes = cal.to_ical()
    return data


def test_our_writer_writes_what_icalendar_writes(tmp_path: Path) -> None:
    """Escapes (\\ ; , line breaks), folding of long Cyrillic lines at 75 octets, a
    backslash escape kept whole at a fold, 4-byte characters, timed and all-day events:
    byte for byte what the icalendar library makes, which calendar applications read."""
    from icalendar import Calendar

    project = small_project(tmp_path)
    project.project.title = "ООО «Тест; Запятая, и\\слэш» " + "Длинное название " * 6
    plan = build_plan(project)
    plan.phases[0].name = "Обследование, " + "ф" * 30 + "\\" + "x" * 40 + ";\nвторая строка"
    text = ("Описание; с запятыми, переносами\nи эмодзи 🚀 " * 4 + "а" * 33 + "\\n"
            + "z" * 80)
    sessions = [CalendarSession("training.T01.1", "T01 Ключевые пользователи — 1",
                                date(2026, 9, 24), "09:30", 3.5, text, (60, 90, 60)),
                CalendarSession("training.T01.2", "T01, вторая; " * 8, date(2026, 9, 25),
                                "10:00", 2.0)]
    ours = ical_bytes(plan, sessions)
    assert ours == _icalendar_bytes(plan, sessions)
    events = list(Calendar.from_ical(ours).walk("VEVENT"))
    assert str(events[-2]["DESCRIPTION"]) == text
    assert max(len(line) for line in ours.split(b"\r\n")) <= 75
