"""Round 12 of the small examples (kreativ express, teplo CTI): one truth between the
survey's to-be, the CTI specification and the requirements; every user class described."""

from __future__ import annotations

import pytest

from crmimpl.documents import cti_spec, survey
from crmimpl.model.project import load_project
from crmimpl.plan.builder import build_plan
from tests.conftest import EXAMPLES

SMALL = ("kreativ-agency", "teplo-service")


@pytest.fixture(scope="module")
def teplo():
    project = load_project(EXAMPLES / "teplo-service")
    return project, build_plan(project)


def test_a_step_the_project_does_not_change_says_so(teplo) -> None:
    """teplo's engineers report back to the dispatcher as before: «Без изменений», not «—»."""
    project, _plan = teplo
    rows = survey._to_be(project, "ru")
    engineers = next(d for d in rows if d["name"] == "Сервисные инженеры")
    assert [s["to_be"] for s in engineers["steps"]][1] == "Без изменений"
    assert all(s["to_be"] != "—" for d in rows for s in d["steps"])
    assert "No change" in {s["to_be"] for d in survey._to_be(project, "en") for s in d["steps"]}


def test_routing_does_not_forbid_the_transfer_a_requirement_asks_for(teplo) -> None:
    """§4.1 said «Звонки на других сотрудников … не переводятся» while R08 transfers calls to
    sales; and the survey's to-be routed to one shift while the spec calls both."""
    project, plan = teplo
    ctx = cti_spec.build_context(project, "ru", plan=plan)
    routing = " ".join(str(v) for v in ctx["routing"].values())
    transfers = [r for r in project.requirements if "перевод" in r.statement.lower()]
    assert transfers
    assert "не переводятся" not in routing
    dispatch = next(d for d in project.client.departments if d.id == "dispatch")
    first = dispatch.process[0].to_be or ""
    assert "обеих смен" in first and "обеих смен" in routing


@pytest.mark.parametrize("name", SMALL)
def test_every_user_class_says_what_its_users_do(name: str) -> None:
    """An empty «Примечание» beside «Директор» (kreativ) or «Менеджер по продажам» (teplo)."""
    project = load_project(EXAMPLES / name)
    assert all((u.description or "").strip() for u in project.user_classes)


def test_each_departments_key_user_tests_and_a_retest_precedes_training(teplo) -> None:
    """teplo: the sales key user alone tested the dispatchers' scenarios, and no retest slot
    stood between the test day and the first training session."""
    project, plan = teplo
    testing = next(t for t in plan.tasks if t.id == "dev.testing")
    client = {a.person_id for a in testing.assignments
              if project.person(a.person_id).side == "client"}
    key_users = {p.id for p in project.people_with("key_user") if p.side == "client"}
    assert len(key_users) > 1 and client == key_users
    retest = next(t for t in plan.tasks if t.id == "dev.retest")
    training = [t for t in plan.tasks if t.id.startswith("rollout.training.")]
    assert testing.finish < retest.start
    assert all(retest.finish < t.start for t in training)


def test_cases_needing_out_of_hours_are_dated_in_their_window(teplo) -> None:
    """TC-01 calls at 21:30 and on a day off: the spec names that evening and a day off on
    which the integration is built (not a Monday test day for all), and the retest day."""
    project, plan = teplo
    ctx = cti_spec.build_context(project, "ru", plan=plan)
    w = ctx["windows"]
    assert "TC\u201101" in w["evening_cases"] and "TC\u201101" in w["day_off_cases"]
    from datetime import datetime
    day_off = datetime.strptime(w["day_off"], "%d.%m.%Y").date()
    assert not plan.calendar.is_working(day_off)
    built = max(t.finish for t in plan.tasks if t.id.startswith(("dev.change", "dev.card",
                                                                "dev.integration")))
    assert day_off > built
    testing = next(t for t in plan.tasks if t.id == "dev.testing")
    assert w["evening_day"] == testing.start.strftime("%d.%m.%Y")
    assert w["retest"] and "Лаптева" in w["testers"] and "Жукова" in w["testers"]
    from crmimpl.render.markdown import parse_blocks, render_markdown
    from tests.test_documents_content import all_text
    text = all_text(parse_blocks(render_markdown(cti_spec.NAME, "ru", ctx), "cti.md"))
    assert f"звонки в выходной день (TC\u201101) — {w['day_off']}" in text
    assert f"проверяется повторно {w['retest']}, до начала обучения" in text
    en = cti_spec.build_context(project, "en", plan=plan)
    text_en = all_text(parse_blocks(render_markdown(cti_spec.NAME, "en", en), "cti.md"))
    assert f"on {en['windows']['retest']}, before user training starts" in text_en


def test_the_callback_change_does_not_rest_on_an_unconfirmed_pbx_flag(teplo) -> None:
    """CH1 (12 h) took the duty dispatcher from a «Манго Офис» API flag nobody had confirmed,
    with no fallback when its handler is down."""
    project, _ = teplo
    ch1 = next(ch for ch in project.changes if ch.id == "CH1")
    r03 = next(r for r in project.requirements if r.id == "R03")
    text = " ".join([ch1.description, r03.solution or "", *r03.design])
    assert "признак дежурства" not in text and "графике смен" in text
    assert "сбоя" in ch1.description and any("недоступен" in d for d in r03.design)


def _passport(lang: str = "ru") -> str:
    from crmimpl.build import document_markdown
    from crmimpl.documents.workspace import Workspace

    return document_markdown(Workspace.open(EXAMPLES / "kreativ-agency"), "passport",
                             lang)[0].replace("\\", "")


def test_passport_speaks_of_sections_and_names_connectors_in_words() -> None:
    """kreativ passport: «Подсистемы в пакете» beside «стандартные функции следующих
    разделов»; «(через коннектор Wazzup)» dropped into sentences; «Личная панель
    сотрудника, которому таблица прав открывает панели»; the mail test's mailbox was
    «записанный в карточке» of the client."""
    text = _passport()
    assert "Подсистем" not in text and "| Разделы в пакете |" in text
    assert "(через коннектор" not in text
    assert "коннектор для Telegram и WhatsApp — 54" in text
    assert "таблица прав открывает" not in text
    assert "с внешнего адреса, записанного в карточке тестового клиента" in text
    assert "connector for" in _passport("en")


def _survey(name: str, lang: str = "ru") -> str:
    from crmimpl.build import document_markdown
    from crmimpl.documents.workspace import Workspace

    return document_markdown(Workspace.open(EXAMPLES / name), "survey", lang)[0].replace("\\", "")


def test_an_express_part_without_requirements_says_what_the_package_sets_up() -> None:
    """kreativ §6.3/§6.7 carried only the product catalogue's line («Типовые возможности
    раздела: …»): an express survey says what the package configures there."""
    text = _survey("kreativ-agency")
    contacts = text.split("## Контакты и взаимодействия", 1)[1].split("\n## ")[0]
    assert "Типовые возможности" not in contacts
    assert "В пакете в этом разделе настраиваются:" in contacts
    assert "- поля контактного лица: ФИО" in contacts
    reports = text.split("## Отчеты и аналитика", 1)[1].split("\n## ")[0]
    assert "- стандартные отчеты системы" in reports
    assert "The package sets up in this module:" in _survey("kreativ-agency", "en")


def test_the_express_package_note_is_said_once_in_the_mode_section() -> None:
    """kreativ: the package's scope note was pasted into §1.2 (the survey's own bounds),
    and §7 said «пожелания … фиксируются для следующего этапа» twice."""
    text = _survey("kreativ-agency")
    bounds = text.split("## Объект и границы обследования", 1)[1].split("\n## ")[0]
    assert "В пакет входят" not in bounds
    mode = text.split("# Режим внедрения", 1)[1].split("\n# ")[0]
    assert mode.count("В пакет входят одна") == 1
    assert mode.count("следующ") == 1  # the next-stage rule once
    # a typical project keeps its scope note in §1.2
    from crmimpl.model.project import load_project
    optima = load_project(EXAMPLES / "optima-distribution")
    if optima.scope.notes:
        first = optima.scope.notes.split()[0]
        bounds = _survey("optima-distribution").split("## Объект и границы обследования", 1)[1]
        assert first in bounds.split("\n## ")[0]


def test_a_goal_the_package_does_not_serve_is_a_next_stage_item() -> None:
    """kreativ G1.4 (calls to the office number with no queue) had no telephony even as a
    next-stage wish; a hand-entered request was put in «Неразобранное», which amoCRM fills
    only from channels."""
    from crmimpl.model.checks import project_problems
    from crmimpl.model.project import load_project

    project = load_project(EXAMPLES / "kreativ-agency")
    assert not [p for p in project_problems(project) if "scope.modules" in str(p)]
    r09 = next(r for r in project.requirements if r.id == "R09")
    assert r09.priority == "wont" and r09.module not in project.scope.modules
    office = next(d for d in project.client.departments if d.id == "office")
    call = next(st for st in office.process if (st.task or "") == "G1.4")
    assert "R09" in call.requirements and "Неразобранное" not in (call.to_be or "")
    assert "| R09 |" in _passport()


def test_a_requirement_of_the_package_outside_its_scope_still_fails() -> None:
    from crmimpl.model.checks import project_problems
    from crmimpl.model.project import load_project

    project = load_project(EXAMPLES / "kreativ-agency")
    r01 = next(r for r in project.requirements if r.id == "R01")
    r01.module = "telephony"
    assert any("module 'telephony' is not in scope.modules" in str(p)
               for p in project_problems(project))


def test_kreativ_audit_treats_the_migration_and_the_personal_numbers_risk() -> None:
    """The 07.04 re-import and the migrated duplicates were a passed duplicates check; the
    survey's high/high risk (work on personal numbers) was never looked at."""
    from crmimpl.documents import audit_report
    from crmimpl.model.project import load_project

    project = load_project(EXAMPLES / "kreativ-agency")
    context = audit_report.build_context(project, "ru")
    migration = next(f for f in context["findings"] if "Перенос данных" in f["title"])
    assert migration["criticality_text"] == "высокая"
    assert "Морозова" in migration["owner"]
    risk = next(r for r in project.risks if r.id == "RK1")
    assert "личных номеров" in risk.statement
    calls = next(f for f in context["findings"] if "Звонки и встречи" in f["title"])
    assert "личных телефонах" in str(calls)


def test_cti_spec_wording_of_late_answers_and_callbacks(teplo) -> None:
    """«перезвоненные» (colloquial) and «ответ позже нового срока переносит их проверку»
    (how far?) in the CTI specification."""
    from crmimpl.render.markdown import parse_blocks, render_markdown
    from tests.test_documents_content import all_text

    project, plan = teplo
    ctx = cti_spec.build_context(project, "ru", plan=plan)
    text = all_text(parse_blocks(render_markdown(cti_spec.NAME, "ru", ctx), "cti.md"))
    assert "перезвоненн" not in text
    if ctx.get("questions_due"):
        assert "на сколько задержан ответ" in text
