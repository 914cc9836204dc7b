"""Round 15: the CTI specification's switch-over follows the training of the people who
take the calls."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crmimpl.documents import cti_spec
from crmimpl.model.project import load_project
from crmimpl.plan.builder import build_plan
from crmimpl.plan.pilot import pilot_period
from crmimpl.render.markdown import parse_blocks, render_markdown
from tests.conftest import EXAMPLES
from tests.project_factory import project_data, write_project
from tests.test_documents_content import all_text


@pytest.mark.parametrize(("lang", "test_number", "switch"), [
    ("ru", "тестовый номер", "Рабочие номера переводятся на новую схему вечером накануне"),
    ("en", "test number", "The live numbers are switched to the new scheme the evening before"),
])
def test_the_live_numbers_switch_for_the_pilot_after_training(
        lang: str, test_number: str, switch: str) -> None:
    """Round 14: the live line went onto the new routing the evening before testing
    (27.04) and stayed there, three weeks before the dispatchers were trained (13.05). The
    tests run on a test number; the live numbers switch the evening before the pilot,
    after every training session."""
    project = load_project(EXAMPLES / "teplo-service")
    plan = build_plan(project)
    context = cti_spec.build_context(project, lang, plan=plan)
    text = all_text(parse_blocks(render_markdown(cti_spec.NAME, lang, context), "s.md"))
    period = pilot_period(plan)
    assert period is not None
    assert max(s.day for s in plan.sessions) < period[0]
    assert context["schedule"]["live_from"] == context["schedule"]["pilot_start"]
    assert test_number in text
    assert f"{switch} {context['schedule']['live_from']}" in text
    assert "первого дня испытаний" not in text and "the first test day" not in text


def test_heads_who_are_promised_call_statistics_have_the_rights_to_them() -> None:
    """Round 14: R03, R05 and R09 promise the heads of dispatch and sales the overdue
    callbacks in report R05, but every user class with their people had own records and
    own reports only. Each department a requirement's report serves has a class with the
    department's (or all) reports."""
    project = load_project(EXAMPLES / "teplo-service")
    wide = {"department", "all"}
    for dept in ("dispatch", "sales"):
        assert any(dept in u.departments and str(u.rights.get("reports")) in wide
                   for u in project.user_classes), dept


@pytest.mark.parametrize(("users", "ru", "en"), [
    (1, "не менее 0,5 Мбит/с на 1 рабочее место", "at least 0.5 Mbit/s for the 1 desk"),
    (3, "не менее 0,5 Мбит/с на 3 рабочих места", "at least 0.5 Mbit/s for the 3 desks"),
    (14, "не менее 1,5 Мбит/с на 14 рабочих мест", "at least 1.5 Mbit/s for the 14 desks"),
])
def test_the_voice_link_is_sized_from_the_desks_that_call(users: int, ru: str, en: str) -> None:
    """"100 kbit/s per concurrent call" with no number of calls left the network question
    open: the office's desks with telephony (not the staff who call from the road) give
    the link's size, counted from the routing table's departments (round 19: the user
    classes counted the field engineers' head as a desk, 15 against the table's 14)."""
    project = load_project(EXAMPLES / "teplo-service")
    mobile = sum(u.users or 0 for u in project.user_classes if u.device == "mobile")
    assert mobile, "the engineers call from their phones on the road"
    office = ["dispatch", "sales", "management"]
    departments = [d.model_copy(update={"crm_users": (users if d.id == office[0] else 0)})
                   if d.id in office else d for d in project.client.departments]
    project = project.model_copy(update={"client": project.client.model_copy(
        update={"departments": departments})})
    assert ru in render_markdown(cti_spec.NAME, "ru", cti_spec.build_context(project, "ru")) \
        .replace("\\", "").replace("\u00a0", " ")
    assert en in render_markdown(cti_spec.NAME, "en", cti_spec.build_context(project, "en")) \
        .replace("\\", "").replace("\u00a0", " ")


def test_people_who_see_their_own_calls_learn_their_own_statistics() -> None:
    """Dispatchers and sales managers with their own call statistics only (reports: own)
    were taught "load per agent", which only their heads may see."""
    from crmimpl.plan.training import curriculum, main_class

    project = load_project(EXAMPLES / "teplo-service")
    checked = 0
    for d in project.client.departments:
        main = main_class(project, d.id)
        if main is None or "reports" not in main.rights:
            continue
        titles = [t.title for t in curriculum(project, d.kind, "ru", [d.id])
                  if t.id == "reports"]
        if main.rights["reports"] == "own":
            assert titles == ["Статистика своих звонков: пропущенные и перезвоны, время ответа"]
            checked += 1
    assert checked >= 2


def _with_classes(tmp_path: Path, head_reports: str):  # type: ignore[no-untyped-def]
    data = project_data(mode="cti", users=25, departments=3, integrations=1, records=0,
                        team=5, seed=4, vacations=False, start=date(2026, 4, 6))
    d1 = data["client"]["departments"][0]
    n = d1["headcount"]
    data["user_classes"] = [
        {"id": "op", "name": "Оператор", "departments": ["d1"], "users": n - 1,
         "rights": {"telephony": "own", "reports": "own"}},
        {"id": "boss", "name": "Старший смены", "departments": ["d1"], "users": 1,
         "rights": {"telephony": "department", "reports": head_reports}}]
    return write_project(tmp_path / head_reports, data)


def test_heads_without_department_statistics_are_warned_and_the_rights_table_shows_them(
        tmp_path: Path) -> None:
    from crmimpl.model.checks import project_warnings

    blind = _with_classes(tmp_path, "own")
    warned = [w for w in project_warnings(blind) if "sees the department's reports" in w[1]]
    assert [w[0] for w in warned] == [("client", "departments", 0, "id")]
    seeing = _with_classes(tmp_path, "department")
    assert not [w for w in project_warnings(seeing) if "department's reports" in w[1]]
    context = cti_spec.build_context(seeing, "ru", plan=build_plan(seeing))
    assert context["stats_column"]
    text = render_markdown(cti_spec.NAME, "ru", context)
    assert "| Статистика звонков |" in text
    assert "| Старший смены | Department 1 |" in text and "по подразделению" in text
    english = render_markdown(cti_spec.NAME, "en", cti_spec.build_context(seeing, "en"))
    assert "| Call statistics |" in english and "own department" in english


def test_only_departments_with_callback_deadlines_are_asked_their_hours() -> None:
    """Round 15: the open question asked the engineers (who only call out) and the
    management for their working hours 'in which the callback deadlines count'; only the
    departments the telephony changes give callbacks (dispatch has shifts, sales has
    not) are asked, by their head, and the others' hours are not needed."""
    from crmimpl.documents.common import deadline_departments, unknown_hours_departments

    project = load_project(EXAMPLES / "teplo-service")
    assert deadline_departments(project) == {"dispatch", "sales"}
    assert [d.id for d in unknown_hours_departments(project)] == ["sales"]
    plan = build_plan(project)
    context = cti_spec.build_context(project, "ru", plan=plan)
    text = render_markdown(cti_spec.NAME, "ru", context)
    assert "| Сервисные инженеры | 14 | — |" in text
    assert "| Отдел продаж | 5 | пн–пт 09:00–18:00 (уточняется) |" in text
    asked = [q for q in context["open_questions"] if "Время работы" in q["question"]]
    sales = next(d for d in project.client.departments if d.id == "sales")
    assert [q["owner"] for q in asked] == [sales.head]
