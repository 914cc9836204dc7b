"""The express passport takes its dates from the plan (review 8): the client signs it
after it is handed over, the export and the acceptance checks fall on the workbook's
days, and the contractor has a way into the system for support and the audit after the
act."""

from __future__ import annotations

import re

from crmimpl.build import document_markdown
from crmimpl.documents import modes
from crmimpl.documents.workspace import Workspace
from crmimpl.i18n import day, day_long
from tests.conftest import EXAMPLES


def _text() -> tuple[str, Workspace]:
    ws = Workspace.open(EXAMPLES / "kreativ-agency")
    markdown, _ = document_markdown(ws, "passport", "ru")
    return " ".join(markdown.replace("\\", "").replace("\u00a0", " ").split()), ws


def test_the_passport_is_signed_after_the_day_it_is_dated() -> None:
    from crmimpl.documents.register import document_entry

    text, ws = _text()
    dated = document_entry(ws.project, ws.plan, "spec").date
    sign_by = re.search(r"Подписать настоящий паспорт с перечнем настроек до (\d\d\.\d\d\.\d{4})",
                        text)
    assert sign_by is not None
    assert day(dated, "ru") != sign_by.group(1)
    review = next(t for t in ws.plan.tasks if t.id == "survey.review")
    assert dated == review.start < review.finish


def test_export_and_checks_are_the_workbooks_days() -> None:
    text, ws = _text()
    export = modes.tasks_with(ws.plan, "rollout.export")
    assert f"Передать выгрузку данных для загрузки до {day(max(t.finish for t in export), 'ru')}" \
        in text
    tests = modes.tasks_with(ws.plan, "rollout.tests")
    start, end = min(t.start for t in tests), max(t.finish for t in tests)
    expected = f"Проверки по перечню проводятся с {day_long(start, 'ru')} по {day_long(end, 'ru')}"
    assert " ".join(expected.replace("\u00a0", " ").split()) in text


def test_the_contractor_gets_access_for_support_and_the_audit_after_the_act() -> None:
    text, _ = _text()
    assert "Для сопровождения и аудита использования системы заказчик на время каждой работы" \
        " дает исполнителю права администратора" in text
