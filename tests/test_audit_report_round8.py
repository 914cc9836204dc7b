"""Audit report wording after review round 8: findings headed by a sentence, the data
source continuing the sentence, no hedging about support the project has."""

from __future__ import annotations

import re

import pytest

from crmimpl.documents import audit_report
from crmimpl.model.project import load_project
from crmimpl.render.markdown import render_markdown
from tests.conftest import EXAMPLES


def _text(name: str, lang: str) -> str:
    context = audit_report.build_context(load_project(EXAMPLES / name), lang)
    markdown = render_markdown(audit_report.NAME, lang, context)
    return " ".join(re.sub(r"\\(.)", r"\1", markdown).replace("\u00a0", " ").split())


@pytest.mark.parametrize("name", ["kreativ-agency", "optima-distribution", "volga-bank"])
def test_a_finding_is_headed_by_a_sentence_not_key_value_runs(name: str) -> None:
    text = _text(name, "ru")
    assert "Область —" not in text and "Статус —" not in text
    assert re.search(r"Проверка «[^»]+» \(область «[^»]+»\): (не выполнено|выполнено "
                     r"частично), критичность (высокая|средняя|низкая)\.", text)


def test_an_english_finding_says_partly_passed() -> None:
    text = _text("kreativ-agency", "en")
    assert "): partly passed, high criticality." in text
    assert "Status:" not in text


def test_the_data_source_continues_the_sentence() -> None:
    text = _text("kreativ-agency", "ru")
    assert "Источник данных: панель директора" in text
    assert "Источник данных: отчет CRM" not in text.replace("Источник данных: панель", "")
    assert "Источник данных: Панель" not in text  # G2's source is the dashboard too


def test_no_hedging_about_the_support_the_project_includes() -> None:
    for name in ("kreativ-agency", "optima-distribution", "volga-bank"):
        text = _text(name, "ru")
        assert "если договор сопровождения" not in text
        assert "без договора сопровождения" not in text
