"""The survey report's and the specification's glossaries list every abbreviation the
document uses, with its expansion (reviewers: «Термины и сокращения» without АБС, МСБ...)."""

from __future__ import annotations

import re

import pytest

from crmimpl.documents import spec, survey
from crmimpl.model.project import load_project
from crmimpl.render.markdown import render_markdown
from tests.conftest import EXAMPLES

# capitals that are no abbreviation to expand: legal forms before a quoted name, the
# approval blocks' words, parts of product names, test-case ids, file formats named as such
NOT_ABBREVIATIONS = {"АО", "ООО", "ИП", "ПАО", "УТВЕРЖДАЮ", "СОГЛАСОВАНО", "CC", "TC",
                     "DOCX", "XLSX", "КОРП", "УТ", "ИТС", "ЦРМ", "ID", "RUB", "GBP", "UK",
                     "GB", "ABC", "XYZ", "IP", "AX", "CZ", "MD", "FY", "IMAP", "WABA"}
WORD = re.compile(r"(?<![\w-])[A-ZА-ЯЁ]{2,}(?!\w)(?!-[^а-яёa-z])")


def _document(example: str, module, lang: str) -> str:  # type: ignore[no-untyped-def]
    project = load_project(EXAMPLES / example)
    return render_markdown(module.NAME, lang, module.build_context(project, lang)
                           ).replace("\\", "")


def _defined(text: str, module) -> set[str]:  # type: ignore[no-untyped-def]
    if module is survey:
        terms = set(re.findall(r"^- \*\*([^*]+?)\*\*", text, re.M))
        # «CRM-система» defines CRM; «Техническое задание (ТЗ)» defines ТЗ
        return terms | {t.split("-")[0] for t in terms} | set(
            re.findall(r"\(([A-ZА-Я]{2,})\)\*\*", text))
    return set(re.findall(r"^\| ([A-ZА-ЯЁ]{2,}) \| ", text, re.M))


@pytest.mark.parametrize("module", [survey, spec], ids=["survey", "spec"])
def test_volga_glossary_names_the_banks_abbreviations(module) -> None:  # type: ignore[no-untyped-def]
    text = _document("volga-bank", module, "ru")
    defined = _defined(text, module)
    for short in ("АБС", "МСБ", "РКО", "CTI", "SIEM", "MDM", "AHT", "FCR", "NPS", "ИТ",
                  "ФИО", "WFM", "IVR", *(["RTO", "RPO"] if module is spec else [])):
        assert short in defined, short
    if module is survey:
        assert "- **АБС** — автоматизированная банковская система." in text


@pytest.mark.parametrize(("example", "lang"), [
    ("volga-bank", "ru"), ("optima-distribution", "ru"), ("teplo-service", "ru"),
    ("kreativ-agency", "ru"), ("northwind-it", "en")])
def test_every_abbreviation_of_the_survey_report_is_in_its_glossary(example: str,
                                                                     lang: str) -> None:
    text = _document(example, survey, lang)
    body, _, _glossary = text.rpartition("**CRM-система**" if lang == "ru" else "**CRM system**")
    used = set(WORD.findall(re.sub(r"«[^»]*»", "", body))) - NOT_ABBREVIATIONS
    missing = sorted(used - _defined(text, survey))
    assert not missing, missing


@pytest.mark.parametrize("example", ["volga-bank", "optima-distribution"])
def test_every_abbreviation_of_the_specification_is_in_its_list(example: str) -> None:
    text = _document(example, spec, "ru")
    # the list's own expansions («…на основе протокола HTTP») are no use of HTTP
    body = re.sub(r"^\| [A-ZА-ЯЁ]{2,} \| .*$", "", text, flags=re.M)
    used = set(WORD.findall(re.sub(r"«[^»]*»", "", body))) - NOT_ABBREVIATIONS
    missing = sorted(used - _defined(text, spec))
    assert not missing, missing


def test_an_abbreviation_in_a_compound_is_listed() -> None:
    text = _document("volga-bank", spec, "ru")
    assert "UTM-метк" in text and "| UTM | " in text
    assert "| TC | " not in text  # «TC-R01» is a case id


def test_a_term_defined_in_words_is_not_listed_again() -> None:
    text = _document("volga-bank", survey, "ru")
    assert "**Техническое задание (ТЗ)**" in text
    assert "- **ТЗ** —" not in text


def test_abbreviation_pattern_is_a_whole_word_or_a_compound_head() -> None:
    """The substring pre-filter and the cached pattern keep the rule: a whole word or the
    first part of a compound counts, a part of an id or of a law's number does not."""
    from crmimpl.documents.spec import _abbreviation_pattern

    assert _abbreviation_pattern("SMS").search("отправка SMS клиенту")
    assert _abbreviation_pattern("UTM").search("UTM-метки в заявке")
    assert not _abbreviation_pattern("TC").search("сценарий TC-R01")
    assert not _abbreviation_pattern("ФЗ").search("закон 152-ФЗ")
    assert not _abbreviation_pattern("CRM").search("CRMX")
    assert _abbreviation_pattern("SMS") is _abbreviation_pattern("SMS")
