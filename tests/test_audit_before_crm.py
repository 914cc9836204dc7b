"""A KPI value the auditor marks as still measuring the work before the CRM (northwind's
G3: renewals that fell due before the renewal automation went live) is shown without
progress, as not yet attributable, and is not flagged to the sponsor."""

from __future__ import annotations

import shutil
from pathlib import Path

from crmimpl.documents import audit_report
from crmimpl.model.project import load_project
from tests.conftest import EXAMPLES


def _g3(folder: Path) -> dict:
    context = audit_report.build_context(load_project(folder / "project.yaml"), "en")
    return next(k for k in context["kpis"] if k["goal"] == "G3")


def test_a_value_before_the_crm_shows_no_progress(tmp_path: Path) -> None:
    row = _g3(EXAMPLES / "northwind-it")
    assert row["progress"] == "\u2014" and row["state"] == "not yet attributable to the CRM"
    assert not row["achieved"] and row["bar"] == ""
    # without the mark the same figure is credited as progress
    folder = tmp_path / "p"
    shutil.copytree(EXAMPLES / "northwind-it", folder, ignore=shutil.ignore_patterns("out"))
    audit = folder / "audits" / "2026-09-03.yaml"
    audit.write_text(audit.read_text(encoding="utf-8").replace("    before_crm: true\n", ""),
                     encoding="utf-8")
    assert _g3(folder)["progress"] == "31%"
