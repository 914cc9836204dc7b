"""Hand-checked schedules on the Russian production calendar (dates worked out by hand).

Late October / November 2025: Mon 27, Tue 28, Wed 29, Thu 30, Fri 31 Oct and Sat 1 Nov
are worked (1 Nov is a moved working Saturday); Sun 2, Mon 3, Tue 4 Nov are off;
Wed 5 Nov is worked again.
"""

from __future__ import annotations

from datetime import date

import pytest

from crmimpl.errors import CrmimplError
from crmimpl.plan.calendar import Person, WorkCalendar
from crmimpl.plan.schedule import Link, SchedTask, schedule, whole_days

RU = WorkCalendar("RU", years=[2025, 2026])
MON_27_OCT = date(2025, 10, 27)


def D(day: int, month: int = 10, year: int = 2025) -> date:
    return date(year, month, day)


def test_across_new_year_holidays() -> None:
    s = schedule([SchedTask("a", duration_days=5)], RU, D(29, 12))
    # 29, 30 Dec; 31 Dec – 11 Jan off; 12, 13, 14 Jan.
    assert (s["a"].start, s["a"].finish) == (D(29, 12), D(14, 1, 2026))
    assert s.finish == D(14, 1, 2026)


def test_across_working_saturday_and_november_days_off() -> None:
    tasks = [SchedTask("a", duration_days=3), SchedTask("b", duration_days=1,
                                                        predecessors=[Link("a")])]
    s = schedule(tasks, RU, D(30))
    assert (s["a"].start, s["a"].finish) == (D(30), D(1, 11))
    assert (s["b"].start, s["b"].finish) == (D(5, 11), D(5, 11))


# The predecessor "a" is pinned to start Wed 29 Oct and lasts 3 days: 29, 30, 31 Oct.
LINK_CASES = [
    ("FS", 2, 2, D(6, 11), D(7, 11)),  # finish 31 + 2 days (1, 5 Nov) → 6 Nov
    ("FS", -1, 2, D(31), D(1, 11)),  # lead of one day overlaps the last day
    ("SS", 2, 2, D(31), D(1, 11)),
    ("SS", -1, 2, D(28), D(29)),
    ("FF", 2, 3, D(31), D(5, 11)),  # finish 31 + 2 days → 5 Nov; 3 days back: 31
    ("FF", -1, 2, D(29), D(30)),
    ("SF", 2, 1, D(30), D(30)),  # start 29 + 2 days = start of 31 → finish 30
    ("SF", -1, 1, D(27), D(27)),
]


@pytest.mark.parametrize(("kind", "lag", "dur", "start", "finish"), LINK_CASES)
def test_link_types_with_lag_and_lead(
    kind: str, lag: int, dur: int, start: date, finish: date
) -> None:
    tasks = [
        SchedTask("a", duration_days=3, not_earlier_than=D(29)),
        SchedTask("b", duration_days=dur, predecessors=[Link("a", kind, lag)]),  # type: ignore[arg-type]
    ]
    s = schedule(tasks, RU, MON_27_OCT)
    assert (s["a"].start, s["a"].finish) == (D(29), D(31))
    assert (s["b"].start, s["b"].finish) == (start, finish)


def test_pinned_start_on_a_day_off_moves_to_next_working_day() -> None:
    s = schedule([SchedTask("p", duration_days=2, not_earlier_than=D(2, 11))], RU, MON_27_OCT)
    assert (s["p"].start, s["p"].finish) == (D(5, 11), D(6, 11))


def test_milestone_after_finish_sits_on_that_day() -> None:
    tasks = [
        SchedTask("a", duration_days=5),
        SchedTask("m", predecessors=[Link("a")]),
        SchedTask("b", duration_days=1, predecessors=[Link("m")]),
    ]
    s = schedule(tasks, RU, MON_27_OCT)
    m = s["m"]
    assert m.milestone and m.start == m.finish == D(31) and m.start_at_day_end
    assert s["b"].start == D(1, 11)
    assert s.critical_path == ["a", "m", "b"]


def test_effort_driven_task_stretches_over_vacation() -> None:
    def run(vacations: tuple[tuple[date, date], ...]) -> tuple[date, date]:
        people = [Person("ann", vacations=vacations), Person("bob", availability=0.5)]
        t = SchedTask("w", effort_hours=40, assignees=["ann", "bob"], effort_driven=True)
        s = schedule([t], RU, MON_27_OCT, people=people)
        return s["w"].start, s["w"].finish

    # 12 h a day: 27, 28, 29, 30 Oct (48 h ≥ 40).
    assert run(()) == (D(27), D(30))
    # Ann away 29–30 Oct: 12 + 12 + 4 + 4 + 12 = 44 h by 31 Oct.
    assert run(((D(29), D(30)),)) == (D(27), D(31))


@pytest.mark.parametrize("leveling", [False, True])
def test_task_with_a_lead_waits_for_the_lead_to_come_back(leveling: bool) -> None:
    """An audit is not held by the others while the auditor is away: it starts after
    the leave, never before it only to stop in the middle."""
    def run(lead: str | None, vacations: tuple[tuple[date, date], ...]) -> tuple[date, date]:
        people = [Person("ann", vacations=vacations), Person("bob", availability=0.5)]
        t = SchedTask("audit", effort_hours=20, assignees=["ann", "bob"],
                      effort_driven=True, lead=lead)
        s = schedule([t], RU, MON_27_OCT, people=people, leveling=leveling)
        return s["audit"].start, s["audit"].finish

    # without a lead Bob starts alone while Ann is away (27–29 Oct)
    assert run(None, ((D(27), D(29)),))[0] == D(27)
    # with Ann as the lead: 30 Oct and 31 Oct (12 h a day)
    assert run("ann", ((D(27), D(29)),)) == (D(30), D(31))
    # a leave starting on day two would cut the audit: it waits until after it
    assert run("ann", ((D(28), D(29)),)) == (D(30), D(31))
    # nobody away: the lead changes nothing
    assert run("ann", ()) == (D(27), D(28))


def test_summary_spans_children_and_passes_links() -> None:
    tasks = [
        SchedTask("prep", duration_days=2),
        SchedTask("phase", "Phase", predecessors=[Link("prep")]),
        SchedTask("x", duration_days=3, parent="phase"),
        SchedTask("y", duration_days=1, parent="phase", predecessors=[Link("x")]),
        SchedTask("after", duration_days=1, predecessors=[Link("phase")]),
    ]
    s = schedule(tasks, RU, MON_27_OCT)
    assert (s["x"].start, s["x"].finish) == (D(29), D(31))
    assert (s["phase"].start, s["phase"].finish) == (D(29), D(1, 11))
    assert s["phase"].summary and s["phase"].duration_days == 4
    assert s["after"].start == D(5, 11)
    assert [s[t].wbs for t in ("prep", "phase", "x", "y", "after")] == ["1", "2", "2.1", "2.2", "3"]
    assert s["x"].outline_level == 2


def test_float_and_critical_path() -> None:
    tasks = [
        SchedTask("a", duration_days=2),
        SchedTask("long", duration_days=4, predecessors=[Link("a")]),
        SchedTask("short", duration_days=1, predecessors=[Link("a")]),
        SchedTask("end", duration_days=1, predecessors=[Link("long"), Link("short")]),
    ]
    s = schedule(tasks, RU, MON_27_OCT)
    assert s["short"].total_float == 3
    assert s["short"].late_start == D(1, 11)  # 29, 30, 31 of float, latest start 1 Nov
    assert not s["short"].critical
    assert s.critical_path == ["a", "long", "end"]
    assert s.finish == D(5, 11)


def test_leveling_delays_the_task_with_more_float() -> None:
    tasks = [
        SchedTask("x", duration_days=3, assignees=["ann"]),
        SchedTask("y", duration_days=3, assignees=["ann"]),
        SchedTask("z", duration_days=5, predecessors=[Link("y")]),
    ]
    plain = schedule(tasks, RU, MON_27_OCT)
    assert plain["x"].start == plain["y"].start == MON_27_OCT
    s = schedule(tasks, RU, MON_27_OCT, leveling=True)
    assert (s["y"].start, s["x"].start, s["x"].finish) == (D(27), D(30), D(1, 11))
    assert [(m.task_id, m.old_start, m.new_start) for m in s.moved] == [("x", D(27), D(30))]


def test_leveling_respects_part_time_availability() -> None:
    tasks = [
        SchedTask("x", duration_days=2, effort_hours=8, assignees=["bob"]),  # 4 h/day
        SchedTask("y", duration_days=2, effort_hours=8, assignees=["bob"]),
        SchedTask("z", duration_days=2, effort_hours=8, assignees=["bob"]),
    ]
    s = schedule(tasks, RU, MON_27_OCT, people=[Person("bob", 1.0)], leveling=True)
    starts = sorted(s[t].start for t in "xyz")
    assert starts == [D(27), D(27), D(29)]  # two fit in 8 h a day, the third waits


def test_actual_dates_override() -> None:
    tasks = [
        SchedTask("a", duration_days=2, actual_start=D(28), actual_finish=D(31),
                  percent_complete=100),
        SchedTask("b", duration_days=3, actual_start=D(29), predecessors=[Link("a")]),
        SchedTask("c", duration_days=1, predecessors=[Link("a")]),
    ]
    s = schedule(tasks, RU, MON_27_OCT)
    assert (s["a"].start, s["a"].finish, s["a"].duration_days) == (D(28), D(31), 4)
    assert not s["a"].critical
    assert (s["b"].start, s["b"].finish) == (D(29), D(31))
    assert s["c"].start == D(1, 11)


def test_fractional_durations_round_up() -> None:
    assert whole_days(1.2) == 2 and whole_days(3.0) == 3 and whole_days(0) == 0
    s = schedule([SchedTask("a", duration_days=1.2)], RU, MON_27_OCT)
    assert s["a"].finish == D(28)


def test_cycle_is_reported_with_its_tasks() -> None:
    tasks = [
        SchedTask("a", duration_days=1, predecessors=[Link("c")]),
        SchedTask("b", duration_days=1, predecessors=[Link("a")]),
        SchedTask("c", duration_days=1, predecessors=[Link("b")]),
        SchedTask("d", duration_days=1),
    ]
    with pytest.raises(CrmimplError) as exc:
        schedule(tasks, RU, MON_27_OCT)
    text = str(exc.value)
    assert "dependency cycle" in text
    assert any(c in text for c in ("a → b → c → a", "b → c → a → b", "c → a → b → c"))
    assert "d" not in text.split("cycle:")[1].split("\n")[0]


@pytest.mark.parametrize(
    ("tasks", "message"),
    [
        ([SchedTask("a", predecessors=[Link("zz")])], "unknown predecessor 'zz'"),
        ([SchedTask("a", parent="nope")], "unknown parent 'nope'"),
        ([SchedTask("a"), SchedTask("a")], "duplicate task id"),
        ([SchedTask("a", predecessors=[Link("a")])], "cannot depend on itself"),
        ([SchedTask("p"), SchedTask("c", parent="p", predecessors=[Link("p")])],
         "summary and its own subtask"),
        ([SchedTask("a", effort_driven=True)], "needs effort_hours and assignees"),
    ],
)
def test_bad_networks_are_user_errors(tasks: list[SchedTask], message: str) -> None:
    with pytest.raises(CrmimplError, match=message):
        schedule(tasks, RU, MON_27_OCT)


def test_levelling_keeps_a_finish_link_when_it_changes_people() -> None:
    """A task whose finish is tied to its predecessor's keeps that tie when levelling gives
    its work to someone faster (the dates MS Project computes from the same file)."""
    tasks = [
        SchedTask("a", duration_days=10),
        SchedTask("busy", effort_hours=40, assignees=["slow"], effort_driven=True),
        SchedTask("b", effort_hours=16, assignees=["slow"], effort_driven=True,
                  predecessors=[Link("a", "SS", 2), Link("a", "FF")],
                  alternatives={"slow": ["fast"]}),
    ]
    people = [Person("slow", 0.25), Person("fast", 1.0)]
    s = schedule(tasks, RU, MON_27_OCT, people=people, leveling=True)
    assert s["b"].assignees == ("fast",), "the test must make levelling change people"
    assert s["b"].finish >= s["a"].finish
