"""The plan commands as a person runs them: plan, plan ids, plan baseline, gantt, export."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from crmimpl.documents.workspace import Workspace
from crmimpl.plan.builder import PlanTask
from tests.conftest import EXAMPLES
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


# ------------------------------------------------------------------ plan ids, plan show --format
def test_plan_ids_lists_every_task(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    plan = Workspace.open(folder).plan
    result = run_cli(capsys, "plan", "ids", str(folder))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split() == ["ID", "PHASE", "NAME"]
    listed = [line.split(maxsplit=2) for line in lines[1:]]
    assert [row[0] for row in listed] == [t.id for t in plan.tasks]
    assert [(row[1], row[2]) for row in listed] == [(t.phase, t.name) for t in plan.tasks]


def _figures(task: PlanTask) -> tuple[Any, ...]:
    return (task.id, task.name, task.phase, task.start.isoformat(), task.finish.isoformat(),
            task.duration_days, task.effort_hours, task.assignees, task.cost, task.critical,
            task.total_float, task.milestone)


def test_plan_show_csv_and_json_carry_the_plan(capsys: pytest.CaptureFixture[str],
                                               folder: Path) -> None:
    plan = Workspace.open(folder).plan
    expected = [_figures(t) for t in plan.tasks]
    result = run_cli(capsys, "plan", "show", str(folder), "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [(r["id"], r["name"], r["phase"], r["start"], r["finish"], int(r["days"]),
             Decimal(r["effort"]), [p for p in r["people"].split("; ") if p],
             Decimal(r["cost"]), r["critical"] == "true", int(r["float"]),
             r["milestone"] == "true") for r in rows] == expected
    result = run_cli(capsys, "plan", "show", str(folder), "-f", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out, parse_float=Decimal)
    assert [(t["id"], t["name"], t["phase"], t["start"], t["finish"], t["days"],
             Decimal(t["effort"]), t["people"], Decimal(t["cost"]), t["critical"], t["float"],
             t["milestone"]) for t in data["tasks"]] == expected
    assert Decimal(data["totals"]["total"]) == plan.costs.total
    assert data["critical_path"] == plan.critical_path
    assert data["launch"] == plan.launch.isoformat()


def test_plan_show_bad_format_is_a_usage_error(capsys: pytest.CaptureFixture[str],
                                               folder: Path) -> None:
    result = run_cli(capsys, "plan", "show", str(folder), "--format", "xml")
    assert result.code == 2
    assert "unknown format 'xml'" in result.err and "table, csv, json" in result.err


@pytest.mark.parametrize("example", ["optima-distribution", "northwind-it"])
def test_piped_plan_show_at_80_columns_keeps_every_id(
        example: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    plan = Workspace.open(EXAMPLES / example).plan
    result = run_cli(capsys, "plan", "show", str(EXAMPLES / example))
    assert result.code == 0, result.err
    words = set(result.out.split())
    assert [t.id for t in plan.tasks if t.id not in words] == []
    assert "\x1b[" not in result.out, "no colour codes in a pipe"


def test_plan_table_on_an_80_column_terminal_keeps_every_id() -> None:
    from rich.console import Console

    from crmimpl.cli.plan import print_plan

    plan = Workspace.open(EXAMPLES / "optima-distribution").plan
    buffer = io.StringIO()
    print_plan(plan, Console(file=buffer, width=80, force_terminal=True, color_system=None))
    text = re.sub(r"\x1b\[[0-9;]*m", "", buffer.getvalue())
    assert max(len(line) for line in text.splitlines()) <= 80
    words = set(text.split())
    assert [t.id for t in plan.tasks if t.id not in words] == []
    assert "Start" in text, "the dates stay"


def test_a_large_plan_table_is_laid_out_plainly_and_keeps_every_id(tmp_path: Path) -> None:
    """Above PLAIN_ABOVE rows the table is written line by line (rich takes seconds):
    still every id whole, within the terminal's width, and the critical mark kept."""
    from rich.console import Console

    from crmimpl.cli import plan as cli_plan
    from tests.test_large_plan import large_project

    plan = Workspace.open(large_project(tmp_path, added=cli_plan.PLAIN_ABOVE)).plan
    for width in (80, 100_000):
        buffer = io.StringIO()
        cli_plan.print_plan(plan, Console(file=buffer, width=width, force_terminal=True,
                                          color_system=None))
        text = buffer.getvalue()
        table = text.split("\nstart ")[0].splitlines()
        assert len(table) == 3 + len(plan.tasks) + len(plan.phases)
        assert max(len(line) for line in table) <= width
        words = set(text.split())
        assert [t.id for t in plan.tasks if t.id not in words] == []
        marked = sum(line.split()[1:2] == ["*"] for line in table[3:])
        assert marked == sum(t.critical for t in plan.tasks)
    assert "Руководство проектом: планирование, контроль, отчётность, риски" in text
