"""Context of the training plan document («План обучения пользователей»)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from crmimpl import i18n
from crmimpl.documents import common
from crmimpl.documents.country import legal_basis
from crmimpl.industry import product_wording
from crmimpl.model.project import Project
from crmimpl.plan.builder import Plan, build_plan
from crmimpl.plan.pilot import adoption_window, pilot_period, wave_part, wave_starts
from crmimpl.plan.training import (
    ADMINS,
    KEY_USERS,
    LUNCH_AFTER_HOURS,
    MIXED,
    ONLINE,
    TrainingGroup,
    TrainingPlan,
    group_kind_label,
    group_rule,
    group_sizes_text,
    key_user_people,
    session_end,
    shifted,
    site_offset,
    training_plan,
    training_site,
    whole_words,
)
from crmimpl.vocabulary import label

NAME = "training_plan"
# an en dash a table cell never breaks at (word joiners on both sides): «10:00–13:30»
JOINED_DASH = "\u2060–\u2060"
MAX_LISTED_GROUPS = 6  # a trainer of more groups shows their number, not a run of ids


def training_for(project: Project, lang: str, plan: Plan | None = None) -> TrainingPlan:
    """The plan's training sessions with group names and topics in ``lang``."""
    plan = plan or build_plan(project)
    return training_plan(project, lang, plan.sessions, plan.calendar.is_working)


def _breaks(training: TrainingPlan, session: Any, lang: str) -> str:
    """A session's short breaks and lunch as the session timeline places them (the
    passport's agenda shows the same): «11:30–11:40; обед 13:00–14:00»."""
    from crmimpl.plan.training import session_timeline

    topics = training.group(session.group_id).topics
    rows = session_timeline(session.start_time, [round(float(topics[i].hours) * 60)
                                                 for i in session.topics])
    lunch = "обед " if lang == "ru" else "lunch "
    return "; ".join((lunch if kind == "lunch" else "") + f"{_clock(a)}{JOINED_DASH}{_clock(b)}"
                     for kind, _, a, b in rows if kind != "topic")


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def build_context(project: Project, lang: str, *, plan: object | None = None,
                  answers: object | None = None) -> dict[str, Any]:
    """Plain data for ``training_plan.md.j2``."""
    assert plan is None or isinstance(plan, Plan)
    plan = plan or build_plan(project)
    training = training_for(project, lang, plan)
    window = adoption_window(project, plan)
    names = {p.id: p.name for p in project.team}
    curricula = _curricula(training, lang, project)
    program = {gid: c["n"] for c in curricula for gid in c["group_ids"]}
    venues = _venues(training)
    # a schedule of a few pages names each session's topics; a long one keeps to their
    # numbers (volga's 387 sessions would take 15 more pages), its groups' own sheets
    # in the workbook naming them
    named = len(training.sessions) <= NAMED_SESSIONS
    sessions = [
        {"day": i18n.day(s.day, lang), "time": f"{s.start_time}{JOINED_DASH}{session_end(s)}"
         + _local_time(training.group(s.group_id), s, lang),
         "group": s.group_id, "trainer": short_name(names.get(s.trainer_id, s.trainer_id)),
         "format": place_label(training.group(s.group_id), lang, venues, short=True),
         "topics": _topic_numbers(program[s.group_id], s.topics)
         + (_topic_heads(training.group(s.group_id).topics, s.topics) if named else ""),
         "breaks": _breaks(training, s, lang) or i18n.DASH}
        for s in training.sessions
    ]
    groups = [
        {"id": g.id, "name": g.name, "kind": _audience(g, lang, training.department_names,
                                                  {d.id: d.area for d in project.client.departments
                                                   if d.area}),
         "size": g.size,
         "format": place_label(g, lang, venues),
         "hours": i18n.hours(g.hours, lang),
         "sessions": len(training.sessions_of(g.id))}
        for g in training.groups
    ]
    key_members = list(dict.fromkeys(m for g in training.groups if g.kind == KEY_USERS
                                     for m in g.members))
    later = [g for g in training.groups if g.kind == KEY_USERS and g.repeat]
    return {
        "meta": common.register_meta(project, plan, "training", lang,
                                     i18n.word("titles", NAME, lang),
                                     _subtitle(project, lang)),
        "project_title": project.project.title,
        "client": project.client.name,
        "window_start": i18n.day(training.window_start, lang),
        "window_end": i18n.day(training.window_end, lang),
        "group_size": training.group_size,
        "group_min": training.group_min,
        "group_sizes": group_sizes_text(training.groups, lang),
        "group_rule": _size_rule(project, training, lang),
        "record": project.training.record,
        # the personal-data law the training data and the recordings follow
        "law": legal_basis(project, lang)["personal_data_law"],
        # accounts come from the company directory: nobody "creates" them for training
        "sso": any(i.kind == "sso" for i in project.integrations),
        "pilot_waves": [{"n": w.n, "name": w.name, "start": i18n.day_long(start, lang)}
                        for w, start in wave_starts(project, plan)],
        "pilot_waves_text": "; ".join(
            (f"волна {w.n} — {w.name}{wave_part(w, lang)}, начало работы в системе "
             f"{i18n.day_long(start, lang)}" if lang == "ru" else
             f"wave {w.n}, {w.name}{wave_part(w, lang)}, starting work in the system on "
             f"{i18n.day_long(start, lang)}") for w, start in wave_starts(project, plan)),
        "has_mixed": any(len(g.people) > 1 for g in training.groups),
        "one_day": all(len(training.sessions_of(g.id)) == 1 for g in training.groups),
        "single_group": sum(1 for g in training.groups if g.kind != KEY_USERS) == 1,
        "has_small": any(g.size < training.group_min for g in training.groups
                         if g.kind not in (KEY_USERS, ADMINS)),
        "has_shifts": any(g.shift for g in training.groups),
        # (the sentence under the schedule says names only when the rows give them)
        "topics_named": len(training.sessions) <= NAMED_SESSIONS and any(
            len(s.topics) <= SESSION_HEADS for s in training.sessions),
        "weekly_checks": _weekly_checks(project, training, lang),
        "uncovered": _uncovered_shifts(project, training),
        "on_duty": _on_duty(project, training, lang),
        "rota": _rota_shifts(project, training, lang),
        "no_key_users": _heads_first_line(project, training, lang),
        # the system's own words for the administration texts (amoCRM: no directories)
        "wording": [list(pair) for pair in product_wording(project, lang)],
        # shift groups of departments that keep nobody on duty: the other shift works
        "shifts_without_duty": any(
            g.shift for g in training.groups if g.department_id is not None
            and g.department_id not in {d.id for d in project.client.departments
                                        if d.on_duty is not None}),
        **_late_cover(training, lang),
        "trainer_leave": _trainer_leave(project, plan, training, lang),
        "acceptance_day": i18n.day(plan.launch, lang) if plan.launch else "",
        # the internal expert who is the client's project manager reports to the
        # contractor's (round 19: teplo's expert handed her report «руководителю проекта»,
        # herself)
        "pm_to": _pm_to(project, lang),
        "all_online": all(g.format == ONLINE for g in training.groups),
        "has_online": any(g.format == ONLINE for g in training.groups),
        # the later iterations' key users meet online by design though they sit at the
        # training site: the rule "all other groups meet in person" says so
        "online_key": i18n.join([g.id for g in training.groups if g.repeat
                                 and g.kind == KEY_USERS and g.format == ONLINE], lang,
                                last=True),
        # a stage's short sessions for departments already live or working in it early
        "online_delta": i18n.join([g.id for g in training.groups if g.iteration is not None
                                   and g.format == ONLINE], lang, last=True),
        "training_site": training_site(project) or "",
        "time_of_day": project.training.time_of_day,
        "session_hours": i18n.hours(training.session_hours, lang),
        # a short topic joins the session beside it rather than take a day of its own:
        # the rule states the longest session the plan really has
        "session_longest": i18n.hours(longest, lang)
        if (longest := max((s.hours for s in training.sessions), default=0))
        > training.session_hours else "",
        "lunch": any(s.hours > LUNCH_AFTER_HOURS for s in training.sessions),
        "breaks": any(row["breaks"] != i18n.DASH for row in sessions),
        "attendance": attendance(project, training, lang),
        # the key users of a later iteration are counted in the MVP's group already
        "users_total": sum(g.size - g.guests for g in training.groups if not g.repeat),
        "seats_total": sum(g.size for g in training.groups),
        "repeaters": _repeaters(training, lang),
        # departments with CRM users but no right to anything in scope (teplo's
        # accountant, who never touches the telephony being connected)
        **_untrained(project, lang),
        "key_later": [_key_later(project, g, lang) for g in later],
        "sessions_total": len(training.sessions),
        "hours_total": i18n.hours(training.hours, lang),
        "trainers": i18n.join((p.name for p in training.trainers), lang, last=True),
        "groups": groups,
        "key_members": i18n.join(key_members, lang, last=True),
        "curricula": curricula,
        "venues": [{"n": n, "name": v} for v, n in venues.items()],
        "admin_members": _admin_members(training, lang),
        "admin_key_users": _admin_key_users(project, lang),
        "shift_groups": _shift_groups(project, training, lang),
        "admin_count": sum(g.size - g.guests for g in training.groups if g.kind == ADMINS),
        "admin_guest": i18n.join([m for g in training.groups if g.kind == ADMINS
                                  for m in g.members[:g.guests]], lang, last=True),
        "admin_hours": next((i18n.hours(g.hours, lang) for g in training.groups
                             if g.kind == ADMINS), ""),
        "has_busy": any(g.windows is not None for g in training.groups),
        "busy_days": _busy_days(project, lang),
        **_mobile(project, training, lang),
        # counted, not listed by code: the group table names them
        # empty when no head has a group of their own (the sentence is left out)
        "heads_groups": i18n.count_of(heads, "группа" if lang == "ru" else "group", lang)
        if (heads := sum(1 for g in training.groups if g.heads)) else "",
        "heads_departments": i18n.join(list(dict.fromkeys(
            training.department_names.get(d, d) for g in training.groups if g.heads
            for d in g.departments)), lang, last=True),
        "small_groups": i18n.join(
            [f"{g.id} ({_people(g.size, lang)})" for g in training.groups
             if g.kind not in (KEY_USERS, ADMINS) and g.size < training.group_min],
            lang, last=True),
        # the rule above is the plan's rule, stated once: a group below the usual size
        # is no exception to explain (a shift, a department of two), so none is listed
        "small_text": "",
        "rooms": project.training.rooms,
        "schedule_zone": _schedule_zone(project, lang),
        "local_zones": _local_zones(project, training, lang),
        # people at another site trained online: they may live in another time zone
        "working_weekends": i18n.join(
            sorted({i18n.day(s.day, lang) for s in training.sessions if s.day.weekday() == 5}),
            lang, last=True),
        "small_count": sum(1 for g in training.groups
                           if g.kind not in (KEY_USERS, ADMINS) and g.size < training.group_min),
        "small_shifts": all(g.shift for g in training.groups
                            if g.kind not in (KEY_USERS, ADMINS) and g.size < training.group_min),
        "sessions": sessions,
        "materials": training.materials + _asked_materials(
            answers, lang, admins=any(g.kind == ADMINS for g in training.groups)),
        "adoption_start": i18n.day(training.adoption_start, lang),
        "adoption_end": i18n.day(window[1] if window else training.adoption_end, lang),
        "launch_day": i18n.day(window[0], lang) if window else "",
        "adoption_days": project.training.adoption_days,
        **common.frame_context(project, lang),
        "mode": project.project.mode,
        "trainer_rows": _trainers(training, lang),
        "key_users_total": sum(g.size for g in training.groups
                               if g.kind == KEY_USERS and not g.repeat),
        "has_key_users": any(g.kind == KEY_USERS for g in training.groups),
        "checks": course_checks(project, training, program, lang),
        "refreshers": (refresh := refreshers(project, plan, training, lang)),
        "refresh_days": REFRESH_AFTER_DAYS,
        "refresh_fresh": _fresh_groups(refresh, training, lang),
        # the client's own trainers of a department (a contact centre's): they run its
        # refreshers; a client without them is not told of "the department's trainer"
        "dept_trainers": any(p.side == "client" and p.department and "trainer" in p.roles
                             for p in project.team),
        "refresh_hours": i18n.hours(REFRESH_HOURS, lang),
        "first_day": i18n.day_long(training.window_start, lang),
        **_support(project, plan, lang),
        "duty": duty_roster(project, plan, training, lang),
        # a contractor who trains only online answers the floor from afar too: no
        # «рядом с пользователями» unless someone is booked on site
        "duty_remote": all(g.format == ONLINE for g in training.groups)
        and not any(t.id.startswith("rollout.on_site.") for t in plan.tasks),
        "duty_gaps": duty_gaps(project, plan, lang),
        "duty_off": duty_off(project, plan, lang),
        "key_users_after": _key_users_after(plan, lang),
        **_build_stage_days(plan, lang),
        **_cover(project, training, lang, plan),
        "wave_adoption": "; ".join(
            (f"волна {w.n} — с {i18n.day(start, lang)}" if lang == "ru"
             else f"wave {w.n} from {i18n.day(start, lang)}")
            for w, start in wave_starts(project, plan)) or _iteration_starts(plan, lang),
    }


# Calendar days between a group's last session and its people's first day in the system
# from which they get a refresher in the week before: after two weeks (and a holiday
# season) a course is half forgotten.
REFRESH_AFTER_DAYS = 14
REFRESH_HOURS = 1


def refreshers(project: Project, plan: Plan | None, training: TrainingPlan, lang: str
               ) -> list[dict[str, str]]:
    """A refresher for the people of each department who start work in the system two
    weeks or more after their last session (a later wave, the rest of a partial wave, a
    holiday season between): an hour in the five working days before their start, on
    their own end-to-end scenario and the topics that raised questions, run by the
    department's own trainer, else its key users, else the internal expert (the client's
    people: no contractor hours)."""
    if plan is None:
        return []
    ru = lang == "ru"
    starts = wave_starts(project, plan)
    golive: list[tuple[str, date, int | None]] = []
    people: dict[tuple[str, int], int] = {}  # a partial wave's starters, and its rest
    if starts:
        for i, (w, start) in enumerate(starts):
            depts = list(w.departments)
            if w.partial and len(w.departments) == 1:
                people[(w.departments[0], w.n)] = w.users
            if i and starts[i - 1][0].partial and w.carried:
                before = starts[i - 1][0]
                depts += [d for d in before.departments if d not in depts]
                if len(before.departments) == 1:
                    people[(before.departments[0], w.n)] = w.carried
            golive += [(d, start, w.n) for d in depts]
    else:
        pilot = next((t for t in plan.tasks if t.id == "rollout.pilot"), None)
        if pilot is None:
            return []
        golive = [(d.id, pilot.start, None) for d in project.client.departments]
    names = {d.id: d.name for d in project.client.departments}
    out: list[dict[str, str]] = []
    last = {g.id: max((s.day for s in training.sessions if s.group_id == g.id),
                      default=None) for g in training.groups}
    for dept, start, wave in golive:
        groups = [g for g in training.groups if dept in g.departments
                  and g.kind not in (KEY_USERS, ADMINS)]
        if wave is not None and any(g.wave is not None for g in groups):
            # the groups of the people who start now: the wave's own, else (a partial
            # wave's rest, not split by group) the previous wave's
            own = [g for g in groups if g.wave == wave]
            groups = own or [g for g in groups if g.wave == wave - 1]
        # the department's groups that end their course within the two weeks: named
        # below the table, so that a wave's T56 listed and T57 not reads as a rule
        fresh = [g.id for g in groups if (day := last[g.id]) is not None
                 and (start - day).days < REFRESH_AFTER_DAYS]
        groups = [g for g in groups if (day := last[g.id]) is not None
                  and (start - day).days >= REFRESH_AFTER_DAYS]
        if not groups:
            continue
        dept_busy = next((d.busy_days for d in project.client.departments if d.id == dept),
                         [])
        week = _working_days_before(plan, start, 5, dept_busy)
        name = names.get(dept, dept)
        who = (f"{name}, волна {wave}" if ru else f"{name}, wave {wave}"
               ) if wave is not None else name
        if wave is not None and (dept, wave) in people:
            who += f" ({_people(people[(dept, wave)], lang)})"
        out.append({"who": who, "groups": _group_ids(groups, lang),
                    "start": i18n.day(start, lang),
                    "period": i18n.period(week[0], week[-1], lang),
                    "lead": _refresher_lead(project, training, dept, lang),
                    "fresh": ",".join(fresh), "listed": ",".join(g.id for g in groups)})
    return _support_refreshers(project, plan, training, golive, last, lang) + out


def _fresh_groups(rows: list[dict[str, str]], training: TrainingPlan, lang: str) -> str:
    """The groups of the refreshers' departments that need none (their course ends less
    than two weeks before their start): «T47–T52 и T57–T59»; "" when there are none."""
    listed = {i for r in rows for i in r.get("listed", "").split(",") if i}
    ids = {i for r in rows for i in r.get("fresh", "").split(",") if i} - listed
    groups = [g for g in training.groups if g.id in ids]
    # a range is not broken at its dash at a line end («T47–» / «T52»)
    return _group_ids(groups, lang).replace("–", JOINED_DASH) if groups else ""


def _support_refreshers(project: Project, plan: Plan, training: TrainingPlan,
                        golive: Sequence[tuple[str, date, int | None]],
                        last: Mapping[str, date | None], lang: str) -> list[dict[str, str]]:
    """The same rule for the key users and the administrators: they support their
    colleagues from the first go-live, so they refresh in the week before it."""
    if not golive:
        return []
    first = min(start for _, start, _ in golive)
    week = _working_days_before(plan, first, 5)
    expert = project.training.crm_expert
    out: list[dict[str, str]] = []
    for g in training.groups:
        day = last.get(g.id)
        if g.kind not in (KEY_USERS, ADMINS) or day is None \
                or (first - day).days < REFRESH_AFTER_DAYS:
            continue
        # the expert runs it for a group they were not trained in; a group of their own
        # refreshes by itself (round 15: Лебедева led the refreshers of T01 and T02, both
        # groups she sat in)
        if expert and project.person(expert).name not in g.members:
            lead = short_name(project.person(expert).name)
        else:
            lead = ("Самостоятельно, по материалам курса" if lang == "ru"
                    else "Self-study with the course materials")
        # they start supporting colleagues at the first go-live, whatever their own
        # wave (round 18: "first day of work 16 Jun" for key users of a later wave)
        cti = project.project.mode == "cti"
        since = (("с подключения телефонии" if cti else "с первого запуска") if lang == "ru"
                 else ("from the telephony's go-live" if cti else "from the first go-live"))
        if g.kind == KEY_USERS:
            who = g.name + (f" (поддерживают коллег {since})" if lang == "ru"
                            else f" (they support colleagues {since})")
        else:
            who = g.name + (f" (сопровождают систему {since})" if lang == "ru"
                            else f" (they run the system {since})")
        out.append({"who": who, "groups": _group_ids([g], lang),
                    "start": i18n.day(first, lang),
                    "period": i18n.period(week[0], week[-1], lang), "lead": lead})
    return out


def _working_days_before(plan: Plan, day: date, n: int,
                         busy: Sequence[int] = ()) -> list[date]:
    """The ``n`` working days before ``day``, earliest first, none of them on a day of
    the month in ``busy`` (a department's peak days: ``Department.busy_days``)."""
    out: list[date] = []
    d = day
    while len(out) < n:
        d -= timedelta(days=1)
        if plan.calendar.is_working(d) and d.day not in busy:
            out.append(d)
    return out[::-1]


def _refresher_lead(project: Project, training: TrainingPlan, dept: str, lang: str) -> str:
    """Who runs a department's refresher: its own trainers, else its key users, else
    the internal expert."""
    own = [p for p in project.team if p.side == "client" and "trainer" in p.roles
           and p.department == dept]
    if not own:
        own = [p for p in key_user_people(project) if p.department == dept]
    heads = [g for g in training.groups if g.heads and dept in g.departments]
    if not own and heads:
        # many offices and no trainer: each head runs it with their own staff
        return (f"Руководители, прошедшие курс руководителей ({_group_ids(heads, lang)}), — "
                "каждый со своими сотрудниками" if lang == "ru" else
                f"The heads trained in the heads' course ({_group_ids(heads, lang)}), each "
                "with their own staff")
    if not own and project.training.crm_expert:
        own = [project.person(project.training.crm_expert)]
    return i18n.join([short_name(p.name) for p in own], lang, last=True)


def course_checks(project: Project, training: TrainingPlan, program: Mapping[str, int],
                  lang: str) -> dict[str, str]:
    """Where each course is checked (§9 of an express or CTI plan, whose courses are
    short): the programmes that end with a workshop; the key users' check in their topic
    on helping colleagues; the administration exercise in the topic or course that
    teaches administration, and who sits it. A course without a slot for a check is not
    promised one."""
    def ref(gid: str, index: int | None = None) -> str:
        where = f"5.{program[gid]}"
        if index is None:
            return (f"на последнем занятии программы {where}" if lang == "ru"
                    else f"at the last session of programme {where}")
        return (f"в программе {where}, тема {index + 1}" if lang == "ru"
                else f"in programme {where}, topic {index + 1}")

    practised = sorted({program[g.id] for g in training.groups
                        if any("practice" in t.id for t in g.topics)})
    key = next((g for g in training.groups if g.kind == KEY_USERS), None)
    helping = next((i for i, t in enumerate(key.topics) if t.id == "train_the_trainer"),
                   None) if key else None
    admins = next((g for g in training.groups if g.kind == ADMINS), None)
    basics = next((i for i, t in enumerate(key.topics) if t.id == "admin_basics"),
                  None) if key else None
    admin_where = (ref(admins.id) if admins else ref(key.id, basics)
                   if key is not None and basics is not None else "")
    sysadmins = bool(admins) or any("sysadmin" in p.roles for p in key_user_people(project))
    numbers = [f"5.{n}" for n in practised]
    many = len(numbers) > 1
    return {
        "programs": (f"{numbers[0]}{JOINED_DASH}{numbers[-1]}"
                     if many and practised == list(range(practised[0], practised[-1] + 1))
                     else i18n.join(numbers, lang, last=True)),
        "many": "yes" if many else "",
        "key_topic": ref(key.id, helping) if key is not None and helping is not None else "",
        "key_title": key.topics[helping].title if key is not None and helping is not None
        else "",
        "admin_where": admin_where,
        "admin_both": "yes" if sysadmins else "",
    }


def _iteration_starts(plan: Plan, lang: str) -> str:
    """Iterative mode: the day the MVP's and each iteration's users start work in the
    system (the MVP's launch, each iteration's completion), for the adoption support
    that starts with each of them: «MVP — с 17.04.2026; итерация 1 — с 28.05.2026»."""
    tasks = {t.id: t for t in plan.tasks}
    if "mvp.launch" not in tasks:
        return ""
    parts = [("MVP", tasks["mvp.launch"].start)]
    n = 1
    while f"iteration.done.{n}" in tasks:
        parts.append((f"итерация {n}" if lang == "ru" else f"iteration {n}",
                      tasks[f"iteration.done.{n}"].finish))
        n += 1
    return "; ".join((f"{name} — с {i18n.day(day, lang)}" if lang == "ru"
                      else f"{name} from {i18n.day(day, lang)}") for name, day in parts)


def _size_rule(project: Project, training: TrainingPlan, lang: str) -> str:
    """The size the plan keeps its groups to, in the words the specification uses
    (:func:`crmimpl.plan.training.group_rule`): «В группе не более 10 человек»."""
    limit, parts = group_rule(project, training.groups, lang)
    if not parts:
        return ""
    if lang == "ru":
        return f"В группе не более {i18n.count_of(limit, 'человек', lang, case='gent')}"
    return f"A group has no more than {i18n.count_of(limit, 'person', lang, plural='people')}"


def small_groups_text(training: TrainingPlan, lang: str,
                      elsewhere: Mapping[str, int] | None = None,
                      waves: Mapping[str, int] | None = None) -> str:
    """Why a user group is smaller than the project's usual group, one sentence per
    reason (a shift trained while the other works the line, an office trained online,
    a department with a programme of its own); "" when no group is smaller, or when
    every group is (the departments are small: nothing is unusual then).

    ``elsewhere`` counts, per department, its people trained in the key users' group: a
    group without them is not "all of its department's users"."""
    elsewhere = elsewhere or {}
    waves = waves or {}
    # departments alone in their pilot wave: groups never mix waves (nobody to merge with)
    per_wave = Counter(waves.get(d) for d in {d for g in training.groups
                                              if g.kind not in (KEY_USERS, ADMINS)
                                              for d in g.departments})
    key_group = next((g.id for g in training.groups if g.kind == KEY_USERS), None)
    users = [g for g in training.groups if g.kind not in (KEY_USERS, ADMINS)]
    small = [g for g in users if g.size < training.group_min]
    if not small or len(small) == len(users):
        return ""
    onsite = any(g.format != ONLINE for g in users)
    reasons: dict[str, list[TrainingGroup]] = {}
    for g in small:
        why = ("shift" if g.shift else "online" if g.format == ONLINE and onsite
               else "lead" if g.kind == "management"
               else "wave" if waves.get(g.department_id or "") is not None
               and per_wave[waves.get(g.department_id or "")] == 1
               else "rest" if key_group and elsewhere.get(g.department_id or "") else "own")
        reasons.setdefault(why, []).append(g)
    ru = lang == "ru"
    sentences = []
    for why, groups in reasons.items():
        one = len(groups) == 1
        names = _group_names(groups, lang)
        if ru:
            head = (f"Группа {names} меньше обычной" if one
                    else f"Группы {names} меньше обычных")
            tail = {
                "shift": "смены обучаются по отдельности, чтобы на линии в это время "
                         "работала другая смена",
                "online": "сотрудники, работающие вне площадки обучения, занимаются "
                          "онлайн своей группой",
                "lead": "руководители обучаются отдельно от сотрудников, потому что им нужны "
                        "панели показателей, отчеты и контроль работы, а не ввод данных",
                "wave": ("ее подразделение" if one else "подразделение каждой из них")
                        + " одно начинает работу в системе в своей волне опытной "
                        "эксплуатации, а сотрудники других подразделений обучаются "
                        "перед своей волной",
                "own": ("в группе все пользователи системы из ее подразделения" if one
                        else "в каждой из них все пользователи системы из ее подразделения")
                       + ", а объединение с другими группами добавило бы им чужие темы",
                "rest": ("в группе остальные пользователи системы из ее подразделения"
                         if one else "в каждой из них остальные пользователи системы из "
                         "ее подразделения")
                        + (f" (ключевой пользователь подразделения обучается в группе "
                           f"{key_group})" if one and elsewhere.get(
                               groups[0].department_id or "") == 1
                           else f" (ключевые пользователи обучаются в группе {key_group})")
                        + ", а объединение с другими группами добавило бы им чужие темы",
            }[why]
        else:
            head = (f"Group {names} is smaller than usual" if one
                    else f"Groups {names} are smaller than usual")
            tail = {
                "shift": "each shift is trained on its own while the other one works",
                "online": "staff working away from the training site are trained "
                          "online in a group of their own",
                "lead": "managers are trained apart from their staff, since they need the "
                        "dashboards, reports and control of work, not data entry",
                "wave": ("its department is" if one else "the department of each is")
                        + " the only one starting work in the system in its pilot wave, "
                        "and the other departments are trained before their own wave",
                "own": ("it holds all of its department's system users" if one
                        else "each holds all of its department's system users")
                       + ", and joining other groups would add topics they do not need",
                "rest": ("it holds the rest of its department's system users" if one
                         else "each holds the rest of its department's system users")
                        + f" (the key users are trained in group {key_group}), and joining "
                        "other groups would add topics they do not need",
            }[why]
        sentences.append(f"{head}: {tail}.")
    return " ".join(sentences)


def _group_names(groups: Sequence[TrainingGroup], lang: str) -> str:
    """Groups named for the reader, not by code: «Руководители: Контакт-центр» (6 человек)
    and, for parts of one course, «… бизнес-направлений» (2 группы: 6 и 6 человек)."""
    by_name: dict[str, list[int]] = {}
    for g in groups:
        base = re.sub(r"\s*\(\d+/\d+\)$", "", g.name)
        by_name.setdefault(base, []).append(g.size)
    ru = lang == "ru"
    parts = []
    for base, sizes in by_name.items():
        quoted = f"«{base}»" if ru else f"“{base}”"
        if len(sizes) == 1:
            parts.append(f"{quoted} ({_people(sizes[0], lang)})")
            continue
        many = (i18n.count_of(len(sizes), "группа", lang) if ru
                else i18n.count_of(len(sizes), "group", lang))
        people = _people(sizes[-1], lang)
        if len(set(sizes)) == 1:
            parts.append(f"{quoted} ({many} по {people})" if ru
                         else f"{quoted} ({many} of {people})")
            continue
        listed = i18n.join([str(n) for n in sizes[:-1]] + [people], lang, last=True)
        parts.append(f"{quoted} ({many}: {listed})")
    return i18n.join(parts, lang, last=True)


def _mobile(project: Project, training: TrainingPlan, lang: str) -> dict[str, Any]:
    """Field staff trained on the mobile client: their groups, departments, the apps they
    learn and the longest session of theirs."""
    from crmimpl.plan.training import field_session_hours

    groups = [g for g in training.groups if g.mobile]
    depts = list(dict.fromkeys(d for g in groups for d in g.departments))
    cti = project.project.mode == "cti"
    apps = {("ru", True): "мобильных приложениях CRM-системы и АТС",
            ("ru", False): "мобильном приложении CRM-системы",
            ("en", True): "the CRM and PBX mobile apps",
            ("en", False): "the CRM mobile app"}[(lang if lang == "ru" else "en", cti)]
    installed = ("установлены мобильные приложения CRM-системы и АТС" if cti
                 else "установлено мобильное приложение CRM-системы")
    return {
        "mobile_groups": i18n.join([g.id for g in groups], lang, last=True),
        "mobile_departments": i18n.join([training.department_names.get(d, d) for d in depts],
                                        lang, last=True),
        "mobile_many": len(groups) > 1,
        "mobile_apps": apps,
        "mobile_installed": installed,
        "mobile_online": any(g.format == ONLINE for g in groups),
        "mobile_hours": i18n.hours(min(training.session_hours, field_session_hours(project)),
                                   lang),
    }


def _admin_members(training: TrainingPlan, lang: str) -> str:
    """Who takes the administration course: the named administrators, and how many they
    are when the administrator classes have more people than the team names."""
    groups = [g for g in training.groups if g.kind == ADMINS]
    # the internal expert taking the course as a guest is named apart (admin_guest)
    names = i18n.join([m for g in groups for m in g.members[g.guests:]], lang, last=True)
    size = sum(g.size - g.guests for g in groups)
    named = sum(len(g.members) - g.guests for g in groups)
    if size <= named:
        return names
    if not names:
        return _people(size, lang)
    return (f"{_people(size, lang)}, в том числе {names}" if lang == "ru"
            else f"{_people(size, lang)}, including {names}")


def _shift_groups(project: Project, training: TrainingPlan, lang: str) -> str:
    """How many people each shift trains, in how many groups, from the real groups
    («Контакт-центр, 1-я смена — 62 человека в 8 группах»): the survey quotes the shifts'
    staff, and the plan states what it actually trains in each."""
    found: dict[tuple[str, str], list[int]] = {}
    for g in training.groups:
        if g.shift and g.department_id and not g.heads and not g.repeat:
            found.setdefault((g.department_id, g.shift), []).append(g.size - g.guests)
    from crmimpl.plan.training import _shift_counts

    names = {d.id: d.name for d in project.client.departments}
    # each shift's whole roster, so the groups add up to the people of the shift: those
    # trained apart (shift leaders, key users) are named with their number
    roster = {(d.id, s.name): n for d in project.client.departments if d.shifts
              for s, n in zip(d.shifts, _shift_counts(d, d.users), strict=True)}
    parts = []
    for (dept, shift), sizes in found.items():
        groups = (i18n.count_of(len(sizes), "группа", lang, case="loct") if lang == "ru"
                  else i18n.count_of(len(sizes), "group", lang))
        trained = sum(sizes)
        whole = roster.get((dept, shift), trained)
        apart = whole - trained
        people = _people(trained, lang)
        if apart > 0:
            where = _apart_groups(project, training, dept, lang)
            parts.append(
                f"{names.get(dept, dept)}, {shift} — {_people(whole, lang)}: {trained} в "
                f"{groups} смены, еще {apart} — {where}" if lang == "ru" else
                f"{names.get(dept, dept)}, {shift}: {_people(whole, lang)}, {trained} in "
                f"{groups} of the shift and {apart} {where}")
            continue
        parts.append(f"{names.get(dept, dept)}, {shift} — {people} в {groups}" if lang == "ru"
                     else f"{names.get(dept, dept)}, {shift}: {people} in {groups}")
    return "; ".join(parts)


def _uncovered_shifts(project: Project, training: TrainingPlan) -> list[dict[str, Any]]:
    """The shift groups that take a whole shift at once while no other shift of the
    department is on duty for part of a session (northwind: the late shift's five agents
    in T08 until 17:10, the early shift gone at 15:00): the plan does not promise that no
    shift is left without people, it names who arranges cover for those sessions."""
    from crmimpl.plan.training import _minutes as minutes
    from crmimpl.plan.training import _shift_counts, session_end

    out = []
    for d in project.client.departments:
        if not d.shifts:
            continue
        roster = dict(zip((s.name for s in d.shifts), _shift_counts(d, d.users),
                          strict=True))
        for g in training.groups:
            if g.department_id != d.id or not g.shift or g.heads or g.repeat:
                continue
            if g.size - g.guests < roster.get(g.shift, 0):
                continue  # some of the shift stay at work
            others = []
            for sh in d.shifts:
                if sh.name == g.shift:
                    continue
                start = minutes(sh.start)
                end = start + int(sh.hours * 60)
                others += [(start, end), (start - 1440, end - 1440)]
            bare = partly = False
            for session in training.sessions_of(g.id):
                a, b = minutes(session.start_time), minutes(session_end(session))
                if not any(lo <= a and b <= hi for lo, hi in others):
                    bare = True
                    # the other shift works part of the session (the early shift
                    # leaves at 15:00 during a 14:00–17:10 class): not "off duty"
                    partly = partly or any(lo < b and a < hi for lo, hi in others)
            if bare:
                out.append({"group": g.id, "shift": g.shift, "department": d.name,
                            "head": d.head or "", "partly": partly})
    return out


# a shift longer than a working day with its lunch break is worked on a rota (two days
# on, two off; a day and a night): its people are not at work on every working day
ROTA_SHIFT_HOURS = 9


def _day_list(days: list[date], lang: str) -> str:
    """Days as a list with the year said once: «13.05, 14.05 и 15.05.2026», «13 May,
    14 May and 15 May 2026»."""
    texts = [i18n.day(d, lang) for d in days]
    if len({d.year for d in days}) == 1:
        year = str(days[0].year)
        texts = [t.removesuffix("." + year).removesuffix(" " + year) for t in texts[:-1]] \
            + texts[-1:]
    return i18n.join(texts, lang, last=True)


def _rota_shifts(project: Project, training: TrainingPlan, lang: str) -> list[str]:
    """For each department whose shifts are longer than a working day, who sets its
    roster so that each shift group is at work on its session days (teplo's dispatchers
    on 12-hour shifts were booked for four weekdays running, which no rota gives), and
    those days: «Диспетчерская служба работает сменами по 12 ч…»."""
    out = []
    for d in project.client.departments:
        long = [s for s in d.shifts if s.hours > ROTA_SHIFT_HOURS]
        groups = [g for g in training.groups if g.department_id == d.id and g.shift
                  in {s.name for s in long}]
        if not groups:
            continue
        length = i18n.hours(max(s.hours for s in long), lang)
        dates = "; ".join(
            f"{g.id} — {_day_list(sorted({s.day for s in training.sessions_of(g.id)}), lang)}"
            for g in groups)
        head = d.head or ("руководитель подразделения" if lang == "ru"
                          else "the head of the department")
        if lang == "ru":
            out.append(f"{d.name} работает сменами по {length} ч, и сотрудник смены выходит "
                       f"на работу не каждый рабочий день, поэтому {head} составляет график "
                       f"смен на время обучения так, чтобы участники каждой группы были на "
                       f"смене в дни ее занятий ({dates}).")
        else:
            out.append(f"{d.name} works {length}-hour shifts, so its staff are not at work "
                       f"on every working day: {head} draws up the shift roster for the "
                       f"training weeks so that the members of each group are on shift on "
                       f"the days of its sessions ({dates}).")
    return out


def _heads_first_line(project: Project, training: TrainingPlan, lang: str) -> str:
    """Who answers first in the departments with no key user of their own but heads
    trained in a managers' course (volga: key users only in the contact centre, while
    the retail network and collections learn from their heads): those heads, then the
    internal expert. "" when every such department has a key user."""
    from crmimpl.plan.training import key_user_people

    keyed = {p.department for p in key_user_people(project) if p.department}
    names, groups = [], []
    for d in project.client.departments:
        heads = [g for g in training.groups if g.heads and d.id in g.departments]
        staff = any(not g.heads and not g.repeat and g.kind != KEY_USERS
                    and d.id in g.departments for g in training.groups)
        if d.id in keyed or not heads or not staff:
            continue
        names.append(d.name)
        groups += [g for g in heads if g not in groups]
    if not names:
        return ""
    groups.sort(key=lambda g: int(g.id[1:]) if g.id[1:].isdigit() else 0)
    depts = i18n.join([i18n.department_in_text(n, lang) for n in names], lang, last=True)
    if lang == "ru":
        return (f"В подразделениях без своих ключевых пользователей — {depts} — на вопросы "
                f"сотрудников первыми отвечают их руководители, прошедшие курс руководителей "
                f"({_group_ids(groups, lang)}); вопрос, который они не решили, передается "
                f"внутреннему эксперту.")
    return (f"In the departments with no key user of their own — {depts} — staff take their "
            f"questions first to their managers, trained in the managers' course "
            f"({_group_ids(groups, lang)}); a question they cannot settle goes to the internal "
            f"expert.")


def _trainer_leave(project: Project, plan: Plan, training: TrainingPlan, lang: str) -> str:
    """Who takes a trainer's groups' questions while that trainer is on leave in the
    adoption period (round 18: the lead trainer of nine groups was away for its last
    seven days and the plan did not say who answers then): the trainer with the most
    sessions who is at work the whole time, else the internal expert."""
    window = adoption_window(project, plan)
    first = min((start for _, start in wave_starts(project, plan)),
                default=training.adoption_start)
    begin, end = (window[0] if window and first > window[0] else first,
                  window[1] if window else training.adoption_end)
    counts = Counter(s.trainer_id for s in training.sessions)
    out = []
    for trainer in training.trainers:
        for leave in trainer.vacations:
            lo, hi = max(leave.start, begin), min(leave.end, end)
            if lo > hi:
                continue
            free = [t for t in training.trainers if t.id != trainer.id and not any(
                v.start <= hi and lo <= v.end for v in t.vacations)]
            cover = max(free, key=lambda t: counts[t.id], default=None)
            who = (cover.name if cover else common.person_name(
                project, project.training.crm_expert) if project.training.crm_expert
                else "")
            if not who:
                continue
            a, b = i18n.day(leave.start, lang), i18n.day(leave.end, lang)
            groups = sorted({s.group_id for s in training.sessions
                             if s.trainer_id == trainer.id})
            listed = i18n.join(groups, lang, last=True) if len(groups) <= 4 else ""
            if lang == "ru":
                out.append(f"С {a} по {b} тренер {trainer.name} в отпуске: вопросы "
                           + (f"групп {listed}" if listed else "групп этого тренера")
                           + f" в это время принимает {who}.")
            else:
                out.append(f"{trainer.name} is on leave from {a} to {b}; during that time "
                           f"{who} answers questions from "
                           + (f"groups {listed}." if listed
                              else f"the groups {trainer.name} trained."))
    return " ".join(out)


def _key_later(project: Project, group: TrainingGroup, lang: str) -> dict[str, Any]:
    """A later iteration's key users' group for the text: its key users, and the internal
    expert who learns each iteration with them named as such, not as one of them."""
    expert = (project.person(project.training.crm_expert).name
              if project.training.crm_expert else None)
    own = [m for m in group.members if m != expert] or list(group.members)
    # a key user of another stage's department who decides on this stage's approvals
    # (northwind's Sales Director) is named as such, not as one of its departments'
    from crmimpl.plan.backlog import build_backlog

    waves = build_backlog(project).departments
    stage = int(group.name.rsplit(" ", 1)[-1]) if group.name[-1:].isdigit() else None
    people = {p.name: p for p in project.team}
    deciders = [m for m in own if stage is not None and m in people
                and waves.get(people[m].department or "", 0) != stage]
    members = i18n.join([m for m in own if m not in deciders] or own, lang, last=True)
    if deciders and len(deciders) < len(own):
        from crmimpl.plan.training import _in_language

        # a position in another language than the document's is left out (a Russian
        # version of an English project)
        who = i18n.join([(("" if lang == "ru" else "the ")
                          + f"{i18n.lower_position(position, lang)} {m}")
                         if (position := people[m].position or "")
                         and _in_language(position, lang) else m
                         for m in deciders], lang, last=True)
        members += ((f", а также {who}, " + ("который принимает" if len(deciders) == 1
                                              else "которые принимают")
                     + " решения по согласованиям этой итерации") if lang == "ru" else
                    f", and {who}, who {'decides' if len(deciders) == 1 else 'decide'} on "
                    f"its approvals")
    if expert in group.members and expert not in own:
        members += (f", вместе с внутренним экспертом {expert}" if lang == "ru"
                    else f", with the internal CRM expert {expert}")
    return {"id": group.id, "n": group.name.rsplit(" ", 1)[-1], "members": members,
            "one": len(own) == 1, "names": i18n.join(own, lang, last=True),
            "expert": expert if expert in group.members and expert not in own else ""}


def _pm_to(project: Project, lang: str) -> str:
    """To whom the internal expert reports at the end of the adoption period (dative)."""
    expert = (project.person(project.training.crm_expert)
              if project.training.crm_expert else None)
    own = expert is not None and "project_manager" in expert.roles and expert.side == "client"
    if lang == "ru":
        return "руководителю проекта со стороны исполнителя" if own else "руководителю проекта"
    return "the contractor's project manager" if own else "the project manager"


def _untrained(project: Project, lang: str) -> dict[str, Any]:
    """The departments with CRM users that the plan does not train, named as a sentence
    starts: «Бухгалтерия», «Бухгалтерия и отдел кадров»."""
    from crmimpl.plan.training import trained

    names = [d.name for d in project.client.departments if d.users and not trained(project, d)]
    return {"untrained": i18n.join(names[:1] + [i18n.department_in_text(n, lang)
                                               for n in names[1:]], lang, last=True),
            "untrained_one": len(names) == 1}


def _late_cover(training: TrainingPlan, lang: str) -> dict[str, Any]:
    """The groups whose sessions end with their working day, off the client's preferred
    time, so that a shift's other group learns the same day while colleagues stay on
    duty (:attr:`TrainingGroup.day_span`): «группы T08 и T10»."""
    from crmimpl.plan.training import _minutes as minutes
    from crmimpl.plan.training import session_end

    late = [g.id for g in training.groups if g.day_span is not None and any(
        s.start_time not in g.slots and minutes(session_end(s)) + g.offset
        >= g.day_span[1] - 15 for s in training.sessions_of(g.id))]
    if not late:
        return {"late_cover": "", "late_cover_one": False}
    word = ("группа " if len(late) == 1 else "группы ") if lang == "ru" else (
        "group " if len(late) == 1 else "groups ")
    return {"late_cover": word + i18n.join(late, lang, last=True),
            "late_cover_one": len(late) == 1}


def _on_duty(project: Project, training: TrainingPlan, lang: str) -> list[str]:
    """For each department whose people stay at work while colleagues train
    (``Department.on_duty``), how the plan keeps them: «Служба поддержки: во время каждого
    занятия на рабочих местах остаются не менее 2 сотрудников каждой смены…»."""
    from crmimpl.plan.training import _release

    out = []
    taught = {d for g in training.groups for d in g.departments}
    for d in project.client.departments:
        if d.on_duty is None or d.id not in taught:
            continue
        caps = {cap for _, cap in _release(d)[0]}
        cap = caps.pop() if len(caps) == 1 else None
        shifts = bool(d.shifts)
        if lang == "ru":
            text = (f"{d.name}: во время каждого занятия на рабочих местах остаются не менее "
                    f"{i18n.count_of(d.on_duty, 'сотрудник', lang, case='gent')}"
                    + (" каждой смены" if shifts else "")
                    + (f", поэтому одновременно обучаются не больше "
                       f"{i18n.count_of(cap, 'человек', lang, case='gent')}"
                       + (" одной смены" if shifts else "") if cap else "") + ".")
        else:
            text = (f"{d.name}: at least {i18n.count_of(d.on_duty, 'person', lang, 'people')}"
                    + (" of each shift" if shifts else "")
                    + " stay at work during every session"
                    + (f", so no more than {cap}" + (" of a shift" if shifts else "")
                       + " are in class at once" if cap else "") + ".")
        out.append(text)
    return out


def _apart_groups(project: Project, training: TrainingPlan, dept: str, lang: str) -> str:
    """The groups a department's people trained apart from its shifts are in, by kind:
    «в группах ключевых пользователей и администрирования» (teplo's first shift sends its
    internal expert to those two, not to the managers' group)."""
    of_dept = {p.name for p in project.team if p.department == dept}
    kinds: list[str] = []
    for g in training.groups:
        if g.shift or g.repeat:
            continue
        if g.kind in (KEY_USERS, ADMINS) and of_dept & set(g.members):
            kind = g.kind
        elif g.heads and dept in g.departments:
            kind = "heads"
        else:
            continue
        if kind not in kinds:
            kinds.append(kind)
    ru_words = {KEY_USERS: "ключевых пользователей", ADMINS: "администрирования",
                "heads": "руководителей"}
    en_words = {KEY_USERS: "key users'", ADMINS: "administration", "heads": "managers'"}
    if not kinds:
        kinds = ["heads", KEY_USERS]
    words = [(ru_words if lang == "ru" else en_words)[k] for k in kinds]
    if lang == "ru":
        return ("в группе " if len(words) == 1 else "в группах ") + i18n.join(words, lang,
                                                                             last=True)
    return "in the " + i18n.join(words, lang, last=True) + (" group" if len(words) == 1
                                                            else " groups")


def _admin_key_users(project: Project, lang: str) -> str:
    """Why the administration course has fewer people than the administrator classes: the
    classes' users who are key users learn in the key users' course (volga's class of six
    sends five, the security head being a key user). Empty when nobody is left out."""
    from crmimpl.plan.training import admin_class_users

    depts = admin_class_users(project)
    if not depts:
        return ""
    key = [p.name for p in key_user_people(project) if p.department in depts
           and p.id != project.training.crm_expert]
    if not key:
        return ""
    classes = [c for c in project.user_classes
               if len(c.departments) == 1 and c.departments[0] in depts and c.users]
    total = sum(c.users or 0 for c in classes)
    names = i18n.join([i18n.quoted(c.name, lang) for c in classes], lang, last=True)
    who = i18n.join(key, lang, last=True)
    if lang == "ru":
        return (f"Из {i18n.count_of(total, 'пользователь', lang, case='gent')} "
                f"{'класса' if len(classes) == 1 else 'классов'} {names} {who} "
                f"{'обучается' if len(key) == 1 else 'обучаются'} в группе ключевых "
                "пользователей, а не в курсе администрирования.")
    return (f"Of the {total} users of {names}, {who} "
            f"{'is' if len(key) == 1 else 'are'} trained in the key users' group, not in "
            "the administration course.")


def _people(n: int, lang: str) -> str:
    """«2 человека», "2 people"."""
    if lang == "ru":
        return i18n.count_of(n, "человек", lang)
    return i18n.count_of(n, "person", lang, plural="people")


def _cover(project: Project, training: TrainingPlan, lang: str,
           plan: Plan | None = None) -> dict[str, Any]:
    """Who stands in: for a trainer who falls ill, a trainer of the contractor's team not
    teaching here whom the client meets in the plan (booked on its tasks), else the
    project's other trainer when two or more teach, else a trainer of the team introduced
    by position (the client has not met them); and a deputy for the internal expert's
    leave during adoption (another key user of the client, else the client's
    administrator)."""
    teaching = {p.id for p in training.trainers}
    booked = {a.person_id for t in (plan.tasks if plan is not None else [])
              for a in t.assignments if a.hours > 0}
    spare = [p for p in project.team if "trainer" in p.roles and p.id not in teaching
             and p.side == "contractor"]
    if not spare and len(teaching) == 1:
        # no second trainer: a consultant of the team the client has met in the plan's
        # work (the interviews, the design) knows the project and stands in
        spare = [p for p in project.team if "consultant" in p.roles and p.id not in teaching
                 and p.side == "contractor" and p.id in booked]
    backup = next((p for p in spare if p.id in booked), None)
    backup_text = ""
    other = backup is None and len(teaching) > 1
    if backup is None and not other and spare:
        backup = spare[0]
    if backup is not None:  # named with the position the client knows them by
        if lang == "ru":
            backup_text = (f"{i18n.lower_position(backup.position, lang)} исполнителя "
                           if backup.position else "") + backup.name
        else:
            backup_text = backup.name + (f" ({backup.position}, implementation team)"
                                         if backup.position else " of the implementation team")
    expert_id = project.training.crm_expert
    leave = ""
    deputy = ""
    handover = ""
    if expert_id:
        expert = project.person(expert_id)
        start, end = training.adoption_start, training.adoption_end
        away = [v for v in expert.vacations if v.start <= end and v.end >= start]
        if away:
            v = away[0]
            others = [p for p in project.team if p.side == "client" and p.id != expert_id
                      and ("key_user" in p.roles or "sysadmin" in p.roles)
                      and not any(x.start <= v.end and x.end >= v.start for x in p.vacations)]
            if others:
                # the whole leave, as the expert takes it; the deputy also hands over
                # the period's results when the leave covers its last day
                first, last = max(v.start, start), v.end
                leave = (f"с {i18n.day(first, lang)} по {i18n.day(last, lang)}" if lang == "ru"
                         else f"from {i18n.day(first, lang)} to {i18n.day(last, lang)}")
                deputy = others[0].name
                if v.start <= end <= v.end:
                    handover = deputy
    return {"backup_trainer": backup_text, "backup_other": other, "expert_leave": leave,
            "expert_deputy": deputy, "handover_by": handover}


def _key_users_after(plan: Plan | None, lang: str) -> str:
    """The day the settings, integrations and changes a project-mode key-user course
    teaches are finished (the course starts after it; empty without such a course)."""
    tasks = plan.tasks if plan is not None else []
    if not any(t.id.startswith("dev.key_training.") for t in tasks):
        return ""
    built = [t.finish for t in tasks if t.id in ("dev.settings", "dev.access")
             or t.id.startswith(("dev.integration.", "dev.change."))]
    return i18n.day(max(built), lang) if built else ""


def _build_stage_days(plan: Plan | None, lang: str) -> dict[str, str]:
    """When the end-to-end testing starts and the build stage ends (module acceptance):
    the key-user course sits between the changes being built and the testing, and the
    survey and the ТЗ show the stage ending later, so the plan says both dates."""
    tasks = {t.id: t for t in (plan.tasks if plan is not None else [])}
    testing = tasks.get("dev.testing")
    ends = [t.finish for i, t in tasks.items() if i in ("dev.modules", "dev.ready")]
    return {"testing_from": i18n.day(testing.start, lang) if testing else "",
            "build_stage_end": i18n.day(max(ends), lang) if ends else ""}


def _support(project: Project, plan: Plan | None, lang: str) -> dict[str, Any]:
    """What the contractor's support during adoption is: the plan's pilot (the first days
    of use) and the monthly support package, so the text promises nothing unpriced."""
    pilot = pilot_period(plan)
    window = ""
    if pilot:
        start, finish = pilot
        window = (f"с {i18n.day(start, lang)} по {i18n.day(finish, lang)}" if lang == "ru"
                  else f"from {i18n.day(start, lang)} to {i18n.day(finish, lang)}")
        if plan is not None and plan.launch > finish:
            # up to acceptance, when the support package starts: no days in between
            # without anyone (round 14: the pilot ended 29.05, acceptance was 02.06)
            window = (f"с {i18n.day(start, lang)} до приемки {i18n.day(plan.launch, lang)}"
                      if lang == "ru" else f"from {i18n.day(start, lang)} until acceptance "
                      f"on {i18n.day(plan.launch, lang)}")
    monthly = project.support.monthly_hours
    expert = project.training.crm_expert
    return {
        "support_start": bool(pilot),
        "support_window": window,
        "support_monthly": i18n.number(monthly, lang) if monthly else "",
        "crm_expert": common.person_name(project, expert) if expert else "",
    }


def duty_roster(project: Project, plan: Plan | None, training: TrainingPlan,
                lang: str) -> list[dict[str, Any]]:
    """Who is on duty with the users in the first days of each go-live: one row per
    support task of the plan (a pilot wave, the pilot with everyone), its dates and the
    people the plan books on it with their hours (the plan's figures, nothing added).
    A contractor booked there who teaches on some of those days is on duty after the
    session (the floor is never left to a trainer who is in a classroom); the internal
    expert (or, during the expert's leave, a deputy key user) holds the floor from the
    first hour. Empty without pilot tasks (an iterative project)."""
    tasks = [t for t in (plan.tasks if plan is not None else [])
             if t.id == "rollout.pilot" or t.id.startswith("rollout.pilot_wave.")
             or t.id.startswith("rollout.on_site.")]  # the consultants' on-site duty too
    if not any(not t.id.startswith("rollout.on_site.") for t in tasks):
        return []
    from crmimpl.plan.pilot import on_site_duties

    on_site = {f"rollout.on_site.{d.n}": d for d in on_site_duties(project)}
    names = {d.id: d.name for d in project.client.departments}
    ru = lang == "ru"
    waves = {("rollout.pilot" if n == len(starts) else f"rollout.pilot_wave.{w.n}"): w
             for starts in [wave_starts(project, plan)]
             for n, (w, _) in enumerate(starts, start=1)}
    expert_id = project.training.crm_expert
    groups = {g.id: g for g in training.groups}
    site = training_site(project)
    rows: list[dict[str, Any]] = []
    for t in sorted(tasks, key=lambda t: t.start):
        wave = waves.get(t.id)
        duty = on_site.get(t.id)
        if duty is not None:
            where = i18n.join([i18n.department_in_text(names.get(x, x), lang) if ru
                               else names.get(x, x) for x in duty.departments], lang, last=True)
            one = duty.consultants == 1
            who = (f"Дежурство {'консультанта' if one else 'консультантов'} на площадке: {where}"
                   if ru else f"{'A consultant' if one else 'Consultants'} on duty on site: "
                   f"{where}")
            if duty.site:
                who += f" ({duty.site})"
        elif wave is not None:
            who = (f"Волна {wave.n}: {i18n.department_in_text(wave.name, lang)}" if ru
                   else f"Wave {wave.n}: {wave.name}")
            if wave.n > 1:
                who += (" (с ней работают и пользователи предыдущих волн)" if ru
                        else " (with the users of the earlier waves)")
        else:
            who = "Все пользователи" if ru else "All users"
        contractor: list[str] = []
        client: list[str] = []
        teaching = False
        # where the users of the row work (None: the training site)
        depts = (duty.departments if duty is not None else wave.departments
                 if wave is not None else [d.id for d in project.client.departments])
        places = {x for d in project.client.departments if d.id in depts
                  for x in [d.site or site, *(part.site for part in d.sites)] if x}
        for a in t.assignments:
            person = next((p for p in project.team if p.id == a.person_id), None)
            if person is None or a.hours <= 0:
                continue
            text = f"{short_name(person.name)} — {i18n.hours(a.hours, lang)}{' ч' if ru else ' h'}"
            taught = [s for s in training.sessions if s.trainer_id == person.id
                      and t.start <= s.day <= t.finish]
            if taught:
                ends = sorted({session_end(s) for s in taught})
                teaching = True
                # a class in another town than the wave's users (Самара, the wave in
                # Тольятти): on those days the duty is by phone and remote access
                remote = bool(places) and any(
                    groups[s.group_id].format == ONLINE or groups[s.group_id].venue not in places
                    for s in taught if s.group_id in groups)
                # one clock time only when every session ends then (not «после 13:10»
                # beside sessions that end at 12:40)
                if ru:
                    how = "дистанционно, " if remote else ""
                    text += (f", в дни своих занятий — {how}после {ends[0]}"
                             if len(ends) == 1 else
                             f", в дни своих занятий — {how}после занятия (не позднее "
                             f"{ends[-1]})")
                else:
                    how = "remotely " if remote else ""
                    text += (f"; on teaching days, {how}after {ends[0]}" if len(ends) == 1
                             else f"; on teaching days, {how}after the session (by "
                             f"{ends[-1]} at the latest)")
            (contractor if person.side == "contractor" else client).append(text)
        floor = ""
        if expert_id:
            expert = project.person(expert_id)
            away = any(v.start <= t.start and v.end >= t.finish for v in expert.vacations)
            deputy = _cover(project, training, lang)["expert_deputy"] if away else ""
            if not away:
                floor = short_name(expert.name) + (" (внутренний эксперт)" if ru
                                                    else " (internal expert)")
            elif deputy:
                floor = short_name(deputy) + (" (на время отпуска внутреннего эксперта)" if ru
                                              else " (while the internal expert is on leave)")
        rows.append({
            "who": who,
            "period": i18n.period(t.start, t.finish, lang),
            "contractor": "; ".join(contractor) or i18n.DASH,
            "client": "; ".join(x for x in [floor, *client] if x) or i18n.DASH,
            "teaching": teaching,
        })
    return rows


def duty_off(project: Project, plan: Plan | None, lang: str) -> dict[str, str] | None:
    """The days inside the consultants' on-site duty when nobody of the contractor is on
    the floor: duty is planned in working days, so a holiday stretch (three days and more)
    falls out of it, and so do weekends for a department that works in shifts (a contact
    centre open every day). Says who answers then: the support line when it runs, else
    the internal expert. None when the duty has no such day."""
    if plan is None:
        return None
    cal = plan.calendar
    shifts = {d.id for d in project.client.departments if d.shifts}
    from crmimpl.plan.pilot import on_site_duties

    duties = {f"rollout.on_site.{d.n}": d for d in on_site_duties(project)}
    runs: list[tuple[date, date]] = []
    for t in sorted((t for t in plan.tasks if t.id in duties), key=lambda t: t.start):
        weekends = bool(shifts & set(duties[t.id].departments))
        day, run = t.start, []
        while day <= t.finish + timedelta(days=1):
            if day <= t.finish and not cal.is_working(day):
                run.append(day)
            else:
                if run and (len(run) >= 3 or weekends) and (run[0], run[-1]) not in runs:
                    runs.append((run[0], run[-1]))
                run = []
            day += timedelta(days=1)
    if not runs:
        return None
    holidays = [r for r in runs if (r[1] - r[0]).days >= 2]
    weekends_off = len(holidays) < len(runs)  # some run is a plain weekend
    ru = lang == "ru"
    parts = []
    if weekends_off:
        parts.append("в выходные" if ru else "at weekends")
    if holidays:
        spans = i18n.join([f"с {i18n.day(a, lang)} по {i18n.day(b, lang)}" if ru
                           else f"from {i18n.day(a, lang)} to {i18n.day(b, lang)}"
                           for a, b in holidays], lang, last=True)
        parts.append(f"в праздничные дни {spans}" if ru else f"on the holidays {spans}")
    support = project.support  # a support line only with a support package
    line = support.monthly_hours > 0
    expert_id = project.training.crm_expert
    return {"when": i18n.join(parts, lang, last=True),
            "support_hours": support.hours if line else "",
            "reaction": i18n.hours(support.reaction_hours, lang) if line else "",
            "expert": short_name(project.person(expert_id).name) if expert_id else ""}


def duty_gaps(project: Project, plan: Plan | None, lang: str) -> str:
    """The working days between one pilot task's end and the next one's start, when the
    users already in the system have nobody of the contractor booked with them: «с
    23.06.2026 по 06.07.2026» (periods joined; empty when the tasks follow each other)."""
    tasks = sorted((t for t in (plan.tasks if plan is not None else [])
                    if t.id == "rollout.pilot" or t.id.startswith("rollout.pilot_wave.")),
                   key=lambda t: t.start)
    if plan is None or len(tasks) < 2:
        return ""
    cal = plan.calendar
    gaps = []
    for before, after in pairwise(tasks):
        first = cal.next_working_day(before.finish + timedelta(days=1))
        last = after.start - timedelta(days=1)
        while last >= first and not cal.is_working(last):
            last -= timedelta(days=1)
        if first <= last:
            gaps.append(f"с {i18n.day(first, lang)} по {i18n.day(last, lang)}" if lang == "ru"
                        else f"from {i18n.day(first, lang)} to {i18n.day(last, lang)}")
    return i18n.join(gaps, lang, last=True)


def _trainers(training: TrainingPlan, lang: str) -> list[dict[str, Any]]:
    """Who teaches: each trainer's position, groups, sessions and hours."""
    rows = []
    for person in training.trainers:
        own = [s for s in training.sessions if s.trainer_id == person.id]
        if not own:
            continue
        groups = sorted({s.group_id for s in own})
        listed = (", ".join(groups) if len(groups) <= MAX_LISTED_GROUPS
                  else i18n.count_of(len(groups), "группа" if lang == "ru" else "group", lang))
        rows.append({"name": person.name, "position": person.position or i18n.DASH,
                     "groups": listed, "sessions": len(own),
                     "hours": i18n.hours(sum(s.hours for s in own), lang)})
    return rows


def _audience(group: TrainingGroup, lang: str,
              project_names: dict[str, str] | None = None,
              areas: dict[str, str] | None = None) -> str:
    """A group's kind, or the kinds of a mixed group ("Sales and service")."""
    if group.kind == "other" and group.departments and project_names:
        # the catch-all kind says nothing to the client: the department's line of work
        # (``area``), else its own name
        areas = areas or {}
        return i18n.department_list([areas.get(d) or project_names.get(d, d)
                                     for d in group.departments], lang)
    if len(group.kinds) < 2:
        return group_kind_label(group.kind, lang)
    return _kinds_text(group.kinds, lang, capital=True)


def _kinds_text(kinds: tuple[str, ...], lang: str, capital: bool = False) -> str:
    """Department kinds of a mixed group as a client reads them: without the catch-all
    "other departments" when a named kind is there, joined by commas (a label such as
    "Бухгалтерия и финансы" has its own "и")."""
    named = [k for k in kinds if k != "other"] or list(kinds)
    words = [group_kind_label(k, lang).lower() for k in named]
    text = ", ".join(words)
    return text[:1].upper() + text[1:] if capital else text


def _curricula(training: TrainingPlan, lang: str, project: Project | None = None
               ) -> list[dict[str, Any]]:
    """One curriculum per distinct course (groups with the same topics share it), titled
    by the group kind, and by the departments where two courses share a kind (their
    people have different rights); topics numbered for the schedule."""
    courses: dict[tuple[Any, ...], list[TrainingGroup]] = {}
    for g in training.groups:
        key = (g.kinds if len(g.kinds) > 1 else (g.kind,), tuple(t.id for t in g.topics))
        courses.setdefault(key, []).append(g)
    titles = [_course_title(key[0], lang) for key in courses]
    out: list[dict[str, Any]] = []
    for n, ((_, _), groups) in enumerate(courses.items(), start=1):
        g = groups[0]
        title = titles[n - 1]
        depts = list({d: None for grp in groups for d in grp.departments})
        names = [training.department_names.get(d, d) for d in depts]
        if g.heads:
            title = ("Руководители: " if lang == "ru" else "Heads: ") + ", ".join(
                i18n.department_in_text(n, lang) for n in names)
        elif len(g.departments) > 1 and len(groups) == 1:
            title = g.name  # a mixed group's own name, with its offices
        elif len(g.departments) > 1:
            title = group_kind_label(MIXED, lang) + ": " + ", ".join(
                i18n.department_in_text(n, lang) for n in names)
        elif g.kind == KEY_USERS and titles.count(title) > 1:
            title = g.name  # the MVP's key users and a later iteration's
        elif g.iteration is not None:
            title = g.name  # a stage's delta or briefing, not the department's course
            if len(groups) > 1:
                # one course for several sessions: not named by the first of them
                # (round 19: «Service Desk: iteration 2 changes (1/2)» over T15–T18)
                title = re.sub(r" \(\d+/\d+\)$", "", title)
                if g.shift and len({grp.shift for grp in groups}) > 1:
                    title = title.replace(f", {g.shift}", "", 1)
        elif names and g.kind not in (KEY_USERS, ADMINS):
            # the departments name their course, not a category label («Продажи» for
            # two different sales departments)
            title = i18n.department_list(names, lang)
        audience = _topic_audience(project, g, lang, training) if project else {}
        topics = g.topics
        if project is not None and len(groups) > 1 and len(depts) > len(g.departments):
            # groups of several departments share the course: its workshop and own
            # reports are the work of all of them, not of the first group's department
            topics = _shared_topics(project, g, depts, lang)
        if len(groups) > 1:
            topics = _workshop_per_group(topics, groups, lang)
        out.append({
            "n": n, "title": title, "group_ids": [grp.id for grp in groups],
            "groups": _group_ids(groups, lang),
            "people": _people(sum(grp.size for grp in groups), lang),
            # the people the project names, in a department's course (round 19)
            "known": i18n.join([short_name(m) if lang == "ru" else m
                                for grp in groups for m in grp.known], lang, last=True),
            "topics": [{"n": i, "title": t.title,
                        "for": audience.get(t.id, "Все" if lang == "ru" else "All"),
                        "hours": i18n.hours(t.hours, lang)}
                       for i, t in enumerate(topics, start=1)],
            "split": bool(audience),
            "hours": i18n.hours(g.hours, lang),
        })
    # two courses of one department (the group its head learns in has the head's topic):
    # each heading names its groups (round 19: two sections «Сервисные инженеры»)
    seen = Counter(c["title"] for c in out)
    for c in out:
        if seen[c["title"]] > 1:
            many = len(c["group_ids"]) > 1
            word = ("группы" if many else "группа") if lang == "ru" else (
                "groups" if many else "group")
            c["title"] += f" ({word} {c['groups']})"
    return out


def _workshop_per_group(topics: list[Any], groups: list[TrainingGroup], lang: str
                        ) -> list[Any]:
    """A shared course whose groups are graded on different tasks (dealers on missed
    calls, construction sales on quotes) names each group's own graded task, as each
    group's attendance sheet in the training workbook does, instead of one merged list."""
    tasks: dict[str, list[str]] = {}
    for grp in groups:
        own = next((t.title for t in grp.topics if t.id == "practice"), None)
        if own is None:
            return topics
        _, sep, rest = own.partition(_GRADED[lang])
        if not sep:
            return topics
        tasks.setdefault(rest, []).append(grp.id)
    if len(tasks) < 2:
        return topics
    parts = []
    for rest, ids in tasks.items():
        who = (("в группах " if len(ids) > 1 else "в группе ") if lang == "ru"
               else ("for groups " if len(ids) > 1 else "for group "))
        parts.append(f"{who}{i18n.join(ids, lang, last=True)}: {rest}")
    several = ("Практикум на задачах подразделений, зачетное задание " if lang == "ru" else
               "Workshop on the departments' own tasks, graded exercise ")
    # the tasks of one group are separated by semicolons: the groups by sentences
    title = several + ". ".join(p if i == 0 else p[:1].upper() + p[1:]
                                for i, p in enumerate(parts))
    return [replace(t, title=title) if t.id == "practice" else t for t in topics]


_GRADED = {"ru": "зачетное задание: ", "en": "graded exercise: "}


def _group_ids(groups: list[TrainingGroup], lang: str) -> str:
    """A course's groups for its sentence: «T03–T05» when their numbers run on (or when
    there are many), else «T03 и T07»."""
    numbers = [int(g.id[1:]) if g.id[1:].isdigit() else -1 for g in groups]
    running = len(groups) > 2 and all(b == a + 1 for a, b in pairwise(numbers))
    if running:
        return f"{groups[0].id}–{groups[-1].id}"
    if len(groups) > MAX_LISTED_GROUPS:
        # runs of numbers, each as a range: «T27–T46, T53–T56», never one range over
        # groups that are not in it (round 20: volga's refresher named T47–T52 too)
        ids = iter(g.id for g in groups)
        runs = [[next(ids) for _ in run] for run in _runs(numbers)]
        parts = [f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(r) for r in runs]
        return i18n.join(parts, lang, last=True)
    return i18n.join([g.id for g in groups], lang, last=True)


def _shared_topics(project: Project, group: TrainingGroup, departments: list[str],
                   lang: str) -> list[Any]:
    """A course's topics in the words of every department that takes it (the workshop's
    tasks of each): :func:`crmimpl.plan.training.own_work_topic` over all of them."""
    from crmimpl.plan.training import own_work_topic, taught_modules

    kinds = {d.kind for d in project.client.departments if d.id in departments}
    work_kind = next(iter(kinds)) if len(kinds) == 1 else None
    allowed = taught_modules(project, departments)
    # a topic the shared course teaches stays in it (the groups' plan has its hours)
    return [own_work_topic(project, t, departments, lang, allowed, work_kind) or t
            for t in group.topics]


def attendance(project: Project, training: TrainingPlan, lang: str
               ) -> list[dict[str, str]]:
    """When each department of a mixed group is in its sessions: only during its own
    topics (the session timeline's clock, short breaks inside a run kept); between runs
    and after its last topic its people are back at work. Empty for groups where every
    department takes every topic."""
    from crmimpl.plan.training import curriculum, session_timeline

    depts = {d.id: d for d in project.client.departments}
    out = []
    for g in training.groups:
        if len(g.departments) < 2:
            continue
        own = {d: {t.id for t in curriculum(project, depts[d].kind, lang, [d])}
               for d in g.departments if d in depts}
        sessions = training.sessions_of(g.id)
        if len(sessions) != 1:  # a group of several sessions reads its topics per session
            continue
        for dept, ids in own.items():
            if all(t.id in ids for t in g.topics):
                continue
            spans: list[list[int]] = []
            for s in sessions:
                rows = session_timeline(s.start_time, [round(float(g.topics[i].hours) * 60)
                                                       for i in s.topics])
                for kind, ix, a, b in rows:
                    mine = kind == "topic" and g.topics[s.topics[ix]].id in ids
                    if mine and spans and spans[-1][1] == a and spans[-1][2] == s.number:
                        spans[-1][1] = b
                    elif mine:
                        spans.append([a, b, s.number])
                    elif kind == "break" and spans and spans[-1][1] == a:
                        spans[-1][1] = b  # a short break inside its own run
            when = [f"{_clock(a)}{JOINED_DASH}{_clock(b)}" for a, b, _ in spans]
            out.append({"group": g.id, "department": training.department_names.get(dept, dept),
                        "times": i18n.join(when, lang, last=True)})
    return out


def _topic_audience(project: Project, group: TrainingGroup, lang: str,
                    training: TrainingPlan) -> dict[str, str]:
    """For a mixed group, the departments a topic is for when not all of them need it
    (the studio sits out the deal topics it has no rights to): their names, for the
    programme's "who takes it" column."""
    from crmimpl.plan.training import curriculum

    if len(group.departments) < 2:
        return {}
    depts = {d.id: d for d in project.client.departments}
    titles = {d: {t.id: t.title for t in curriculum(project, depts[d].kind, lang, [d])}
              for d in group.departments if d in depts}
    from crmimpl.plan.training import _content

    read = {m: str(spec["read"]["title"][lang])
            for m, spec in (_content().get("modules") or {}).items()
            if isinstance(spec, dict) and isinstance(spec.get("read"), dict)
            and "title" in spec["read"]}
    out = {}
    for topic in group.topics:
        users = [d for d, own in titles.items() if topic.id in own]
        # a department with the right to read a module's records only learns to find
        # and read them (round 19: the studio was marked for editing cards and moving
        # deals its rights forbid)
        readers = [d for d in users if titles[d][topic.id] != topic.title
                   and titles[d][topic.id] == read.get(topic.id)]
        if users and (len(users) < len(titles) or readers):
            labels = [training.department_names.get(d, d) for d in users]
            names = [i18n.department_in_text(n, lang) if i else n
                     for i, n in enumerate(labels)]
            names = [n + ((" — только просмотр" if lang == "ru" else " (viewing only)")
                          if d in readers else "") for d, n in zip(users, names, strict=True)]
            out[topic.id] = ", ".join(names)
    return out


def _course_title(kinds: tuple[str, ...], lang: str) -> str:
    if len(kinds) > 1:
        return group_kind_label(MIXED, lang) + ": " + _kinds_text(kinds, lang)
    return group_kind_label(kinds[0], lang)


def _runs(numbers: Iterable[int]) -> list[list[int]]:
    """``numbers`` in runs of consecutive values, in order: [1, 2, 3, 5] → [[1, 2, 3], [5]]."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


def _topic_numbers(program: int, positions: tuple[int, ...]) -> str:
    """A session's topics as numbers of its programme: «5.2: 1–3», «5.2: 4, 6»."""
    runs = _runs(p + 1 for p in positions)
    text = ", ".join(f"{r[0]}{JOINED_DASH}{r[-1]}" if len(r) > 2 else ", ".join(map(str, r))
                     for r in runs)
    return f"5.{program}:\u00a0{text}"


# the most sessions a schedule names the topics of
NAMED_SESSIONS = 120
# the most topics of a session the schedule names
SESSION_HEADS = 6
# the longest head of a topic a schedule row gives: two lines of the Topics column, so
# that a clause is named whole ("Complaints are recorded as cases of the type Complaint",
# not "…of the type"; teplo's two callback topics not both "Задачи на перезвон по
# пропущенным звонкам"); round 22 read heads cut mid-clause at 48 characters as a fault
TOPIC_HEAD = 100


def _topic_heads(topics: list[Any], positions: tuple[int, ...]) -> str:
    """A session's topics as the schedule names them after their numbers: each title's
    head, before its colon or first comma («Cases; Knowledge base»), so that staff need
    not look each number up in section 5 (round 19: the schedule gave codes only)."""
    if len(positions) > SESSION_HEADS:  # a day-long session's agenda is its own table
        return ""
    heads: list[str] = []
    for p in positions:
        title = re.sub(r"\s*\([^()]*\)", "", topics[p].title)  # asides in brackets
        title = re.sub(r"\s+\u2014\s*R\d+$", "", title)  # a briefing's requirement id
        head = re.split(r":\s|,\s|\.\s|;\s|\s\u2014\s", title, maxsplit=1)[0].strip()
        if len(head) > TOPIC_HEAD:
            # only a title too long to print whole is cut: whole words up to the limit,
            # ending on a word that carries meaning (no "…and the…" cut: round 20)
            head = whole_words(head, TOPIC_HEAD)
        if head not in heads:
            heads.append(head)
    return " — " + "; ".join(heads) if heads else ""


def _venues(training: TrainingPlan) -> dict[str, int]:
    """The onsite venues of the groups, numbered in order of first use."""
    out: dict[str, int] = {}
    for g in training.groups:
        if g.format != ONLINE and g.venue and g.venue not in out:
            out[g.venue] = len(out) + 1
    return out


def short_name(name: str) -> str:
    """A name as a schedule row gives it: «Медведева А. Р.» for a Russian full name
    (surname, name, patronymic), "F. McAllister" for a first name and a surname."""
    parts = name.split()
    if len(parts) == 3 and all(p[:1].isupper() for p in parts):
        return f"{parts[0]}\u00a0{parts[1][0]}.\u00a0{parts[2][0]}."
    if len(parts) == 2 and parts[0].isascii() and parts[0][:1].isupper():
        return f"{parts[0][0]}.\u00a0{parts[1]}"
    return name


def _asked_materials(answers: object | None, lang: str, *, admins: bool) -> list[str]:
    """Materials the client asked for in the survey (``rollout.documentation``) beyond
    the usual set (round 16: the bank asked for quick guides and video lessons, and the
    plan listed neither)."""
    return [str(entry[lang]) for key, entry in common.asked_materials(answers)
            if admins or key != "admin_guide"]


def _schedule_zone(project: Project, lang: str) -> str:
    """The time zone the schedule's clock times are in, as the sentence under it says
    it («по местному времени (МСК+1)», "UK time"); empty when the client's zone is
    unknown."""
    zone = project.timezone
    if zone is None:
        return ""
    text = common.zone_label(zone, project.project.start, lang)
    if text == "МСК":
        return "по московскому времени"
    return text


def _local_time(group: TrainingGroup, session: Any, lang: str) -> str:
    """« (местное 09:30–13:20)» after a session's time when its group's site keeps
    another clock than the schedule (Пенза on Moscow time, the schedule on Samara's)."""
    if not group.offset:
        return ""
    start = shifted(session.start_time, group.offset)
    end = shifted(session_end(session), group.offset)
    return f" ({'местное' if lang == 'ru' else 'local'} {start}{JOINED_DASH}{end})"


def _local_zones(project: Project, training: TrainingPlan, lang: str) -> str:
    """The sites whose groups the schedule also gives in local time, each with its zone:
    «офисы Пензенской области — МСК»; empty when every site keeps the schedule's clock."""
    named = {g.offset for g in training.groups if g.offset}
    if not named:
        return ""
    out = []
    for d in project.client.departments:
        for part in d.sites:
            if part.timezone and site_offset(project, part) in named:
                zone = common.zone_label(part.timezone, project.project.start, lang)
                zone = zone.removeprefix("по местному времени ").strip("()")
                out.append(f"{part.name or part.site} — {zone}" if lang == "ru"
                           else f"{part.name or part.site}: {zone}")
    return i18n.join(list(dict.fromkeys(out)), lang, last=True)


def place_label(group: TrainingGroup, lang: str, venues: dict[str, int], *,
                short: bool = False) -> str:
    """Where a group meets: «Онлайн», «Очно», or «Очно, площадка 2» when there are
    several venues (listed in the text); ``short``: «Площадка 2»."""
    text = label("training_format", group.format, lang)
    if group.format == ONLINE or len(venues) < 2 or group.venue not in venues:
        return text
    if short:
        return f"{'Площадка' if lang == 'ru' else 'Venue'}\u00a0{venues[group.venue]}"
    return f"{text}, {'площадка' if lang == 'ru' else 'venue'}\u00a0{venues[group.venue]}"


def _subtitle(project: Project, lang: str) -> str:
    """The title page's subtitle: the system users learn, else the project."""
    if project.system is None:
        return project.project.title
    from crmimpl.documents.system import system_name

    name = system_name(project.system, lang)
    if project.project.mode != "cti":
        return name
    # a CTI project's users know the system: what they learn is handling calls in it (the
    # product as they call it, without its plan or edition)
    name = project.system.product
    pbx = next((i.system for i in project.integrations if i.kind == "telephony"), None)
    if lang == "ru":
        where = f" ({pbx[:1].lower() + pbx[1:]})" if pbx and not pbx[:2].isupper() else \
            (f" ({pbx})" if pbx else "")
        return f"Работа со звонками в {name}{where}"
    return f"Handling calls in {name}" + (f" ({pbx})" if pbx else "")


def _weekly_checks(project: Project, training: Any, lang: str) -> str:
    """What the key users check every week of the adoption period: the recording of each
    trained department's kind of work (round 19: a service desk's plan checked only
    calls, meetings and deals)."""
    from crmimpl.plan.training import _content

    checks = _content().get("adoption_checks") or {}
    kinds = {d.kind for d in project.client.departments
             if any(d.id in g.departments for g in training.groups)}
    found = [str(text[lang]) for kind, text in checks.items() if kind in kinds]
    if len(found) > 1 and "other" in kinds:  # the others' own work goes without saying
        found.remove(str(checks["other"][lang]))
    return "; ".join(found or [str(checks["sales"][lang])])


def _repeaters(training: Any, lang: str) -> str:
    """Who learns in more than one group, by name («Лебедева О. А. — в группах T01 и
    T02»), when the named people are all the extra seats of the groups table; empty
    otherwise (round 19: the plan explained its own People column instead)."""
    where: dict[str, list[str]] = {}
    for g in training.groups:
        for name in dict.fromkeys([*g.members, *g.known]):
            where.setdefault(name, []).append(g.id)
    twice = {n: ids for n, ids in where.items() if len(ids) > 1}
    extra = (sum(g.size for g in training.groups)
             - sum(g.size - g.guests for g in training.groups if not g.repeat))
    if not twice or sum(len(ids) - 1 for ids in twice.values()) != extra:
        return ""
    if lang == "ru":
        return "; ".join(f"{n} занимается в группах {i18n.join(ids, lang, last=True)}"
                         for n, ids in twice.items())
    return "; ".join(f"{n} attends {'both ' if len(ids) == 2 else ''}"
                     f"{i18n.join(ids, lang, last=True)}" for n, ids in twice.items())


def _busy_days(project: Project, lang: str) -> str:
    """The departments' peak days of the month the schedule keeps free
    (``Department.busy_days``): «Контакт-центр — 5–7 и 20–22 числа каждого месяца»;
    empty without any."""
    out = []
    for d in project.client.departments:
        if not d.busy_days:
            continue
        runs = _runs(sorted(set(d.busy_days)))
        if lang == "ru":
            spans = [f"{r[0]}\u2013{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
            out.append(f"{d.name} \u2014 {i18n.join(spans, lang, last=True)} "
                       "числа каждого месяца")
        else:
            spans = [f"{_nth(r[0])}\u2013{_nth(r[-1])}" if len(r) > 1 else _nth(r[0])
                     for r in runs]
            out.append(f"{d.name}: the {i18n.join(spans, lang, last=True)} of each month")
    return "; ".join(out)


def _nth(n: int) -> str:
    """An English ordinal: 1st, 2nd, 3rd, 4th, 11th, 22nd."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
