"""Round-12 review of optima-distribution: one truth inside the document set."""
from __future__ import annotations

import pytest

from crmimpl.model.project import Project, load_project
from tests.conftest import EXAMPLES
from tests.test_optima_round11 import _audit


@pytest.fixture(scope="module")
def optima() -> Project:
    return load_project(EXAMPLES / "optima-distribution" / "project.yaml")


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_lagging_goal_has_the_auditors_measure_owner_and_date(
        optima: Project, lang: str) -> None:
    """The summary promised sponsor decisions on G1 and G3, the body only said measures
    «нужно согласовать до следующего аудита» (24.02.2027): the auditor's measure is
    stated, with its owner and a date in January, and no goal waits for the next audit."""
    ctx = _audit(optima, lang)
    texts = {a.split(" ", 1)[0]: a.replace("\u00a0", " ") for a in ctx["attention"]}
    assert {"G1", "G2", "G3"} <= set(texts)
    g1, g3 = texts["G1"], texts["G3"]
    if lang == "ru":
        assert "по ускорению: руководителям отделов продаж" in g1
        assert "«уснувших»" in g3 and "срок — 15.01.2027" in g3
        assert not any("до следующего аудита" in t for t in (g1, g3))
    else:
        assert "measures to catch up: the heads of the sales departments" in g1
        assert "dormant clients" in g3 and "15 Jan 2027" in g3
        assert not any("before the next audit" in t for t in (g1, g3))
    rows = {r["title"].split(" ", 2)[1]: r for r in ctx["goal_actions"]}
    assert rows["G1"]["due"] != "—" and "2027" in rows["G1"]["due"]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_mobile_use_counts_the_department_it_names(optima: Project, lang: str) -> None:
    """«9 из 12 выездных менеджеров»: the construction sales department has 10 managers
    besides its head and analyst; the finding counts them."""
    ctx = _audit(optima, lang)
    text = str(ctx)
    assert "12 выездных" not in text and "12 field" not in text
    assert ("7 из 10 менеджеров" in text) if lang == "ru" else ("7 of the 10 managers" in text)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_class_descriptions_say_what_the_rights_matrix_says(optima: Project, lang: str) -> None:
    """§4.4.1 said service works «во всех подсистемах, кроме «Клиентская база»…» while the
    matrix gives it «просмотр» there: the description names read-only and closed
    subsystems apart, from the same rights as the matrix."""
    from crmimpl.documents import spec
    from crmimpl.model.project import translated_project

    own = translated_project(optima, lang)[0] if lang != "ru" else optima
    for u in own.user_classes:
        text = spec._user_class(own, u, lang)["description"]
        if u.description:
            continue
        for m in own.scope.modules:
            name = spec.label("module", m, lang)
            shown = f"«{name}»" if lang == "ru" else name
            access = u.rights.get(m)
            if access == "read":
                read_part = text.split("Только просмотр:" if lang == "ru" else "Read only:")[1]
                assert shown in read_part.split(".")[0] + ".", (u.id, m)
            elif access not in spec._WORKING_ACCESS and shown in text:
                closed = text.split("Без доступа:" if lang == "ru" else "No access:")[1]
                assert shown in closed, (u.id, m)
    service = next(u for u in own.user_classes if u.id == "service_specialist")
    text = spec._user_class(own, service, lang)["description"]
    assert ("Только просмотр: «Клиентская база»" if lang == "ru"
            else "Read only: Client base") in text
    assert "кроме" not in text and "except" not in text


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_consent_is_recorded_by_a_role_that_may_change_contacts(
        optima: Project, lang: str) -> None:
    """TC-R12 had the marketer record a consent on the contact person, where the matrix
    gives the marketer only «просмотр»: recording a consent is work on contacts."""
    from crmimpl.documents import actors, spec
    from crmimpl.model.project import translated_project

    own = translated_project(optima, lang)[0] if lang != "ru" else optima
    cases = spec._test_cases(own, lang, {r.id: "4.2" for r in own.requirements}, {})
    case = next(c for c in cases if c["id"] == "TC-R12")
    roles = {r.name: r for r in actors.roles_of(own)}
    first = str(case["steps"][0])
    assert first.startswith("Под учетной записью класса" if lang == "ru" else "As a user")
    doer = first.split("«")[1].split("»")[0] if lang == "ru" else first.split('"')[1]
    assert roles[doer].rights.get("contacts") in actors.WORKING
    assert roles[case["user_class"]].rights.get("mailings") in actors.WORKING


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_function_sold_as_a_change_is_not_listed_as_standard(
        optima: Project, lang: str) -> None:
    """ABC/XYZ was among the «типовые функции, которые используются без изменений» of
    the specification and the survey, and also custom change CH3 (36 h): the standard
    lists leave it out (only that item of a list after a colon)."""
    from crmimpl.industry import standard_functions

    assert any("ABC/XYZ" in c.title for c in optima.changes)
    every = [f for m in optima.scope.modules for f in standard_functions(optima, m, lang)]
    assert not any("ABC" in f for f in every)
    assert any(f.startswith("классификация клиентов: вид, отрасль" if lang == "ru"
                            else "client classification: type, industry") for f in every)


def test_a_single_abbreviation_a_change_refines_stays_standard() -> None:
    """northwind's CH2 «Contract SLA tiers on standard entitlements» builds on the
    standard SLA function: it stays listed."""
    from crmimpl.industry import standard_functions

    northwind = load_project(EXAMPLES / "northwind-it" / "project.yaml")
    every = [f for m in northwind.scope.modules for f in standard_functions(northwind, m, "ru")]
    assert any("SLA" in f for f in every)


def test_the_approval_sheet_has_the_goal_owner_and_room_to_sign(optima: Project) -> None:
    """Appendix В left out Сергеева (commercial director, owner of G1 and G3, whose
    approval rules the specification encodes) and its «Подпись»/«Дата» columns were
    2 cm and 1 cm: the goals' owners agree it under their department, and the columns
    carry lines to sign on."""
    from crmimpl.documents import spec
    from tests.conftest import EXAMPLES as _ex  # noqa: F401

    rows = spec.approval_sheet(optima, "ru")
    names = [r["name"].replace("\u00a0", " ") for r in rows]
    assert "М. О. Сергеева" in names and len(names) == len(set(names))
    assert "А. В. Ковалёв" not in names  # the sponsor signs the title page
    skeleton = (EXAMPLES.parent / "templates" / "skeleton" / "tech_spec.md.j2").read_text(
        encoding="utf-8")
    row = next(line for line in skeleton.splitlines()
               if line.startswith("| {{ a.department }}"))
    assert row.count("\\_") >= 20


def test_the_average_deal_is_not_the_average_shipment(optima: Project) -> None:
    """«Средняя сумма сделки — 180 000 ₽» was the average shipment of the company's
    description (a project deal runs 2–8 weeks with part-shipments): the answer and the
    description are two figures, and the test deal is the deal's."""
    from crmimpl.documents import spec
    from crmimpl.questionnaire.answers import load_answers

    answers = load_answers(optima.folder)
    described = (EXAMPLES / "optima-distribution" / "project.yaml").read_text("utf-8")
    assert "отгрузки — 180 тыс. руб." in described
    assert answers.report("sales.average_deal") not in (None, 180_000)
    amount = spec.test_data(optima, "ru", answers).get("amount", "").replace("\u00a0", " ")
    assert amount and "180 000" not in amount


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_task_whose_requirements_are_all_deferred_says_so(optima: Project, lang: str) -> None:
    """G1.6 (weight and volume in the delivery request) was among the problems «которые
    необходимо устранить» while its only requirement R17 is «won't» for the budget: the
    goal's list says this version does not solve it and why, from the same data as the
    specification's traceability appendix."""
    from crmimpl.documents import common
    from crmimpl.model.project import translated_project

    own = translated_project(optima, lang)[0] if lang != "ru" else optima
    tasks = {t["id"]: t for g in common.goal_rows(own, lang) for t in g["tasks"]}
    assert "R17" in tasks["G1.6"]["later"]
    assert not any(t["later"] for tid, t in tasks.items() if tid != "G1.6")
    trace = " ".join(row["answer"] for row in common.problem_trace(own, lang))
    assert tasks["G1.6"]["later"] in trace


def test_no_migration_cut_off_is_shorter_than_the_history_the_client_asked_for(
        optima: Project) -> None:
    """The survey says the client asks for three years of history; the specification
    moved claims only from 01.01.2025 although the 2024–2025 journal is the G4 baseline.
    No rule moves records only from (or after) a date later than the requested depth."""
    import datetime as dt
    import re

    from crmimpl.model.project import translated_project
    from crmimpl.questionnaire.answers import load_answers

    depth = load_answers(optima.folder).report("data.history_depth")
    years = {"three_years": 3, "two_years": 2, "one_year": 1, "five_years": 5}
    assert depth in years
    start = optima.project.start
    earliest = dt.date(start.year - years[depth], 1, 1)
    for lang, cut in (("ru", r"(?:\bс|после) (\d{2})\.(\d{2})\.(\d{4})"),
                      ("en", r"(?:from|after) (\d{2})\.(\d{2})\.(\d{4})")):
        own = translated_project(optima, lang)[0] if lang != "ru" else optima
        for source in own.migration:
            for d, m, y in re.findall(cut, source.rules or ""):
                assert dt.date(int(y), int(m), int(d)) <= earliest, (lang, source.id)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_lead_source_answer_agrees_with_the_marketing_process(
        optima: Project, lang: str) -> None:
    """§3.6 said «источник обращения сейчас нигде не фиксируется» while step 2 of the
    marketing process has the marketer collect it monthly into her Excel table."""
    from crmimpl.questionnaire.answers import load_answers

    answers = load_answers(optima.folder, lang)
    text = " ".join(str(i.value) for items in answers.report_keys.values() for i in items)
    assert "нигде не фиксируется" not in text and "not recorded anywhere" not in text
    assert ("раз в месяц собирает" in text) if lang == "ru" else ("once a month" in text)
    marketing = next(d for d in optima.client.departments if d.id == "marketing")
    assert any("Excel" in (s.record or "") for s in marketing.process)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_data_sources_are_tabulated_once(optima: Project, lang: str) -> None:
    """The client's list of four sources and the migration table named the same four
    sources and people: the list is left out; a list that differs stays (volga)."""
    from crmimpl.documents import survey
    from crmimpl.model.project import translated_project

    own = translated_project(optima, lang)[0] if lang != "ru" else optima
    ctx = survey.build_context(own, lang)
    assert ctx["data_quality"].get("tables", []) == []
    # volga's differently named list is the same sources: joined to the migration
    # table (round 22), not tabulated twice
    volga = survey.build_context(load_project(EXAMPLES / "volga-bank" / "project.yaml"), "ru")
    assert not volga["data_quality"].get("tables") and volga["sources_merged"]


@pytest.mark.parametrize(("value", "ru", "en"), [
    (420, "420\u00a0новых обращений и заявок", "420\u00a0new enquiries and leads come"),
    (421, "421\u00a0новое обращение или заявка", "421\u00a0new enquiries and leads come"),
    (1, "1\u00a0новое обращение или заявка", "1\u00a0new enquiry or lead comes"),
    (3, "3\u00a0новых обращения или заявки", "3\u00a0new enquiries and leads come"),
])
def test_a_counted_answer_is_a_sentence_with_its_noun_agreed(
        value: int, ru: str, en: str) -> None:
    """«Новых обращений и заявок (лидов) в месяц — 420.» was a caption-and-value line: the
    question's report sentence counts with {value|forms}, agreed for any number."""
    from crmimpl.documents import survey_answers as sa

    project = load_project(EXAMPLES / "optima-distribution" / "project.yaml")
    library = sa.library_for(project)
    asked = next(a for d in library.values() for a in [
        sa.Asked(d, q) for q in d.questions() if q.report_key == "marketing.leads_per_month"]
        ) if hasattr(sa, "Asked") else None
    assert asked is not None
    assert ru in sa._sentence(asked, value, "ru")
    assert en in sa._sentence(asked, value, "en")
