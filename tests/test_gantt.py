"""The Gantt chart: offline HTML that Chromium draws, static images through kaleido."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from crmimpl.errors import CrmimplError
from crmimpl.plan.builder import Plan, build_plan, save_baseline
from crmimpl.render import gantt
from crmimpl.render.gantt import DIV_ID, gantt_html, write_gantt_html, write_gantt_images
from tests.plan_helpers import new_project, small_project


def _chromium() -> str:
    for name in gantt.BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is required in CI")
    pytest.skip("chromium is not installed")


def _dom(html_file: Path, tmp_path: Path) -> str:
    """The DOM after plotly drew the chart, in headless Chromium without network."""
    result = subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--no-first-run",
         f"--user-data-dir={tmp_path / 'chromium'}", "--virtual-time-budget=15000",
         "--dump-dom", html_file.as_uri()],
        capture_output=True, timeout=120, check=True,
    )
    return result.stdout.decode("utf-8")


def _bars(dom: str) -> int:
    return len(re.findall(r'<g class="point"><path d="M', dom))


def test_html_is_offline_and_deterministic(tmp_path: Path) -> None:
    plan = build_plan(small_project(tmp_path))
    html = gantt_html(plan, today=date(2026, 3, 5))
    assert f'id="{DIV_ID}"' in html
    assert not re.search(r'<script[^>]+src="https?:', html), "plotly.js is embedded"
    assert html == gantt_html(plan, today=date(2026, 3, 5))
    assert "Status on 2026-03-05" in html


def test_chromium_draws_one_bar_per_task(tmp_path: Path) -> None:
    plan = build_plan(new_project(tmp_path, "typical"))
    path = write_gantt_html(plan, tmp_path / "gantt.html")
    dom = _dom(path, tmp_path)
    tasks = [t for t in plan.tasks if not t.milestone]
    assert _bars(dom) == len(plan.phases) + len(tasks)
    milestones = sum(1 for t in plan.tasks if t.milestone)
    assert len(re.findall(r'class="point"', dom)) - _bars(dom) == milestones
    assert "Pre-project survey" in dom


def test_progress_and_baseline_are_drawn(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    save_baseline(build_plan(project))
    plan = build_plan(small_project(tmp_path, """\
plan:
  tasks:
    - {id: dev.settings, effort_hours: 24}
    - {id: prep.seminar, percent_complete: 100}
"""))
    assert plan.has_baseline
    path = write_gantt_html(plan, tmp_path / "gantt.html", today=date(2026, 3, 5))
    dom = _dom(path, tmp_path)
    tasks = [t for t in plan.tasks if not t.milestone]
    # phases + tasks + one progress bar + a baseline strip per task
    assert _bars(dom) == len(plan.phases) + 2 * len(tasks) + 1
    assert "Baseline" in dom


def _images(plan: Plan, tmp_path: Path) -> list[Path]:
    return write_gantt_images(plan, [(tmp_path / "g.png", "png"), (tmp_path / "g.svg", "svg"),
                                     (tmp_path / "g.pdf", "pdf")])


@pytest.mark.slow
def test_static_images(tmp_path: Path) -> None:
    _chromium()
    plan = build_plan(small_project(tmp_path))
    png, svg, pdf = _images(plan, tmp_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg.read_bytes()[:400]
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert not list(tmp_path.glob(".*.tmp.*"))


def test_no_browser_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = build_plan(small_project(tmp_path))
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(CrmimplError, match="need Chromium or Chrome"):
        _images(plan, tmp_path)
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "nothing"))
    with pytest.raises(CrmimplError, match="no browser at"):
        _images(plan, tmp_path)
