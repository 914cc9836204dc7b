"""Round 21 of the audit reports: which findings are the contractor's own defects, the
documents an audit may cite, and the order the findings are told in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from crmimpl.documents import audit_report
from crmimpl.documents.audit_checks import audit_warnings
from crmimpl.documents.workspace import Workspace
from crmimpl.questionnaire import audit as au
from tests.conftest import EXAMPLES

NAMES = ("kreativ-agency", "northwind-it", "optima-distribution", "volga-bank")


@pytest.fixture(scope="module")
def spaces() -> dict[str, Workspace]:
    return {n: Workspace.open(EXAMPLES / n) for n in NAMES}


def _with_check(record: au.AuditRecord, area: str, check: str,
                **update: Any) -> au.AuditRecord:
    areas = {a: dict(checks) for a, checks in record.areas.items()}
    areas[area][check] = areas[area][check].model_copy(update=update)
    return record.model_copy(update={"areas": areas})


def _context(ws: Workspace, record: au.AuditRecord) -> dict[str, Any]:
    lang = ws.project.project.language
    return audit_report.build_context(ws.in_language(lang).project, lang, plan=ws.plan,
                                      audits=[record], audit=record)


def _usage_finding(record: au.AuditRecord, project: Any) -> tuple[str, str, au.CheckResult]:
    for area, checks in record.areas.items():
        for check_id, c in checks.items():
            if c.status in ("failed", "partly") and not audit_report.contractors_defect(
                    project, c):
                return area, check_id, c
    raise AssertionError("no usage finding")


@pytest.mark.parametrize("name", NAMES)
def test_a_fix_billed_under_warranty_makes_the_finding_the_contractors(spaces, name) -> None:
    """Round 20: kreativ's WhatsApp on a QR session and its unreconciled migration were
    fixed by the contractor at its cost, yet told as the client's usage remarks. Any
    finding of any project whose action the auditor bills as warranty work is reported
    among the deviations, which come first, and its fix is billed under warranty."""
    ws = spaces[name]
    record = ws.audits[-1]
    area, check_id, c = _usage_finding(record, ws.project)
    owner = next(p.name for p in ws.project.team if p.side == "contractor")
    mark = "гарантия" if ws.project.project.language == "ru" else "warranty"
    due = (c.due or record.date + dt.timedelta(days=7)).strftime("%d.%m.%Y")
    marked = _with_check(record, area, check_id, requirement=None,
                         evidence="The marked finding.",
                         action=f"Fix the set-up. [{owner}, {due}, {mark}]")
    groups = _context(ws, marked)["finding_groups"]
    assert groups[0]["deviation"]
    moved = next(f for f in groups[0]["findings"] if "The marked finding" in f["evidence"])
    assert moved["efforts"][0][1] == "warranty"
    assert [f["number"] for f in groups[0]["findings"]] == list(
        range(1, len(groups[0]["findings"]) + 1))
    # unmarked, the same finding stays a remark on how the system is used
    plain = _with_check(marked, area, check_id, action="Do it.")
    usage = [f["evidence"] for g in _context(ws, plain)["finding_groups"]
             if not g["deviation"] for f in g["findings"]]
    assert any("The marked finding" in e for e in usage)


def test_kreativs_migration_and_whatsapp_are_passport_deviations(spaces) -> None:
    ws = spaces["kreativ-agency"]
    groups = _context(ws, ws.audits[-1])["finding_groups"]
    deviations = " ".join(f["title"] for f in groups[0]["findings"])
    assert groups[0]["deviation"] and "паспорта" in groups[0]["title"]
    assert "Перенос данных" in deviations and "WABA" in deviations
    usage = " ".join(f["title"] for f in groups[1]["findings"])
    assert "WABA" not in usage and "Перенос данных" not in usage


@pytest.mark.parametrize("name", NAMES)
def test_the_order_of_the_findings_says_deviations_come_first(spaces, name) -> None:
    ws = spaces[name]
    context = _context(ws, ws.audits[-1])
    first = any(g["deviation"] for g in context["finding_groups"])
    order = context["findings_order"]
    assert (order.startswith(("сначала отклонения", "the deviations"))) == first
    if ws.project.project.mode == "express" and first:
        assert "паспорт" in order or "passport" in order


@pytest.mark.parametrize("name", NAMES)
def test_a_cited_document_the_project_does_not_deliver_is_a_review_note(spaces,
                                                                        name) -> None:
    """Round 20: kreativ's audit cited an administrator guide that its express passport
    never promised; the specifications of the other modes do promise one."""
    ws = spaces[name]
    record = ws.audits[-1]
    assert not [w for w in audit_warnings(ws.project, [record], ws.plan) if "cites" in w]
    area, check_id, _c = _usage_finding(record, ws.project)
    cited = _with_check(record, area, check_id,
                        evidence="Проверяется по инструкции администратора.")
    notes = [w for w in audit_warnings(ws.project, [cited], ws.plan) if "cites" in w]
    if ws.project.project.mode == "express":
        assert notes == [f"audits/{record.date.isoformat()}.yaml: {check_id}: cites "
                         "«инструкции администратора», a document no task of the plan "
                         "delivers; name one the project delivers, or add its task"]
    else:
        assert not notes


def test_an_express_report_bills_by_the_passport_not_a_specification(spaces) -> None:
    ws = spaces["kreativ-agency"]
    text = " ".join(_context(ws, ws.audits[-1])["support_hours"])
    assert "паспортом пакета" in text and "техническим заданием" not in text
