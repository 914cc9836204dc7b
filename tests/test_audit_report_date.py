"""The audit report is dated as the plan dates it (round 11: dated 21 Aug, the first day
of the check, while the plan gives the report 25 Aug), unless the record states its own
report date; an audit held off the plan's days keeps its own date."""

from __future__ import annotations

import datetime as dt

from crmimpl.documents import audit_report
from crmimpl.documents.workspace import Workspace
from tests.conftest import EXAMPLES


def _context(record_changes: dict[str, object] | None = None,
             lang: str = "en") -> dict[str, object]:
    ws = Workspace.open(EXAMPLES / "northwind-it")
    record = ws.audits[-1]
    if record_changes:
        record = record.model_copy(update=record_changes)
    context = audit_report.build_context(ws.project, lang, plan=ws.plan, audits=[record],
                                         audit=record)
    # no-break spaces tie the day to its month: compared as plain spaces
    return {k: v.replace("\u00a0", " ") if isinstance(v, str) else v
            for k, v in context.items()}


def test_the_report_carries_the_plans_report_day_and_the_checks_days() -> None:
    ws = Workspace.open(EXAMPLES / "northwind-it")
    report = next(t for t in ws.plan.tasks if t.id == "audit.report.1")
    assert report.start == dt.date(2026, 9, 7)
    context = _context()
    assert context["subtitle"] == "Audit 1, 7 September 2026"
    assert context["held"] == "from 3 to 4 September 2026"
    assert _context(lang="ru")["held"] == "с 3 по 4 сентября 2026 года"


def test_a_report_date_in_the_record_wins() -> None:
    context = _context({"report_date": dt.date(2026, 8, 26)})
    assert context["subtitle"] == "Audit 1, 26 August 2026"


def test_an_audit_off_the_plans_days_keeps_its_own_date() -> None:
    context = _context({"date": dt.date(2026, 9, 15)})
    assert context["subtitle"] == "Audit 1, 15 September 2026"
    assert context["held"] == "on 15 September 2026"
