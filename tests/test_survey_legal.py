"""The survey's personal-data paragraph follows the client's answer: a notification the
client says is filed is not something the client still has to check was filed."""

from __future__ import annotations

import re

from crmimpl.documents import survey
from crmimpl.model.project import load_project
from crmimpl.render.markdown import render_markdown
from tests.conftest import EXAMPLES


def _text(name: str, lang: str, answers: object = None) -> str:
    project = load_project(EXAMPLES / name)
    markdown = render_markdown(survey.NAME, lang,
                               survey.build_context(project, lang, answers=answers))
    return " ".join(re.sub(r"\\(.)", r"\1", markdown).replace("\u00a0", " ").split())


def test_a_filed_notification_is_checked_for_coverage_not_for_filing() -> None:
    ru = _text("optima-distribution", "ru")
    assert "по ответу заказчика, уже подано" in ru
    assert "заказчик проверяет, что в Роскомнадзор подано уведомление" not in ru
    assert "has been filed; before data is processed" in _text("optima-distribution", "en")


def test_without_the_answer_the_client_checks_the_filing() -> None:
    from crmimpl.questionnaire.answers import Answers

    text = _text("optima-distribution", "ru", answers=Answers())
    assert "заказчик проверяет, что в Роскомнадзор подано уведомление" in text
