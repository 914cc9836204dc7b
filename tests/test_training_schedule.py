"""Training schedules a client accepts: classrooms, venues, busy hours, go-live waves,
in-house trainers, the administration course and curricula that follow the rights."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from crmimpl.errors import CrmimplError
from crmimpl.load import parse_yaml
from crmimpl.model.project import Project
from crmimpl.model.validate import validate_document
from crmimpl.plan.training import (
    ADMINS,
    ONSITE,
    Session,
    build_groups,
    place_sessions,
    session_end,
)
from tests.conftest import EXAMPLES
from tests.test_training import is_working, make_project

START = date(2026, 3, 2)


def _edit(project: Project, edit) -> Project:  # type: ignore[no-untyped-def]
    data = json.loads(project.model_dump_json(exclude_unset=True))
    edit(data)
    return validate_document(Project, parse_yaml(json.dumps(data), Path("project.yaml")))


def _minutes(clock: str) -> int:
    hour, minute = clock.split(":")
    return int(hour) * 60 + int(minute)


def _span(s: Session) -> tuple[int, int]:
    begin = s.day.toordinal() * 1440 + _minutes(s.start_time)
    return begin, begin + round(s.hours * 60)


def _most_at_once(sessions: list[Session]) -> int:
    spans = [_span(s) for s in sessions]
    return max((sum(1 for a, b in spans if a <= t < b) for t, _ in spans), default=0)


def _onsite(rooms: int, trainers: int = 3) -> tuple[Project, list[Session]]:
    project = make_project([("sales", 16), ("service", 16)], 8, trainers=trainers)

    def edit(data: dict) -> None:
        data["client"]["locations"] = ["HQ"]
        data["training"].update(format="onsite", rooms=rooms)

    project = _edit(project, edit)
    groups = build_groups(project, "en")
    return project, place_sessions(project, groups, start=START, is_working=is_working)


@pytest.mark.parametrize("rooms", [1, 2])
def test_onsite_sessions_never_outnumber_the_classrooms(rooms: int) -> None:
    """Three trainers but one (two) classroom(s): never more onsite sessions at once."""
    _, sessions = _onsite(rooms)
    assert sessions and all(s.format == ONSITE for s in sessions)
    assert _most_at_once(sessions) <= rooms
    if rooms > 1:  # the second room is used: the training window is shorter
        one = max(s.day for s in _onsite(1)[1])
        assert max(s.day for s in sessions) < one


def test_people_are_trained_in_person_where_they_work() -> None:
    """A department at a venue of training.sites is trained there in person; a trainer
    teaches in person at one venue a day; each venue keeps to its classrooms."""
    project = make_project([("sales", 16), ("service", 24)], 8, trainers=2)

    def edit(data: dict) -> None:
        data["client"]["locations"] = ["HQ", "Call centre", "Branch"]
        data["client"]["departments"][1]["site"] = "Call centre"
        data["client"]["departments"][0]["sites"] = [{"site": "Branch", "users": 8}]
        data["training"].update(format="mixed", sites=["Call centre"])

    project = _edit(project, edit)
    groups = {g.id: g for g in build_groups(project, "en")}
    venues = {g.venue for g in groups.values() if "d1" in g.people}
    assert venues == {"Call centre"}
    branch = [g for g in groups.values() if g.people.get("d0") and g.format != ONSITE]
    assert branch and all(g.venue is None for g in branch)
    sessions = place_sessions(project, list(groups.values()), start=START,
                              is_working=is_working)
    where: dict[tuple[str, date], set[str]] = defaultdict(set)
    for s in sessions:
        venue = groups[s.group_id].venue
        if s.format == ONSITE and venue:
            where[(s.trainer_id, s.day)].add(venue)
    assert where and all(len(v) == 1 for v in where.values())
    for venue in ("HQ", "Call centre"):
        at = [s for s in sessions if groups[s.group_id].venue == venue
              and s.format == ONSITE]
        assert _most_at_once(at) <= project.training.rooms


@pytest.mark.parametrize(("shift", "busy"), [
    (None, ["10:00-13:00", "15:00-16:00"]),
    ({"name": "day", "start": "08:00", "hours": 8}, ["10:00-13:00", "15:00-16:00"]),
    # a contact centre's peaks leave two-hour spans: a session with a break would run
    # ten minutes into the peak (08:00-10:10), so it fits the span, break and all
    ({"name": "day", "start": "08:00", "hours": 8}, ["10:00-14:00"]),
    ({"name": "day", "start": "08:00", "hours": 8}, ["11:00-14:00"]),
])
def test_sessions_keep_out_of_the_busy_hours(shift: dict | None, busy: list[str]) -> None:
    """Peak hours of a department: its sessions, breaks included, fit the free spans of
    its day (or shift) and are shorter where those are short."""
    project = make_project([("service", 16)], 8, trainers=2)

    def edit(data: dict) -> None:
        dept = data["client"]["departments"][0]
        dept["busy"] = busy
        if shift:
            dept["shifts"] = [shift]

    project = _edit(project, edit)
    groups = build_groups(project, "en")
    sessions = place_sessions(project, groups, start=START, is_working=is_working)
    taught = {g.id for g in groups if g.windows is not None}
    own = [s for s in sessions if s.group_id in taught]
    assert own
    spans = [tuple(_minutes(t) for t in b.split("-")) for b in busy]
    day = (8 * 60, 16 * 60) if shift else (9 * 60, 18 * 60)
    for s in own:
        begin = _minutes(s.start_time)
        end = _minutes(session_end(s))
        assert day[0] <= begin and end <= day[1], s
        assert not any(a < end and begin < b for a, b in spans), s
        assert s.hours <= 3  # the longest free span: 13:00-15:00 or 08:00-10:00
    # a topic longer than any free span is refused with a message, not left unplaced

    def tight(data: dict) -> None:
        data["client"]["departments"][0]["busy"] = ["08:30-18:00"]

    narrow = _edit(project, tight)
    with pytest.raises(CrmimplError, match="free hours"):
        place_sessions(narrow, build_groups(narrow, "en"), start=START,
                       is_working=is_working)


def test_busy_hours_are_checked() -> None:
    project = make_project([("service", 8)], 8)
    with pytest.raises(CrmimplError, match="end before they start"):
        _edit(project, lambda d: d["client"]["departments"][0].update(busy=["13:00-10:00"]))
    with pytest.raises(CrmimplError, match="no client location"):
        _edit(project, lambda d: d["training"].update(sites=["Nowhere"]))


def test_the_client_administrator_is_trained_to_administer() -> None:
    """The client's system administrator (not a key user) gets the administration
    course in a group of their own and leaves the department's count."""
    project = make_project([("sales", 9), ("other", 4)], 8)

    def edit(data: dict) -> None:
        data["team"].append({"id": "adm", "name": "Admin A", "roles": ["sysadmin"],
                             "side": "client", "department": "d1"})

    before = sum(g.size for g in build_groups(project, "en"))
    project = _edit(project, edit)
    groups = build_groups(project, "en")
    (admin,) = [g for g in groups if g.kind == ADMINS]
    assert admin.members == ["Admin A"] and admin.size == 1
    assert any("rights" in t.title for t in admin.topics)
    assert sum(g.size for g in groups) == before  # the same people, one moved
    assert sum(g.people.get("d1", 0) for g in groups) == 3
    sessions = place_sessions(project, groups, start=START, is_working=is_working)
    assert any(s.group_id == admin.id for s in sessions)


def test_topics_follow_the_rights_of_the_departments() -> None:
    """A department whose user class has no right to a module is not taught it."""
    project = make_project([("sales", 9), ("service", 9)], 9)

    def edit(data: dict) -> None:
        data["scope"]["modules"] = ["client_base", "sales_pipeline", "mobile", "service"]
        data["user_classes"] = [
            {"id": "field", "name": "Field", "departments": ["d0"],
             "rights": {"client_base": "own", "sales_pipeline": "own", "mobile": "own"}},
            {"id": "desk", "name": "Desk", "departments": ["d1"],
             "rights": {"client_base": "read", "service": "all", "mobile": "none"}}]

    project = _edit(project, edit)
    topics = {g.departments[0]: {t.id for t in g.topics}
              for g in build_groups(project, "en") if len(g.departments) == 1}
    assert "mobile" in topics["d0"] and "mobile" not in topics["d1"]
    assert "service" in topics["d1"] and "client_base" in topics["d1"]


def test_a_requirement_topic_is_taught_to_the_departments_it_names() -> None:
    """A requirement's topic goes to its source and to the departments it is
    ``taught_to`` (both sales departments apply the discount approvals one asked for)."""
    project = make_project([("sales", 9), ("sales", 9), ("service", 9)], 9)

    def edit(data: dict) -> None:
        data["requirements"] = [{
            "id": "R1", "module": "sales_pipeline", "statement": "Discount approvals.",
            "source": "d0", "topic": "Discount approval in a deal", "taught_to": ["d1"]}]

    project = _edit(project, edit)
    topics = {g.departments[0]: {t.id for t in g.topics}
              for g in build_groups(project, "en") if len(g.departments) == 1}
    assert "req.R1" in topics["d0"] and "req.R1" in topics["d1"]
    assert "req.R1" not in topics["d2"]


def test_an_in_house_trainer_teaches_their_own_department() -> None:
    project = make_project([("sales", 16), ("service", 16)], 8, trainers=1)

    def edit(data: dict) -> None:
        data["team"].append({"id": "own", "name": "Own Trainer", "roles": ["trainer"],
                             "side": "client", "department": "d1"})
        data["training"]["trainers"] = ["tr0", "own"]

    project = _edit(project, edit)
    groups = {g.id: g for g in build_groups(project, "en")}
    sessions = place_sessions(project, list(groups.values()), start=START,
                              is_working=is_working)
    mine = [s for s in sessions if s.trainer_id == "own"]
    assert mine and all(groups[s.group_id].departments == ["d1"] for s in mine)


@pytest.mark.parametrize("example", ["volga-bank", "optima-distribution"])
def test_a_later_wave_is_trained_during_the_wave_before(example: str) -> None:
    """A phased pilot: no group of wave n > 1 is trained before wave n − 1 starts, and
    every group is trained before its own wave starts."""
    from crmimpl.model.project import load_project
    from crmimpl.plan.builder import build_plan
    from crmimpl.plan.pilot import wave_of, wave_starts

    project = load_project(Path("examples") / example / "project.yaml")
    plan = build_plan(project, baseline=False)
    starts = {w.n: day for w, day in wave_starts(project, plan)}
    waves = wave_of(project)
    assert len(starts) > 1
    groups = {g.id: g for g in build_groups(project, project.project.language)}
    for gid, group in groups.items():
        # a part at another site may start with a later wave than its department
        wave = group.wave or min((waves[d] for d in group.departments if d in waves),
                                 default=None)
        days = [s.day for s in plan.sessions if s.group_id == gid]
        if wave is None or not days:
            continue
        assert max(days) < starts[wave], gid
        if wave > 1:
            assert min(days) >= starts[wave - 1], gid


def test_a_department_learns_its_own_changes_and_the_work_it_does() -> None:
    """A custom change is taught to the department that asked for it (and to the key
    users); a module the department's main user class works in is taught whatever its
    kind; a department with no right to any module in scope is not trained."""
    from crmimpl.plan.training import KEY_USERS

    project = make_project([("other", 9), ("sales", 9), ("accounting", 2)], 9)

    def edit(data: dict) -> None:
        data["scope"]["modules"] = ["client_base", "telemarketing", "sales_pipeline"]
        data["user_classes"] = [
            {"id": "collector", "name": "Collector", "departments": ["d0"], "users": 9,
             "rights": {"client_base": "own", "telemarketing": "own"}},
            {"id": "seller", "name": "Seller", "departments": ["d1"],
             "rights": {"client_base": "own", "sales_pipeline": "own"}},
            {"id": "books", "name": "Accountant", "departments": ["d2"],
             "rights": {"client_base": "none"}}]
        data["requirements"] = [{"id": "R1", "module": "telemarketing", "source": "d0",
                                 "statement": "Debtor call queues", "fit": "change",
                                 "change": "CH1"}]
        data["changes"] = [{"id": "CH1", "title": "Debtor queues", "module": "telemarketing",
                            "description": "Queues of debtors to call", "estimate_hours": 8,
                            "requirement": "R1"}]

    project = _edit(project, edit)
    groups = build_groups(project, "en")
    topics = {g.departments[0]: [t.id for t in g.topics]
              for g in groups if len(g.departments) == 1}
    assert "telemarketing" in topics["d0"] and "change.CH1" in topics["d0"]
    assert "change.CH1" not in topics["d1"] and "telemarketing" not in topics["d1"]
    key = next(g for g in groups if g.kind == KEY_USERS)
    assert "change.CH1" in [t.id for t in key.topics]
    assert any("Debtor queues" in t.title for t in key.topics)
    assert not any("d2" in g.people for g in groups)  # no right to a module in scope


def test_the_document_names_who_stands_in_and_where_people_meet() -> None:
    """kreativ: the internal expert's leave in the adoption period has a deputy, and a
    team trainer stands in for a sick one; the studio sits out the deal topics. volga:
    each session's place and time span, two numbered venues."""
    from crmimpl.documents.training_plan import build_context
    from crmimpl.model.project import load_project
    from crmimpl.plan.builder import build_plan

    kreativ = load_project(Path("examples/kreativ-agency/project.yaml"))
    ctx = build_context(kreativ, "ru", plan=build_plan(kreativ, baseline=False))
    assert ctx["expert_deputy"] and ctx["expert_leave"].startswith("с 20.04.2026")
    assert ctx["backup_trainer"].endswith("Морозова Анна Викторовна")
    mixed = next(c for c in ctx["curricula"] if c["title"].startswith("Сводная группа"))
    assert "Студия" in mixed["title"]
    deals = next(t for t in mixed["topics"] if t["title"].startswith("Сделки"))
    # the studio reads the deals it makes layouts for (round 16); the management does not
    assert deals["for"] != "Все" and "Студия" in deals["for"]
    assert "уководство" not in deals["for"]
    assert "для:" not in deals["title"] and mixed["split"]

    volga = load_project(Path("examples/volga-bank/project.yaml"))
    plan = build_plan(volga, baseline=False)
    ctx = build_context(volga, "ru", plan=plan)
    assert [v["name"][:10] for v in ctx["venues"]] == ["г. Самара,", "г. Тольятт"]
    places = {row["group"]: row["format"] for row in ctx["sessions"]}
    cc = [g.id for g in build_groups(volga, "ru") if g.departments == ["contact_center"]]
    assert cc and all(places[g] == "Площадка\u00a02" for g in cc)
    assert [g["format"] for g in ctx["groups"] if g["id"] == cc[0]] == ["Очно, площадка\u00a02"]
    assert all("\u2060–\u2060" in row["time"] for row in ctx["sessions"])
    # the four CRM administrators and two security officers of the ТЗ (round 12: all six)
    assert "в том числе" in ctx["admin_members"] and ctx["admin_count"] == 6


def test_small_departments_are_merged_whole() -> None:
    """Merging small departments keeps each whole when a packing allows (optima's service
    department was split over two mixed groups)."""
    project = make_project([("sales", 5), ("service", 4), ("marketing", 2),
                            ("accounting", 2), ("other", 2)], 10, key_users=0)

    def edit(data: dict) -> None:
        data["training"]["group_min"] = 7

    project = _edit(project, edit)
    groups = [g for g in build_groups(project, "en")]
    seen = [d for g in groups for d in g.people]
    assert len(seen) == len(set(seen)) == 5
    assert all(7 <= g.size <= 10 for g in groups)
    assert sum(g.size for g in groups) == 15


def test_recordings_and_working_saturdays_are_stated() -> None:
    """Recorded sessions reach the materials; a session on a working Saturday is named."""
    from crmimpl.documents.training_plan import build_context
    from crmimpl.model.project import load_project
    from crmimpl.plan.builder import build_plan

    optima = load_project(Path("examples/optima-distribution/project.yaml"))
    ctx = build_context(optima, "ru", plan=build_plan(optima, baseline=False))
    assert optima.training.record and any("Видеозапись" in m for m in ctx["materials"])
    volga = load_project(Path("examples/volga-bank/project.yaml"))
    plan = build_plan(volga, baseline=False)
    saturdays = sorted({s.day for s in plan.sessions if s.day.weekday() == 5})
    ctx = build_context(volga, "ru", plan=plan)
    assert all(d.strftime("%d.%m.%Y") in ctx["working_weekends"] for d in saturdays)


@pytest.mark.parametrize("example", ["northwind-it", "optima-distribution", "volga-bank",
                                     "kreativ-agency", "teplo-service"])
def test_a_group_keeps_one_trainer_for_its_course(example: str) -> None:
    """The plan's rule: a group keeps one trainer for the whole course (northwind's T09
    started with one consultant and went on with another)."""
    from crmimpl.model.project import load_project as _load
    from crmimpl.plan.builder import build_plan as _build

    plan = _build(_load(EXAMPLES / example / "project.yaml"), baseline=False)
    trainers: dict[str, set[str]] = {}
    for s in plan.sessions:
        trainers.setdefault(s.group_id, set()).add(s.trainer_id)
    assert {g: t for g, t in trainers.items() if len(t) > 1} == {}


def test_the_format_rule_names_the_key_user_groups_held_online() -> None:
    """"All other groups meet in person" while northwind's key users of later iterations
    (T02, T03, at the training site) are online: the rule says why they are."""
    from crmimpl.documents import training_plan
    from crmimpl.model.project import load_project as _load

    ctx = training_plan.build_context(_load(EXAMPLES / "northwind-it" / "project.yaml"), "en")
    assert ctx["online_key"] == "T02 and T03"


@pytest.mark.parametrize("hours", [[1.0, 1.0, 2.0, 0.5, 1.5], [2.0, 2.0], [0.5, 1.5, 1.0, 1.0]])
def test_a_two_hour_span_takes_a_two_hour_session_without_running_into_the_peak(
        hours: list[float]) -> None:
    """Review 13 (volga): contact-centre sessions of two hours were given a ten-minute
    break and ran 08:00-10:10 into the peak from 10:00. A session of two hours has no
    break; every session ends inside the free span it starts in."""
    from dataclasses import replace

    project = make_project([("service", 16)], 8, trainers=2)

    def edit(data: dict) -> None:
        dept = data["client"]["departments"][0]
        dept["busy"] = ["10:00-14:00", "16:00-20:00"]
        dept["shifts"] = [{"name": "day", "start": "08:00", "hours": 8}]

    project = _edit(project, edit)
    groups = build_groups(project, "en")
    windowed = [g for g in groups if g.windows is not None]
    assert windowed
    groups = [replace(g, topics=[replace(g.topics[i % len(g.topics)], hours=h)
                                 for i, h in enumerate(hours)])
              if g.windows is not None else g for g in groups]
    sessions = place_sessions(project, groups, start=START, is_working=is_working)
    spans = {g.id: g.windows for g in groups}
    own = [s for s in sessions if spans[s.group_id]]
    assert sum(s.hours for s in own) == sum(hours) * len(windowed)
    for s in own:
        begin, end = _minutes(s.start_time), _minutes(session_end(s))
        assert any(lo <= begin and end <= hi for lo, hi in spans[s.group_id]), s
