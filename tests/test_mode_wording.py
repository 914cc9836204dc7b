"""Wording that follows the implementation mode (issue 11): an express survey report
never promises a technical specification, a CTI project is not "implementing a CRM",
CTI training never locks people who already work in the CRM out of it, express quotes
its fixed package price in every document and in the plan workbook, and a focused
(express, CTI) survey asks no open questions about topics it does not cover."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from crmimpl import i18n
from crmimpl.build import document_markdown
from crmimpl.documents.workspace import Workspace
from crmimpl.model.project import load_project
from tests.conftest import EXAMPLES

KREATIV = EXAMPLES / "kreativ-agency"
TEPLO = EXAMPLES / "teplo-service"


def _text(folder: Path, key: str, lang: str = "ru") -> str:
    text, _ = document_markdown(Workspace.open(folder), key, lang)
    return text.replace("\\", "")


@pytest.fixture(scope="module")
def kreativ_survey() -> str:
    return _text(KREATIV, "survey")


@pytest.fixture(scope="module")
def teplo_survey() -> str:
    return _text(TEPLO, "survey")


# ------------------------------------------------------------------ express survey


def test_express_survey_never_promises_a_specification(kreativ_survey: str) -> None:
    # the passport "replaces the technical specification": the one mention allowed
    text = re.sub(r"заменяет техническое задание", "", kreativ_survey)
    assert not re.search(r"техническ\w+ задани|\bТЗ\b", text)
    assert "этап проектирования" not in kreativ_survey
    assert "паспорт" in kreativ_survey  # what the express mode issues instead


def test_express_survey_has_no_not_surveyed_sections(kreativ_survey: str) -> None:
    for phrase in ("не охватывало", "не обследовал", "Сведения еще не получены",
                   "Анкета требований", "анкеты на дату отчета", "отгрузк"):
        assert phrase not in kreativ_survey, phrase
    # the register's requirements are named once per department, not twice
    assert "Требования подразделения в реестре" not in kreativ_survey


def test_express_survey_scope_names_only_the_companys_functions(kreativ_survey: str) -> None:
    # the agency has no marketing or service department
    assert "маркетинга и сервиса" not in kreativ_survey
    assert "процессы работы с клиентами (продажи)" in kreativ_survey


# ------------------------------------------------------------------ express package price


def test_package_price_is_the_plans_net_and_every_documents_price() -> None:
    ws = Workspace.open(KREATIV)
    price = ws.project.budget.package_price
    assert price == Decimal(320000)
    costs = ws.plan.costs
    assert costs.net == price and costs.has_package
    assert costs.contingency == 0
    assert costs.vat == (price * ws.project.project.vat_rate / 100).quantize(Decimal("0.01"))
    assert costs.work != price  # the hours at the rates stay internal
    from crmimpl.documents.common import project_money

    money = project_money(ws.plan)(price, "ru", "RUB")  # the project's one rounding rule
    work = i18n.money(costs.work, "ru", "RUB")
    for key in ("passport", "survey"):
        text = _text(KREATIV, key)
        # the survey and the passport state the package price alike
        assert money in text, key
        assert work not in text, key  # no hours × rates to the kopeck
        assert i18n.whole_money(costs.work, "ru", "RUB") not in text, key
        assert "по ставкам исполнителя" in text, key  # what lies outside the package
    passport = _text(KREATIV, "passport")
    assert f"| Цена пакета без НДС | {money} |" in passport


def test_package_price_is_in_the_plan_workbook() -> None:
    from crmimpl.render.workbook import build_workbook_with_cells

    ws = Workspace.open(KREATIV)
    wb, cells = build_workbook_with_cells(ws.plan)
    sheet = wb.active
    net = sheet[cells["net"]]
    assert Decimal(str(net.value)) == ws.project.budget.package_price
    label = sheet.cell(row=net.row, column=3).value
    assert "пакета" in label


def _problems(tmp_path: Path, **budget: object) -> list[str]:
    from crmimpl.errors import CrmimplError

    data = yaml.safe_load((KREATIV / "project.yaml").read_text(encoding="utf-8"))
    mode = budget.pop("mode", None)
    if mode:
        data["project"]["mode"] = mode
    data["budget"].update(budget)
    tmp_path.mkdir(parents=True)
    (tmp_path / "project.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                           encoding="utf-8")
    try:
        load_project(tmp_path)
    except CrmimplError as exc:
        return [line.split(": ", 1)[1] for line in str(exc).splitlines()
                if ": budget." in line]
    return []


def test_package_price_is_checked(tmp_path: Path) -> None:
    assert _problems(tmp_path / "ok") == []
    found = _problems(tmp_path / "typical", mode="typical")
    assert any(p.startswith("budget.package_price") and "express mode only" in p
               for p in found), found
    found = _problems(tmp_path / "over", package_price=500000)
    assert any("above budget.limit" in p for p in found), found
    found = _problems(tmp_path / "reserve", contingency_percent=10)
    assert any(p.startswith("budget.contingency_percent") for p in found), found


def test_without_a_package_price_the_estimate_is_hours_times_rates(tmp_path: Path) -> None:
    data = yaml.safe_load((KREATIV / "project.yaml").read_text(encoding="utf-8"))
    del data["budget"]["package_price"]
    (tmp_path / "project.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                           encoding="utf-8")
    ws = Workspace(load_project(tmp_path))
    assert not ws.plan.costs.has_package
    assert ws.plan.costs.net == ws.plan.costs.work + ws.plan.costs.contingency
    text, _ = document_markdown(ws, "passport", "ru")
    assert "| Стоимость без НДС |" in text


# ------------------------------------------------------------------ passport checklist


def test_passport_checklist_has_no_duplicate_rows() -> None:
    text = _text(KREATIV, "passport")
    checklist = text.split("Перечень настроек", 2)[-1].split("Программа обучения")[0]
    rows = [r for r in checklist.splitlines() if r.endswith("| ☐ |")]
    items = [r.split("|")[2].strip() for r in rows]
    assert len(items) == len(set(items))
    # a package's standard line is dropped when a requirement's setting covers it
    assert "Этапы воронки и обязательные поля на каждом этапе" not in checklist
    assert "Панель руководителя" not in checklist
    assert "Мобильное приложение на телефонах сотрудников" not in checklist
    assert "Подключение почтовых ящиков сотрудников и общего ящика" not in checklist
    # but not the ones no requirement covers (R02's solution now names the loss reason)
    assert "Шаблоны коммерческого предложения и счета" in checklist


# ------------------------------------------------------------------ CTI survey


def test_cti_survey_is_about_telephony_in_a_working_crm(teplo_survey: str) -> None:
    assert "внедряет CRM-систему" not in teplo_survey
    assert "подключает телефонию к работающей CRM-системе Битрикс24" in teplo_survey
    assert "не обследовался" not in teplo_survey
    for marketing in ("комплекс маркетинга", "Портреты", "отгрузк", "маркетинга и сервиса"):
        assert marketing not in teplo_survey, marketing


def test_cti_survey_states_the_telephony_or_asks_for_it(teplo_survey: str) -> None:
    ws = Workspace.open(TEPLO)
    pbx = next(i for i in ws.project.integrations if i.kind == "telephony")
    assert pbx.system in teplo_survey
    assert "8-800" in teplo_survey  # the integration's notes: numbers, extensions
    questions = teplo_survey.split("# Открытые вопросы", 1)[1].split("# Приложения")[0]
    # a topic the interviews settled (survey.settled) is stated, not asked again
    topics = {"routing": "маршрутизации", "night": "нерабочее время",
              "extensions": "Распределение внутренних номеров",
              "recording": "Запись разговоров: предупреждение"}
    for key, topic in topics.items():
        assert (topic in questions) == (key not in ws.project.survey.settled), topic
    # each with an owner and a due date, before the specification is approved
    rows = [r for r in questions.splitlines() if r.startswith("| ") and "2026" in r]
    assert rows and all(re.search(r"\| [А-Я][а-я]+ [А-Я]", r) for r in rows)
    approved = next(t for t in ws.plan.tasks if t.id == "design.approved").finish
    due = i18n.day(approved, "ru")
    assert all(due not in r for r in rows)


def test_cti_extensions_match_the_telephony_users() -> None:
    ws = Workspace.open(TEPLO)
    text = _text(TEPLO, "survey")
    pbx = next(i for i in ws.project.integrations if i.kind == "telephony")
    users = sum(d.users for d in ws.project.client.departments if d.id in pbx.departments)
    assert f"всего — {users} чел." in text
    numbers = re.search(r"(\d+) внутренн", pbx.notes or "")
    assert numbers is not None and int(numbers.group(1)) >= users


# ------------------------------------------------------------------ training


@pytest.mark.parametrize("folder", [KREATIV, TEPLO], ids=["express", "cti"])
def test_focused_training_makes_no_unpriced_promises(folder: Path) -> None:
    text = _text(folder, "training")
    for phrase in ("после зачёта", "после зачета", r"учебн\w* баз", "базы знаний",
                   "ежедневно отвечают", "повторные короткие занятия"):
        assert not re.search(phrase, text), phrase


def test_cti_training_is_about_calls_for_people_in_the_crm() -> None:
    text = _text(TEPLO, "training")
    assert "уже работают в системе" in text
    assert "тестовой линии" in text
    assert "маркетинг" not in text


def test_cti_dispatchers_are_trained_in_shifts() -> None:
    ws = Workspace.open(TEPLO)
    training = ws.training("ru")
    assert training is not None
    dispatch = [g for g in training.groups if "Диспетчерская" in g.name]
    assert len(dispatch) >= 2
    line = next(d for d in ws.project.client.departments if d.id == "dispatch")
    assert all(g.size < line.users for g in dispatch)
    # no two dispatch groups in one session slot: the line is never left empty
    slots = [(s.day, s.start_time) for g in dispatch for s in training.sessions_of(g.id)]
    assert len(slots) == len(set(slots))


def test_express_training_has_no_other_group_of_the_department() -> None:
    text = _text(KREATIV, "training")
    assert "с другой группой" not in text


# ------------------------------------------------------------------ CTI specification


def test_cti_spec_has_routing_duty_and_an_out_of_hours_test() -> None:
    text = _text(TEPLO, "cti-spec")
    section = text.split("## Маршрутизация звонков и дежурство", 1)[1].split("\n# ")[0]
    assert "| Диспетчерская служба | 6 | 1-я смена: 08:00–20:00; 2-я смена: 09:00–21:00 |" \
        in section
    # teplo's R01 states the routing: the section gives its rules in place (no deferring)
    assert "нерабочее время" in section and "Маршрутизация звонков (требование R01):" in section
    # unanswered calls wait in the dispatch queue (no overflow to a group of undefined hours)
    assert "ждет ответа диспетчера в очереди" in section and "через 30 секунд" not in section
    assert "утверждает" not in section
    tests = text.split("# Испытания", 1)[1]
    assert "звонки в нерабочее время (R01) |" in tests


def test_cti_spec_states_design_rules_and_own_tests_of_requirements() -> None:
    text = _text(TEPLO, "cti-spec")
    rules = text.split("Требования выполняются по следующим правилам:", 1)[1].split("\n# ")[0]
    # R03's rules are stated in the missed-calls scenario they settle, not again here
    assert "**R03." not in rules and "**R06. " in rules
    missed = text.split("## Пропущенные звонки", 1)[1].split("\n## ")[0]
    assert "Правила сценария (требование R03)" in missed and "со сроком 15 минут" in missed
    tests = text.split("# Испытания", 1)[1].split("\n# ")[0]
    # every must requirement the standard scenarios miss has its own case
    assert "| TC\u201106 | Из карточки звонка диспетчер создает заявку на выезд (R06) |" in tests
    assert "₽ в год без НДС" in text and "раб. дн." not in text
    # the recording scenario defers to the rights table instead of contradicting it
    assert "сотрудник слушает свои разговоры" not in text


def test_cti_spec_without_a_routing_requirement_defers_the_scheme() -> None:
    from crmimpl.documents import cti_spec

    ws = Workspace.open(TEPLO)
    for r in ws.project.requirements:
        r.design = []
    context = cti_spec.build_context(ws.project, "ru", plan=ws.plan)
    assert context["routing"]["requirement"] == ""
    # R01, R02 and R03 keep their own cases, which replace the scenarios' ones and follow them
    tested = [sc for sc in context["scenarios"] if sc["steps"]]
    assert context["own_tests"][0]["id"] == f"TC\u2011{len(tested) + 1:02d}"
    assert {t["title"][-4:-1] for t in context["own_tests"]} >= {"R01", "R02", "R03"}


# ------------------------------------------------------------------ audit report


def test_a_single_audit_does_not_point_to_a_next_one() -> None:
    from crmimpl.documents import audit_report
    from crmimpl.render.markdown import render_markdown

    ws = Workspace.open(KREATIV)
    assert ws.project.audit.count == 1
    context = audit_report.build_context(ws.project, "ru", plan=ws.plan, answers=ws.answers)
    assert not context["next_audit"]
    text = render_markdown(audit_report.NAME, "ru", context)
    assert not re.search(r"следующ\w+ аудит", text.replace("\\", ""))


def test_cti_survey_names_who_surveyed_the_pbx() -> None:
    """The plan has the integrator survey the PBX: he is among the surveyors."""
    ws = Workspace.open(TEPLO)
    pbx_task = next(t for t in ws.plan.tasks if t.id == "survey.pbx")
    names = {a.person_name for a in pbx_task.assignments}
    _, context = document_markdown(ws, "survey", "ru")
    surveyors = {p["name"] for p in context["intro"]["surveyors"]}
    contractor = {p.name for p in ws.project.team if p.side == "contractor"}
    assert names & contractor <= surveyors


def test_cti_key_users_learn_the_telephony_within_the_session_length() -> None:
    ws = Workspace.open(TEPLO)
    training = ws.training("ru")
    assert training is not None
    key = next(g for g in training.groups if g.kind == "key_users")
    titles = " ".join(t.title for t in key.topics)
    assert "справочники, права, настройки форм" not in titles
    # the expert learns the extensions in the administrators' course, not every key user
    admins = next(g for g in training.groups if g.kind == "admins")
    assert "Внутренние номера" in " ".join(t.title for t in admins.topics)
    assert any(m.startswith("Лаптева") for m in admins.members)
    limit = ws.project.training.hours_per_day
    # a remainder under 45 minutes joins its neighbour session: at most 45 minutes over
    assert all(s.hours <= limit + 0.75 for s in training.sessions)


def test_cti_spec_names_the_pbx_in_the_sentence_and_dates_its_basis() -> None:
    text = _text(TEPLO, "cti-spec")
    assert "Подключаемая АТС — облачная АТС «Манго Офис»." in text
    assert "отчет о предпроектном обследовании сервисной компании «ТеплоСервис» от " in text
    from crmimpl.documents.cti_spec import _in_sentence

    assert _in_sentence("Mango Office") == "Mango Office"
    assert _in_sentence("АТС «Манго»") == "АТС «Манго»"  # an abbreviation keeps its case


def test_cti_spec_states_network_and_upkeep() -> None:
    text = _text(TEPLO, "cti-spec")
    section = text.split("## Сеть, рабочие места и сопровождение", 1)[1].split("\n# ")[0]
    assert "100 кбит/с на каждый одновременный разговор" in section
    # one set of duties with the training plan (round 14): the administrator keeps the
    # users and extensions, the contractor changes the integration's settings
    assert "системный администратор заказчика (Крылов Артем Вадимович) ведет" in section
    assert "выполняет исполнитель по заявке заказчика в счет часов пакета сопровождения" in section


def test_cti_scenarios_defer_to_the_requirements_that_settle_them() -> None:
    """The standard scenarios never state their own owner or deadline of a call-back task
    where a requirement sets them, and a scenario its requirement tests has no second case."""
    text = _text(TEPLO, "cti-spec")
    assert "дежурному сотруднику, а если дежурство не назначено" not in text
    assert "ответственному за клиента или дежурному сотруднику" not in text
    assert "правило создания уточняется" not in text
    assert "задача на перезвон дежурному сотруднику с контрольным сроком" not in text
    # the requirements' rules are stated in the scenarios they settle
    assert "Правила сценария (требование R03)" in text
    assert "Правила сценария (требование R01)" in text
    assert "(раздел «Требования заказчика»)" not in text.split("## Пропущенные звонки")[1][:400]
    tests = text.split("# Испытания", 1)[1].split("\n# ")[0]
    assert "положить трубку до ответа" not in tests
    assert tests.count("Исходящий звонок в один клик") == 1
    assert "Исходящий звонок в один клик (R02)" in tests
    # the recordings' retention comes from the PBX notes, not from "the tariff"
    assert "тарифом АТС" not in text and "хранятся в АТС 12 месяцев" in text


def test_cti_routing_groups_come_from_the_routing_requirement() -> None:
    text = _text(TEPLO, "cti-spec")
    assert "каждое подразделение образует в АТС свою группу" not in text
    assert "по правилам, приведенным ниже" in text and "рабочее время компании" not in text


def test_cti_spec_says_who_appoints_the_crm_administrator() -> None:
    text = _text(TEPLO, "cti-spec")
    # the client's system administrator, trained in the administrators' course, is named
    assert "он же выполняет обязанности администратора CRM" in text


def test_cti_out_of_hours_case_is_run_out_of_hours() -> None:
    text = _text(TEPLO, "cti-spec")
    # round 12: the out-of-hours steps are dated (the evening of the test day, a day off)
    assert "Шаги, которые зависят от времени суток или дня недели, выполняются в это время: " \
        "вечерние" in text
    assert "звонки в выходной день (TC" in text


def test_the_parts_of_a_non_1c_system_are_sections_not_subsystems() -> None:
    """kreativ (amoCRM) and teplo (Bitrix24): «подсистема» is 1С's word; an amoCRM or
    Bitrix24 integrator says «раздел». A 1С project keeps «подсистема»."""
    from crmimpl.build import document_markdown
    from crmimpl.documents.workspace import Workspace
    from tests.conftest import EXAMPLES

    for name, doc in (("kreativ-agency", "passport"), ("kreativ-agency", "survey"),
                      ("teplo-service", "survey")):
        md = document_markdown(Workspace.open(EXAMPLES / name), doc, "ru")[0]
        assert "подсистем" not in md, (name, doc)
    md = document_markdown(Workspace.open(EXAMPLES / "optima-distribution"), "survey", "ru")[0]
    assert "каждая подсистема CRM-системы, входящая" in md.replace("\\", "")
