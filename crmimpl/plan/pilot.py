"""A phased pilot (``rollout.pilot``): waves of departments that start pilot operation one
after another.

Wave 1 works in the system alone for its ``days``, then wave 2 joins, and so on; the last
wave joins the plan's pilot operation task (``rollout.pilot``), which runs with everyone
until acceptance. Departments named in no wave join with the last. The plan expands a
``rollout.pilot_wave`` task for each wave but the last; training groups are trained in
the order of the waves (:func:`crmimpl.plan.training.build_groups`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from crmimpl.i18n import join
from crmimpl.model.project import Project


@dataclass(frozen=True)
class Wave:
    """One wave of the pilot: its number, departments, name, working days and users."""

    n: int
    departments: tuple[str, ...]
    name: str
    days: int
    users: int
    total: int = 0
    carried: int = 0  # users of the previous wave's departments who start with this one

    @property
    def partial(self) -> bool:
        """Only part of the wave's departments' users start in it (the others join with
        the next wave)."""
        return self.users < self.total


def pilot_waves(project: Project) -> list[Wave]:
    """The waves of a phased pilot, the last with every department named in no wave
    (empty: no phased pilot)."""
    given = project.rollout.pilot
    if not given:
        return []
    named = {d for w in given for d in w.departments}
    rest = tuple(d.id for d in project.client.departments if d.id not in named)
    names = {d.id: d.name for d in project.client.departments}
    users = {d.id: d.users for d in project.client.departments}
    lang = project.project.language
    out = []
    carried = 0
    for n, wave in enumerate(given, start=1):
        depts = tuple(wave.departments) + (rest if n == len(given) else ())
        name = wave.name or join([names.get(d, d) for d in wave.departments], lang, last=True)
        total = sum(users.get(d, 0) for d in depts)
        # A wave that starts with part of its departments' users shows those who start,
        # not the departments' totals (the others join with the next wave).
        starting = min(wave.users, total) if wave.users is not None and total else total
        out.append(Wave(n, depts, name, wave.days, starting, total, carried))
        carried = total - starting
    return out


def wave_of(project: Project) -> dict[str, int]:
    """Each department's wave number (empty without a phased pilot)."""
    return {d: w.n for w in pilot_waves(project) for d in w.departments}


def part_waves(project: Project) -> dict[tuple[str, str], int]:
    """The wave of each department part at another site (``Department.sites``, keyed by
    department id and site) when it is not its department's: a wave that starts with part
    of a department's users leaves the rest for the next wave, and the parts at other
    sites that fit in that rest are that rest (the head office starts first)."""
    waves = pilot_waves(project)
    depts = {d.id: d for d in project.client.departments}
    out: dict[tuple[str, str], int] = {}
    for w in waves[:-1]:
        rest = w.total - w.users
        for dept_id in w.departments:
            dept = depts.get(dept_id)
            if dept is None or rest <= 0:
                continue
            for part in sorted(dept.sites, key=lambda p: -p.users):
                if part.users <= rest:
                    out[(dept_id, part.site)] = w.n + 1
                    rest -= part.users
    return out


def wave_starts(project: Project, plan: object) -> list[tuple[Wave, date]]:
    """Each wave with the day it starts pilot operation in ``plan`` (the last wave: the
    start of ``rollout.pilot``); empty without a phased pilot or its tasks."""
    tasks = {t.id: t for t in getattr(plan, "tasks", [])}
    waves = pilot_waves(project)
    out = []
    for w in waves:
        task = tasks.get("rollout.pilot" if w.n == len(waves) else f"rollout.pilot_wave.{w.n}")
        if task is None:
            return []
        out.append((w, task.start))
    return out


def pilot_waves_text(project: Project, plan: object, lang: str) -> str:
    """The waves in a sentence: «волна 1 — контакт-центр, с 22 декабря 2026 года; …»
    (empty without a phased pilot)."""
    from crmimpl.i18n import day_long

    return "; ".join(
        f"волна {w.n} — {w.name}{wave_part(w, lang)}, с {day_long(start, lang)}" if lang == "ru"
        else f"wave {w.n}, {w.name}{wave_part(w, lang)}, from {day_long(start, lang)}"
        for w, start in wave_starts(project, plan))


def wave_part(wave: Wave, lang: str) -> str:
    """« (6 из 10 пользователей)» after a wave's name when only part of its departments'
    users start in it (the rest join the next wave); empty otherwise."""
    if not wave.partial:
        return ""
    if lang == "ru":
        from crmimpl.i18n import count_of

        return f" ({wave.users} из {count_of(wave.total, 'пользователь', lang, case='gent')})"
    return f" ({wave.users} of its {wave.total} users)"


def pilot_period(plan: object) -> tuple[date, date] | None:
    """The whole pilot operation in ``plan``: the start of its first wave (or of
    ``rollout.pilot`` without waves) to the end of ``rollout.pilot`` (None without a
    pilot). Every document that states the pilot's period takes it from here."""
    tasks = [t for t in getattr(plan, "tasks", [])
             if t.id == "rollout.pilot" or t.id.startswith(("rollout.pilot.",
                                                             "rollout.pilot_wave."))]
    if not tasks:
        return None
    return min(t.start for t in tasks), max(t.finish for t in tasks)


# the first days of a wave, when its users' questions and the decisions it needs come
ABSENCE_WINDOW_DAYS = 14


def pilot_absences(project: Project, plan: object, lang: str) -> str:
    """Who of the team is on leave in the first two weeks of a pilot wave, as the
    survey report warns of it (empty when nobody is): «На первые дни волны 2 (с
    10.07.2026) приходятся отпуска: Сергеева Марина Олеговна, коммерческий директор
    (06.07–17.07.2026)»; the sentence after says who stands in."""
    from datetime import timedelta

    from crmimpl.i18n import day, lower_position, period

    parts = []
    for w, start in wave_starts(project, plan):
        end = start + timedelta(days=ABSENCE_WINDOW_DAYS)
        away = [(p, v) for p in project.team for v in p.vacations
                if v.start <= end and v.end >= start]
        if not away:
            continue
        people = "; ".join(
            f"{p.name}{', ' + lower_position(p.position, lang) if p.position else ''} "
            f"({period(v.start, v.end, lang)})" for p, v in away)
        parts.append(
            f"на первые дни волны {w.n} (с {day(start, lang)}) приходятся отпуска: {people}"
            if lang == "ru" else
            f"the first days of wave {w.n} (from {day(start, lang)}) fall in the leave of: "
            f"{people}")
    if not parts:
        return ""
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."



# a last wave with at most this many working days before acceptance is called short
SHORT_LAST_WAVE = 15


def last_wave_margin(project: Project, plan: object, lang: str) -> str:
    """When the last pilot wave has little time before acceptance and the client set a
    deadline after it, the fallback: how long the wave works, and how far acceptance may
    move (empty otherwise)."""
    from crmimpl.i18n import count, day

    starts = wave_starts(project, plan)
    deadline = project.project.deadline
    launch = getattr(plan, "launch", None)
    calendar = getattr(plan, "calendar", None)
    if not starts or deadline is None or launch is None or calendar is None \
            or deadline <= launch:
        return ""
    _, start = starts[-1]
    days = calendar.working_days_between(start, launch)
    if days > SHORT_LAST_WAVE:
        return ""
    spare = calendar.working_days_between(launch, deadline) - 1
    ru_days = ("рабочий день", "рабочих дня", "рабочих дней")
    en_days = ("working day", "working days")
    works, margin = count(days, lang, ru_days, en_days), count(spare, lang, ru_days, en_days)
    if lang == "ru":
        return (f"Последняя волна работает в системе до приемки {works}; если по ее итогам "
                f"останутся критичные замечания, приемку можно перенести, но не позднее "
                f"{day(deadline, lang)} — крайнего срока, установленного заказчиком "
                f"(запас — {margin}).")
    return (f"The last wave works in the system for {works} before acceptance; if critical "
            f"issues remain after it, acceptance can move, but not past "
            f"{day(deadline, lang)}, the client's deadline (a margin of {margin}).")


def adoption_period(first: date, days: int, is_working: Callable[[date], bool]
                    ) -> tuple[date, date]:
    """The adoption period (``training.adoption_days``): ``days`` working days from the
    first working day on or after ``first``. One computation for every document: the
    training plan's (from the day after the last session), a phased pilot's (from the
    launch, :func:`adoption_window`) and a staged project's support
    (:func:`crmimpl.documents.common.staged_adoption`)."""

    def working(day: date) -> date:
        while not is_working(day):
            day += timedelta(days=1)
        return day

    start = end = working(first)
    for _ in range(max(days - 1, 0)):
        end = working(end + timedelta(days=1))
    return start, end


def adoption_window(project: Project, plan: object) -> tuple[date, date] | None:
    """A phased pilot's adaptation period, tied to the launch into production (the
    acceptance): from that day for ``training.adoption_days`` working days. The training
    plan's support of the waves runs to its end and the specification's «первые N рабочих
    дней после запуска» state the same dates (one computation). None without waves, an
    acceptance or a calendar."""
    if len(pilot_waves(project)) < 2:
        return None
    launch = next((t for t in getattr(plan, "tasks", []) if t.id == "rollout.acceptance"),
                  None)
    cal = getattr(plan, "calendar", None)
    if launch is None or cal is None:
        return None
    return adoption_period(launch.start, project.training.adoption_days, cal.is_working)


@dataclass(frozen=True)
class Duty:
    """Consultants on duty at the client's site (``rollout.on_site_support``) from the day
    some departments' users start work: one per wave that brings them (or one for the
    pilot without waves)."""

    n: int
    departments: tuple[str, ...]
    wave: int | None  # the wave whose start it follows (None: no phased pilot)
    starts_with: str  # the plan task it starts with (SS)
    days: int
    consultants: int
    hours_per_day: float
    site: str | None

    @property
    def hours(self) -> float:
        """Hours on duty: days × consultants × hours a day."""
        return self.days * self.consultants * self.hours_per_day


def on_site_duties(project: Project) -> list[Duty]:
    """The on-site duties of ``rollout.on_site_support`` in plan order: for each entry,
    each wave in which users of its departments start (a department of a partial wave
    also with the next wave, which brings the rest of its users)."""
    waves = pilot_waves(project)
    out: list[Duty] = []
    for entry in project.rollout.on_site_support:
        hpd = entry.hours_per_day or project.plan.hours_per_day
        wanted = set(entry.departments)
        if not waves:
            starts: list[tuple[int | None, tuple[str, ...], str]] = [
                (None, tuple(entry.departments), "rollout.pilot")]
        else:
            starts = []
            for i, w in enumerate(waves):
                own = [d for d in w.departments if d in wanted]
                if i and waves[i - 1].partial and w.carried:
                    own += [d for d in waves[i - 1].departments if d in wanted]
                task = "rollout.pilot" if w.n == len(waves) else f"rollout.pilot_wave.{w.n}"
                if own:
                    starts.append((w.n, tuple(dict.fromkeys(own)), task))
        out += [Duty(len(out) + k, depts, wave, task, entry.days, entry.consultants, hpd,
                     entry.site) for k, (wave, depts, task) in enumerate(starts, start=1)]
    return out


def duty_name(project: Project, duty: Duty, lang: str) -> str:
    """A duty as a plan task names it: «контакт-центр, волна 1» / "contact centre, wave 1"
    (the departments' names as the project writes them)."""
    names = {d.id: d.name for d in project.client.departments}
    depts = join([names.get(d, d) for d in duty.departments], lang, last=True)
    if duty.wave is None:
        return depts
    return f"{depts}, волна {duty.wave}" if lang == "ru" else f"{depts}, wave {duty.wave}"


def on_site_text(project: Project, plan: object, lang: str) -> str:
    """The consultants' on-site duty as the plan schedules it, in a sentence or two: who,
    where, how many hours a day, the dates of each duty and the plan's hours (empty
    without ``rollout.on_site_support`` or its tasks). The survey report and the
    specification state it from here, so both give the plan's figures."""
    from crmimpl.i18n import count_of, day, hours

    tasks = {t.id: t for t in getattr(plan, "tasks", [])}
    duties = [(d, tasks[f"rollout.on_site.{d.n}"]) for d in on_site_duties(project)
              if f"rollout.on_site.{d.n}" in tasks]
    if not duties:
        return ""
    names = {d.id: d.name for d in project.client.departments}
    depts = list(dict.fromkeys(x for d, _ in duties for x in d.departments))
    quoted = " и ".join if lang == "ru" else " and ".join
    who = list(dict.fromkeys(a.person_name for _, t in duties for a in t.assignments))
    first = duties[0][0]
    total = sum((t.effort_hours for _, t in duties), 0)
    # each person's hours a day as the plan books them (the people named on the task may
    # be more or fewer than the consultants the duty asked for)
    first_task = duties[0][1]
    on_task = max(len(first_task.assignments), 1)
    per_day = hours(first_task.effort_hours / (first.days * on_task), lang)
    days = count_of(first.days, "рабочий день" if lang == "ru" else "working day", lang,
                    case="gent" if lang == "ru" else "nomn")
    dates = "; ".join(
        f"{day(t.start, lang)}–{day(t.finish, lang)}"
        + (("" if d.wave is None else f" (волна {d.wave})") if lang == "ru"
           else ("" if d.wave is None else f" (wave {d.wave})"))
        for d, t in duties)
    site = f" ({first.site})" if first.site else ""
    if lang == "ru":
        dept_text = ("подразделения " if len(depts) == 1 else "подразделений ") + quoted(
            f"«{names.get(x, x)}»" for x in depts)
        many = len(who) != 1
        # specialists: the person on duty may be the support specialist, not a consultant
        people = (f"специалист{'ы' if many else ''} исполнителя"
                  + (f" — {join(who, lang, last=True)}," if who else ""))
        each = " каждый" if on_task > 1 else ""
        return (f"Когда пользователи {dept_text} начинают работать в системе, на месте"
                f"{site} {'дежурят' if many else 'дежурит'} {people} по {per_day}\u00a0ч в день"
                f"{each}, в первые {days} после начала их работы: {dates}. "
                + ("Они помогают на рабочих местах, отвечают на вопросы и передают "
                   if many else "Специалист помогает на рабочих местах, отвечает на "
                   "вопросы и передает ")
                + "замечания в общий список; в плане-графике на дежурство отведено "
                f"{hours(total, lang)}\u00a0ч.")
    dept_text = quoted(f"“{names.get(x, x)}”" for x in depts)
    people = "the contractor's specialist" + ("s" if len(who) != 1 else "") + (
        f" ({join(who, lang, last=True)})" if who else "")
    each = " each" if on_task > 1 else ""
    verb = "are" if len(who) != 1 else "is"
    return (f"While the users of {dept_text} start work in the system, {people} {verb} on "
            f"duty on site{site}, {per_day}\u00a0h a day{each}, for their first {days} in the "
            f"system: {dates}. "
            + ("They help at the workstations, answer questions and log issues"
               if len(who) != 1 else "The specialist helps at the workstations, answers "
               "questions and logs issues")
            + f" in the shared list; the plan gives the duty {hours(total, lang)}\u00a0h.")
