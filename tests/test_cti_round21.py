"""Round 21: the CTI specification as a client reads it — the due date of open answers
without reproach, requirement rules under a titled label that keeps with them, support
terms a small package can honour, a rule for clients calling back, preconditions owned
and dated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crmimpl.documents import cti_spec
from crmimpl.plan.builder import build_plan
from crmimpl.render.blocks import Paragraph, Run
from crmimpl.render.markdown import render_markdown
from tests.project_factory import project_data, write_project


def _cti(tmp_path: Path, **extra: Any) -> Any:
    data = project_data(mode="cti", users=12, departments=2, integrations=1, records=0,
                        team=4, seed=21, vacations=False)
    data["requirements"] = [
        {"id": "R01", "module": "telephony", "source": "d1",
         "statement": "Пропущенный звонок в отдел продаж: задача на перезвон за 30 минут.",
         "design": ["Задача ставится менеджеру со сроком 30 минут.",
                    "Исходящий звонок закрывает задачу."]},
        {"id": "R02", "module": "telephony", "source": "d2",
         "statement": "Звонок в один клик из карточки клиента.",
         "design": ["Звонок идет с городского номера компании."]},
    ]
    data.update(extra)
    return write_project(tmp_path / "p", data)


def _text(project: Any, lang: str = "ru") -> tuple[dict[str, Any], str]:
    plan = build_plan(project)
    context = cti_spec.build_context(project, lang, plan=plan)
    markdown = render_markdown(cti_spec.NAME, lang, context)
    return context, markdown


def test_requirement_rules_are_headed_by_a_titled_label(tmp_path: Path) -> None:
    """«R06.», «R08.», «R09.» stood as bare labels over their rules: each label names its
    requirement."""
    context, markdown = _text(_cti(tmp_path))
    for r in context["requirements"]:
        if r["design"]:
            assert f"**{r['id']}. {r['title']}**" in markdown
            assert r["title"] and r["title"] in r["statement"]
    assert "**R01.**" not in markdown and "**R02.**" not in markdown


def test_a_bold_label_keeps_with_what_follows_it_in_docx() -> None:
    """«R09.» sat alone at the foot of a page, its rules on the next one."""
    from crmimpl.render.docx import _is_label

    assert _is_label(Paragraph([Run("R09. Пропущенный звонок в отдел продаж", bold=True)]))
    assert not _is_label(Paragraph([Run("R09.", bold=True), Run(" обычный текст")]))
    assert not _is_label(Paragraph([Run("Обычный абзац текста.")]))


def _plain(project: Any, lang: str = "ru") -> str:
    from crmimpl.render.markdown import parse_blocks
    from tests.test_documents_content import all_text

    return all_text(parse_blocks(_text(project, lang)[1], "cti.md"))


@pytest.mark.parametrize(("hours", "monthly", "limited"), [
    ("08:00-21:00, ежедневно", 6, True),     # teplo: a dispatch line's window for 6 h
    ("09:00-18:00", 6, False),               # business hours: what a small package buys
    ("08:00-21:00, ежедневно", 40, False),   # a package large enough for a standby
    ("24/7", 10, True),
])
def test_a_small_package_promises_business_hours_and_stopping_incidents_only(
        tmp_path: Path, hours: str, monthly: int, limited: bool) -> None:
    """Round 21: «6 ч в месяц, время работы — 08:00–21:00 МСК, ежедневно, реакция — до
    2 ч» is a standby nobody staffs for 6 paid hours. A small package takes ordinary
    requests on working days in business hours; its wider window is kept for incidents
    that stop the work; and the specification says what the hours are spent on."""
    project = _cti(tmp_path, support={"hours": hours, "monthly_hours": monthly,
                                      "reaction_hours": 2, "fix_days": 2})
    text = _plain(project)
    assert "Часы пакета расходуются на" in text
    if limited:
        assert "Обращения принимаются в рабочие дни с 09:00 до 18:00" in text
        assert "принимает только обращения об аварии" in text
        assert "время работы —" not in text
    else:
        assert "время работы —" in text and "обращения об аварии" not in text
    english = _plain(project, "en")
    assert ("takes only incidents that stop the work" in english) == limited


def test_what_counts_as_beyond_the_working_day() -> None:
    from crmimpl.documents.support_terms import beyond_working_day

    assert beyond_working_day("08:00-21:00 МСК, ежедневно")
    assert beyond_working_day("09:00-20:00")
    assert beyond_working_day("09:00-18:00, включая выходные")
    assert not beyond_working_day("09:00-18:00")
    assert not beyond_working_day("10:00–17:00 МСК")
    assert not beyond_working_day("10:00-19:00 МСК, пн–пт")  # a shifted working day
    assert beyond_working_day("00:00-00:00")


_ROUTE = ("Маршрутизация: звонки на номер компании поступают в группу «Department 1»; "
          "напрямую на других сотрудников звонки не направляются.")


@pytest.mark.parametrize("own", [False, True])
def test_the_routing_says_where_a_client_calling_back_lands(tmp_path: Path, own: bool) -> None:
    """Round 21: every company call went to dispatch, engineers and managers called from the
    company number, and nothing said where the client's call back lands. The routing
    states it: the consultant's own rule, else the default (same scheme, transfer to the
    client's owner)."""
    project = _cti(tmp_path)
    data = project.model_dump(mode="json", exclude_none=True)
    design = [_ROUTE]
    if own:
        design.append("Маршрутизация обратных звонков: клиент, который перезванивает, попадает "
                      "к ответственному сотруднику по умной переадресации АТС.")
    data["requirements"][1]["design"] = design
    project = write_project(tmp_path / "q", data)
    text = _plain(project)
    default = "Клиент, который перезванивает на номер компании после звонка сотрудника"
    assert (default in text) != own
    assert ("умной переадресации" in text) == own
    assert ("A client calling back to a company number" in _plain(project, "en")) != own


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_what_the_tests_rely_on_is_owned_and_dated_from_the_plan(
        tmp_path: Path, lang: str) -> None:
    """Round 21: the number clean-up and the field staff's phones were assumed («до
    запуска», «рабочие телефоны»), with no owner and no date. The specification dates the
    export, the clean-up and the app installation from the plan and names who does them."""
    from crmimpl.documents import modes

    project = _cti(tmp_path)
    plan = build_plan(project)
    context = cti_spec.build_context(project, lang, plan=plan)
    ready = context["ready"]
    testing = modes.task_span(plan, "dev.testing", lang)[0]
    assert ready["testing"] == testing and ready["export"] and ready["training"]
    assert ready["export"] == modes.task_span(plan, "dev", lang)[0]
    text = _plain(project, lang)
    if lang == "ru":
        assert f"исправляют номера и объединяют карточки до начала испытаний ({testing})" in text
        assert f"на телефоны участников испытаний — до {testing}" in text
        assert "До запуска исполнитель" not in text and "на рабочие телефоны" not in text
    else:
        assert f"merge the cards before testing starts ({testing})" in text
        assert f"on the testers' phones by {testing}" in text


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_specification_keeps_to_what_it_can_promise(tmp_path: Path, lang: str) -> None:
    """Round 21's smaller remarks, for any CTI project: the acceptance act is signed by
    the parties' authorised people (the sponsor for the client), not the project
    managers; the test number carries greetings, not an out-of-scope voice menu; no
    unverified claim of a per-user playback log; the routing table's cells hold hours,
    not the tool's reasoning; an extension is not said to be dialled from outside."""
    project = _cti(tmp_path)
    text = _plain(project, lang)
    if lang == "ru":
        assert "подписывают уполномоченные представители сторон: со стороны заказчика — " \
               "Client Sponsor" in text
        assert "руководители проекта со стороны заказчика и исполнителя" not in text
        for phrase in ("голосовое меню", "журналу АТС", "не задается:", "предварительно (",
                       "звонят напрямую"):
            assert phrase not in text, phrase
    else:
        assert "signed by the parties' authorised representatives: for the client, " \
               "Client Sponsor" in text
        for phrase in ("voice menu", "PBX's log", "not needed:", "provisional (",
                       "ring that person directly"):
            assert phrase not in text, phrase


def test_the_tests_name_the_accounts_they_are_run_under(tmp_path: Path) -> None:
    """Round 21: TC-02 and TC-04 run under engineer, manager and head accounts, but only
    the test client and number were provided for."""
    assert "учетные записи пользователей каждой категории" in _plain(_cti(tmp_path))


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_an_express_passport_keeps_a_small_package_to_business_hours(
        tmp_path: Path, lang: str) -> None:
    """The package passport quotes the same support terms as the CTI specification: a
    small package with a daily window takes only stopping incidents outside business
    hours."""
    from crmimpl.documents import passport
    from crmimpl.render.markdown import parse_blocks
    from tests.test_documents_content import all_text

    data = project_data(mode="express", users=8, departments=2, integrations=1, records=0,
                        team=3, seed=22, vacations=False)
    data["support"] = {"hours": "08:00-22:00, ежедневно", "monthly_hours": 4,
                       "reaction_hours": 1}
    project = write_project(tmp_path / "x", data)
    plan = build_plan(project)
    text = all_text(parse_blocks(render_markdown(
        passport.NAME, lang, passport.build_context(project, lang, plan=plan)), "p.md"))
    if lang == "ru":
        assert "Обращения принимаются в рабочие дни с 09:00 до 18:00" in text
        assert "время работы — 08:00" not in text
    else:
        assert "Requests are taken on working days, 09:00–18:00" in text
        assert "hours 08:00" not in text
