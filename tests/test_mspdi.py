"""MSPDI export: structure, determinism, and an independent check by MPXJ.

MPXJ (the Java library behind many project-file tools) reads our XML, forgets every
date we wrote, reschedules the project with its MS Project-compatible scheduler
(``org.mpxj.cpm.MicrosoftScheduler``) and must land every task on our dates. MPXJ runs in
one subprocess for all networks, so the JVM starts once and never in pytest's process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from crmimpl.model.project import load_project
from crmimpl.plan.builder import build_plan
from crmimpl.plan.calendar import WorkCalendar
from crmimpl.plan.schedule import Link, SchedTask, Schedule, schedule
from crmimpl.render.mspdi import Assignment, Resource, mspdi_bytes, write_mspdi, write_plan_mspdi
from tests.conftest import EXAMPLES
from tests.test_schedule_props import random_network

EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "project.yaml").exists())

NS = {"p": "http://schemas.microsoft.com/project"}
RU = WorkCalendar("RU", years=[2025, 2026, 2027])


def hand_network() -> list[SchedTask]:
    """Every link type with lags and leads, milestones, a pin, phases, the holidays."""
    d = date
    return [
        SchedTask("kick", "Kick-off"),
        SchedTask("ph1", "Survey"),
        SchedTask("a", "Interviews", 4, parent="ph1", predecessors=[Link("kick")]),
        SchedTask("b", "Questionnaires", 3, parent="ph1", predecessors=[Link("a", "SS", 1)]),
        SchedTask("c", "Report", 2, parent="ph1", predecessors=[Link("a", "FF", 2),
                                                                 Link("b", "FS", -1)]),
        SchedTask("m1", "Report signed", 0, predecessors=[Link("ph1")]),
        SchedTask("ph2", "Design", predecessors=[Link("m1", "FS", 1)]),
        SchedTask("d", "Specification", 6, parent="ph2"),
        SchedTask("e", "Estimate", 2, parent="ph2", predecessors=[Link("d", "SF", 3)]),
        SchedTask("f", "Review", 1, parent="ph2", predecessors=[Link("d", "FS", 2)]),
        SchedTask("g", "Pinned", 3, not_earlier_than=d(2026, 1, 3),
                  predecessors=[Link("e", "SS", -2)]),
        SchedTask("h", "Training", 5, predecessors=[Link("ph2", "SS", 4), Link("g")]),
        SchedTask("m2", "Done", 0, predecessors=[Link("h", "FF", 0)]),
    ]


def _sched(tasks: list[SchedTask], start: date = date(2025, 12, 15)) -> Schedule:
    return schedule(tasks, RU, start)


def test_structure_of_the_xml() -> None:
    s = _sched(hand_network())
    root = ET.fromstring(mspdi_bytes(s, [Resource("ann", "Ann", 2500)],
                                     [Assignment("a", "ann", 32)], title="Demo"))
    assert root.tag == "{http://schemas.microsoft.com/project}Project"
    exc = {
        (e.findtext("p:TimePeriod/p:FromDate", namespaces=NS), e.findtext("p:DayWorking",
                                                                          namespaces=NS))
        for e in root.iterfind("p:Calendars/p:Calendar/p:Exceptions/p:Exception", NS)
    }
    assert ("2025-12-31T00:00:00", "0") in exc
    assert ("2025-11-01T00:00:00", "1") in exc  # worked Saturday
    tasks = {t.findtext("p:Name", namespaces=NS): t for t in root.iterfind("p:Tasks/p:Task", NS)}
    assert tasks["Interviews"].findtext("p:OutlineLevel", namespaces=NS) == "2"
    assert tasks["Interviews"].findtext("p:WBS", namespaces=NS) == "2.1"
    assert tasks["Interviews"].findtext("p:Duration", namespaces=NS) == "PT32H0M0S"
    assert tasks["Survey"].findtext("p:Summary", namespaces=NS) == "1"
    assert tasks["Done"].findtext("p:Milestone", namespaces=NS) == "1"
    assert tasks["Pinned"].findtext("p:ConstraintType", namespaces=NS) == "4"
    assert tasks["Pinned"].findtext("p:ConstraintDate", namespaces=NS) == "2026-01-12T08:00:00"
    link = tasks["Estimate"].find("p:PredecessorLink", NS)
    assert link is not None
    assert link.findtext("p:Type", namespaces=NS) == "2"  # SF
    assert link.findtext("p:LinkLag", namespaces=NS) == "14400"  # 3 days × 4800
    assert link.findtext("p:LagFormat", namespaces=NS) == "7"
    assert tasks["Interviews"].findtext("p:Start", namespaces=NS).endswith("T08:00:00")
    assert tasks["Interviews"].findtext("p:Finish", namespaces=NS).endswith("T17:00:00")
    assert root.findtext("p:Assignments/p:Assignment/p:Work", namespaces=NS) == "PT32H0M0S"
    assert root.findtext("p:Resources/p:Resource/p:StandardRate", namespaces=NS) == "2500"


def test_output_is_deterministic_and_atomic(tmp_path: Path) -> None:
    s = _sched(hand_network())
    one = write_mspdi(tmp_path / "a.xml", s).read_bytes()
    two = write_mspdi(tmp_path / "b.xml", _sched(hand_network())).read_bytes()
    assert one == two
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# -- MPXJ ---------------------------------------------------------------------------------

MPXJ_SCRIPT = r"""
import json, sys
import jpype, mpxj  # mpxj puts its jars on the class path
jpype.startJVM()
from org.mpxj.reader import UniversalProjectReader
from org.mpxj.cpm import MicrosoftScheduler

def fmt(x):
    return None if x is None else str(x)[:16]

out = {}
for path in sys.argv[1:]:
    project = UniversalProjectReader().read(path)
    links = {}
    for t in project.getTasks():
        links[str(t.getUniqueID())] = sorted(
            [str(r.getPredecessorTask().getUniqueID()), str(r.getType()), str(r.getLag())]
            for r in t.getPredecessors())
        for setter in ("setStart", "setFinish", "setEarlyStart", "setEarlyFinish",
                       "setLateStart", "setLateFinish"):
            getattr(t, setter)(None)
    MicrosoftScheduler().schedule(project, project.getProjectProperties().getStartDate())
    out[path] = {
        str(t.getUniqueID()): [fmt(t.getStart()), fmt(t.getFinish()),
                               fmt(t.getLateStart()), bool(t.getCritical()),
                               links[str(t.getUniqueID())]]
        for t in project.getTasks()
    }
print(json.dumps(out))
"""


def _mpxj_available() -> bool:
    try:
        import jpype  # noqa: F401
        import mpxj  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None


@pytest.fixture(scope="module")
def mpxj_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Schedule, dict]]:
    if not _mpxj_available():
        if os.environ.get("CI"):
            pytest.fail("MPXJ (pip mpxj JPype1) and Java are required in CI")
        pytest.skip("MPXJ or Java is not installed")
    folder = tmp_path_factory.mktemp("mpxj")
    networks = {
        "hand": _sched(hand_network()),
        "random1000": _sched(random_network(2025, 1000, phases=12), date(2025, 9, 1)),
    }
    paths = {name: str(write_mspdi(folder / f"{name}.xml", s)) for name, s in networks.items()}
    # The examples' plans, written by the plan's own exporter (people, rates, assignments).
    # MPXJ's scheduler does not level resources, so the comparison is without levelling.
    for example in EXAMPLE_NAMES:
        project = load_project(EXAMPLES / example)
        project.plan.leveling = False
        plan = build_plan(project)
        # MPXJ measures float to the project's finish (the last audit), the plan to
        # acceptance: compare its critical flags with ours measured the same way
        networks[example] = schedule_to_finish(plan)
        paths[example] = str(write_plan_mspdi(plan, folder / f"{example}.xml"))
    proc = subprocess.run([sys.executable, "-c", MPXJ_SCRIPT, *paths.values()],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return {name: (networks[name], data[paths[name]]) for name in networks}


def schedule_to_finish(plan: Any) -> Schedule:
    """The plan's network scheduled as MS Project does, float measured to the finish."""
    from crmimpl.plan.builder import schedule_tasks
    from crmimpl.plan.schedule import schedule

    project = plan.project
    people = [p for p in plan.schedule.people.values()]
    return schedule(schedule_tasks(plan.phases, project.plan.hours_per_day), plan.calendar,
                    project.project.start, people=people, leveling=project.plan.leveling)


def _ours(s: Schedule) -> dict[str, list[str]]:
    from crmimpl.render.mspdi import task_times

    return {str(uid): [v[:16] for v in task_times(t)]
            for uid, t in enumerate(s.tasks.values(), start=1)}


@pytest.mark.parametrize("name", ["hand", "random1000", *EXAMPLE_NAMES])
def test_mpxj_reschedules_to_our_dates(mpxj_results: dict, name: str) -> None:
    s, theirs = mpxj_results[name]
    ours = _ours(s)
    assert set(ours) == set(theirs)
    diffs = [(uid, ours[uid], theirs[uid][:2]) for uid in ours if ours[uid] != theirs[uid][:2]]
    assert not diffs, f"{len(diffs)} tasks differ, first: {diffs[:5]}"


@pytest.mark.parametrize("name", ["hand", "random1000", *EXAMPLE_NAMES])
def test_mpxj_reads_our_links_and_critical_flags(mpxj_results: dict, name: str) -> None:
    s, theirs = mpxj_results[name]
    uids = {tid: str(n) for n, tid in enumerate(s.tasks, start=1)}
    kinds = {"FS": "FS", "SS": "SS", "FF": "FF", "SF": "SF"}
    mismatched_critical = []
    for tid, t in s.tasks.items():
        got = theirs[uids[tid]][4]
        want = sorted([uids[lk.pred_id], kinds[lk.type], f"{float(lk.lag_days)}d"]
                      for lk in t.task.predecessors)
        assert got == want, tid
        if not t.summary and theirs[uids[tid]][3] != t.critical:
            mismatched_critical.append(tid)
    assert not mismatched_critical, mismatched_critical[:10]


# -- what MS Project users set: levelling, baseline, costs, hours per day -----------------

MPXJ_FULL_SCRIPT = r"""
import json, sys
import jpype, mpxj
jpype.startJVM()
from org.mpxj.reader import UniversalProjectReader
from org.mpxj.cpm import MicrosoftScheduler

def fmt(x):
    return None if x is None else str(x)[:16]

out = {}
for path in sys.argv[1:]:
    project = UniversalProjectReader().read(path)
    kept = {}
    for t in project.getTasks():
        cost = sum(float(str(a.getCost() or 0)) for a in t.getResourceAssignments())
        kept[str(t.getUniqueID())] = [fmt(t.getBaselineStart()), fmt(t.getBaselineFinish()),
                                      None if t.getBaselineCost() is None
                                      else float(str(t.getBaselineCost())), cost]
        for setter in ("setStart", "setFinish", "setEarlyStart", "setEarlyFinish",
                       "setLateStart", "setLateFinish"):
            getattr(t, setter)(None)
    MicrosoftScheduler().schedule(project, project.getProjectProperties().getStartDate())
    out[path] = {uid: [fmt(t.getStart()), fmt(t.getFinish()), *kept[uid]]
                 for t in project.getTasks() for uid in [str(t.getUniqueID())]}
print(json.dumps(out))
"""


def _levelled_variants() -> dict[str, Any]:
    """Every example as users keep it: levelling on, a baseline, and 6-hour days."""
    from crmimpl.plan.builder import BaselineEntry, apply_baseline

    plans = {}
    for example in EXAMPLE_NAMES:
        for hours in (8, 6):
            project = load_project(EXAMPLES / example)
            project.plan.leveling = True
            project.plan.hours_per_day = hours
            plan = build_plan(project, baseline=False)
            # a baseline a week earlier than the plan, with the plan's hours and costs
            apply_baseline(plan, {t.id: BaselineEntry(t.start - timedelta(days=7),
                                                      t.finish - timedelta(days=7),
                                                      t.effort_hours, t.cost)
                                  for t in plan.tasks})
            plans[f"{example}-{hours}h"] = plan
    return plans


@pytest.fixture(scope="module")
def mpxj_levelled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, dict]]:
    if not _mpxj_available():
        if os.environ.get("CI"):
            pytest.fail("MPXJ (pip mpxj JPype1) and Java are required in CI")
        pytest.skip("MPXJ or Java is not installed")
    folder = tmp_path_factory.mktemp("mpxj-levelled")
    plans = _levelled_variants()
    paths = {name: str(write_plan_mspdi(plan, folder / f"{name}.xml"))
             for name, plan in plans.items()}
    proc = subprocess.run([sys.executable, "-c", MPXJ_FULL_SCRIPT, *paths.values()],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return {name: (plans[name], data[paths[name]]) for name in plans}


LEVELLED = [f"{e}-{h}h" for e in EXAMPLE_NAMES for h in (8, 6)]


@pytest.mark.parametrize("name", LEVELLED)
def test_mpxj_keeps_levelled_dates_baseline_and_costs(mpxj_levelled: dict, name: str) -> None:
    from crmimpl.render.mspdi import task_times

    plan, theirs = mpxj_levelled[name]
    sched = plan.schedule
    hpd = plan.project.plan.hours_per_day
    uids = {tid: str(n) for n, tid in enumerate(sched.tasks, start=1)}
    assert any(st.levelled_from for st in sched.tasks.values()) or name.startswith("kreativ"), \
        "levelling moved nothing: the test would not test it"
    diffs = [(tid, [v[:16] for v in task_times(st, hpd)], theirs[uids[tid]][:2])
             for tid, st in sched.tasks.items()
             if [v[:16] for v in task_times(st, hpd)] != theirs[uids[tid]][:2]]
    assert not diffs, f"{len(diffs)} tasks differ, first: {diffs[:5]}"
    for t in plan.tasks:
        base_start, base_finish, base_cost, cost = theirs[uids[t.id]][2:]
        assert base_start is not None and base_start[:10] == t.baseline_start.isoformat()
        assert base_finish is not None and base_finish[:10] == t.baseline_finish.isoformat()
        if t.assignments:
            assert base_cost == pytest.approx(float(t.cost), abs=0.01), t.id
            assert cost == pytest.approx(float(t.cost), abs=0.01), t.id


def test_working_time_follows_hours_per_day() -> None:
    from crmimpl.render.mspdi import day_bounds, work_periods

    assert work_periods(8) == (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00"))
    assert work_periods(6) == (("08:00:00", "12:00:00"), ("13:00:00", "15:00:00"))
    assert work_periods(4) == (("08:00:00", "12:00:00"),)
    assert work_periods(3) == (("08:00:00", "11:00:00"),)
    assert day_bounds(24) == ("00:00:00", "23:59:00")
    s = schedule(hand_network(), WorkCalendar("RU", years=[2025, 2026, 2027],
                                              hours_per_day=6), date(2025, 12, 15))
    root = ET.fromstring(mspdi_bytes(s))
    assert root.findtext("p:MinutesPerDay", namespaces=NS) == "360"
    tasks = {t.findtext("p:Name", namespaces=NS): t for t in root.iterfind("p:Tasks/p:Task", NS)}
    assert tasks["Interviews"].findtext("p:Finish", namespaces=NS).endswith("T15:00:00")


def test_a_pin_before_the_project_start_is_written_at_the_start() -> None:
    tasks = [SchedTask("a", "Early pin", 2, not_earlier_than=date(2025, 1, 10)),
             SchedTask("b", "Next", 1, predecessors=[Link("a")])]
    s = _sched(tasks)
    root = ET.fromstring(mspdi_bytes(s))
    pinned = root.find("p:Tasks/p:Task", NS)
    assert pinned is not None
    assert pinned.findtext("p:ConstraintDate", namespaces=NS) == "2025-12-15T08:00:00"


def test_levelling_delays_are_written_for_ms_project(tmp_path: Path) -> None:
    project = load_project(EXAMPLES / "optima-distribution")
    plan = build_plan(project, baseline=False)
    delayed = {tid: st for tid, st in plan.schedule.tasks.items() if st.levelled_from}
    assert delayed, "optima's levelled plan delays no task: pick another example"
    root = ET.parse(write_plan_mspdi(plan, tmp_path / "p.xml")).getroot()
    written = {t.findtext("p:Name", namespaces=NS): t for t in root.iterfind("p:Tasks/p:Task", NS)
               if t.find("p:LevelingDelay", NS) is not None}
    assert len(written) == len(delayed)
    for st in delayed.values():
        el = written[st.task.name or st.task.id]
        days = (st.start - st.levelled_from).days
        assert el.findtext("p:LevelingDelay", namespaces=NS) == str(days * 14_400)
        assert el.findtext("p:LevelingDelayFormat", namespaces=NS) == "8"  # elapsed days
        assert el.findtext("p:ConstraintDate", namespaces=NS)[:10] == st.start.isoformat()


def test_a_start_held_by_a_vacation_is_pinned() -> None:
    from crmimpl.plan.calendar import Person

    tasks = [SchedTask("a", "Before", 2),
             SchedTask("b", "Report", effort_hours=8, assignees=["ann"], effort_driven=True,
                       predecessors=[Link("a")])]
    away = (date(2025, 12, 17), date(2025, 12, 22))
    s = schedule(tasks, RU, date(2025, 12, 15), people=[Person("ann", vacations=(away,))])
    report = s.tasks["b"]
    assert report.held_from == date(2025, 12, 17) and report.start == date(2025, 12, 23)
    root = ET.fromstring(mspdi_bytes(s))
    el = next(t for t in root.iterfind("p:Tasks/p:Task", NS)
              if t.findtext("p:Name", namespaces=NS) == "Report")
    assert el.findtext("p:ConstraintDate", namespaces=NS) == "2025-12-23T08:00:00"
    assert el.find("p:LevelingDelay", NS) is None  # a vacation is not levelling
