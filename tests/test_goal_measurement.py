"""A goal's indicator is measured one way in every document: the survey and the passport
say how (kpi.measurement), the requirement that serves it delivers that measure, and the
audit measures the same thing; an example's audit agrees with its passport (review 8)."""

from __future__ import annotations

import json

import pytest

from crmimpl.build import document_markdown
from crmimpl.documents import audit_report
from crmimpl.documents.workspace import Workspace
from crmimpl.model.project import load_project
from tests.conftest import EXAMPLES


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\\", "").split())


@pytest.mark.parametrize("key", ["survey", "passport"])
def test_kreativ_survey_and_passport_say_how_each_indicator_is_measured(key: str) -> None:
    ws = Workspace.open(EXAMPLES / "kreativ-agency")
    markdown, _ = document_markdown(ws, key, "ru")
    text = _flat(markdown)
    for goal in ws.project.goals:
        assert goal.kpi.measurement, goal.id
        measured = _flat(goal.kpi.measurement).strip(".")
        assert measured[1:] in text, (key, goal.id)  # its first letter may be a capital


def test_kreativ_dashboard_measures_the_repeat_order_goal() -> None:
    """G2's indicator is what R06's dashboard counts (a share of paid deals tagged
    «Повторное обращение»), and the audit reports it from that dashboard."""
    project = load_project(EXAMPLES / "kreativ-agency")
    g2 = next(g for g in project.goals if g.id == "G2")
    r06 = next(r for r in project.requirements if r.id == "R06")
    assert "G2" in r06.goals
    for words in ("«Повторное обращение»", "«Оплачено»", "6 месяцев"):
        assert words in g2.kpi.measurement and words in r06.solution
    assert "заказ" in g2.kpi.metric and "клиентов, сделавших" not in g2.kpi.metric
    audit = json.dumps(audit_report.build_context(project, "ru"), ensure_ascii=False)
    assert "Повторные заказы" in audit and "отчет CRM по клиентам" not in audit.lower()


def test_kreativ_audit_agrees_with_the_passport() -> None:
    """The passport connects WhatsApp through WABA and lists the «абонентское
    обслуживание» field: the audit neither bills the client a move to WABA nor calls the
    field a setting the passport did not foresee."""
    ws = Workspace.open(EXAMPLES / "kreativ-agency")
    passport, _ = document_markdown(ws, "passport", "ru")
    assert "WABA" in passport and "бонентское обслуживание" in passport
    audit = _flat(json.dumps(audit_report.build_context(ws.project, "ru"), ensure_ascii=False))
    assert "согласовать со Смирновой А. Е. ежемесячную стоимость" not in audit
    assert "как предусмотрено паспортом" in audit
    assert "«Абонентское обслуживание соцсетей»" not in audit
    assert "Абонентское обслуживание» есть в карточке клиента" in audit
