"""Gantt chart of a plan with plotly graph objects: offline HTML, or PNG/SVG/PDF.

Rows are phases (thin dark summary bars) and their tasks (bars coloured by phase, a red
outline on the critical path, a darker fill for progress, a grey strip for the baseline
when one is stored). Milestones are diamonds, dependencies arrows, the status date a
dashed line; weekends and holidays are shaded. A bar covers its inclusive working days:
it ends at the end of its finish day (finish + 1 day at midnight).

plotly and kaleido are imported inside the functions: importing this module is cheap.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmimpl.errors import CrmimplError
from crmimpl.store import atomic_write_text

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan, PlanTask

DIV_ID = "crmimpl-gantt"
DAY_MS = 86_400_000
ROW_PX = 24
PALETTE = ["#4C78A8", "#F58518", "#54A24B", "#B279A2", "#9D755D", "#72B7B2", "#E45756",
           "#EECA3B", "#FF9DA6", "#79706E", "#BAB0AC", "#8CD17D"]
CRITICAL = "#D62728"
STATIC_FORMATS = ("png", "svg", "pdf")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

_LABELS = {
    "ru": {"start": "Начало", "finish": "Окончание", "effort": "Трудоемкость, ч",
           "people": "Исполнители", "float": "Резерв, раб. дн.", "critical": "критический путь",
           "done": "Выполнено", "baseline": "Базовый план", "status": "Статус на",
           "milestone": "Вехи", "phase": "Этапы", "title": "Диаграмма Ганта"},
    "en": {"start": "Start", "finish": "Finish", "effort": "Effort, h",
           "people": "People", "float": "Float, working days", "critical": "critical path",
           "done": "Done", "baseline": "Baseline", "status": "Status on",
           "milestone": "Milestones", "phase": "Phases", "title": "Gantt chart"},
}


@dataclass(frozen=True)
class _Row:
    y: int
    label: str
    task: PlanTask | None
    phase_index: int


def _rows(plan: Plan) -> list[_Row]:
    rows: list[_Row] = []
    for pi, phase in enumerate(plan.phases):
        rows.append(_Row(len(rows), phase.name, None, pi))
        for task in phase.tasks:
            rows.append(_Row(len(rows), "   " + task.name, task, pi))
    return rows


def _end(d: date) -> date:
    """Midnight after an inclusive finish day."""
    return d + timedelta(days=1)


def _ms(start: date, finish: date) -> int:
    return (_end(finish) - start).days * DAY_MS


def build_figure(plan: Plan, *, today: date | None = None) -> Any:
    """The Gantt chart of ``plan`` as a ``plotly.graph_objects.Figure``.

    Args:
        plan: the plan.
        today: where to draw the status line; default: the plan's status date, if any.
    """
    import plotly.graph_objects as go

    lab = _LABELS[plan.language]
    rows = _rows(plan)
    fig = go.Figure()
    _phase_trace(fig, plan, rows, lab)
    for pi, phase in enumerate(plan.phases):
        _task_trace(fig, plan, [r for r in rows if r.task and r.phase_index == pi and
                                not r.task.milestone], phase.name, PALETTE[pi % len(PALETTE)],
                    lab)
    _progress_trace(fig, rows, lab)
    if plan.has_baseline:
        _baseline_trace(fig, rows, lab)
    _milestone_trace(fig, plan, rows, lab)
    _layout(fig, plan, rows, lab, today or plan.status_date)
    return fig


def _hover(task: PlanTask, lab: dict[str, str]) -> str:
    people = ", ".join(f"{a.person_name} ({a.hours})" for a in task.assignments) or "—"
    lines = [f"<b>{task.name}</b>", f"{task.id}",
             f"{lab['start']}: {task.start.isoformat()}",
             f"{lab['finish']}: {task.finish.isoformat()}",
             f"{lab['effort']}: {task.effort_hours}", f"{lab['people']}: {people}",
             f"{lab['float']}: {task.total_float}"]
    if task.critical:
        lines.append(f"<b>{lab['critical']}</b>")
    if task.percent_complete:
        lines.append(f"{lab['done']}: {task.percent_complete:g}%")
    return "<br>".join(lines)


def _phase_trace(fig: Any, plan: Plan, rows: list[_Row], lab: dict[str, str]) -> None:
    import plotly.graph_objects as go

    phase_rows = [r for r in rows if r.task is None]
    phases = [plan.phases[r.phase_index] for r in phase_rows]
    fig.add_trace(go.Bar(
        name=lab["phase"], orientation="h", y=[r.y for r in phase_rows],
        base=[p.start.isoformat() for p in phases],
        x=[_ms(p.start, p.finish) for p in phases], width=0.35,
        marker={"color": "#333333", "line": {"width": 0}},
        hovertext=[f"<b>{p.name}</b><br>{p.start} – {p.finish}<br>{lab['effort']}: "
                   f"{p.effort_hours}" for p in phases],
        hoverinfo="text", showlegend=False,
    ))


def _task_trace(fig: Any, plan: Plan, rows: list[_Row], name: str, color: str,
                lab: dict[str, str]) -> None:
    import plotly.graph_objects as go

    if not rows:
        return
    tasks = [r.task for r in rows if r.task is not None]
    fig.add_trace(go.Bar(
        name=name, orientation="h", y=[r.y for r in rows],
        base=[t.start.isoformat() for t in tasks],
        x=[_ms(t.start, t.finish) for t in tasks], width=0.6,
        marker={"color": color, "opacity": 0.75,
                "line": {"color": [CRITICAL if t.critical else color for t in tasks],
                         "width": [2.5 if t.critical else 0.5 for t in tasks]}},
        hovertext=[_hover(t, lab) for t in tasks], hoverinfo="text",
    ))


def _progress_trace(fig: Any, rows: list[_Row], lab: dict[str, str]) -> None:
    import plotly.graph_objects as go

    done = [r for r in rows if r.task is not None and r.task.percent_complete > 0
            and not r.task.milestone]
    if not done:
        return
    fig.add_trace(go.Bar(
        name=lab["done"], orientation="h", y=[r.y for r in done],
        base=[r.task.start.isoformat() for r in done if r.task],
        x=[round(_ms(r.task.start, r.task.finish) * r.task.percent_complete / 100)
           for r in done if r.task],
        width=0.25, marker={"color": "#222222"}, hoverinfo="skip",
    ))


def _baseline_trace(fig: Any, rows: list[_Row], lab: dict[str, str]) -> None:
    import plotly.graph_objects as go

    based = [r for r in rows if r.task is not None and r.task.baseline_start is not None
             and r.task.baseline_finish is not None and not r.task.milestone]
    if not based:
        return
    fig.add_trace(go.Bar(
        name=lab["baseline"], orientation="h", y=[r.y + 0.38 for r in based],
        base=[r.task.baseline_start.isoformat() for r in based
              if r.task and r.task.baseline_start],
        x=[_ms(r.task.baseline_start, r.task.baseline_finish) for r in based
           if r.task and r.task.baseline_start and r.task.baseline_finish],
        width=0.14, marker={"color": "#9E9E9E"},
        hovertext=[f"{lab['baseline']}: {r.task.baseline_start} – {r.task.baseline_finish}"
                   for r in based if r.task], hoverinfo="text",
    ))


def _milestone_x(plan: Plan, task: PlanTask) -> date:
    """A milestone after a finish sits at the end of its day, else at the start."""
    st = plan.schedule.tasks.get(task.id)
    return _end(task.start) if st is not None and st.start_at_day_end else task.start


def _milestone_trace(fig: Any, plan: Plan, rows: list[_Row], lab: dict[str, str]) -> None:
    import plotly.graph_objects as go

    ms = [r for r in rows if r.task is not None and r.task.milestone]
    if not ms:
        return
    fig.add_trace(go.Scatter(
        name=lab["milestone"], mode="markers", y=[r.y for r in ms],
        x=[_milestone_x(plan, r.task).isoformat() for r in ms if r.task],
        marker={"symbol": "diamond", "size": 13,
                "color": [CRITICAL if r.task and r.task.critical else "#111111" for r in ms],
                "line": {"color": "white", "width": 1}},
        hovertext=[f"<b>{r.task.name}</b><br>{r.task.start}" for r in ms if r.task],
        hoverinfo="text",
    ))


def _arrows(plan: Plan, rows: list[_Row]) -> list[dict[str, Any]]:
    y_of = {r.task.id: r.y for r in rows if r.task is not None}
    tasks = {r.task.id: r.task for r in rows if r.task is not None}
    out = []
    for task in tasks.values():
        for link in task.links:
            pred = tasks.get(link.pred)
            if pred is None:
                continue
            x0 = pred.start if link.type[0] == "S" else _end(pred.finish)
            x1 = task.start if link.type[1] == "S" else _end(task.finish)
            if pred.milestone:
                x0 = _milestone_x(plan, pred)
            out.append({
                "x": x1.isoformat(), "y": y_of[task.id], "ax": x0.isoformat(),
                "ay": y_of[pred.id], "xref": "x", "yref": "y", "axref": "x", "ayref": "y",
                "showarrow": True, "arrowhead": 2, "arrowsize": 0.8, "arrowwidth": 1,
                "arrowcolor": CRITICAL if task.critical and pred.critical else "#7F7F7F",
                "opacity": 0.6, "text": "", "standoff": 2,
            })
    return out


def _off_days(plan: Plan, first: date, last: date) -> Iterator[tuple[date, date]]:
    """Ranges [a, b) of consecutive non-working days between ``first`` and ``last``."""
    day, run = first, None
    while day <= last:
        if not plan.calendar.is_working(day):
            run = run or day
        elif run is not None:
            yield run, day
            run = None
        day += timedelta(days=1)
    if run is not None:
        yield run, last + timedelta(days=1)


def _layout(fig: Any, plan: Plan, rows: list[_Row], lab: dict[str, str],
            today: date | None) -> None:
    first = plan.start - timedelta(days=3)
    last = plan.finish + timedelta(days=4)
    shapes: list[dict[str, Any]] = [
        {"type": "rect", "xref": "x", "yref": "paper", "x0": a.isoformat(),
         "x1": b.isoformat(), "y0": 0, "y1": 1, "fillcolor": "#EEEEEE", "opacity": 0.7,
         "line": {"width": 0}, "layer": "below"}
        for a, b in _off_days(plan, first, last)
    ]
    annotations = _arrows(plan, rows)
    if today is not None:
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": today.isoformat(),
                       "x1": today.isoformat(), "y0": 0, "y1": 1,
                       "line": {"color": "#1F77B4", "width": 2, "dash": "dash"}})
        annotations.append({"x": today.isoformat(), "y": 1, "xref": "x", "yref": "paper",
                            "text": f"{lab['status']} {today.isoformat()}",
                            "showarrow": False, "yanchor": "bottom",
                            "font": {"color": "#1F77B4", "size": 11}})
    title = f"{lab['title']}: {plan.project.project.title}"
    fig.update_layout(
        title={"text": title, "x": 0.01}, barmode="overlay", bargap=0.2,
        height=max(420, 140 + ROW_PX * len(rows)), width=1400,
        margin={"l": 20, "r": 20, "t": 90, "b": 60},
        shapes=shapes, annotations=annotations, template="plotly_white",
        legend={"orientation": "h", "y": -0.01, "yanchor": "top", "x": 0, "xanchor": "left"},
        hoverlabel={"align": "left"},
        xaxis={"type": "date", "range": [first.isoformat(), last.isoformat()],
               "showgrid": True, "tickformat": "%d.%m.%Y", "side": "top"},
        yaxis={"tickmode": "array", "tickvals": [r.y for r in rows],
               "ticktext": [_tick(r) for r in rows], "autorange": "reversed",
               "automargin": True, "showgrid": False},
    )


def _tick(row: _Row) -> str:
    text = row.label if len(row.label) <= 70 else row.label[:67] + "…"
    return f"<b>{text}</b>" if row.task is None else text


# ------------------------------------------------------------------------------ output
def gantt_html(plan: Plan, *, today: date | None = None) -> str:
    """One self-contained offline HTML page (plotly.js embedded, fixed div id)."""
    fig = build_figure(plan, today=today)
    html: str = fig.to_html(include_plotlyjs=True, full_html=True, div_id=DIV_ID,
                            config={"displaylogo": False, "responsive": True})
    return html


def write_gantt_html(plan: Plan, path: Path | str, *, today: date | None = None) -> Path:
    """Write the Gantt HTML atomically."""
    return atomic_write_text(path, gantt_html(plan, today=today))


def find_browser() -> str:
    """The Chromium or Chrome kaleido will drive (``BROWSER_PATH`` wins).

    Raises:
        CrmimplError: when no browser is installed.
    """
    given = os.environ.get("BROWSER_PATH")
    if given:
        if Path(given).is_file():
            return given
        raise CrmimplError.single("BROWSER_PATH", f"no browser at {given}",
                                  hint="point BROWSER_PATH to chromium or unset it")
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise CrmimplError.single(
        "gantt", "PNG, SVG and PDF need Chromium or Chrome, and none was found",
        hint="install it (Debian: apt-get install chromium) or set BROWSER_PATH; "
        "HTML output needs no browser",
    )


_SESSIONS = [0]


@contextmanager
def static_export() -> Iterator[None]:
    """Run kaleido's browser once for a batch of static images (nests freely)."""
    import kaleido

    if _SESSIONS[0]:
        _SESSIONS[0] += 1
        try:
            yield
        finally:
            _SESSIONS[0] -= 1
        return
    # Chromium keeps its own files in TMPDIR; a private one is removed even when the
    # browser is killed by an interrupt before it could clean up.
    before = {name: os.environ.get(name) for name in ("BROWSER_PATH", "TMPDIR")}
    os.environ["BROWSER_PATH"] = find_browser()
    private = tempfile.mkdtemp(prefix="crmimpl_chromium_")
    os.environ["TMPDIR"] = private
    try:
        kaleido.start_sync_server(silence_warnings=True)
        _SESSIONS[0] = 1
        try:
            yield
        except KeyboardInterrupt:
            # The process ends: kaleido's thread fails as its browser goes; not a bug.
            threading.excepthook = _ignore_thread_error
            raise
        finally:
            _SESSIONS[0] = 0
            kaleido.stop_sync_server(silence_warnings=True)
    finally:
        shutil.rmtree(private, ignore_errors=True)
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _ignore_thread_error(args: Any) -> None:
    """A ``threading.excepthook`` that shows nothing."""


def write_gantt_static(plan: Plan, path: Path | str, fmt: str, *,
                       today: date | None = None) -> Path:
    """Write one PNG, SVG or PDF (inside :func:`static_export` for batches)."""
    return write_gantt_images(plan, [(Path(path), fmt)], today=today)[0]


def write_gantt_images(plan: Plan, targets: Iterable[tuple[Path, str]], *,
                       today: date | None = None) -> list[Path]:
    """Write several static images of the plan with one browser session."""
    import kaleido

    targets = list(targets)
    for _, fmt in targets:
        if fmt not in STATIC_FORMATS:
            raise CrmimplError.single("--format", f"unknown image format '{fmt}'",
                                      hint="choose html, png, svg or pdf")
    fig = build_figure(plan, today=today)
    layout = fig.layout
    opts = {"width": layout.width, "height": layout.height}
    out = []
    tmps = [path.with_name(f".{path.stem}.tmp.{fmt}") for path, fmt in targets]
    try:
        with static_export():
            for (path, fmt), tmp in zip(targets, tmps, strict=True):
                path.parent.mkdir(parents=True, exist_ok=True)
                kaleido.write_fig_sync(fig, path=str(tmp), opts={**opts, "format": fmt})
                os.replace(tmp, path)
                out.append(path)
    finally:  # after the browser stopped: an interrupted export leaves no temporary file
        for tmp in tmps:
            tmp.unlink(missing_ok=True)
    return out
