"""A definition is localised once per country, currency and industry (a build asks per
workbook and language, a portfolio worker per project); the result is what a fresh
localisation gives."""

from __future__ import annotations

from crmimpl.model.questionnaire import Questionnaire
from crmimpl.questionnaire.library import load_library


def test_localised_once_per_key() -> None:
    survey = load_library()["survey"]
    first = survey.localised("GB", "GBP")
    assert survey.localised("GB", "GBP") is first
    fresh = Questionnaire.model_validate(survey.model_dump()).localised("GB", "GBP")
    assert fresh is not first and fresh.model_dump() == first.model_dump()
    assert survey.localised("RU", "RUB") is not first
    assert survey.localised("RU", "RUB").model_dump() != first.model_dump()
    assert survey.localised("RU", "RUB", "banking") is not survey.localised("RU", "RUB")
    assert survey.localised(None) is survey
