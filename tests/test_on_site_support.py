"""Consultants on duty at the client's site while users start work
(``rollout.on_site_support``): planned as tasks with hours, stated from the plan."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from crmimpl.documents import spec, survey
from crmimpl.errors import CrmimplError
from crmimpl.model.project import OnSiteSupport, load_project
from crmimpl.plan.builder import build_plan
from crmimpl.plan.pilot import on_site_text
from crmimpl.render.markdown import render_markdown
from tests.conftest import EXAMPLES
from tests.test_survey_report_round5 import plain


@pytest.fixture(scope="module")
def volga():  # type: ignore[no-untyped-def]
    project = load_project(EXAMPLES / "volga-bank")
    return project, build_plan(project)


def test_volga_duty_follows_each_wave_that_brings_contact_centre_users(volga) -> None:  # type: ignore[no-untyped-def]
    _, plan = volga
    duties = [t for t in plan.tasks if t.id.startswith("rollout.on_site.")]
    # wave 1 starts one supervisor group per shift, wave 2 brings the rest of the line
    assert [t.id for t in duties] == ["rollout.on_site.1", "rollout.on_site.2"]
    assert duties[0].start == plan.task("rollout.pilot_wave.1").start
    assert duties[1].start == plan.task("rollout.pilot_wave.2").start
    for t in duties:
        assert t.effort_hours == Decimal(10 * 2 * 7)  # days × consultants × hours a day
        assert {a.person_id for a in t.assignments} == {"analyst_cc", "analyst_sales"}
        assert t.duration_days == 10


def test_duty_hours_are_in_the_plans_totals(volga) -> None:  # type: ignore[no-untyped-def]
    project, plan = volga
    bare = project.model_copy(update={
        "rollout": project.rollout.model_copy(update={"on_site_support": []}),
        "plan": project.plan.model_copy(update={"tasks": [
            t for t in project.plan.tasks if t.id != "rollout.on_site"]})})
    before = build_plan(bare)
    assert not any(t.id.startswith("rollout.on_site") for t in before.tasks)
    # the duty's 280 h, and the management that scales with the work
    added = plan.costs.contractor_hours - before.costs.contractor_hours
    managed = sum(t.effort_hours for t in plan.tasks if t.phase == "management") - sum(
        t.effort_hours for t in before.tasks if t.phase == "management")
    assert added - managed == 280
    # the duty moves nothing else: the same launch
    assert plan.task("rollout.acceptance").start == before.task("rollout.acceptance").start


def test_without_waves_one_duty_starts_with_the_pilot(volga) -> None:  # type: ignore[no-untyped-def]
    project, _ = volga
    rollout = project.rollout.model_copy(update={"pilot": [], "on_site_support": [
        OnSiteSupport(departments=["contact_center", "retail"], days=5)]})
    plan = build_plan(project.model_copy(update={"rollout": rollout}))
    duties = [t for t in plan.tasks if t.id.startswith("rollout.on_site.")]
    assert len(duties) == 1
    assert duties[0].start == plan.task("rollout.pilot").start
    assert duties[0].effort_hours == Decimal(5 * project.plan.hours_per_day)
    text = on_site_text(project.model_copy(update={"rollout": rollout}), plan, "ru")
    assert "подразделений «Контакт-центр» и «Розничная сеть" in text
    assert "волна" not in text
    # the two people the volga override names share the 40 h: 4 h a day each, as planned
    assert "дежурят специалисты исполнителя" in text and "по 4\u00a0ч в день каждый" in text
    en = on_site_text(project.model_copy(update={"rollout": rollout}), plan, "en")
    assert "are on duty on site" in en and "wave" not in en


@pytest.mark.parametrize("document", ["survey", "spec"])
def test_documents_state_the_plans_duty(volga, document: str) -> None:  # type: ignore[no-untyped-def]
    project, plan = volga
    module = survey if document == "survey" else spec
    text = plain(render_markdown(module.NAME, "ru", module.build_context(project, "ru")))
    duties = [t for t in plan.tasks if t.id.startswith("rollout.on_site.")]
    total = sum(t.effort_hours for t in duties)
    assert f"на дежурство отведено {total:.0f} ч" in text
    assert "Николаева Мария Андреевна и Осипов Кирилл Дмитриевич" in text
    for t in duties:
        assert f"{t.start:%d.%m.%Y}–{t.finish:%d.%m.%Y}" in text


def test_a_project_without_duty_says_nothing() -> None:
    # (optima now plans the duty its client asked for in the survey)
    project = load_project(EXAMPLES / "teplo-service")
    assert on_site_text(project, build_plan(project), "ru") == ""


def test_unknown_department_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "volga"
    shutil.copytree(EXAMPLES / "volga-bank", folder)
    path = folder / "project.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    - departments: [contact_center]\n      days: 10\n      consultants: 2",
        "    - departments: [call_centre]\n      days: 10\n      consultants: 2"),
        encoding="utf-8")
    with pytest.raises(CrmimplError) as err:
        load_project(folder)
    assert "no department with id 'call_centre'" in str(err.value)
