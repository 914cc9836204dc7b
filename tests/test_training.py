"""Training groups and session placement."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from crmimpl.load import parse_yaml
from crmimpl.model.project import Project
from crmimpl.model.validate import validate_document
from crmimpl.plan.training import (
    KEY_USERS,
    build_groups,
    place_sessions,
    split_evenly,
    training_plan,
)
from tests.conftest import DATA

HOLIDAYS = {date(2026, 3, 9), date(2026, 5, 1), date(2026, 5, 11)}


def is_working(day: date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS


def make_project(departments: list[tuple[str, int]], group_size: int = 8,
                 key_users: int = 1, trainers: int = 1) -> Project:
    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    depts = "".join(
        f"    - {{id: d{i}, kind: {kind}, name: 'Dept {i}', headcount: {count}}}\n"
        for i, (kind, count) in enumerate(departments)
    )
    total = sum(c for _, c in departments)
    text = text.replace("crm_users: 5", f"crm_users: {total}")
    head, _, rest = text.partition("  departments:\n")
    rest = rest.split("goals:", 1)[1]
    text = head + "  departments:\n" + depts + "goals:" + rest
    people = "".join(
        f"  - {{id: ku{i}, name: 'Key {i}', roles: [key_user], side: client, department: d0}}\n"
        for i in range(key_users)
    ) + "".join(
        f"  - {{id: tr{i}, name: 'Trainer {i}', roles: [trainer], side: contractor, "
        f"rate: {{amount: 100}}}}\n" for i in range(trainers)
    )
    text = text.replace("budget:", people + "budget:", 1)
    text += f"training:\n  group_size: {group_size}\n"
    doc = parse_yaml(text, Path("project.yaml"))
    return validate_document(Project, doc)


def test_split_evenly() -> None:
    assert split_evenly(18, 8) == [6, 6, 6]
    assert split_evenly(17, 8) == [6, 6, 5]
    assert split_evenly(8, 8) == [8]
    assert split_evenly(0, 8) == []


@settings(max_examples=40, deadline=None)
@given(
    depts=st.lists(
        st.tuples(st.sampled_from(["sales", "service", "marketing", "management", "other"]),
                  st.integers(1, 45)),
        min_size=1, max_size=5),
    size=st.integers(3, 15),
    trainers=st.integers(1, 3),
)
def test_groups_and_sessions(depts: list[tuple[str, int]], size: int, trainers: int) -> None:
    project = make_project(depts, size, key_users=1, trainers=trainers)
    start = date(2026, 3, 2)
    sessions = place_sessions(project, build_groups(project, "en"), start=start,
                              is_working=is_working)
    plan = training_plan(project, "en", sessions, is_working)
    # group sizes never exceed N; a group outside the range says why
    assert all(0 < g.size <= size for g in plan.groups)
    lo = project.training.min_size
    assert all(g.note or lo <= g.size for g in plan.groups if g.kind != KEY_USERS)
    per_dept: Counter[str] = Counter()
    for g in plan.groups:
        per_dept.update(g.people)
    key = sum(g.size for g in plan.groups if g.kind == KEY_USERS)
    # every user of every department is in exactly one group (the key user belongs to d0)
    for i, (_, count) in enumerate(depts):
        expected = count - 1 if i == 0 else count
        assert per_dept.get(f"d{i}", 0) == expected
    assert key == 1
    # sessions on working days, nobody double-booked, one session a day per group
    assert all(is_working(s.day) and s.day >= start for s in plan.sessions)
    slots = Counter((s.trainer_id, s.day, s.start_time) for s in plan.sessions)
    assert max(slots.values()) == 1
    per_group_day = Counter((s.group_id, s.day) for s in plan.sessions)
    assert max(per_group_day.values()) == 1
    # key users are trained before anyone else
    key_ids = {g.id for g in plan.groups if g.kind == KEY_USERS}
    key_last = max(s.day for s in plan.sessions if s.group_id in key_ids)
    others = [s.day for s in plan.sessions if s.group_id not in key_ids]
    assert not others or min(others) > key_last
    # every group gets its whole curriculum
    for g in plan.groups:
        topics = [t for s in plan.sessions_of(g.id) for t in plan.topic_titles(s)]
        assert topics == [t.title for t in g.topics]
        assert sum(s.hours for s in plan.sessions_of(g.id)) == g.hours


def test_adoption_follows_the_last_session() -> None:
    project = make_project([("sales", 45), ("service", 40)], 5)
    start = date(2026, 3, 2)
    sessions = place_sessions(project, build_groups(project, "ru"), start=start,
                              is_working=is_working)
    plan = training_plan(project, "ru", sessions, is_working)
    assert plan.window_end == max(s.day for s in sessions)
    assert plan.adoption_start > plan.window_end


def test_sessions_are_calendar_events(tmp_path: Path) -> None:
    from icalendar import Calendar

    from crmimpl.build import BuildOptions, build
    from crmimpl.documents.training_plan import training_for
    from crmimpl.model.project import load_project
    from tests.conftest import EXAMPLES

    project = load_project(EXAMPLES / "kreativ-agency")
    ctx = build(project, BuildOptions(out=tmp_path, langs=("ru",), only=("plan",)))
    ics = next(p for p in ctx.written if p.suffix == ".ics")
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    training = [e for e in events if "TRAINING" in str(e.get("categories").to_ical())]
    sessions = training_for(project, "ru", ctx.plan).sessions
    assert len(training) == len(sessions) > 0
    first = min(training, key=lambda e: e.decoded("dtstart"))
    assert first.decoded("dtstart").date() == sessions[0].day


def _planned(extra: str, departments: list[tuple[str, int]]) -> Project:
    project = make_project(departments, 10, key_users=0)
    text = project.model_dump_json()
    doc = parse_yaml(text, Path("project.yaml"))
    data = doc.data
    data["training"]["group_min"] = 7
    data.setdefault("plan", {}).update(parse_yaml(extra, Path("x.yaml")).data)
    return validate_document(Project, parse_yaml(json.dumps(data, default=str),
                                                 Path("project.yaml")))


def test_a_group_waits_for_the_features_it_is_taught() -> None:
    """A group's own link (here to a late build task) holds its sessions back; its
    sibling groups start as before."""
    from crmimpl.plan.builder import build_plan

    extra = """
add:
  - {id: late.build, name: "Features of d1", phase: rollout, duration_days: 25,
     depends_on: [{task: rollout.deploy}]}
tasks:
  - {id: rollout.training.d1.1, depends_on: [{task: late.build}]}
"""
    plan = build_plan(_planned(extra, [("sales", 9), ("service", 9), ("sales", 8)]),
                      baseline=False)
    built = plan.task("late.build").finish
    groups = {t.group: t.id for t in plan.tasks if t.group}
    d1 = next(g for g, tid in groups.items() if tid == "rollout.training.d1.1")
    d0 = next(g for g, tid in groups.items() if tid == "rollout.training.d0.1")
    assert min(s.day for s in plan.sessions if s.group_id == d1) > built
    d2 = next(g for g, tid in groups.items() if tid == "rollout.training.d2.1")
    first = {g: min(s.day for s in plan.sessions if s.group_id == g) for g in (d0, d2)}
    assert first[d0] == first[d2] < built  # morning and afternoon: siblings start together


def test_group_warnings_reach_the_plan_not_the_document() -> None:
    from crmimpl.documents.training_plan import build_context
    from crmimpl.plan.builder import build_plan

    project = make_project([("sales", 14), ("service", 3)], 10, key_users=0)
    plan = build_plan(project, baseline=False)
    (warning,) = [w for w in plan.warnings if w.code == "training"]
    assert "'d1'" in warning.message and "3 people" in warning.message
    context = build_context(project, "en", plan=plan)
    assert "warnings" not in context  # the document has no place for them
    assert warning.message not in json.dumps(context, default=str)


def test_training_settings_are_checked() -> None:
    import pytest

    from crmimpl.errors import CrmimplError

    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    with pytest.raises(CrmimplError, match="group_min 8 is larger than group_size 6"):
        validate_document(Project, parse_yaml(
            text + "training: {group_size: 6, group_min: 8}\n", Path("project.yaml")))
    assert Project.model_validate(
        {**parse_yaml(text, Path("p.yaml")).data, "training": {"group_size": 5}}
    ).training.min_size == 5
    remote = text.replace("      headcount: 5\n",
                          "      headcount: 5\n      site: Nowhere\n"
                          "      shifts: [{name: day, start: '08:00', users: 9}]\n")
    with pytest.raises(CrmimplError) as caught:
        validate_document(Project, parse_yaml(remote, Path("p.yaml")))
    message = str(caught.value)
    assert "p.yaml:16:13: client.departments[0].site: no client location 'Nowhere'" in message
    assert "client.departments[0].shifts: shifts have 9 users, the department 5" in message


def _with(project: Project, change: dict) -> Project:
    data = json.loads(project.model_dump_json(exclude_unset=True))
    for key, value in change.items():
        section, _, field = key.partition(".")
        data.setdefault(section, {})[field] = value
    return validate_document(Project, parse_yaml(json.dumps(data), Path("project.yaml")))


def test_express_trains_each_group_in_one_day() -> None:
    """An express package condenses every curriculum into the mode's training day (a
    quarter hour at least per topic, the day used in full) and teaches it in one session;
    another mode keeps the full curriculum."""
    from crmimpl.plan.training import curriculum, mode_day_hours, session_length

    typical = make_project([("sales", 9), ("service", 8), ("management", 3)], 10)
    express = _with(typical, {"project.mode": "express"})
    day = mode_day_hours(express)
    assert day is not None and mode_day_hours(typical) is None
    assert session_length(express) == day
    for kind in ("sales", "service", "management", KEY_USERS):
        full, short = curriculum(typical, kind, "ru"), curriculum(express, kind, "ru")
        assert [t.id for t in full] == [t.id for t in short]
        assert sum(t.hours for t in short) == min(day, sum(t.hours for t in full))
        assert all(t.hours >= 0.25 and (t.hours * 4).is_integer() for t in short)
    assert sum(t.hours for t in curriculum(typical, KEY_USERS, "ru")) > day
    groups = build_groups(express, "ru")
    sessions = place_sessions(express, groups, start=date(2026, 3, 2), is_working=is_working)
    assert Counter(s.group_id for s in sessions) == {g.id: 1 for g in groups}
    # a session length the project writes wins over the mode's day
    set_short = _with(express, {"training.hours_per_day": 3})
    assert sum(t.hours for t in curriculum(set_short, "sales", "ru")) == 3


def test_key_users_are_not_trained_on_their_vacation() -> None:
    project = make_project([("sales", 9)], 10, key_users=1)
    data = json.loads(project.model_dump_json(exclude_unset=True))
    away = (date(2026, 3, 2), date(2026, 3, 13))
    data["team"][-2]["vacations"] = [{"start": str(away[0]), "end": str(away[1])}]
    project = validate_document(Project, parse_yaml(json.dumps(data), Path("project.yaml")))
    groups = build_groups(project, "ru")
    key = next(g for g in groups if g.kind == KEY_USERS)
    assert key.away == (away,)
    sessions = place_sessions(project, groups, start=date(2026, 3, 2), is_working=is_working)
    days = [s.day for s in sessions if s.group_id == key.id]
    assert days and min(days) > away[1]
    # department groups still wait for the key users
    assert min(s.day for s in sessions if s.group_id != key.id) > max(days)


def test_a_cti_course_teaches_call_handling_not_the_crm_again() -> None:
    """Telephony added to a CRM in use: the course opens and closes with calls and
    teaches only the subsystems in scope, telephony at length."""
    from crmimpl.plan.training import curriculum

    data = json.loads(make_project([("service", 9)], 10).model_dump_json(exclude_unset=True))
    data["project"]["mode"] = "cti"
    data["scope"]["modules"] = ["telephony", "reports"]
    data["integrations"] = [{"id": "pbx", "system": "Cloud PBX", "kind": "telephony",
                             "protocol": "rest", "direction": "both", "objects": ["Calls"]}]
    project = validate_document(Project, parse_yaml(json.dumps(data), Path("project.yaml")))
    for kind in ("service", KEY_USERS):
        topics = curriculum(project, kind, "en")
        ids = [t.id for t in topics]
        assert ids[0] == "cti_intro" and "intro" not in ids
        assert next(t.hours for t in topics if t.id == "telephony") == 2
    assert curriculum(project, "service", "en")[-1].id == "cti_practice"


def test_a_group_warning_says_what_the_plan_did() -> None:
    """volga's 17 contact-centre managers (20, three of them key users) are split 6/6/5:
    the team's warning says so (the groups it formed), not that they "cannot be
    split"."""
    from crmimpl.model.project import load_project
    from crmimpl.plan.training import build_groups
    from tests.conftest import EXAMPLES

    volga = load_project(EXAMPLES / "volga-bank" / "project.yaml")
    groups = build_groups(volga, "en")
    noted = [g for g in groups if g.note and "'contact_center'" in g.note]
    assert sorted(g.size for g in noted) == [5, 6, 6]
    note = noted[0].note or ""
    assert "cannot be split" not in note
    assert "groups of 6, 6 and 5" in note and "managers" in note
