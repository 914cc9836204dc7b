"""Questionnaires by country: Russia-only questions only for Russian clients, and the new
questions of the methodology in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crmimpl.model.conditions import country_applies
from crmimpl.questionnaire.export import export_for_project
from crmimpl.questionnaire.library import load_library
from tests.conftest import EXAMPLES

CYRILLIC = re.compile("[А-Яа-яЁё]")
RUSSIAN_TERMS = re.compile(r"152-FZ|Roskomnadzor|RUB\b|VKontakte|Yandex|MoySklad|\b1C\b|Russia")
# Questions only a Russian client is asked; each has a local equivalent elsewhere.
RUSSIA_ONLY = {"pd_notice", "pd_localisation", "inn_kpp", "edo", "vendor_origin", "pd_law_ru"}
UK_ONLY = {"ico_registration", "company_number", "lawful_basis", "pd_law_gdpr"}
NEW_QUESTIONS = {
    "budget_expectation": "selection.budget",
    "executive_goals": "goals.by_executive",
    "crm_candidates": "selection.candidates",
    "vendor_origin": "selection.vendor_origin",
    "vendor_location": "selection.vendor_origin",
    "user_documentation": "rollout.documentation",
    "growth_users": "growth.users",
    "growth_plans": "growth.plans",
    "later_phases": "roadmap.later_phases",
}


@pytest.mark.parametrize(("codes", "country", "expected"), [
    ([], "GB", True),
    (["RU"], "RU", True),
    (["RU"], "GB", False),
    (["!RU"], "GB", True),
    (["!RU"], "RU", False),
    (["GB", "EEA"], "DE", True),
    (["GB", "EEA"], "NO", True),
    (["GB", "EEA"], "US", False),
    (["EU"], "NO", False),
    (["RU"], None, True),
])
def test_country_applies(codes: list[str], country: str | None, expected: bool) -> None:
    assert country_applies(codes, country) is expected


def _ids(country: str) -> set[str]:
    return {q.id for q in load_library()["survey"].localised(country).questions()}


def test_russia_only_questions_are_asked_only_in_russia() -> None:
    assert _ids("RU") >= RUSSIA_ONLY
    assert not RUSSIA_ONLY & _ids("GB")
    assert not RUSSIA_ONLY & _ids("US")
    assert _ids("GB") >= UK_ONLY
    assert not UK_ONLY & _ids("RU")
    assert not UK_ONLY & _ids("US")


def test_choices_follow_the_country() -> None:
    survey = load_library()["survey"]
    uk = {ch.id for ch in survey.localised("GB").choice_list("messengers").choices}
    ru = {ch.id for ch in survey.localised("RU").choice_list("messengers").choices}
    assert "vk" in ru and "vk" not in uk
    assert "linkedin" in uk and "linkedin" not in ru
    accounting = {ch.id for ch in survey.localised("GB").choice_list("accounting_system").choices}
    assert {"xero", "sage"} <= accounting and "one_c_trade" not in accounting


def test_currency_units_follow_the_project() -> None:
    survey = load_library()["survey"].localised("GB", "GBP")
    assert survey.question("average_deal").unit is not None
    assert survey.question("average_deal").unit.en == "GBP"
    assert survey.question("budget_expectation").unit.ru == "GBP"


def test_new_questions_exist_in_both_languages() -> None:
    library = load_library()
    survey = library["survey"]
    for qid, key in NEW_QUESTIONS.items():
        q = survey.question(qid)
        assert q.report_key == key
        assert q.report_label is not None
        assert q.label.ru != q.label.en
        assert not CYRILLIC.search(q.label.en) and CYRILLIC.search(q.label.ru)


def _cells(path: Path) -> list[tuple[str, str, str]]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for row in ws.iter_rows()
            for c in row if isinstance(c.value, str)]


@pytest.mark.parametrize(("qid", "audience"), [
    ("survey", None), ("requirements", "sales"), ("employee", None), ("documents", None)])
def test_english_questionnaires_of_a_uk_client_carry_nothing_russian(
        tmp_path: Path, qid: str, audience: str | None) -> None:
    out = export_for_project(EXAMPLES / "northwind-it", qid, audience=audience, language="en",
                             output=tmp_path / f"{qid}.xlsx")
    bad = [cell for cell in _cells(out)
           if CYRILLIC.search(cell[2]) or RUSSIAN_TERMS.search(cell[2])]
    assert bad == []


def test_russian_questionnaire_of_a_russian_client_keeps_the_russian_law(tmp_path: Path) -> None:
    out = export_for_project(EXAMPLES / "optima-distribution", "survey", language="ru",
                             output=tmp_path / "survey.xlsx")
    text = "\n".join(cell[2] for cell in _cells(out))
    assert "152-ФЗ" in text and "Роскомнадзор" in text and "Companies House" not in text


def test_a_country_code_that_is_not_iso_is_refused(tmp_path: Path) -> None:
    from crmimpl.errors import CrmimplError
    from crmimpl.model.questionnaire import load_questionnaire

    path = tmp_path / "q.yaml"
    path.write_text(
        "id: q\nversion: 1\nkind: survey\ntitle: {ru: Анкета, en: Questionnaire}\n"
        "introduction: {ru: Текст, en: Text}\nsections:\n- id: s\n  title: {ru: Р, en: S}\n"
        "  questions:\n  - id: a\n    type: text\n    countries: [Russia]\n"
        "    label: {ru: Вопрос, en: Question}\n", encoding="utf-8")
    with pytest.raises(CrmimplError) as info:
        load_questionnaire(path)
    assert "countries" in str(info.value.problems[0])


def test_status_counts_only_the_questions_of_the_clients_country() -> None:
    from crmimpl.questionnaire.status import project_status

    survey = next(r for r in project_status(EXAMPLES / "northwind-it")
                  if r.questionnaire == "survey")
    # data quality is the one question the UK client left for later; the founding year
    # and the pilot month were added to the library after the example was answered
    assert survey.applicable - survey.answered == 1 + 2
