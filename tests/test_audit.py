"""The audit cycle: checklist export, fill, LibreOffice round trip, import, scores, report."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from crmimpl.documents import audit_report
from crmimpl.errors import CrmimplError
from crmimpl.model.project import Kpi, Project, load_project
from crmimpl.questionnaire import audit as au
from tests.conftest import EXAMPLES, soffice_convert
from tests.filler import fill_workbook

EXAMPLE = EXAMPLES / "optima-distribution"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The example project in a folder of its own, with no audit yet."""
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(EXAMPLE / "project.yaml", folder / "project.yaml")
    return load_project(folder)


# ------------------------------------------------------------------ filling helpers
def fill(project: Project, src: Path, dst: Path, values: dict[str, dict[str, Any]], *,
         default: str = "Выполнено", kpi: dict[str, Any] | None = None) -> None:
    """Give every check ``default`` status, then apply ``values`` (row id → column values)."""
    definition, _ = au.checklist_for(project)
    answers: dict[str, Any] = {q.id: {row.id: {"status": default, **values.get(row.id, {})}
                                      for row in q.rows} for _section, q in au.areas(definition)}
    fill_workbook(src, {**answers, au.KPI_QUESTION: kpi or {}}, out=dst)


# ------------------------------------------------------------------ round trip
def test_round_trip_through_libreoffice(project: Project, tmp_path: Path, soffice: str) -> None:
    blank = au.export_checklist(project, tmp_path / "out" / "checklist.xlsx", number=1)
    filled = tmp_path / "filled" / "checklist.xlsx"
    filled.parent.mkdir()
    fill(project, blank, filled, {
        "pipeline_current": {"status": "Не выполнено", "evidence": "9 из 20 сделок: стадия «Счёт»",
                             "owner": "Сергеева М. О.", "due": dt.date(2026, 9, 25)},
        "stale_deals": {"status": "Выполнено частично", "criticality": "Высокая",
                        "evidence": "84 сделки > 30 дней"},
        "mobile_use": {"status": "Неприменимо"},
    }, kpi={"goal_g2": {"actual": 41.5, "comment": "отчёт CRM, август"}})
    converted = soffice_convert(soffice, filled, "xlsx", tmp_path / "lo")

    outcome = au.import_checklist(project, converted)

    record = outcome.record
    planned = au.planned_date(project, 1)  # the plan's audit No. 1 dates the checklist
    assert planned is not None
    assert outcome.path == project.folder / "audits" / f"{planned.isoformat()}.yaml"
    assert record.number == 1 and record.date == planned
    assert record.areas["regulation"]["pipeline_current"] == au.CheckResult(
        status="failed", criticality="high", evidence="9 из 20 сделок: стадия «Счёт»",
        owner="Сергеева М. О.", due=dt.date(2026, 9, 25))
    assert record.areas["data_quality"]["stale_deals"] == au.CheckResult(
        status="partly", criticality="high", evidence="84 сделки > 30 дней")
    assert record.areas["adoption"]["mobile_use"].status == "not_applicable"
    assert record.areas["regulation"]["calls_logged"] == au.CheckResult(
        status="passed", criticality="high")
    assert record.kpi == {"G2": au.KpiResult(actual=41.5, comment="отчёт CRM, август")}
    statuses = [c.status for a in record.areas.values() for c in a.values()]
    assert statuses.count("passed") == len(statuses) - 3
    assert au.read_audit(outcome.path) == record


def test_checklist_follows_the_project(project: Project) -> None:
    definition, _ = au.checklist_for(project)
    rows = {r.id for _s, q in au.areas(definition) for r in q.rows}
    assert {"mobile_use", "calls_in_card", "exchange_runs"} <= rows
    kpi = next(q for q in definition.questions() if q.id == au.KPI_QUESTION)
    assert [r.id for r in kpi.rows] == ["goal_g1", "goal_g2", "goal_g3", "goal_g4"]

    project.scope.modules.remove("mobile")
    project.integrations = []
    definition, _ = au.checklist_for(project)
    assert [s.id for s, _q in au.areas(definition)] == ["regulation", "adoption",
                                                       "data_quality"]
    assert "mobile_use" not in {r.id for _s, q in au.areas(definition) for r in q.rows}


def test_every_check_has_corrective_actions() -> None:
    from crmimpl.questionnaire.library import get_questionnaire

    catalogue = au.load_catalogue()
    definition = get_questionnaire(au.QUESTIONNAIRE)
    for _section, q in au.areas(definition):
        for row in q.rows:
            entry = catalogue.checks[row.id]
            assert entry.actions and entry.how is not None, row.id
    assert set(catalogue.checks) == {r.id for _s, q in au.areas(definition) for r in q.rows}


def test_missing_statuses_are_all_reported(project: Project, tmp_path: Path) -> None:
    blank = au.export_checklist(project, tmp_path / "blank.xlsx", number=1)
    with pytest.raises(CrmimplError) as info:
        au.import_checklist(project, blank)
    lines = [p.render() for p in info.value.problems]
    assert len(lines) == 20
    assert lines[0].startswith("blank.xlsx!Соблюдение регламента!E5: 'Статус' must be filled")
    assert not (project.folder / "audits").exists()


def test_a_finding_without_owner_or_date_is_a_warning(project: Project,
                                                      tmp_path: Path) -> None:
    blank = au.export_checklist(project, tmp_path / "blank.xlsx", number=1)
    filled = tmp_path / "filled.xlsx"
    fill(project, blank, filled, {
        "calls_logged": {"status": "Не выполнено", "owner": "Ефимова С. И."},
        "stale_deals": {"status": "Выполнено частично", "owner": "Орлов Д. С.",
                        "due": dt.date(2026, 9, 25)}})
    outcome = au.import_checklist(project, filled, date=dt.date(2026, 9, 7))
    unassigned = [w for w in outcome.warnings if "ответственный или срок" in w
                  or "no owner" in w]
    assert len(unassigned) == 1
    assert "Звонки и встречи" in unassigned[0] or "Calls and meetings" in unassigned[0]


def test_existing_audit_needs_force(project: Project, tmp_path: Path) -> None:
    blank = au.export_checklist(project, tmp_path / "blank.xlsx", number=1)
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    fill(project, blank, first, {})
    fill(project, blank, second, {"calls_logged": {"status": "Не выполнено"}})
    assert au.import_checklist(project, first).status == "added"
    assert au.import_checklist(project, first).status == "unchanged"
    with pytest.raises(CrmimplError) as info:
        au.import_checklist(project, second)
    text = info.value.render()
    assert "areas.regulation.calls_logged.status: was 'passed', the workbook says 'failed'" \
        in text and "--force" in text
    assert au.import_checklist(project, second, force=True).status == "replaced"
    assert au.load_audits(project.folder)[0].areas["regulation"]["calls_logged"].status \
        == "failed"


def test_renamed_xls_is_refused(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"Workbook")
    with pytest.raises(CrmimplError, match="legacy Excel 97-2003"):
        au.import_checklist(project, path)
    done = subprocess.run([sys.executable, "-m", "crmimpl", "audit", "import",
                           str(project.folder), str(path)], capture_output=True, text=True)
    assert done.returncode == 1 and "old.xlsx: legacy Excel" in done.stderr


# ------------------------------------------------------------------ scoring
def _record(areas: dict[str, dict[str, tuple[str, str]]]) -> au.AuditRecord:
    return au.AuditRecord(project="p", date=dt.date(2026, 1, 1), source="x.xlsx", areas={
        area: {cid: au.CheckResult(status=s, criticality=c) for cid, (s, c) in checks.items()}
        for area, checks in areas.items()})


def test_scores_by_hand() -> None:
    record = _record({
        "a": {"c1": ("passed", "high"), "c2": ("partly", "medium"), "c3": ("failed", "low"),
              "c4": ("not_applicable", "high")},
        "b": {"c5": ("partly", "low"), "c6": ("passed", "low")},
        "c": {"c7": ("not_applicable", "medium")},
    })
    scores = au.area_scores(record)
    # a: (3·1 + 2·0.5 + 1·0) / (3 + 2 + 1) = 4/6
    assert scores["a"].percent == pytest.approx(400 / 6)
    assert (scores["a"].passed, scores["a"].partly, scores["a"].failed,
            scores["a"].not_applicable) == (1, 1, 1, 1)
    # b: (1·0.5 + 1·1) / 2 = 75 %
    assert scores["b"].percent == pytest.approx(75.0)
    assert scores["c"].percent is None and scores["c"].applicable == 0
    # overall pools every applicable check: (4 + 1.5) / (6 + 2)
    assert au.overall_score(record).percent == pytest.approx(5.5 / 8 * 100)


def _kpi(baseline: float, target: float, higher: bool | None = None) -> Kpi:
    return Kpi(metric="m", baseline=baseline, target=target, deadline=dt.date(2027, 1, 1),
               higher_is_better=higher)


def test_kpi_progress_honours_direction() -> None:
    lower = _kpi(95, 15)  # minutes to answer: lower is better
    assert au.kpi_progress(lower, 55) == pytest.approx(50.0)
    assert au.kpi_progress(lower, 19) == pytest.approx(95.0)
    assert au.kpi_progress(lower, 120) == 0.0  # worse than the baseline
    assert au.kpi_progress(lower, 10) == 100.0  # beyond the target
    higher = _kpi(46, 60)
    assert au.kpi_progress(higher, 53) == pytest.approx(50.0)
    assert au.kpi_progress(higher, 40) == 0.0
    assert au.kpi_progress(_kpi(10, 5, higher=False), 7) == pytest.approx(60.0)


# ------------------------------------------------------------------ report
def _report_text(lang: str, tmp_path: Path) -> str:
    from crmimpl.render.docx import write_docx
    from crmimpl.render.pdf import docx_to_pdf

    example = load_project(EXAMPLE)
    blocks, meta = audit_report.report_blocks(example, lang)
    docx = write_docx(blocks, tmp_path / f"report-{lang}.docx", meta=meta)
    pdf = docx_to_pdf(docx, tmp_path / f"report-{lang}.pdf")
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout


@pytest.mark.parametrize(("lang", "titles"), [
    ("ru", ["Соблюдение регламента", "Использование системы", "Качество данных",
            "Интеграции", "Динамика по аудитам",
            "Замечания по использованию системы и корректирующие действия"]),
    ("en", ["Process compliance", "Adoption", "Data quality", "Integrations",
            "Trend across audits", "Findings on the use of the system and corrective actions"]),
])
def test_report_pdf(lang: str, titles: list[str], tmp_path: Path, soffice: str) -> None:
    text = _report_text(lang, tmp_path)
    for title in titles:
        assert title in text
    assert "█" in text
    for bad in ("Error!", "None", "{{", "}}"):
        assert bad not in text


def test_report_trend_has_both_audits() -> None:
    from crmimpl.documents import audit_report

    example = load_project(EXAMPLE)
    context = audit_report.build_context(example, "en")
    assert context["trend"]["dates"] == ["7\u00a0Sep\u00a02026", "7\u00a0Dec\u00a02026"]
    overall = context["trend"]["rows"][-1]
    assert overall["title"] == "Overall" and overall["cells"] == ["50%", "88%"]
    first = audit_report.build_context(example, "en", audit=dt.date(2026, 9, 7))
    assert first["trend"]["rows"] == [] and first["number"] == 1


def test_build_without_audits_writes_only_the_checklist(project: Project,
                                                        tmp_path: Path) -> None:
    from crmimpl.build import BuildOptions, build

    options = BuildOptions(out=tmp_path / "out", langs=("ru", "en"), only=("audit",))
    written = build(project, options).written
    assert [p.name for p in written] == ["optima-crm-2026-audit-checklist-ru.xlsx",
                                         "optima-crm-2026-audit-checklist-en.xlsx"]
    with pytest.raises(CrmimplError, match="no audit has been imported yet"):
        audit_report.report_blocks(project, "ru")
