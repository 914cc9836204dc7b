"""What documents state about the project agrees with the plan and the answers: the
specification and the survey report are dated after the answers they quote, and the
training documents state the group sizes the plan really has."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from crmimpl.documents.register import document_entry, last_answer_date
from crmimpl.model.project import load_project
from crmimpl.plan.builder import build_plan
from crmimpl.plan.training import ADMINS, KEY_USERS, build_groups
from tests.conftest import EXAMPLES


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(EXAMPLES / name, target)
    return target


def test_the_specification_is_dated_after_the_answers_it_quotes(tmp_path: Path) -> None:
    folder = _copy(tmp_path, "northwind-it")
    project = load_project(folder)
    plan = build_plan(project, baseline=False)
    last = last_answer_date(project)
    assert last is not None
    spec = document_entry(project, plan, "spec").date
    assert spec > last
    # an iterative project's specification is the plan's MVP specification
    assert spec == plan.task("mvp.spec").finish
    # an answer given later moves both documents that quote answers after it
    answers = folder / "answers" / "requirements-sales.yaml"
    answers.write_text(answers.read_text().replace("date: 2026-03-10", "date: 2026-03-25"))
    project = load_project(folder)
    assert last_answer_date(project).isoformat() == "2026-03-25"
    for name in ("spec", "survey"):
        when = document_entry(project, plan, name).date
        assert when.isoformat() == "2026-03-26", name
    # a date written in project.yaml is the author's: kept as written
    text = (folder / "project.yaml").read_text()
    (folder / "project.yaml").write_text(text.replace(
        "  contractor: \"Bridgepoint", "  document_date: 2026-03-12\n  contractor: \"Bridgepoint"))
    project = load_project(folder)
    assert document_entry(project, plan, "spec").date.isoformat() == "2026-03-12"


@pytest.mark.parametrize("name", ["northwind-it", "optima-distribution"])
def test_training_documents_state_the_real_group_sizes(name: str) -> None:
    """"Groups of 7 to 10" while every group has 4 to 6 is a number that disagrees."""
    from crmimpl.documents.spec import build_context as spec_context
    from crmimpl.documents.training_plan import build_context as training_context

    project = load_project(EXAMPLES / name)
    plan = build_plan(project, baseline=False)
    lang = project.project.language
    sizes = [g.size for g in build_groups(project, lang) if g.kind not in (KEY_USERS, ADMINS)]
    lo, hi = min(sizes), max(sizes)
    training = training_context(project, lang, plan=plan)
    spec = spec_context(project, lang, plan=plan)
    for text in (training["group_sizes"], spec["rollout"]["group_sizes"]):
        assert [int(n) for n in re.findall(r"\d+", text)] == ([lo, hi] if lo < hi else [hi])


def test_a_departments_office_at_another_site_is_trained_online(tmp_path: Path) -> None:
    """optima's Tula group of the dealers department: online, in its own (or a mixed
    online) group, while the rest of the department meets in the classroom."""
    from crmimpl.plan.training import ONLINE, ONSITE

    project = load_project(EXAMPLES / "optima-distribution")
    dept = project.department("sales_dealers")
    assert dept.sites and dept.sites[0].users == 4
    groups = build_groups(project, "ru")
    dealers = [g for g in groups if "sales_dealers" in g.people]
    online = [g for g in dealers if g.format == ONLINE]
    assert sum(g.people["sales_dealers"] for g in online) == 4
    assert all("тульская группа" in g.name for g in online)
    assert {g.format for g in dealers} == {ONLINE, ONSITE}
    taken = sum(1 for p in project.team if p.department == "sales_dealers"
                and "key_user" in p.roles)
    assert sum(g.people["sales_dealers"] for g in dealers) == dept.users - taken


def test_a_site_part_names_a_client_location(tmp_path: Path) -> None:
    from crmimpl.errors import CrmimplError

    folder = _copy(tmp_path, "optima-distribution")
    text = (folder / "project.yaml").read_text()
    (folder / "project.yaml").write_text(text.replace(
        '- site: "г. Тула — региональный офис продаж"', '- site: "г. Тула"'))
    with pytest.raises(CrmimplError, match=r"no client location 'г\. Тула'"):
        load_project(folder)


def test_a_phased_pilot_runs_in_waves_in_the_plan_and_the_documents() -> None:
    """volga's bank asked for a phased pilot: the contact centre first, then collections,
    then the branch network and SME. Each wave starts after its own people are trained
    (not the later waves'), the waves follow one another, and the specification and
    the training plan show them with the plan's dates."""
    from crmimpl import i18n
    from crmimpl.documents.spec import build_context as spec_context
    from crmimpl.documents.training_plan import build_context as training_context
    from crmimpl.plan.pilot import pilot_waves, wave_of

    project = load_project(EXAMPLES / "volga-bank")
    plan = build_plan(project, baseline=False)
    waves = pilot_waves(project)
    assert [w.departments[0] for w in waves] == ["contact_center", "collection", "retail"]
    # departments named in no wave join with the last
    assert set(waves[-1].departments) >= {"retail", "sme", "marketing", "management"}
    first, second, full = (plan.task("rollout.pilot_wave.1"), plan.task("rollout.pilot_wave.2"),
                           plan.task("rollout.pilot"))
    assert first.finish < second.start and second.finish < full.start
    waves_of = wave_of(project)
    groups = {g.id: g for g in build_groups(project, "ru")}
    for s in plan.sessions:
        wave = min((waves_of[d] for d in groups[s.group_id].departments), default=1)
        start = first.start if wave == 1 else second.start if wave == 2 else full.start
        assert s.day < start, (s.group_id, s.day)
    # a later wave's training may run while the first wave works in the system
    assert max(s.day for s in plan.sessions) > first.start
    # wave 1's groups are trained first
    order = [g for g in build_groups(project, "ru") if g.kind not in (KEY_USERS, ADMINS)]
    assert "contact_center" in order[0].departments
    assert plan.launch == plan.task("rollout.acceptance").finish
    spec = spec_context(project, "ru", plan=plan)["rollout"]
    assert [w["start"] for w in spec["pilot_waves"]] == [
        i18n.day_long(t.start, "ru") for t in (first, second, full)]
    assert spec["pilot_start"] == i18n.day_long(first.start, "ru")
    training = training_context(project, "ru", plan=plan)
    assert training["pilot_waves_text"].startswith("волна 1 — контакт-центр")
    assert i18n.day_long(second.start, "ru") in training["pilot_waves_text"]


def test_without_a_phased_pilot_the_plan_is_unchanged() -> None:
    project = load_project(EXAMPLES / "kreativ-agency")
    plan = build_plan(project, baseline=False)
    assert not any(t.id.startswith("rollout.pilot_wave") for t in plan.tasks)


def test_a_phased_pilot_names_known_departments_once(tmp_path: Path) -> None:
    from crmimpl.errors import CrmimplError

    folder = _copy(tmp_path, "optima-distribution")
    text = (folder / "project.yaml").read_text()
    (folder / "project.yaml").write_text(text.replace(
        "    - departments: [sales_corp]", "    - departments: [sales_dealers, sales_crop]"))
    with pytest.raises(CrmimplError) as caught:
        load_project(folder)
    message = str(caught.value)
    assert "already in an earlier wave" in message and "no department with id 'sales_crop'" \
        in message


def test_the_survey_team_table_shows_each_persons_planned_hours() -> None:
    """"Занятость 100 %" for every contractor against 5 394 hours: the table now gives each
    person's hours in the plan, which add up to the contractor's effort."""
    from decimal import Decimal

    from crmimpl.documents.survey import build_context

    project = load_project(EXAMPLES / "volga-bank")
    plan = build_plan(project, baseline=False)
    context = build_context(project, "ru", plan=plan)
    def hours(text: str) -> Decimal:  # whole or half hours, as the plan workbook has them
        return Decimal(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))

    shown = [hours(r["effort"]) for r in context["team_contractor"] if r["effort"] != "—"]
    assert len(set(shown)) > 3  # not one figure for everyone
    total = plan.costs.contractor_hours
    assert sum(shown) == total
    per_person: dict[str, Decimal] = {}
    for task in plan.tasks:
        for a in task.assignments:
            per_person[a.person_id] = per_person.get(a.person_id, Decimal(0)) + a.hours
    lead = next(p for p in project.team if p.side == "contractor")
    row = next(r for r in context["team_contractor"] if r["name"] == lead.name)
    assert hours(row["effort"]) == per_person[lead.id]


def test_a_phased_pilot_is_refused_in_iterative_mode(tmp_path: Path) -> None:
    from crmimpl.errors import CrmimplError

    folder = _copy(tmp_path, "northwind-it")
    text = (folder / "project.yaml").read_text()
    (folder / "project.yaml").write_text(text.replace(
        "\ntraining:\n", "\nrollout:\n  pilot:\n    - departments: [sales]\n\ntraining:\n", 1))
    with pytest.raises(CrmimplError, match="phased pilot belongs to typical and project"):
        load_project(folder)


def test_the_survey_report_answers_the_clients_pilot_wish_with_the_plans_waves() -> None:
    from crmimpl import i18n
    from crmimpl.documents.survey import build_context

    project = load_project(EXAMPLES / "optima-distribution")
    plan = build_plan(project, baseline=False)
    text = build_context(project, "ru", plan=plan)["pilot_waves_text"]
    first = project.rollout.pilot[0].name  # the client asked: the Moscow group first
    assert text.startswith(f"волна 1 — {first} (")
    assert f"), с {i18n.day_long(plan.task('rollout.pilot_wave.1').start, 'ru')}" in text
    assert i18n.day_long(plan.task("rollout.pilot").start, "ru") in text


def test_the_specification_counts_the_administrators_the_training_plan_trains() -> None:
    """volga: «класса «Администратор CRM и сотрудник ИБ» (6 человек), прошедшие обучение
    администрированию» while the training plan's course has 5 of the class (the sixth is
    trained with the key users)."""
    from crmimpl.documents import spec

    project = load_project(EXAMPLES / "volga-bank")
    plan = build_plan(project, baseline=False)
    taught = {s.group_id for s in plan.sessions}
    course = sum(g.size - g.guests for g in build_groups(project, "ru")
                 if g.kind == ADMINS and g.id in taught)
    admin_class = next(u for u in project.user_classes if u.id == "admin")
    assert 0 < course <= admin_class.users
    # the whole class in the course (round 12: the security key user takes it too) is
    # counted once; part of it, as «N человек из M»
    expected = (f"{course} человек" if course == admin_class.users
                else f"{course} человек из {admin_class.users}")
    assert spec.build_context(project, "ru", plan=plan)["admins"]["users"] == expected


def test_the_specification_names_everyone_the_survey_says_was_interviewed() -> None:
    """optima's directorate: the survey names Ковалёв, Сергеева and Воронцов, the
    specification said «интервью с руководителем подразделения (А. В. Ковалёв)»."""
    from crmimpl.documents import spec, survey

    project = load_project(EXAMPLES / "optima-distribution")
    survey_areas = {a["name"]: a["ask"]
                    for a in survey.build_context(project, "ru")["processes"]}
    spec_sections = spec.build_context(project, "ru")["feedback"]["interviewed"]
    checked = 0
    for section in spec_sections:
        asked = survey_areas.get(section["name"], "")
        for full in re.split(r", | и ", asked):
            surname = full.split(" ")[0]
            if surname and section["interviewed"]:
                assert surname in section["interviewed"], (section["name"], surname)
                checked += 1
    assert checked >= 5


def test_reliability_refers_to_the_designed_outage_rules_not_a_generic_one() -> None:
    """volga: 4.4.3 said the CRM shows «последние полученные данные» when the core banking
    system is down, while its exchange design (and TC-R01) open the card without the
    products block. A project that designs the outage is referred to; one that does not
    keeps the general rule."""
    from crmimpl.documents import spec
    from crmimpl.render.markdown import render_markdown

    bank = load_project(EXAMPLES / "volga-bank")
    assert any(i.on_error for i in bank.integrations)
    text = render_markdown(spec.NAME, "ru", spec.build_context(bank, "ru")).replace("\\", "")
    assert "последние полученные данные" not in text
    assert "определено в описании обмена с ней" in text
    data = bank.model_dump()
    for i in data["integrations"]:
        i["on_error"] = None
    plain = type(bank).model_validate(data)
    text = render_markdown(spec.NAME, "ru", spec.build_context(plain, "ru")).replace("\\", "")
    assert "последние полученные данные" in text


@pytest.mark.parametrize("name", ["kreativ-agency", "optima-distribution"])
def test_the_client_team_table_gives_each_person_the_plans_hours(name: str) -> None:
    """kreativ: the studio's head «по плану 2 ч» while the plan (and its workbook) gives
    him no task: a head outside the team has no plan hours."""
    from decimal import Decimal

    from crmimpl import i18n
    from crmimpl.documents import common

    project = load_project(EXAMPLES / name)
    plan = build_plan(project)
    by_name = {p.name: p.id for p in project.team}
    hours: dict[str, Decimal] = {}
    for t in plan.tasks:
        for a in t.assignments:
            hours[a.person_id] = hours.get(a.person_id, Decimal(0)) + a.hours
    rows = common.team_rows(project, "ru", "client", plan)
    heads = [r for r in rows if r["name"] not in by_name]
    assert heads or name == "optima-distribution"
    for row in rows:
        planned = hours.get(by_name.get(row["name"], ""), Decimal(0))
        expected = common.plan_hours(planned, "ru") if planned > 0 else i18n.DASH
        assert row["effort"] == expected, row["name"]


def test_the_administrator_is_never_the_check_of_who_sees_records() -> None:
    """northwind's TC-R05, R08 and R13 ended «Sign in as a user of the role 'System
    administrator' … without asking their owner»: the administrator sees everything by
    its settings, so that step proves nothing about the rights under test."""
    from crmimpl.build import document_markdown
    from crmimpl.documents.workspace import Workspace

    project = load_project(EXAMPLES / "northwind-it")
    admin = next(u.name for u in project.user_classes if "admin" in u.name.lower())
    text = document_markdown(Workspace.open(EXAMPLES / "northwind-it"), "spec", "en")[0]
    assert f'Sign in as a user of the role "{admin}"' not in text.replace("\\", "")


def test_a_partial_wave_says_how_many_of_its_users_start() -> None:
    """optima: «wave 1, the Dealer and Retail Sales Department, from 16 June» while the
    Tula group of that department starts with wave 2."""
    from crmimpl.plan.pilot import pilot_waves, pilot_waves_text

    project = load_project(EXAMPLES / "optima-distribution")
    first = pilot_waves(project)[0]
    assert first.partial
    text = pilot_waves_text(project, build_plan(project), "ru").replace("\xa0", " ")
    assert f"({first.users} из {first.total} пользователей)" in text


def test_a_one_way_exchange_without_a_design_has_no_empty_columns() -> None:
    """volga's website table: «—» for the CRM object and the key in every row and the same
    «обратно не передаются» four times."""
    from crmimpl.build import document_markdown
    from crmimpl.documents.workspace import Workspace

    md = document_markdown(Workspace.open(EXAMPLES / "volga-bank"), "spec", "ru")[0]
    text = md.replace("\\", "")
    assert "| Объект обмена | Ведущая система | Направление | Когда передается |" in text
    assert text.count("Изменения, внесенные в принимающей системе, обратно не передаются") <= \
        len([i for i in load_project(EXAMPLES / "volga-bank").integrations
             if not i.exchange and i.direction != "both"])

