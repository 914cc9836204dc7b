"""The consultant's changes in project.plan: drop, add, effort, assign, pin, progress."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from crmimpl.errors import CrmimplError
from crmimpl.plan.builder import build_plan, read_baseline, save_baseline
from tests.plan_helpers import small_project


def _plan(tmp_path: Path, plan_yaml: str):  # type: ignore[no-untyped-def]
    return build_plan(small_project(tmp_path, "plan:\n" + plan_yaml))


def test_drop_keeps_the_order(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "  tasks:\n    - {id: survey.report, drop: true}\n")
    ids = [t.id for t in plan.tasks]
    assert "survey.report" not in ids
    # the client's review of the list followed the report: it now follows the interviews
    assert {lk.pred for lk in plan.task("survey.review").links} == {"survey.interview.sales"}
    (tmp_path / "review").mkdir()
    plan = _plan(tmp_path / "review", "  tasks:\n    - {id: survey.review, drop: true}\n")
    approved = plan.task("survey.approved")
    assert {lk.pred for lk in approved.links} == {"survey.report"}


def test_drop_all_instances_by_template_id(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "  tasks:\n    - {id: survey.interview, drop: true}\n")
    assert not [t for t in plan.tasks if t.id.startswith("survey.interview")]
    assert [lk.pred for lk in plan.task("survey.report").links] == ["prep.charter"]


def test_add_task(tmp_path: Path) -> None:
    plan = _plan(tmp_path, """\
  add:
    - id: extra.security
      name: "Security review"
      phase: development
      effort_hours: 8
      roles: [consultant]
      depends_on: [{task: dev.settings}]
""")
    task = plan.task("extra.security")
    assert task.added and task.phase == "development"
    assert task.effort_hours == Decimal("8.00")
    assert task.start > plan.task("dev.settings").finish
    assert task.cost == Decimal("24000.00")
    assert plan.phase("development").tasks[-1].id == "extra.security"


def test_effort_change_moves_duration_and_cost(tmp_path: Path) -> None:
    before = build_plan(small_project(tmp_path))
    plan = _plan(tmp_path, "  tasks:\n    - {id: dev.settings, effort_hours: 20}\n")
    task = plan.task("dev.settings")
    assert task.effort_hours == Decimal("20.00")
    assert task.duration_days == 3
    def delivery(p):  # type: ignore[no-untyped-def]
        return p.costs.work - p.task("pm.management").cost  # management is a share of it

    assert delivery(plan) - delivery(before) == 10 * 3000
    assert plan.task("pm.management").cost > before.task("pm.management").cost


def test_assign_person_by_day_rate(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "  tasks:\n    - {id: dev.settings, assign: [dev2]}\n")
    task = plan.task("dev.settings")
    assert task.assignees == ["dev2"]
    assert task.assignments[0].rate == Decimal("2000.00")     # 16000 a day / 8 hours
    assert task.cost == Decimal("20000.00")


def test_pin_duration_and_extra_dependency(tmp_path: Path) -> None:
    plan = _plan(tmp_path, """\
  tasks:
    - {id: dev.instructions, not_earlier_than: 2026-04-01}
    - {id: survey.report, duration_days: 4}
    - id: dev.access
      depends_on: [{task: dev.instructions, type: FS, lag: 2}]
""")
    assert plan.task("dev.instructions").start == date(2026, 4, 1)
    assert plan.task("survey.report").duration_days == 4
    access = plan.task("dev.access")
    assert access.start == plan.calendar.add_working_days(
        plan.task("dev.instructions").finish, 3)


def test_progress_and_actual_dates(tmp_path: Path) -> None:
    plan = _plan(tmp_path, """\
  status_date: 2026-03-04
  tasks:
    - {id: prep.seminar, percent_complete: 100, actual_start: 2026-03-02,
       actual_finish: 2026-03-03}
    - {id: survey.interview.sales, percent_complete: 50}
""")
    seminar = plan.task("prep.seminar")
    assert (seminar.start, seminar.finish) == (date(2026, 3, 2), date(2026, 3, 3))
    assert not seminar.critical
    assert plan.task("survey.interview.sales").percent_complete == 50
    assert plan.status_date == date(2026, 3, 4)


def test_unknown_ids_are_reported_with_lines(tmp_path: Path) -> None:
    with pytest.raises(CrmimplError) as info:
        _plan(tmp_path, """\
  tasks:
    - {id: dev.setings, effort_hours: 3}
  add:
    - {id: x1, name: "X", phase: nowhere}
""")
    text = info.value.render()
    assert "project.yaml:" in text
    assert "no task 'dev.setings'" in text and "did you mean 'dev.settings'" in text
    assert "no phase 'nowhere'" in text
    assert len(info.value.problems) == 2


def test_override_errors_point_at_the_line_without_reading_the_file_again(
        tmp_path: Path) -> None:
    project = small_project(tmp_path, "plan:\n  tasks:\n    - {id: dev.setings, drop: true}\n")
    assert project.source is not None
    lines = project.source.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "dev.setings" in text)
    where = f"{project.source}:{line}:{lines[line - 1].index('dev.setings') + 1}"
    assert project.location(("plan", "tasks", 0, "id")) == where
    project.source.unlink()  # the positions travel with the model
    with pytest.raises(CrmimplError) as info:
        build_plan(project)
    assert info.value.problems[0].location == where


def test_location_falls_back_to_the_file_name(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    assert project.location(("no", "such", "key")) == f"{project.source}:1:1"
    copy = type(project).model_validate(project.model_dump())
    assert copy.location(("plan",)) == "project.yaml"


def test_budget_and_deadline_warnings(tmp_path: Path) -> None:
    project = small_project(tmp_path, limit=50000, fixed="time, budget",
                            deadline="2026-03-10")
    plan = build_plan(project)
    corners = {w.corner for w in plan.warnings if w.code in ("budget", "deadline")}
    assert corners == {"time", "budget"}
    budget = next(w for w in plan.warnings if w.code == "budget")
    assert "over the budget limit of 50 000.00 RUB" in budget.message


def test_soft_warning_when_corner_not_fixed(tmp_path: Path) -> None:
    plan = build_plan(small_project(tmp_path, limit=50000, fixed="scope, time",
                                    deadline="2026-12-01"))
    budget = next(w for w in plan.warnings if w.code == "budget")
    assert budget.corner is None


def test_no_warnings_within_limits(tmp_path: Path) -> None:
    plan = build_plan(small_project(tmp_path))
    assert not [w for w in plan.warnings if w.code in ("budget", "deadline")]


def test_baseline_roundtrip(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    plan = build_plan(project)
    path = save_baseline(plan)
    assert path == project.folder / ".crmimpl" / "baseline.yaml"
    base = read_baseline(project)
    assert base["dev.settings"] == (plan.task("dev.settings").start,
                                    plan.task("dev.settings").finish)
    moved = build_plan(small_project(tmp_path, "plan:\n  tasks:\n"
                                     "    - {id: dev.settings, effort_hours: 40}\n"))
    assert moved.has_baseline
    inst = moved.task("dev.instructions")
    assert inst.baseline_start is not None and inst.start > inst.baseline_start


def test_damaged_baseline_is_a_user_error(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    (project.folder / ".crmimpl").mkdir()
    (project.folder / ".crmimpl" / "baseline.yaml").write_text("tasks: [1, 2]\n")
    with pytest.raises(CrmimplError, match="not a crmimpl baseline"):
        build_plan(project)


def test_depends_on_adds_and_replace_replaces(tmp_path: Path) -> None:
    base = build_plan(small_project(tmp_path))
    report = base.task("survey.report")
    # an extra link to a later task moves the report; the template's links stay
    added = _plan(tmp_path, "  tasks:\n    - id: survey.report\n"
                  "      depends_on: [{task: survey.interview.sales, type: FS, lag: 5}]\n")
    moved = added.task("survey.report")
    assert moved.start > report.start
    assert {lk.pred for lk in report.links} <= {lk.pred for lk in moved.links}
    # the explicit form replaces the template's links
    replaced = _plan(tmp_path, "  tasks:\n    - id: survey.report\n"
                     "      replace_depends_on: true\n"
                     "      depends_on: [{task: prep.charter}]\n")
    assert [lk.pred for lk in replaced.task("survey.report").links] == ["prep.charter"]
    assert replaced.task("survey.report").start <= report.start


def test_validate_reports_override_ids_with_positions(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.helpers import run_cli

    small_project(tmp_path, """\
plan:
  tasks:
    - {id: dev.setings, effort_hours: 3}
    - id: dev.access
      depends_on: [{task: survey.reprt}]
  add:
    - {id: x1, name: "X", phase: developmnt, effort_hours: 2}
""")
    result = run_cli(capsys, "validate", str(tmp_path / "small"))
    assert result.code == 1
    text = result.out + result.err
    assert "Traceback" not in text
    for wanted in ("no task 'dev.setings'", "did you mean 'dev.settings'",
                   "no task 'survey.reprt'", "did you mean 'survey.report'",
                   "no phase 'developmnt'"):
        assert wanted in text, wanted
    lines = (tmp_path / "small" / "project.yaml").read_text(encoding="utf-8").splitlines()
    row = next(n for n, line in enumerate(lines, start=1) if "dev.setings" in line)
    assert f"project.yaml:{row}:" in text
