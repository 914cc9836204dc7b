"""Kreativ (the express example): one rule for who reassigns an unanswered request and one
trigger for the repeat-contact reminder, in the data and in every document built from it
(reviewers found the director in one place and the office manager in another, and the
reminder three months after hand-over here and after payment there)."""

from __future__ import annotations

import re

import pytest

from crmimpl.documents import passport, survey, training_plan
from crmimpl.model.project import load_project
from crmimpl.render.markdown import render_markdown
from tests.conftest import EXAMPLES


def _texts() -> dict[str, str]:
    project = load_project(EXAMPLES / "kreativ-agency")
    out = {}
    for module in (survey, passport, training_plan):
        markdown = render_markdown(module.NAME, "ru", module.build_context(project, "ru"))
        out[module.NAME] = " ".join(re.sub(r"\\(.)", r"\1", markdown)
                                    .replace("\u00a0", " ").split())
    return out


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return _texts()


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.;])\s+|\s*\|\s*", text)


def test_the_office_manager_reassigns_unanswered_requests(texts: dict[str, str]) -> None:
    found = 0
    for name, text in texts.items():
        for s in _sentences(text):
            if re.search(r"переда\w+", s) and re.search(r"отсутств|без ответа", s):
                assert "передает директор" not in s and "видна директору" not in s, (name, s)
                if "офис-менеджер" in s:
                    found += 1
    assert found >= 2


def test_the_repeat_contact_reminder_has_one_trigger(texts: dict[str, str]) -> None:
    found = 0
    for name, text in texts.items():
        for s in _sentences(text):
            if re.search(r"[Пп]овторн\w+ касани", s) and re.search(r"через|дней|месяц", s):
                assert "3 месяца" not in s and "после сдачи" not in s, (name, s)
                assert "90 дней" in s and re.search(r"оплат|«Оплачено»", s), (name, s)
                found += 1
    assert found >= 2
