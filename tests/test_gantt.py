"""The Gantt chart: offline HTML that Chromium draws, static images through kaleido."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crmimpl.errors import CrmimplError
from crmimpl.plan.builder import Plan, build_plan, save_baseline
from crmimpl.render import gantt, gantt_axis, gantt_static
from crmimpl.render.gantt import DIV_ID, gantt_html, write_gantt_html
from crmimpl.render.gantt_static import write_gantt_images
from tests.plan_helpers import new_project, small_project


def _chromium() -> str:
    for name in gantt_static.BROWSERS:
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
    assert "Today 5 Mar 2026" in html


def test_chromium_draws_one_bar_per_task(tmp_path: Path) -> None:
    plan = build_plan(new_project(tmp_path, "typical"))
    path = write_gantt_html(plan, tmp_path / "gantt.html")
    dom = _dom(path, tmp_path)
    tasks = [t for t in plan.tasks if not t.milestone]
    critical = [t for t in tasks if t.critical]
    assert critical, "the typical plan has a critical path"
    # a bar per phase and task, and a red outline over each critical bar
    assert _bars(dom) == len(plan.phases) + len(tasks) + len(critical)
    milestones = sum(1 for t in plan.tasks if t.milestone)
    assert len(re.findall(r'class="point"', dom)) - _bars(dom) == milestones
    assert "Pre-project survey" in dom


def test_shared_plotlyjs_keeps_pages_small_and_offline(tmp_path: Path) -> None:
    from crmimpl.render.gantt import plotlyjs_name

    plan = build_plan(new_project(tmp_path, "typical"))
    path = write_gantt_html(plan, tmp_path / "gantt.html", plotlyjs="beside")
    shared = tmp_path / plotlyjs_name()
    assert shared.stat().st_size > 1_000_000
    assert path.stat().st_size < 1_500_000
    assert f'src="{plotlyjs_name()}"' in path.read_text(encoding="utf-8")
    tasks = [t for t in plan.tasks if not t.milestone]
    critical = [t for t in tasks if t.critical]
    assert _bars(_dom(path, tmp_path)) == len(plan.phases) + len(tasks) + len(critical)
    # a second page in the folder reuses the copy; without it the page says what is missing
    write_gantt_html(plan, tmp_path / "second.html", plotlyjs="beside")
    assert sorted(p.name for p in tmp_path.glob("plotly-*.js")) == [shared.name]
    lonely = tmp_path / "alone"
    lonely.mkdir()
    (lonely / "g.html").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert f"needs the file {shared.name}" in _dom(lonely / "g.html", tmp_path)


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
    critical = [t for t in tasks if t.critical]
    # phases + tasks + critical outlines + one progress bar + a baseline strip per task
    assert _bars(dom) == len(plan.phases) + 2 * len(tasks) + len(critical) + 1
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


@pytest.mark.slow
def test_background_image_job_draws_the_same_chart(tmp_path: Path) -> None:
    """The build's PNG, drawn in a child process while documents are written, is the
    image the in-process writer draws; the child leaves nothing behind."""
    _chromium()
    plan = build_plan(small_project(tmp_path))
    job = gantt_static.ImageJob(plan, [(tmp_path / "bg.png", "png"), (tmp_path / "bg.svg",
                                                                      "svg")])
    png, svg = job.result()
    direct = write_gantt_images(plan, [(tmp_path / "g.svg", "svg")])[0]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    def same_ids(text: str) -> str:  # plotly names clip paths and traces at random
        return re.sub(r"(?<=[a-z-])[0-9a-f]{6}(?![0-9a-f])", "X", text)

    assert same_ids(svg.read_text()) == same_ids(direct.read_text())
    assert job.server.proc.poll() is not None and not job.server.private.exists()
    assert not list(tmp_path.glob(".*.tmp.*"))


def test_background_image_job_cancelled_leaves_nothing(tmp_path: Path) -> None:
    chromium = _chromium()
    plan = build_plan(small_project(tmp_path))
    job = gantt_static.ImageJob(plan, [(tmp_path / "g.png", "png")])
    job.cancel()
    assert job.server.proc.poll() is not None
    assert not job.server.private.exists() and not list(tmp_path.glob(".*"))
    assert not (tmp_path / "g.png").exists()
    assert chromium


def test_a_failing_browser_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    plan = build_plan(small_project(tmp_path))
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    job = gantt_static.ImageJob(plan, [(tmp_path / "g.png", "png")], timeout=10)
    # kaleido waits for a browser that never answers: the timeout ends it, as a message
    with pytest.raises(CrmimplError, match=r"did not draw the Gantt chart|was not drawn"):
        job.result()
    assert not job.server.private.exists() and not list(tmp_path.glob(".g.*"))


@pytest.mark.slow
def test_a_drawing_session_keeps_one_browser_for_many_images(tmp_path: Path) -> None:
    """In a drawing session (a portfolio worker) every image is drawn by the same
    server: Chromium starts once. A cancelled job ends the server; the next image starts
    another; the session's end leaves no process and no folder."""
    _chromium()
    plan = build_plan(small_project(tmp_path))
    with gantt_static.drawing_session():
        first = gantt_static.ImageJob(plan, [(tmp_path / "a.png", "png")])
        assert first.result() == [tmp_path / "a.png"]
        second = gantt_static.ImageJob(plan, [(tmp_path / "b.png", "png")])
        assert second.server is first.server and second.server.alive()
        assert second.result() == [tmp_path / "b.png"]
        assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
        third = gantt_static.ImageJob(plan, [(tmp_path / "c.png", "png")])
        third.cancel()  # an interrupt while it draws: that server goes
        assert not third.server.alive() and not third.server.private.exists()
        fourth = gantt_static.ImageJob(plan, [(tmp_path / "d.png", "png")])
        assert fourth.server is not third.server
        assert fourth.result() == [tmp_path / "d.png"]
        server = fourth.server
    assert not server.alive() and not server.private.exists()
    assert not (tmp_path / "c.png").exists() and not list(tmp_path.glob(".*"))
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["a.png", "b.png", "d.png"]


# ------------------------------------------------------------------ what a PM presents
def _layout(html: str) -> dict[str, Any]:
    """The layout plotly draws, read back from the page's ``Plotly.newPlot`` call."""
    call = html.index("Plotly.newPlot(")
    decoder = json.JSONDecoder()
    rest = html[html.index(",", call) + 1:].lstrip()
    _, end = decoder.raw_decode(rest)  # the traces
    layout, _ = decoder.raw_decode(rest[end:].lstrip(" ,\n"))
    assert isinstance(layout, dict)
    return layout


def _vlines(layout: dict[str, Any]) -> dict[str, str]:
    """Vertical lines by colour: date of each."""
    return {s["line"]["color"]: s["x0"][:10] for s in layout["shapes"]
            if s["type"] == "line" and s["x0"] == s["x1"]}


def _notes(layout: dict[str, Any]) -> list[str]:
    return [a["text"] for a in layout["annotations"] if a.get("text")]


def test_deadline_and_status_lines_at_their_dates(tmp_path: Path) -> None:
    plan = build_plan(small_project(tmp_path, deadline="2026-03-18"))
    layout = _layout(gantt_html(plan, today=date(2026, 3, 12)))
    assert _vlines(layout) == {gantt_axis.DEADLINE: "2026-03-18", gantt_axis.STATUS: "2026-03-12"}
    assert {"Deadline 18 Mar 2026", "Today 12 Mar 2026"} <= set(_notes(layout))
    first, last = (d[:10] for d in layout["xaxis"]["range"])
    assert first <= "2026-03-12" <= "2026-03-18" <= last


def test_status_date_wins_and_today_outside_the_plan_is_not_drawn(tmp_path: Path) -> None:
    plan = build_plan(small_project(tmp_path, deadline="2026-03-18"))
    outside = _layout(gantt_html(plan, today=plan.finish + timedelta(days=1)))
    assert _vlines(outside) == {gantt_axis.DEADLINE: "2026-03-18"}
    plan.status_date = date(2026, 3, 9)
    layout = _layout(gantt_html(plan, today=date(2026, 3, 12)))
    assert _vlines(layout)[gantt_axis.STATUS] == "2026-03-09"
    assert "Status on 9 Mar 2026" in _notes(layout)


def test_a_far_deadline_is_noted_at_the_edge_not_stretched_to(tmp_path: Path) -> None:
    plan = build_plan(small_project(tmp_path, deadline="2026-12-01"))
    layout = _layout(gantt_html(plan, focus="delivery"))
    assert gantt_axis.DEADLINE not in _vlines(layout)
    assert "Deadline 1 Dec 2026 →" in _notes(layout)
    assert layout["xaxis"]["range"][1][:10] < "2026-04-01"


def test_critical_path_has_its_own_colour_and_legend_entry(tmp_path: Path) -> None:
    plan = build_plan(new_project(tmp_path, "project"))
    fig = gantt.build_figure(plan)
    phases = [t for t in fig.data if t.name in {p.name for p in plan.phases}]
    assert len(phases) == len(plan.phases) <= len(gantt.PALETTE)
    critical = [t for t in fig.data if t.name == "Critical path"]
    assert len(critical) == 1 and critical[0].showlegend is not False
    assert critical[0].marker.line.color == gantt.CRITICAL
    assert len(critical[0].y) == sum(1 for t in plan.tasks if t.critical and not t.milestone)
    for trace in phases:
        assert _distance(trace.marker.color, gantt.CRITICAL) > 90, trace.name
        assert trace.marker.line.color != gantt.CRITICAL, "no red outline on phase bars"


def _distance(a: str, b: str) -> float:
    rgb = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (a, b)]
    return sum((x - y) ** 2 for x, y in zip(*rgb, strict=True)) ** 0.5


def test_delivery_focus_leaves_post_launch_phases_off_the_axis(tmp_path: Path) -> None:
    plan = build_plan(small_project(tmp_path, deadline="2026-03-18"))
    later = [p for p in plan.phases if p.post_launch]
    assert later, "the small plan has post-launch audits"
    first_later = min(p.start for p in later).isoformat()
    full = _layout(gantt_html(plan, focus="all"))
    assert full["xaxis"]["range"][1][:10] > max(p.finish for p in later).isoformat()
    layout = _layout(gantt_html(plan, focus="delivery"))
    assert layout["xaxis"]["range"][1][:10] < first_later
    ticks = layout["yaxis"]["ticktext"]
    assert not any(t.name in tick for p in later for t in p.tasks for tick in ticks)
    assert any(later[0].name in tick for tick in ticks), "one collapsed row remains"
    span = f"{min(p.start for p in later):%-d %b %Y} – {max(p.finish for p in later):%-d %b %Y}"
    assert span in _notes(layout)
    assert layout["xaxis2"]["matches"] == "x", "the date axis is printed at the bottom too"


def test_static_images_default_to_delivery_focus(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    plan = build_plan(small_project(tmp_path, deadline="2026-03-18"))
    with pytest.raises(CrmimplError, match="unknown value 'audit'"):
        gantt.build_figure(plan, focus="audit")
    drawn: list[dict[str, Any]] = []

    def record(plan: Plan, **kwargs: Any) -> None:
        drawn.append(kwargs)
        raise _Stop

    monkeypatch.setattr(gantt, "build_figure", record)
    monkeypatch.setattr(gantt_static, "build_figure", record)
    with pytest.raises(_Stop):
        write_gantt_images(plan, [(tmp_path / "g.png", "png")])
    with pytest.raises(_Stop):
        gantt_html(plan)
    # the HTML's links default by size (all, or critical above LINKS_ALL_MAX_ROWS rows)
    assert drawn == [{"today": None, "focus": "delivery", "links": "critical",
                      "max_rows": gantt.STATIC_MAX_ROWS},
                     {"today": None, "focus": "all", "links": None}]


def test_large_plans_fold_in_static_images_and_keep_html_light() -> None:
    from crmimpl.model.project import load_project
    from tests.conftest import EXAMPLES

    plan = build_plan(load_project(EXAMPLES / "volga-bank"))
    groups = [t for t in plan.tasks if t.group]
    assert len(groups) > 40
    rows = gantt._rows(plan, "delivery", gantt.STATIC_MAX_ROWS)
    assert len(rows) <= gantt.STATIC_MAX_ROWS < len(gantt._rows(plan, "delivery"))
    folded = [r for r in rows if r.task is not None and r.task.id.endswith(".all")]
    assert len(folded) == 1
    groups = [t for t in groups if t.phase == folded[0].task.phase]  # folded per phase
    assert folded[0].task.start == min(t.start for t in groups)
    assert folded[0].task.finish == max(t.finish for t in groups)
    assert f"{len(groups)} групп" in folded[0].label
    # every milestone of the plan keeps its row
    assert {t.id for t in plan.tasks if t.milestone} <= {r.task.id for r in rows if r.task}
    fig = gantt.build_figure(plan, focus="delivery", max_rows=gantt.STATIC_MAX_ROWS)
    assert len(fig.layout.yaxis.ticktext) == len(rows)
    assert gantt.build_figure(plan).layout.height > fig.layout.height


class _Stop(Exception):
    pass


def test_cli_focus_links_and_the_run_date(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers import run_cli

    folder = small_project(tmp_path, deadline="2026-03-18").folder
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2026, 3, 12, 9).timestamp())))
    out = tmp_path / "g.html"
    result = run_cli(capsys, "gantt", str(folder), "-o", str(out), "--focus", "delivery",
                     "--links", "none")
    assert result.code == 0, result.err
    layout = _layout(out.read_text(encoding="utf-8"))
    assert _vlines(layout)[gantt_axis.STATUS] == "2026-03-12"
    assert not [a for a in layout["annotations"] if a.get("showarrow")], "--links none"
    assert layout["xaxis"]["range"][1][:10] < "2026-04-01"
    bad = run_cli(capsys, "gantt", str(folder), "--focus", "audits")
    assert bad.code == 2 and "--focus" in bad.err and "delivery" in bad.err


@pytest.mark.slow
@pytest.mark.parametrize("example", ["kreativ-agency", "northwind-it", "optima-distribution"])
def test_example_png_is_slide_sized(example: str, tmp_path: Path) -> None:
    from crmimpl.documents.workspace import Workspace
    from tests.conftest import EXAMPLES

    _chromium()
    plan = Workspace.open(EXAMPLES / example).plan
    png = gantt_static.write_gantt_static(plan, tmp_path / "g.png", "png", today=plan.launch)
    width, height = struct.unpack(">II", png.read_bytes()[16:24])
    delivery_rows = sum(1 + len(p.tasks) for p in plan.phases if not p.post_launch)
    assert width == gantt.WIDTH_PX
    two_line_labels = 2 * gantt_axis.LABEL_ROW_PX
    assert height <= 165 + two_line_labels + gantt.ROW_PX * (delivery_rows + 1)


def test_a_large_chart_measures_its_labels_once(tmp_path: Path) -> None:
    """Above LINKS_ALL_MAX_ROWS rows plotly's automargin (a layout loop measuring every
    label each pass) is off; the left margin is computed to hold the widest label, and
    the title stays at the top of the tall canvas."""
    from crmimpl.documents.workspace import Workspace
    from crmimpl.render.textwidth import text_width
    from tests.test_large_plan import large_project

    plan = Workspace.open(large_project(tmp_path, added=gantt.LINKS_ALL_MAX_ROWS)).plan
    fig = gantt.build_figure(plan)
    assert fig.layout.yaxis.automargin is False
    names = [t.name for t in plan.tasks if len(t.name) <= 70]
    widest = max(text_width(n, 9) for n in names) / 20 * 4 / 3
    assert widest < fig.layout.margin.l < widest + 60
    assert fig.layout.height * (1 - fig.layout.title.y) < 10
    small = gantt.build_figure(build_plan(small_project(tmp_path)))
    assert small.layout.yaxis.automargin is True


def _large_plan(tmp_path: Path, added: int) -> Plan:
    from crmimpl.documents.workspace import Workspace
    from tests.test_large_plan import large_project

    return Workspace.open(large_project(tmp_path, added=added)).plan


def test_a_large_chart_is_cut_into_pages_at_phases(tmp_path: Path) -> None:
    """Above PAGED_ROWS rows the HTML shows pages of at most PAGE_ROWS rows: every row
    once, each page opening with a phase row (marked as continued inside a long phase),
    the same date axis and label margin on every page."""
    plan = _large_plan(tmp_path, 1000)
    rows = gantt._rows(plan, "all")
    assert len(rows) > gantt.PAGED_ROWS
    pages = gantt._split(rows, gantt.PAGE_ROWS, "continued")
    assert all(len(p) <= gantt.PAGE_ROWS for p in pages)
    assert all(p[0].task is None for p in pages)
    assert [r.task.id for p in pages for r in p if r.task] == \
        [r.task.id for r in rows if r.task]
    assert [r.y for r in pages[1]] == list(range(len(pages[1])))
    continued = [p[0].label for p in pages if p[0].label.endswith(" (continued)")]
    assert continued, "a phase longer than a page goes on over pages"
    # a phase that fits on one page is not cut
    for phase in plan.phases:
        if len(phase.tasks) < gantt.PAGE_ROWS - 1:
            holding = {n for n, p in enumerate(pages) for r in p
                       if r.task is not None and r.task in phase.tasks}
            assert len(holding) <= 1, phase.name
    figures = gantt.build_pages(plan)
    assert len(figures) == len(pages)
    assert len({f.layout.margin.l for _, f in figures}) == 1
    assert len({tuple(f.layout.xaxis.range) for _, f in figures}) == 1
    assert figures[0][0].startswith("1. ") and figures[1][0].startswith("2. ")


def test_a_small_chart_is_one_page(tmp_path: Path) -> None:
    html = gantt_html(build_plan(small_project(tmp_path)))
    assert gantt.PAGE_SELECT_ID not in html and "Plotly.newPlot" in html


@pytest.mark.slow
def test_chromium_draws_each_page_of_a_large_chart(tmp_path: Path) -> None:
    """The paged HTML opens on its first page, ``#page-N`` opens page N; only the page
    shown is drawn (a 2 000-row chart drawn whole takes minutes in Chromium)."""
    plan = _large_plan(tmp_path, 900)
    path = write_gantt_html(plan, tmp_path / "big.html", plotlyjs="beside")
    pages = gantt.build_pages(plan)
    assert len(pages) >= 5

    def bars(fig: Any) -> int:
        return sum(len(t.y) for t in fig.data if t.type == "bar")

    dom = _dom(path, tmp_path)
    assert dom.count("<option ") == len(pages)
    assert _bars(dom) == bars(pages[0][1])
    dom = subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'chromium'}", "--virtual-time-budget=15000",
         "--dump-dom", path.as_uri() + f"#page-{len(pages)}"],
        capture_output=True, timeout=120, check=True).stdout.decode("utf-8")
    assert _bars(dom) == bars(pages[-1][1]) != bars(pages[0][1])


@pytest.mark.parametrize("focus", ["all", "delivery"])
def test_annotations_are_stored_as_plotly_checks_them(tmp_path: Path, focus: str) -> None:
    """The chart's annotations skip plotly's property-by-property checks: what it keeps
    of them must be what it would keep when checking them (every property valid, in
    its order), at the end of the layout where a checked update puts them."""
    import plotly.graph_objects as go

    from crmimpl.model.project import load_project
    from tests.conftest import EXAMPLES

    plans = [build_plan(small_project(tmp_path)),
             build_plan(load_project(EXAMPLES / "optima-distribution" / "project.yaml"))]
    for plan in plans:
        layout = gantt.build_figure(plan, today=date(2026, 4, 1), focus=focus
                                    ).to_plotly_json()["layout"]
        ours = layout["annotations"]
        checked = go.Figure()
        checked.update_layout(annotations=ours)
        assert ours
        assert json.dumps(checked.to_plotly_json()["layout"]["annotations"]) == \
            json.dumps(ours)
        assert list(layout)[-1] == "annotations"


def test_pages_load_the_basic_bundle_of_the_installed_version(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A self-contained page carries plotly.js's basic bundle (bar and scatter traces are
    all a Gantt chart draws), well under the 4.8 MB of the full one; a bundle of another
    version than the installed plotly's is not used (the figure follows that version)."""
    import plotly.offline

    from crmimpl.render import gantt

    plan = build_plan(new_project(tmp_path, "typical"))
    version = plotly.offline.get_plotlyjs_version()
    head = gantt.BASIC_BUNDLE.read_bytes()[:200].decode()
    assert f"plotly.js (basic - minified) v{version}" in head
    page = write_gantt_html(plan, tmp_path / "gantt.html")
    assert page.stat().st_size < 1_500_000
    assert f"(basic - minified) v{version}" in page.read_text(encoding="utf-8")
    assert gantt.plotlyjs_name() == f"plotly-basic-{version}.min.js"
    monkeypatch.setattr(plotly.offline, "get_plotlyjs_version", lambda: "0.0.1")
    gantt._basic_bundle.cache_clear()
    try:
        assert gantt.plotlyjs_name() == "plotly-0.0.1.min.js"
        assert gantt.plotlyjs_code() == plotly.offline.get_plotlyjs()
    finally:
        monkeypatch.undo()
        gantt._basic_bundle.cache_clear()
