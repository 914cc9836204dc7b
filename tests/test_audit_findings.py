"""Audit findings as a consultant writes them: headed by the problem, answered by actions
drawn from the finding (its check, the measured gap, the owner), evidence kept for passed
checks, the date set against the plan, and checks and actions that fit the project."""

from __future__ import annotations

import datetime as dt

import pytest

from crmimpl.documents import audit_report
from crmimpl.model.project import Project, load_project
from crmimpl.questionnaire import audit as au
from crmimpl.questionnaire.library import get_questionnaire
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def volga() -> Project:
    return load_project(EXAMPLES / "volga-bank")


@pytest.fixture(scope="module")
def kreativ() -> Project:
    return load_project(EXAMPLES / "kreativ-agency")


@pytest.fixture(scope="module")
def volga_ru(volga: Project) -> dict:
    return audit_report.build_context(volga, "ru")


def _finding(context: dict, check_start: str) -> dict:
    return next(f for f in context["findings"] if f["check"].startswith(check_start))


def test_a_failed_finding_is_headed_as_a_problem(volga_ru: dict) -> None:
    parallel = _finding(volga_ru, "Параллельный учёт")
    assert parallel["status"] == "Не выполнено"
    assert parallel["title"] == "Параллельный учет вне CRM продолжается"
    assert "прекращён" not in parallel["title"]
    for f in volga_ru["findings"]:
        assert f["title"] != f["check"], f["title"]


def test_heading_without_a_catalogue_problem_says_the_status() -> None:
    record = au.AuditRecord(project="x", date=dt.date(2026, 1, 1), source="x.xlsx", areas={
        "regulation": {"custom_check": au.CheckResult(status="failed")}})
    project = load_project(EXAMPLES / "optima-distribution")
    labels = audit_report._Labels(get_questionnaire(au.QUESTIONNAIRE), "en")
    found = audit_report._findings(project, record, labels, au.load_catalogue(), "en")
    assert found[0]["title"] == "Failed: custom_check"


def test_corrective_action_comes_from_the_finding(volga_ru: dict) -> None:
    calls = _finding(volga_ru, "Звонки и встречи")
    first = calls["actions"][0]
    # the owner's initials never leave the surname at a line break
    assert first.endswith(" Ответственный — Мельников\u00a0О.\u00a0П., срок — 25.06.2027.")
    assert "90 %" in first  # the auditor's own action, put first
    mobile = _finding(volga_ru, "Сотрудники в разъездах")
    # no action written by the auditor: the check, the measured gap and the owner
    assert mobile["actions"][0] == (
        "Устранить отклонение по проверке «Сотрудники в разъездах пользуются мобильным "
        "приложением» (по данным аудита — 27 из 42) и подтвердить результат повторной "
        "проверкой по методике чек-листа. Ответственный — Соколова\u00a0А.\u00a0В., "
        "срок — 09.07.2027.")


def test_passed_checks_keep_their_evidence(volga_ru: dict) -> None:
    confirmed = [c for a in volga_ru["checklist"] for c in a["confirmed"]]
    assert any("481 из 500" in c["evidence"] for c in confirmed)
    assert all(c["evidence"].endswith(".") for c in confirmed)


def test_bank_checks_come_from_the_checklist(volga: Project, volga_ru: dict) -> None:
    definition, _catalogue = au.checklist_for(volga)
    ids = {r.id for _s, q in au.areas(definition) for r in q.rows}
    assert {"complaints_on_time", "collection_limits", "consents_respected",
            "pd_access_logged"} <= ids
    assert _finding(volga_ru, "Жалобы клиентов")["title"].startswith("Жалобы клиентов")


def test_bank_checks_stay_out_of_other_projects(kreativ: Project) -> None:
    definition, _catalogue = au.checklist_for(kreativ)
    ids = {r.id for _s, q in au.areas(definition) for r in q.rows}
    assert not ids & {"complaints_on_time", "collection_limits", "pd_access_logged"}


def test_audit_date_is_set_against_the_plan(volga: Project, volga_ru: dict) -> None:
    from crmimpl import i18n

    planned = au.planned_date(volga, 1)
    assert planned is not None and planned < dt.date(2027, 5, 24)
    days = (dt.date(2027, 5, 24) - planned).days
    schedule = volga_ru["schedule"].replace("\u00a0", " ")
    assert i18n.day_long(planned, "ru").replace("\u00a0", " ") in schedule
    assert f"на {i18n.count(days, 'ru', ('день', 'дня', 'дней'), ('', ''))} позже" in schedule
    assert "по просьбе банка" in schedule


def test_no_telephony_action_without_telephony(kreativ: Project) -> None:
    context = audit_report.build_context(kreativ, "ru")
    actions = " ".join(a for f in context["findings"] for a in f["actions"])
    assert "телефони" not in actions
    # the integration errors are already watched (a passed check): no alert to set up
    assert "уведомление ответственному о сбое" not in actions


def test_next_audit_only_when_one_is_planned(kreativ: Project, volga_ru: dict) -> None:
    context = audit_report.build_context(kreativ, "ru")
    assert context["next_audit"] == ""
    assert "следующем аудите" not in context["control"]
    assert "следующем аудите" in volga_ru["control"]


def test_missed_and_near_goals_go_to_the_sponsor(volga_ru: dict) -> None:
    optima = audit_report.build_context(load_project(EXAMPLES / "optima-distribution"), "ru")
    flagged = " ".join(optima["attention"])
    assert "G2" in flagged and "прошел, цель не достигнута" in flagged
    assert "Ефимова" in flagged
    # volga's G5 is due five weeks after the audit and half-way there
    assert [a[:2] for a in volga_ru["attention"]] == ["G5"]
