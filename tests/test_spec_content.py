"""What the technical specification says about the project: the system being implemented,
the departments' answers, test cases that test, and the English functional specification
of a client outside Russia."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from crmimpl.documents import scenarios, spec
from crmimpl.model.project import Project, load_project
from crmimpl.render.blocks import Heading, Paragraph, plain_text
from crmimpl.render.markdown import parse_blocks, render_markdown
from tests.conftest import EXAMPLES
from tests.test_documents_content import all_text, headings

CYRILLIC = re.compile("[\u0400-\u04ff]")


def _render(project: Project, lang: str) -> tuple[str, dict]:
    context = spec.build_context(project, lang)
    markdown = render_markdown(spec.NAME, lang, context)
    return all_text(parse_blocks(markdown, "tech_spec.md")), context


@pytest.fixture(scope="module")
def optima() -> Project:
    return load_project(EXAMPLES / "optima-distribution")


@pytest.fixture(scope="module")
def northwind() -> Project:
    return load_project(EXAMPLES / "northwind-it")


# ------------------------------------------------------------------ the system


@pytest.mark.parametrize("example", ["optima-distribution", "volga-bank", "northwind-it"])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_spec_names_the_system(example: str, lang: str) -> None:
    project = load_project(EXAMPLES / example)
    assert project.system is not None
    text, context = _render(project, lang)
    assert project.system.product in text
    assert context["system"]["full_name"] != project.project.title
    assert project.system.product in context["system"]["full_name"]
    for licence in project.system.licences:
        assert licence.kind[1:] in text
    if project.system.dbms:
        assert project.system.dbms in text


def test_full_name_is_the_system_not_the_project(optima: Project) -> None:
    text, _ = _render(optima, "ru")
    assert ("Полное наименование системы — «Автоматизированная система управления "
            "взаимоотношениями с клиентами на базе 1С:CRM КОРП»") in text
    assert f"Полное наименование — «{optima.project.title}»" not in text
    # separate base with exchange, since 1С:CRM is not built into 1С:УТ here
    assert "разворачивается как отдельная информационная база" in text


def test_embedded_system_needs_no_exchange(optima: Project) -> None:
    project = optima.model_copy(deep=True)
    assert project.system is not None
    project.system.embedded_in = "1С:Управление торговлей 11.5"
    text, _ = _render(project, "ru")
    assert "встраиваются в 1С:Управление торговлей 11.5" in text


def test_without_system_the_wording_is_neutral(optima: Project) -> None:
    project = optima.model_copy(deep=True)
    project.system = None
    for lang in ("ru", "en"):
        text, context = _render(project, lang)
        assert not context["system"]["named"]
        assert "1С:CRM" not in text
        assert "None" not in text


# ------------------------------------------------------------------ answers


def test_departments_with_answers_are_described(optima: Project) -> None:
    text, context = _render(optima, "ru")
    assert "Не обследовано" not in text
    named = {d["name"] for d in context["feedback"]["sections"]}
    assert named == {"Отдел продаж строительным организациям",
                     "Отдел продаж дилерам и магазинам", "Отдел сервиса и рекламаций"}
    assert not named & set(context["feedback"]["silent"])
    # the sales heads' own words reach the spec as prose, not as "key: value" runs
    assert "КП собираются вручную — до 40 минут на одно" in text
    assert "daily_work" not in text and "pain_points:" not in text
    # choice answers read as labels, refinements land under their subsystem
    assert "Звонок из карточки клиента, карточка клиента при входящем звонке" in text
    assert "client_base" in context["module_feedback"]


def test_no_answers_no_department_sections(tmp_path: Path) -> None:
    folder = tmp_path / "optima"
    shutil.copytree(EXAMPLES / "optima-distribution", folder,
                    ignore=shutil.ignore_patterns("answers"))
    text, context = _render(load_project(folder), "ru")
    assert context["feedback"]["sections"] == []
    assert "Требования подразделений по результатам анкетирования" not in text
    assert "Не обследовано" not in text


# ------------------------------------------------------------------ test cases


@pytest.mark.parametrize("example", ["optima-distribution", "volga-bank", "northwind-it"])
def test_each_case_tests_its_requirement(example: str) -> None:
    project = load_project(EXAMPLES / example)
    lang = project.project.language
    text, context = _render(project, lang)
    assert "Выполнить сценарий требования" not in text
    assert "Perform the scenario of requirement" not in text
    by_req = {r.id: r for r in project.requirements}
    bodies: list[str] = []
    for case in context["tests"]:
        r = by_req[case["requirement"]]
        assert case["statement"] == r.statement
        # the case's title (its requirement's subject) is in the document
        assert f"{case['id']}. {r.statement}" in text
        bodies.append(r.statement + " ".join(case["steps"]) + case["expect"])
    assert len(set(bodies)) == len(bodies), "two requirements share one test case"
    # cases differ between requirements of the same subsystem when their subjects differ
    modules: dict[str, list[str]] = {}
    for case in context["tests"]:
        modules.setdefault(case["module"], []).append(case["scenario"])
    assert any(len(set(found)) > 1 for found in modules.values())


def test_scenarios_follow_the_statement(optima: Project) -> None:
    _, context = _render(optima, "ru")
    chosen = {t["requirement"]: t["scenario"] for t in context["tests"]}
    assert chosen["R03"] == "duplicates"
    assert chosen["R02"] == "classification"
    assert chosen["R01"] == "card"
    assert chosen["R05"] == "quote"
    assert chosen["R06"] == "own"  # the consultant's own case (requirements[].test)
    assert chosen["R07"] == "popup"
    assert chosen["R09"] == "missed"


def test_cases_use_project_data(optima: Project) -> None:
    _, context = _render(optima, "ru")
    case = next(t for t in context["tests"] if t["requirement"] == "R07")
    steps = " ".join(case["steps"])
    assert "Mango Office" in steps  # the project's telephony
    assert "СтройМонтаж" in steps  # a client of the construction industry
    assert case["user_class"] == "Менеджер по продажам"
    r04 = next(t for t in context["tests"] if t["requirement"] == "R04")
    assert "Сухие строительные смеси" in " ".join(r04["steps"])  # the client's product
    assert "540\u00a0000" in " ".join(r04["steps"])  # the average deal from the survey


def test_library_is_complete() -> None:
    library = scenarios.library()
    for module, found in library["scenarios"].items():
        assert found, module
        # a statement with none of the keywords still gets the module's own scenario
        assert scenarios.choose(module, "")["id"] in {s["id"] for s in found}
        for s in found:
            for lang in ("ru", "en"):
                assert s["steps"][lang] and s["expect"][lang], (module, s["id"], lang)
    assert library["data"][-1]["industry"] == "generic"


# ------------------------------------------------------------------ English for a UK client


def test_uk_english_spec_is_a_functional_specification(northwind: Project) -> None:
    context = spec.build_context(northwind, "en")
    markdown = render_markdown(spec.NAME, "en", context)
    blocks = parse_blocks(markdown, "tech_spec.md")
    text = all_text(blocks)
    assert context["meta"]["title"] == "Functional Specification and Solution Design"
    assert not CYRILLIC.search(text), CYRILLIC.search(text)
    for banned in ("GOST", "152", "automated object", "acceptance committee",
                   "approval sheet", "RUB", "Roskomnadzor"):
        assert banned not in text, banned
    titles = [t for level, t in headings(blocks) if level == 1]
    for expected in ("Purpose and scope", "Business context", "Stakeholders",
                     "Solution overview", "Functional requirements", "Integrations",
                     "Data migration", "Non-functional requirements",
                     "Security and data protection", "Testing and acceptance",
                     "Deployment and training", "Assumptions, dependencies and constraints",
                     "Sign-off"):
        assert expected in titles, expected
    assert "UK GDPR" in text and "Data Protection Act 2018" in text
    paragraphs = [plain_text(b.runs) for b in blocks if isinstance(b, Paragraph)]
    assert any("5.3.1. R01." in p for p in paragraphs)
    assert not any(isinstance(b, Heading) and "GOST" in plain_text(b.runs) for b in blocks)


def test_russian_clients_english_spec_keeps_gost_and_explains_it(optima: Project) -> None:
    text, _ = _render(optima, "en")
    assert not spec.functional_spec(optima, "en")
    assert "GOST 34.602-2020" in text
    assert "whose ten sections" in text


def test_eu_client_gets_gdpr(northwind: Project) -> None:
    project = northwind.model_copy(deep=True)
    project.client.country = "DE"
    text, _ = _render(project, "en")
    assert "General Data Protection Regulation" in text and "Article 28" in text
    assert "UK GDPR" not in text


def test_project_mode_carries_every_gost_subsection() -> None:
    project = load_project(EXAMPLES / "volga-bank")
    text, _ = _render(project, "ru")
    for title in ("Эргономика и техническая эстетика", "Патентная чистота",
                  "Математическое обеспечение",
                  "Информационное обеспечение", "Программное обеспечение",
                  "Техническое обеспечение", "Показатели назначения"):
        assert title in text, title
    # the survey answers make the requirements concrete
    assert "до 210\u00a0000 обращений клиентов в месяц" in text
    assert "по анкете подразделения" not in text  # the document never cites its sources
    # the client's details from the survey, the code in capitals, the shifts
    assert "(ИНН 6316025147, КПП 631601001)" in text and "VRB-CRM-2026" in text
    assert "в часы смен (Контакт-центр: 1-я смена: 08:00–16:00" in text
    assert "классификатор тематик обращений" in text
    # a typical project carries every subsection too; the mathematical support since
    # round 22 only because its ABC/XYZ report calculates (test_spec_round22)
    optima_text, _ = _render(load_project(EXAMPLES / "optima-distribution"), "ru")
    for title in ("Эргономика и техническая эстетика", "Патентная чистота",
                  "Показатели назначения", "Режимы функционирования",
                  "Организационное обеспечение", "Стандартизация и унификация"):
        assert title in optima_text, title
    assert "Математическое обеспечение" in optima_text


# ------------------------------------------------------------------ design and test rules


def test_requirements_state_their_design_rules(optima: Project) -> None:
    text, _ = _render(optima, "ru")
    item = text.split("R04.", 1)[1].split("R05.", 1)[0]
    assert "Требование реализуется по следующим правилам:" in item
    assert "квалификация объекта — расчёт и КП" in item  # the stages, not a one-liner
    # a solution after a colon continues the sentence in lower case
    assert "Решение: настройка двух видов сделок" in text


def test_no_template_lines_in_cases(optima: Project) -> None:
    for lang in ("ru", "en"):
        text, _ = _render(optima, lang)
        assert "граничных данных" not in text and "edge data" not in text
        assert "в пределах его прав" not in text and "within that user's rights" not in text


def test_approval_is_tested_by_the_class_the_rule_names(optima: Project) -> None:
    project = optima.model_copy(deep=True)
    r06 = next(r for r in project.requirements if r.id == "R06")
    r06.test = None  # the library's scenario, not the example's own case
    _, context = _render(project, "ru")
    case = next(t for t in context["tests"] if t["requirement"] == "R06")
    # R06 names the chief accountant: the class of the accounting department approves
    assert case["approver"] == "Бухгалтерия и логистика"
    assert "«Бухгалтерия и логистика» согласовать документ" in " ".join(case["steps"])
    assert "Руководитель отдела продаж" not in " ".join(case["steps"])


def test_approver_falls_back_to_the_checker(optima: Project) -> None:
    assert spec._approver(optima, "Без согласования никто не работает", "X") == "X"
    assert spec._approver(optima, "Карточка клиента", "X") == "X"


def test_recordings_are_played_by_the_checker_and_denied_classes_see_nothing(
        optima: Project) -> None:
    _, context = _render(optima, "ru")
    case = next(t for t in context["tests"] if t["requirement"] == "R07")
    # the client's rule: only heads of departments listen to recordings
    assert "«Руководитель отдела продаж» открыть историю клиента и прослушать" in " ".join(
        case["steps"])
    assert case["denied"]
    rights = next(u for u in optima.user_classes if u.name == case["denied"]).rights
    assert rights.get("telephony", "none") == "none"


def test_own_test_case_replaces_the_library(optima: Project) -> None:
    _, context = _render(optima, "ru")
    case = next(t for t in context["tests"] if t["requirement"] == "R06")
    assert case["scenario"] == "own"
    assert "3 200 000 ₽" in " ".join(case["steps"])  # the escalation above 3 million
    assert "генеральным директором" in case["expect"]


def test_volga_collection_limits_are_stated() -> None:
    project = load_project(EXAMPLES / "volga-bank")
    text, _ = _render(project, "ru")
    item = text.split("R13.", 1)[1]
    assert "не более одного раза в сутки, двух раз в неделю и восьми раз в месяц" in item
    assert "с 09:00 до 20:00" in item


def test_russian_laws_follow_industry_and_subsystems(optima: Project) -> None:
    volga = load_project(EXAMPLES / "volga-bank")
    text, _ = _render(volga, "ru")
    sources = text.split("Источники разработки", 1)[1]
    for law in ("№ 395-1", "ГОСТ Р 57580.1-2017", "№ 230-ФЗ", "№ 38-ФЗ", "№ 123-ФЗ"):
        assert law in sources, law
    assert "модель угроз безопасности информации разрабатывается" in text
    optima_text, _ = _render(optima, "ru")
    assert "№ 38-ФЗ" in optima_text  # mailings in scope: advertising consent
    assert "№ 123-ФЗ" not in optima_text and "№ 230-ФЗ" not in optima_text
    assert "№ 1119" in optima_text  # the personal data protection level
    northwind = load_project(EXAMPLES / "northwind-it")
    assert spec._legal_extras(northwind, "en") == {"extra_sources": [], "protection": ""}


def test_one_response_time_across_the_specification() -> None:
    # volga's CH1 asks for 2 seconds at 300 concurrent requests: section 4 says the same
    volga = load_project(EXAMPLES / "volga-bank")
    text, context = _render(volga, "ru")
    assert context["performance"]["seconds"] == "2 секунд"
    assert "при 300 одновременных запросах открытие карточки клиента" in text
    assert "не дольше 3 секунд" not in text
    _, plain = _render(load_project(EXAMPLES / "optima-distribution"), "ru")
    assert plain["performance"] == {"seconds": "3 секунд", "concurrent": "", "external": "",
                                    "external_many": False}


def test_project_mode_reliability_has_recovery_targets_and_outage_behaviour() -> None:
    volga = load_project(EXAMPLES / "volga-bank")
    text, _ = _render(volga, "ru")
    text = text.replace("\u00a0", " ")
    assert "(RPO) — не более 1 часа" in text and "(RTO) — не более 4 часов" in text
    assert "Недоступность учетной системы (АБС «Кредо-Банк» 5.4) или телефонии" in text
    optima_text, _ = _render(load_project(EXAMPLES / "optima-distribution"), "ru")
    assert "RPO" not in optima_text  # a typical project keeps the short paragraph


def test_consent_case_uses_the_channels_the_client_has(optima: Project) -> None:
    # optima sends no SMS: the consent case uses the phone, not an SMS channel it lacks
    _, context = _render(optima, "ru")
    case = next(t for t in context["tests"] if t["requirement"] == "R12")
    assert "SMS" not in " ".join(case["steps"]) + case["expect"]
    assert "согласие на рекламу по телефону" in " ".join(case["steps"])


# ------------------------------------------------------------------ cut-over, contradictions


@pytest.mark.parametrize("example", ["optima-distribution", "volga-bank"])
def test_legacy_entry_stops_per_pilot_wave(example: str) -> None:
    """With a phased pilot no department loses its old system before its own wave starts."""
    project = load_project(EXAMPLES / example)
    text, context = _render(project, "ru")
    waves = context["rollout"]["pilot_waves"]
    assert len(waves) > 1
    assert "после чего ввод данных в исходных системах прекращается" not in text
    for w in waves:
        assert f"{w['name']} — с {w['start']}" in text


def test_bank_complaint_deadlines_rest_on_the_financial_ombudsman_law() -> None:
    text, _ = _render(load_project(EXAMPLES / "volga-bank"), "ru")
    assert "№ 123-ФЗ" in text
    assert "59-ФЗ" not in text and "2300-1" not in text


@pytest.mark.parametrize("example", ["optima-distribution", "volga-bank", "teplo-service",
                                     "kreativ-agency", "northwind-it"])
def test_licences_include_the_product_itself(example: str) -> None:
    """The licence table of a bought product names it (not only the platform under it),
    and its seats cover the CRM users."""
    project = load_project(EXAMPLES / example)
    system = project.system
    assert system is not None and system.licences
    product = system.product.lower()
    first_word = product.split()[0]
    named = [lic for lic in system.licences if first_word in lic.kind.lower()
             or "пользовател" in lic.kind.lower() or "per user" in lic.kind.lower()]
    assert named, f"{example}: no licence of {system.product}"


def test_recordings_access_follows_the_clients_policy(optima: Project) -> None:
    """The design rule of the telephony requirement does not widen the client's own policy
    («записи разговоров прослушивают только руководители отделов»)."""
    text, _ = _render(optima, "ru")
    assert "прослушивают только руководители отделов" in text
    assert "дирекция (все)" not in text
    assert "уточняют, но не расширяют" in text


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_access_check_is_stated_once_per_subsystem(optima: Project, lang: str) -> None:
    """The "no access" step is not copied into every test case: one table, one row per
    subsystem, naming the cases whose records the class must not see."""
    text, context = _render(optima, lang)
    assert text.count("у которого нет доступа") <= 1 and text.count("who has no access") <= 1
    rows = context["access_checks"]
    assert rows and len({r["module_label"] for r in rows}) == len(rows)
    denied_cases = [t["id"] for t in context["tests"] if t["denied"]]
    assert sum(len(r["cases"].split(", ")) for r in rows) == len(denied_cases)
    for r in rows:
        assert r["denied"] in text and r["cases"] in text


def test_rule_checks_of_a_requirement_reach_its_test_case() -> None:
    """A requirement's own checks (requirements[].checks) are steps and expectations of its
    case: volga's office funnel is tested on the SME funnel too (R02 has a test of its own
    since round 12)."""
    project = load_project(EXAMPLES / "volga-bank")
    text, context = _render(project, "ru")
    case = next(t for t in context["tests"] if t["requirement"] == "R10")
    assert case["checks"]
    block = text.split("TC-R10.", 1)[1].split("TC-R11.", 1)[0]
    assert "воронку МСБ с отбором по менеджеру и офису" in block
    for k in case["checks"]:
        assert k["expect"] in block


def test_pilot_waves_state_their_own_period(optima: Project) -> None:
    """Each wave but the last says how long it works before the next joins (from the plan's
    waves), not «установленный срок»."""
    text, context = _render(optima, "ru")
    assert "установленный срок" not in text
    waves = context["rollout"]["pilot_waves"]
    for w in waves[:-1]:
        assert f"работает не менее {w['days']} до подключения следующей волны" in text


def test_approval_rules_of_the_sales_departments_are_a_requirement(optima: Project) -> None:
    """The discount and deferment approvals the departments gave are designed and tested as
    a requirement, not only quoted under «Уточнения подразделений»."""
    text, context = _render(optima, "ru")
    r = next(r for r in optima.requirements if "скидок" in r.statement)
    assert any("5 до 10 %" in d for d in r.design) and any("3 до 7 %" in d for d in r.design)
    assert any(t["requirement"] == r.id for t in context["tests"])
    assert "уточнения подразделений)" not in text


def test_answers_a_requirement_settles_are_not_restated_as_rules(optima: Project) -> None:
    """R20's design settles the sales departments' discount answers: the specification
    states the thresholds once (the design, naming the answers as its source), not the
    answers again in other words under the subsystem."""
    text, context = _render(optima, "ru")
    r = next(r for r in optima.requirements if r.settles)
    assert "requirements.sales.discount_rules" in r.settles
    assert "от 5 до 10 % — руководитель" not in text  # the answer's wording
    assert "свыше 5 до 10 % включительно" in text  # the design's
    assert "согласованным с подразделениями по их ответам в анкетах требований" in text
    assert "sales_pipeline" not in context["module_feedback"]


def test_a_bank_person_case_pairs_people_and_companies_take_business_products() -> None:
    """A company takes no consumer loan and is in no 230-FZ queue: a person's cases pair two
    people; the SME cases take the company as main client with a business product."""
    project = load_project(EXAMPLES / "volga-bank")
    text, context = _render(project, "ru")
    for t in context["tests"]:
        steps = " ".join(str(s) for s in t["steps"])
        if "Потребительские кредиты" in steps or t["module"] == "telemarketing":
            assert "Агроснаб" not in steps, t["id"]
    assert "основной клиент — ООО «Агроснаб-Самара»" in text


def test_bank_off_tariff_approvals_are_a_requirement() -> None:
    project = load_project(EXAMPLES / "volga-bank")
    _, context = _render(project, "ru")
    r = next(r for r in project.requirements if "индивидуальных условий" in r.statement)
    assert any("1 п. п." in d for d in r.design)
    assert any(t["requirement"] == r.id for t in context["tests"])


def test_changes_all_in_scope_have_no_empty_priority_sentence() -> None:
    project = load_project(EXAMPLES / "volga-bank")
    text, context = _render(project, "ru")
    if not context["could_changes"]:
        assert "в порядке приоритета" not in text
        assert "порядок их выполнения определяется планом-графиком" in text


def test_the_as_is_is_told_in_the_third_person_not_the_clients_first() -> None:
    """The departments' answers in §3.4 are retold («узнаём звонком» → «узнают звонком»);
    an answer keeping «мы» is quoted; the questionnaire table is a table of facts, and an
    answer about today's work is said to be that under its subsystem."""
    from crmimpl.documents.survey_answers import first_person, third_person

    assert third_person("Заявки с сайта разбираем раз в полдня, клиента ведём в amoCRM. "
                        "Не видим уснувших.", "ru") == (
        "Заявки с сайта разбирают раз в полдня, клиента ведут в amoCRM. Не видят уснувших.")
    assert third_person("Остатки смотрим в 1С, приём и объём в норме.", "ru") == (
        "Остатки смотрят в 1С, приём и объём в норме.")
    assert third_person("Мы работаем в Excel.", "ru") is None
    text, _ = _render(load_project(EXAMPLES / "optima-distribution"), "ru")
    section = text.split("Требования подразделений по результатам обследования")[1] \
        .split("Требования к автоматизированной системе")[0]
    assert not first_person(section, "ru"), section
    assert "Вопрос анкеты" not in text
    assert "Как сейчас ведется работа с жалобами и претензиями: регистрируются" in text


def test_every_integration_is_designed_object_by_object(optima: Project) -> None:
    """optima's four integrations (1С, Mango, Exchange, the site) each get the exchange
    object by object with its master system, direction, key, timing, conflict rule and
    error handling; nothing is left «при разработке»; a one-way exchange without a
    design follows from its direction, a two-way one is named as still to agree."""
    text, context = _render(optima, "ru")
    designs = {d["system"]: d for d in context["integration_designs"]}
    assert len(designs) == 4 and all(d["designed"] for d in designs.values())
    one_c = next(d for s, d in designs.items() if s.startswith("1С:Управление"))
    assert any(r["key"] == "ИНН + КПП" and r["master"].startswith("1С") for r in one_c["rows"])
    assert "HTTP-сервис проверки лимита (CH2) не ответил" in one_c["on_error"]
    assert "при разработке согласуются" not in text
    assert "zakaz@" in " ".join(r["object"] for r in designs[next(
        s for s in designs if s.startswith("Microsoft"))]["rows"])
    bare = optima.model_copy(deep=True)
    for i in bare.integrations:
        i.exchange = []
    text, context = _render(bare, "ru")
    site = next(d for d in context["integration_designs"] if d["system"].startswith("Сайт"))
    assert site["designed"] and site["rows"][0]["master"].startswith("Сайт")
    assert "Для интеграций с системами 1С:Управление торговлей 11.5, Mango Office" in text


def test_bank_core_system_exchanges_are_designed_and_statuses_come_back() -> None:
    """volga's АБС, contact-centre and Exchange integrations are designed object by object
    in the ТЗ (nothing left «при разработке»), SSO is not labelled LDAP, and in a default
    table of an outgoing exchange a delivery status comes back from the gateway into the
    CRM, with the gateway as its master."""
    volga = load_project(EXAMPLES / "volga-bank" / "project.yaml")
    text, context = _render(volga, "ru")
    designs = {d["system"].split(" ")[0]: d for d in context["integration_designs"]}
    assert all(d["designed"] for d in designs.values())
    assert "при разработке согласуются" not in text
    core = designs["АБС"]
    assert len(core["rows"]) >= 7
    assert {r["master"] for r in core["rows"]} == {"CRM-система", "АБС «Кредо-Банк» 5.4"}
    assert "5 секунд" in core["on_error"]
    sso = next(r for r in context["integrations"] if r["system"].startswith("Microsoft Active"))
    assert sso["protocol"].startswith("Kerberos")
    bare = volga.model_copy(deep=True)
    sms = next(i for i in bare.integrations if i.kind == "sms")
    sms.exchange = []
    rows = spec._integration_design(sms, "ru")["rows"]
    status = next(r for r in rows if r["object"].startswith("Статусы доставки"))
    assert status["direction"] == "в CRM" and status["master"].startswith("SMS-шлюз")
    reminder = next(r for r in rows if r["object"].startswith("SMS-напоминания"))
    assert reminder["direction"] == "из CRM" and reminder["master"] == "CRM-система"
    assert spec._integration_design(sms, "en")["rows"][-1]["direction"] == "into the CRM"


def test_a_change_sits_in_its_requirements_subsystem_everywhere() -> None:
    """volga's CH8 (module «reports») serves R17 («kpi_dashboards»): the ТЗ describes it
    under R17's subsystem, so the summary of changes and 4.3.2 name the same one."""
    from crmimpl.documents import common
    from crmimpl.vocabulary import label

    volga = load_project(EXAMPLES / "volga-bank" / "project.yaml")
    ch8 = next(ch for ch in volga.changes if ch.id == "CH8")
    assert ch8.module != "kpi_dashboards"  # the data this test probes
    row = next(r for r in common.change_rows(volga, "ru") if r["id"] == "CH8")
    assert row["module"] == label("module", "kpi_dashboards", "ru")


def test_answers_a_wont_requirement_excludes_are_marked_in_3_4() -> None:
    """Retail asked for offers and contracts from the CRM and territorial distribution;
    R23/R24 exclude them: §3.4 shows the answers marked as out of this version."""
    volga = load_project(EXAMPLES / "volga-bank" / "project.yaml")
    text, _ = _render(volga, "ru")
    assert "По территории; вне объема этой версии (R24)" in text
    assert "договор; вне объема этой версии (R23)" in text
    assert "Звонок из карточки клиента, карточка клиента при входящем звонке, записи " \
           "разговоров в карточке;" not in text


def test_a_wont_that_takes_some_of_a_lists_choices_names_them() -> None:
    """A department asked for four documents and a "won't" requirement takes two: the note
    names the two («договор и спецификация — вне объема»), a bare note after the list reads
    as if all four were out. When the requirement takes the whole answer the bare note
    stays."""
    volga = load_project(EXAMPLES / "volga-bank" / "project.yaml")
    wont = next(r for r in volga.requirements if r.priority == "wont"
                and "retail:sales_documents.contract" in r.answers)
    choices = {"offer": "Коммерческое предложение", "contract": "Договор", "invoice": "Счет"}
    value = ["offer", "contract", "invoice"]
    whole = spec.excluded_note(volga, "retail", "sales_documents", ["offer", "contract"],
                               "ru", choices)
    assert whole == f"; вне объема этой версии ({wont.id})"
    part = spec.excluded_note(volga, "retail", "sales_documents", value, "ru", choices)
    assert part == f"; коммерческое предложение и договор — вне объема этой версии ({wont.id})"
    wont.answers = ["retail:sales_documents.contract"]
    part = spec.excluded_note(volga, "retail", "sales_documents", value, "en",
                              {"contract": "Contract"})
    assert part == f"; contract: out of scope of this version ({wont.id})"
    assert spec.excluded_note(volga, "retail", "sales_documents", ["offer"], "ru",
                              choices) == ""


@pytest.mark.parametrize("modules", [["client_base", "mailings"],
                                     ["client_base", "telemarketing"],
                                     ["client_base", "sales_pipeline"]])
def test_a_russian_spec_with_advertising_channels_states_the_consent_rule(
        tmp_path: Path, modules: list[str]) -> None:
    """Advertising by e-mail, SMS or phone needs the subscriber's prior consent (38-FZ
    art. 18): a Russian client's ТЗ whose scope mails or calls says how consent and refusal
    are kept and cites the law in its sources; one without those subsystems does not."""
    from tests.project_factory import project_data, write_project

    data = project_data(users=40, departments=2, integrations=1, records=1000)
    data["scope"]["modules"] = modules
    project = write_project(tmp_path / "p", data)
    extras = spec._legal_extras(project, "ru")
    advertising = "mailings" in modules or "telemarketing" in modules
    assert ("предварительное согласие на получение рекламы" in extras["protection"]) \
        == advertising
    assert ("звонки" in extras["protection"]) == ("telemarketing" in modules)
    assert any("38-ФЗ" in s for s in extras["extra_sources"]) == advertising
    assert len(extras["extra_sources"]) == len(set(extras["extra_sources"]))
    en = spec._legal_extras(project, "en")["protection"]
    assert ("prior consent to advertising" in en) == advertising
