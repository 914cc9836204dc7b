"""Specification, round 11 of the volga review: no generic text where the project knows
better (the e-mail subsystem is the Exchange exchange; test cases that test)."""

from __future__ import annotations

import pytest

from crmimpl.documents import spec
from crmimpl.model.project import Project, load_project
from crmimpl.render.markdown import render_markdown
from tests.conftest import EXAMPLES
from tests.test_survey_report_round5 import plain


@pytest.fixture(scope="module")
def volga() -> Project:
    return load_project(EXAMPLES / "volga-bank")


@pytest.fixture(scope="module")
def volga_text(volga: Project) -> str:
    return plain(render_markdown(spec.NAME, "ru", spec.build_context(volga, "ru")))


def _section(text: str, title: str, end: str = "###") -> str:
    start = text.index(f"### {title}")
    return text[start:text.index(end, start + 4)]


def test_email_subsystem_states_its_exchange(volga_text: str) -> None:
    email = _section(volga_text, "Электронная почта")
    assert "не содержит: подсистема настраивается в типовой конфигурации" not in email
    assert "Ее работу определяет обмен с Microsoft Exchange Server 2019 (банк):" in email
    # what the exchange does, in the register's own words, in lower case inside the sentence
    assert "письмо клиента в ящик info@ — обращение (письменный канал)" in email
    assert "подразделе «Взаимодействие со смежными системами»" in email


def test_a_subsystem_without_exchange_keeps_the_standard_sentence(volga_text: str) -> None:
    reports = _section(volga_text, "Отчеты и аналитика")
    assert "Дополнительных требований к подсистеме реестр не содержит" in reports


def test_english_items_are_lower_case_inside_the_sentence() -> None:
    assert spec._tail_in_list("An incoming enquiry", "Exchange") == "an incoming enquiry"
    assert spec._tail_in_list("E-mail to zakaz@", "Exchange") == "e-mail to zakaz@"
    assert spec._tail_in_list("Exchange mailbox", "Microsoft Exchange") == "Exchange mailbox"
    assert spec._tail_in_list("UTM tags", "Site") == "UTM tags"
    assert spec._tail_in_list("Письмо клиента", "") == "письмо клиента"
