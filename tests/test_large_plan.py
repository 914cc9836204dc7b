"""A 2 000-task project: every product is written, nothing crashes, images stay legible.

The project is the optima example with 2 000 consultant tasks added in four chains (one
per delivery phase), the size a portfolio's largest programme reaches. Speed is measured
in ``bench/``; this test only checks that every output is whole at that size.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES
from tests.helpers import run_cli

PHASES = ("survey", "design", "development", "rollout")
ADDED = 2000


def large_project(folder: Path, added: int = ADDED) -> Path:
    """The optima example with ``added`` extra tasks in chains of four phases."""
    target = folder / "large"
    shutil.copytree(EXAMPLES / "optima-distribution", target,
                    ignore=shutil.ignore_patterns("out", "answers", "audits"))
    data = yaml.safe_load((target / "project.yaml").read_text(encoding="utf-8"))
    data.setdefault("plan", {})["add"] = [
        {"id": f"extra{i}", "name": f"Доработка отчёта {i}", "phase": PHASES[i % 4],
         "effort_hours": 8, "roles": ["consultant"],
         **({"depends_on": [{"task": f"extra{i - 4}"}]} if i >= 4 else {})}
        for i in range(added)
    ]
    (target / "project.yaml").write_text(yaml.safe_dump(data, allow_unicode=True,
                                                         sort_keys=False), encoding="utf-8")
    return target


@pytest.mark.slow
def test_a_2000_task_project_builds_every_product(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import xml.etree.ElementTree as ET

    from docx import Document
    from openpyxl import load_workbook

    project = large_project(tmp_path)
    out = tmp_path / "out"
    result = run_cli(capsys, "build", str(project), "-o", str(out))
    assert result.code == 0, result.err
    assert "Traceback" not in result.out + result.err
    files = {p.name: p for p in out.iterdir()}
    for kind in ("survey_report", "tech_spec", "training_plan"):
        docx = next(p for n, p in files.items() if kind in n and n.endswith(".docx"))
        assert len(Document(str(docx)).paragraphs) > 20, kind
        assert (docx.with_suffix(".html")).stat().st_size > 10_000, kind
    html = next(p for n, p in files.items() if n.endswith("-gantt.html"))
    assert html.stat().st_size < 10_000_000  # plotly.js is shared beside it
    assert any(n.startswith("plotly-") and n.endswith(".min.js") for n in files)
    text = html.read_text(encoding="utf-8")
    assert text.count("extra") >= ADDED  # each task's hover names its id
    xml = next(p for n, p in files.items() if n.endswith("-plan.xml"))
    tasks = ET.parse(xml).getroot().find("{http://schemas.microsoft.com/project}Tasks")
    assert tasks is not None and len(tasks) > ADDED
    book = load_workbook(next(p for n, p in files.items() if n.endswith("-plan.xlsx")))
    assert book.worksheets[0].max_row > ADDED
    if shutil.which("chromium") or shutil.which("chromium-browser"):
        png = next(p for n, p in files.items() if n.endswith("-gantt.png")).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert height < 4 * width, "the static image folds a large plan to a slide"


def test_a_large_levelled_plan_keeps_float_true_to_its_dates(tmp_path: Path) -> None:
    """Float and the critical path belong to the dates the plan shows: a task whose late
    start is its start has no float, a critical path exists, and management ends with the
    delivery (at this size re-levelling a shorter plan once ordered the work otherwise)."""
    from crmimpl.documents.workspace import Workspace

    plan = Workspace.open(large_project(tmp_path) / "project.yaml").plan
    sched = plan.schedule
    cal = sched.calendar
    for tid, st in sched.tasks.items():
        if st.summary or st.milestone:
            continue
        days = cal.index_of(st.late_start) - cal.index_of(st.start)
        assert st.total_float == days, (tid, st.start, st.late_start, st.total_float)
    assert sched.critical_path
    last = max(st.finish for tid, st in sched.tasks.items() if tid.startswith("extra"))
    assert sched.tasks["pm.management"].finish == last
