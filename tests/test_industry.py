"""Test cases and standard functions in the terms of the product and the client's
industry (templates/products.yaml, templates/industries.yaml, test_scenarios.yaml)."""

from __future__ import annotations

import pytest

from crmimpl.documents import scenarios, spec
from crmimpl.industry import (
    GENERIC,
    industry_key,
    product_key,
    project_industry,
    project_product,
    standard_functions,
)
from crmimpl.model.project import Project, load_project
from crmimpl.vocabulary import module_functions, template_data
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def volga() -> Project:
    return load_project(EXAMPLES / "volga-bank")


@pytest.fixture(scope="module")
def northwind() -> Project:
    return load_project(EXAMPLES / "northwind-it")


@pytest.fixture(scope="module")
def optima() -> Project:
    return load_project(EXAMPLES / "optima-distribution")


def _cases(project: Project, lang: str) -> dict[str, dict]:
    context = spec.build_context(project, lang)
    return {t["requirement"]: t for t in context["tests"]}


def _text(case: dict) -> str:
    """A case's steps and expected result as plain text (Markdown escapes removed)."""
    return " ".join([*map(str, case["steps"]), str(case["expect"])]).replace("\\", "")


@pytest.mark.parametrize(("vendor", "product", "key"), [
    ("Microsoft", "Dynamics 365 Sales and Customer Service", "dynamics365"),
    ("1С", "1С:CRM КОРП", "1c_crm"),
    ("1С-Битрикс", "Битрикс24", "bitrix24"),
    ("amoCRM", "amoCRM", "amocrm"),
    ("ООО «Вектор Софт»", "Вектор CRM", GENERIC),
])
def test_product_keys(vendor: str, product: str, key: str) -> None:
    assert product_key(vendor, product) == key


def test_industry_keys() -> None:
    assert industry_key("Банковские услуги: розничный и малый и средний бизнес") == "banking"
    assert industry_key("Retail banking") == "banking"
    assert industry_key("Оптовая торговля строительными материалами") == "construction_trade"
    assert industry_key("Производство мебели") == GENERIC


def test_examples_are_classified(volga: Project, northwind: Project, optima: Project) -> None:
    assert (project_product(volga), project_industry(volga)) == (GENERIC, "banking")
    assert project_product(northwind) == "dynamics365"
    assert project_product(optima) == "1c_crm"


def test_library_keys_are_known() -> None:
    """Every variant names products and industries the data files define."""
    products = {p["id"] for p in template_data("products.yaml")["products"]}
    industries = {i["id"] for i in template_data("industries.yaml")["industries"]}
    library = scenarios.library()
    assert {e["industry"] for e in library["data"]} <= industries | {GENERIC}
    for found in library["scenarios"].values():
        for s in found:
            for v in s.get("variants", []):
                assert set(v.get("product", [])) <= products, (s["id"], v)
                assert set(v.get("industry", [])) <= industries, (s["id"], v)
                for lang_texts in v.get("steps", {}).values():
                    assert lang_texts


# ------------------------------------------------------------------ standard functions


def test_dynamics_functions_speak_dynamics(northwind: Project) -> None:
    text = " ".join(f for m in northwind.scope.modules
                    for f in standard_functions(northwind, m, "en"))
    for term in ("accounts", "opportunities", "cases", "queues", "SLA", "entitlements"):
        assert term in text, term
    for generic in ("visit check-ins", "ABC/XYZ", "commercial proposals"):
        assert generic not in text, generic


def test_1c_functions_speak_1c(optima: Project) -> None:
    text = " ".join(f for m in optima.scope.modules
                    for f in standard_functions(optima, m, "ru"))
    for term in ("контрагент", "взаимодейств", "бизнес-процесс"):
        assert term in text, term


def test_bank_on_an_unknown_product_gets_bank_words(volga: Project) -> None:
    pipeline = " ".join(standard_functions(volga, "sales_pipeline", "ru"))
    assert "счета" not in pipeline and "продуктам банка" in pipeline
    assert "ABC/XYZ" not in " ".join(standard_functions(volga, "reports", "ru"))
    # a module neither the product nor the industry lists: the neutral text
    assert standard_functions(volga, "telephony", "ru") == module_functions("telephony", "ru")


def test_unknown_product_and_industry_fall_back_to_neutral(optima: Project) -> None:
    neutral = optima.model_copy(update={
        "system": None,
        "client": optima.client.model_copy(update={"industry": "Производство мебели"})})
    for module in neutral.scope.modules:
        assert standard_functions(neutral, module, "ru") == module_functions(module, "ru")


def test_the_specification_lists_the_products_functions(northwind: Project) -> None:
    context = spec.build_context(northwind, "en")
    service = next(m for m in context["modules"] if m["key"] == "service")
    assert any("entitlements" in f for f in service["functions"])


# ------------------------------------------------------------------ test cases


def test_bank_cases_fit_a_bank(volga: Project) -> None:
    cases = _cases(volga, "ru")
    # two companies with different tax ids (the person's cases keep two people)
    duplicates = _text(cases["R03"])
    assert "6312345675" in duplicates and "6315678908" in duplicates
    assert "с тем же ИНН 6312345675" in duplicates
    assert cases["R03"]["user_class"] == "Клиентский менеджер МСБ"
    # the security journal is read by security staff, not by a retail manager
    masking = cases["R18"]
    assert masking["checker"] == "Администратор CRM и сотрудник ИБ"
    assert "ИБ» открыть журнал" in _text(masking)
    # the SME mobile case: an SME manager with the company client
    assert cases["R19"]["user_class"] == "Клиентский менеджер МСБ"
    assert "Агроснаб" in _text(cases["R19"])
    # a supervisor shares the call list, operators call
    assert "«Супервизор и руководитель группы» загрузить список" in _text(cases["R08"])
    # a complaint of a bank: no photo and report, registered at the front line
    complaint = _text(cases["R07"])
    assert "фото" not in complaint and "рабочих днях" in complaint
    assert cases["R07"]["user_class"] == "Оператор контакт-центра"
    # collection is checked inside collection, not by a retail head
    assert cases["R12"]["checker"] == "Супервизор и руководитель группы"
    # the client profile checks the core system and its failure
    assert "недоступности" in _text(cases["R01"])


def test_system_names_stay_in_the_nominative(volga: Project) -> None:
    text = " ".join(_text(c) for c in _cases(volga, "ru").values()).replace("\u00a0", " ")
    assert "через Платформа" not in text
    assert "канал — Платформа контакт-центра «Оникс CC» 4.2" in text
    assert "((" not in text and "банка))" not in text


def test_dynamics_cases_use_dynamics_terms(northwind: Project) -> None:
    cases = _cases(northwind, "en")
    assert "account form" in _text(cases["R12"])
    assert "opportunity" in _text(cases["R01"]) and "business process flow" in _text(cases["R01"])
    assert "prepaid hours" in _text(cases["R07"])  # the hours bank variant
    assert "queue" in _text(cases["R06"]) and "case" in _text(cases["R06"])


def test_1c_cases_use_1c_terms(optima: Project) -> None:
    cases = _cases(optima, "ru")
    assert "контрагент" in _text(cases["R01"]) and "взаимодейств" in _text(cases["R01"])
    assert "бизнес-процесса сделки" in _text(cases["R04"])


def test_same_requirement_differs_by_product() -> None:
    """One requirement, three products: three wordings; an unknown product the base one."""
    text = "Единая карточка клиента"
    base = scenarios.choose("client_base", text)
    dyn = scenarios.choose("client_base", text, product="dynamics365")
    one_c = scenarios.choose("client_base", text, product="1c_crm")
    bank = scenarios.choose("client_base", text, industry="banking")
    assert len({str(s["steps"]["ru"]) for s in (base, dyn, one_c, bank)}) == 4
    assert scenarios.choose("client_base", text, product="unknown")["steps"] == base["steps"]


def test_reports_section_lists_reports_not_every_change(volga: Project,
                                                        optima: Project) -> None:
    """A credit-limit block or a collection strategy is a change, not a report."""
    volga_reports = {r["id"]: r["title"] for r in spec.build_context(volga, "ru")["reports"]}
    assert "Отчёт контакт-центра по сменам" in volga_reports.values()
    # reports a requirement names (the complaints report for the Bank of Russia, the
    # plan-fact) join the register; the collection strategy (R12) and the limit do not
    assert {"R07", "R10"} <= set(volga_reports) and "R12" not in volga_reports
    optima_reports = [r["id"] for r in spec.build_context(optima, "ru")["reports"]]
    assert "R05" in optima_reports and "R06" not in optima_reports  # print form, limit


def test_could_changes_are_mentioned_only_when_there_are_some(volga: Project) -> None:
    from crmimpl.render.markdown import render_markdown

    context = spec.build_context(volga, "ru")
    assert context["could_changes"] is False
    text = render_markdown(spec.NAME, "ru", context)
    assert "порядок их выполнения определяется планом-графиком проекта." in text
    assert "«возможно» выполняются" not in text


def test_a_function_resting_on_an_out_of_scope_requirement_is_not_listed_as_used() -> None:
    """northwind's portal (R15) is "won't": the Customer Service functions used do not
    promise cases from the portal, in either language; once a requirement of this version
    asks for a portal, the portal function is listed."""
    project = load_project(EXAMPLES / "northwind-it")
    for lang, word in (("en", "portal"), ("ru", "портал")):
        functions = standard_functions(project, "service", lang)
        assert functions and not any(word in f.lower() for f in functions), functions
    wanted = project.model_copy(update={"requirements": [
        r.model_copy(update={"priority": "should"}) if r.id == "R15" else r
        for r in project.requirements]})
    for lang, word in (("en", "portal"), ("ru", "портал")):
        assert any(word in f.lower() for f in standard_functions(wanted, "service", lang))
    # the data model does not list a won't requirement on the case record either
    wont = {r.id for r in project.requirements if r.priority == "wont"}
    assert not any(set(rec.requirements) & wont for rec in project.records)
