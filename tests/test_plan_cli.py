"""The plan commands as a person runs them: plan, plan baseline, gantt, export."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.plan_helpers import small_project


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return small_project(tmp_path).folder


def test_plan_prints_schedule_and_critical_path(capsys: pytest.CaptureFixture[str],
                                                folder: Path) -> None:
    result = run_cli(capsys, "plan", str(folder))
    assert result.code == 0, result.err
    assert "dev.settings" in result.out
    assert "critical path" in result.out
    assert "total" in result.out
    shown = run_cli(capsys, "plan", "show", str(folder))
    assert shown.out == result.out


def test_baseline_then_gantt_shows_it(capsys: pytest.CaptureFixture[str],
                                      folder: Path) -> None:
    result = run_cli(capsys, "plan", "baseline", str(folder))
    assert result.code == 0, result.err
    assert (folder / ".crmimpl" / "baseline.yaml").exists()
    result = run_cli(capsys, "gantt", str(folder), "--today", "2026-03-05")
    assert result.code == 0, result.err
    html = (folder / "out" / "small-gantt.html").read_text(encoding="utf-8")
    assert "Baseline" in html


def test_export_all_formats(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    result = run_cli(capsys, "export", str(folder))
    assert result.code == 0, result.err
    out = folder / "out"
    assert (out / "small-plan.xlsx").stat().st_size > 0
    assert (out / "small-plan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    root = ET.parse(out / "small-plan.xml").getroot()
    assert root.tag == "{http://schemas.microsoft.com/project}Project"
    ns = {"p": "http://schemas.microsoft.com/project"}
    names = [n.text for n in root.findall("p:Tasks/p:Task/p:Name", ns)]
    assert "Standard configuration and reference directories" in names
    assert root.findall("p:Assignments/p:Assignment", ns)


def test_usage_errors(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    assert run_cli(capsys, "export", str(folder), "--format", "docx").code == 2
    assert run_cli(capsys, "gantt", str(folder), "--format", "bmp").code == 2
    bad = run_cli(capsys, "gantt", str(folder), "--today", "yesterday")
    assert bad.code == 2 and "not a date" in bad.err


def test_unknown_override_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = small_project(tmp_path, "plan:\n  tasks:\n    - {id: nope, drop: true}\n").folder
    result = run_cli(capsys, "plan", str(folder))
    assert result.code == 1
    assert "project.yaml:" in result.err and "no task 'nope'" in result.err
