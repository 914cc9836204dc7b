"""Gantt chart of a plan with plotly graph objects: offline HTML, or PNG/SVG/PDF.

Rows are phases (thin dark summary bars) and their tasks (bars coloured by phase, a darker
fill for progress, a grey strip for the baseline when one is stored). The critical path is
an outline in a colour no phase uses, with its own legend entry; milestones are diamonds,
dependencies arrows. Two labelled vertical lines: the project's deadline and the status
line (the plan's status date, else today when today falls inside the plan). The date axis
is printed at the top and at the bottom; weekends and holidays are shaded while a day is
wide enough to see them, longer breaks always. A bar covers its inclusive working days: it
ends at the end of its finish day (finish + 1 day at midnight).

Two views: ``focus="all"`` draws every phase; ``focus="delivery"`` collapses the
post-launch phases (audits months after acceptance) into one marker row at the right edge,
so the delivery work gets the width. The interactive HTML defaults to everything, the
static images (slides) to delivery focus with only the critical links drawn.

plotly and kaleido are imported inside the functions: importing this module is cheap.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmimpl.errors import CrmimplError
from crmimpl.store import atomic_write_text

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan, PlanPhase, PlanTask

DIV_ID = "crmimpl-gantt"
DAY_MS = 86_400_000
ROW_PX = 24
WIDTH_PX = 1400
PLOT_PX = 950  # about the width left for the bars beside the row labels
# Phase colours (Tableau 10 without its red and pink): the critical path owns the red.
PALETTE = ["#4C78A8", "#F58518", "#54A24B", "#B279A2", "#9D755D", "#72B7B2", "#EECA3B",
           "#79706E", "#8CD17D", "#BAB0AC", "#86BCB6", "#D4A6C8"]
CRITICAL = "#D62728"
DEADLINE = "#111111"
STATUS = "#1565C0"
FOCUS = ("all", "delivery")
LINKS = ("all", "critical", "none")
STATIC_FORMATS = ("png", "svg", "pdf")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

_LABELS = {
    "ru": {"start": "Начало", "finish": "Окончание", "effort": "Трудоемкость, ч",
           "people": "Исполнители", "float": "Резерв, раб. дн.", "critical": "Критический путь",
           "done": "Выполнено", "baseline": "Базовый план", "status": "Статус на",
           "today": "Сегодня", "deadline": "Директивный срок", "milestone": "Вехи",
           "phase": "Этапы", "title": "Диаграмма Ганта", "later": "После запуска"},
    "en": {"start": "Start", "finish": "Finish", "effort": "Effort, h",
           "people": "People", "float": "Float, working days", "critical": "Critical path",
           "done": "Done", "baseline": "Baseline", "status": "Status on",
           "today": "Today", "deadline": "Deadline", "milestone": "Milestones",
           "phase": "Phases", "title": "Gantt chart", "later": "After launch"},
}


@dataclass(frozen=True)
class _Row:
    y: int
    label: str
    task: PlanTask | None
    phase_index: int
    later: tuple[PlanPhase, ...] = ()  # post-launch phases collapsed into this row


@dataclass(frozen=True)
class _Line:
    day: date
    text: str
    color: str
    dash: str


def _rows(plan: Plan, focus: str) -> list[_Row]:
    rows: list[_Row] = []
    later = tuple(p for p in plan.phases if p.post_launch) if focus == "delivery" else ()
    for pi, phase in enumerate(plan.phases):
        if phase in later:
            continue
        rows.append(_Row(len(rows), phase.name, None, pi))
        for task in phase.tasks:
            rows.append(_Row(len(rows), "   " + task.name, task, pi))
    if later:
        label = "; ".join(p.name for p in later)
        rows.append(_Row(len(rows), label, None, plan.phases.index(later[0]), later))
    return rows


def _end(d: date) -> date:
    """Midnight after an inclusive finish day."""
    return d + timedelta(days=1)


def _ms(start: date, finish: date) -> int:
    return (_end(finish) - start).days * DAY_MS


def format_day(d: date, lang: str) -> str:
    """A date as the chart prints it: ``05.03.2026`` in Russian, ``5 Mar 2026`` in English."""
    return d.strftime("%d.%m.%Y") if lang == "ru" else f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def status_line_date(plan: Plan, today: date | None) -> tuple[date, bool] | None:
    """Where the status line goes and whether it is the plan's status date.

    The plan's status date wins; else ``today``, but only inside the plan's span (a line
    months before the start or after the last audit says nothing and squeezes the chart).
    """
    if plan.status_date is not None:
        return plan.status_date, True
    if today is not None and plan.start <= today <= plan.finish:
        return today, False
    return None


def _lines(plan: Plan, today: date | None, lab: dict[str, str]) -> list[_Line]:
    lines = []
    deadline = plan.project.project.deadline
    if deadline is not None:
        lines.append(_Line(deadline, f"{lab['deadline']} {format_day(deadline, plan.language)}",
                           DEADLINE, "dashdot"))
    status = status_line_date(plan, today)
    if status is not None:
        day, is_status = status
        word = lab["status"] if is_status else lab["today"]
        lines.append(_Line(day, f"{word} {format_day(day, plan.language)}", STATUS, "dash"))
    return lines


def build_figure(plan: Plan, *, today: date | None = None, focus: str = "all",
                 links: str = "all") -> Any:
    """The Gantt chart of ``plan`` as a ``plotly.graph_objects.Figure``.

    Args:
        plan: the plan.
        today: the date today, for the status line when the plan has no status date (drawn
            only inside the plan's span); ``None`` draws no today line. Pass it in: the
            chart never reads the clock, so the same arguments give the same bytes.
        focus: ``"all"`` or ``"delivery"`` (post-launch phases collapsed into one row).
        links: dependency arrows to draw: ``"all"``, ``"critical"`` or ``"none"``.
    """
    import plotly.graph_objects as go

    _check(focus, FOCUS, "--focus")
    _check(links, LINKS, "--links")
    lab = _LABELS[plan.language]
    rows = _rows(plan, focus)
    lines = _lines(plan, today, lab)
    first, last = _x_range(plan, focus, lines)
    fig = go.Figure()
    _phase_trace(fig, plan, rows, lab)
    for pi, phase in enumerate(plan.phases):
        _task_trace(fig, [r for r in rows if r.task and r.phase_index == pi and
                          not r.task.milestone], phase.name, phase_color(pi), lab)
    _critical_trace(fig, rows, lab)
    _progress_trace(fig, rows, lab)
    if plan.has_baseline:
        _baseline_trace(fig, rows, lab)
    _milestone_trace(fig, plan, rows, lab)
    _later_trace(fig, rows, last, plan.language)
    _bottom_axis_trace(fig, rows, (first, last))
    annotations = [] if links == "none" else _arrows(plan, rows, critical_only=links != "all")
    annotations += _later_note(rows, last, plan.language)
    _layout(fig, plan, rows, lab, (first, last), lines, annotations)
    return fig


def _check(value: str, allowed: tuple[str, ...], option: str) -> None:
    if value not in allowed:
        raise CrmimplError.single(option, f"unknown value '{value}'",
                                  hint="choose " + " or ".join(allowed))


def phase_color(index: int) -> str:
    """The fill of the phase at ``index`` (the palette repeats after twelve phases)."""
    return PALETTE[index % len(PALETTE)]


def _x_range(plan: Plan, focus: str, lines: list[_Line]) -> tuple[date, date]:
    """First and last day on the axis: the plan (the delivery phases only in delivery
    focus) with a few days' margin, stretched to a labelled line no further than a quarter
    of the span (a deadline months away is noted at the edge, see :func:`_line_marks`)."""
    shown = [p for p in plan.phases if focus == "all" or not p.post_launch] or plan.phases
    first = min(p.start for p in shown)
    last = max(p.finish for p in shown)
    reach = max((last - first) / 4, timedelta(days=7))
    near = [ln.day for ln in lines if first - reach <= ln.day <= last + reach]
    first, last = min([first, *near]), max([last, *near])
    return first - timedelta(days=3), last + timedelta(days=4)


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

    phase_rows = [r for r in rows if r.task is None and not r.later]
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


def _task_trace(fig: Any, rows: list[_Row], name: str, color: str,
                lab: dict[str, str]) -> None:
    import plotly.graph_objects as go

    if not rows:
        return
    tasks = [r.task for r in rows if r.task is not None]
    fig.add_trace(go.Bar(
        name=name, orientation="h", y=[r.y for r in rows],
        base=[t.start.isoformat() for t in tasks],
        x=[_ms(t.start, t.finish) for t in tasks], width=0.6,
        marker={"color": color, "opacity": 0.8, "line": {"color": color, "width": 0.5}},
        hovertext=[_hover(t, lab) for t in tasks], hoverinfo="text",
    ))


def _critical_trace(fig: Any, rows: list[_Row], lab: dict[str, str]) -> None:
    """An outline over the critical bars: one legend entry, and a click hides it."""
    import plotly.graph_objects as go

    crit = [r.task for r in rows if r.task is not None and r.task.critical
            and not r.task.milestone]
    if not crit:
        return
    fig.add_trace(go.Bar(
        name=lab["critical"], orientation="h",
        y=[r.y for r in rows if r.task is not None and r.task in crit],
        base=[t.start.isoformat() for t in crit],
        x=[_ms(t.start, t.finish) for t in crit], width=0.72,
        marker={"color": "rgba(0,0,0,0)", "line": {"color": CRITICAL, "width": 3}},
        hoverinfo="skip",
    ))


def _later_trace(fig: Any, rows: list[_Row], last: date, lang: str) -> None:
    """The collapsed post-launch phases: a marker at the right edge, their tasks on hover
    (the dates are written beside it by :func:`_later_note`)."""
    import plotly.graph_objects as go

    row = next((r for r in rows if r.later), None)
    if row is None:
        return
    tasks = [t for p in row.later for t in p.tasks]
    fig.add_trace(go.Scatter(
        x=[(last - timedelta(days=1)).isoformat()], y=[row.y], mode="markers",
        marker={"symbol": "triangle-right", "size": 14, "color": "#555555"},
        hovertext=["<br>".join(f"{format_day(t.start, lang)} {t.name}" for t in tasks)],
        hoverinfo="text", showlegend=False,
    ))


def _later_note(rows: list[_Row], last: date, lang: str) -> list[dict[str, Any]]:
    row = next((r for r in rows if r.later), None)
    if row is None:
        return []
    start = min(p.start for p in row.later)
    finish = max(p.finish for p in row.later)
    text = format_day(start, lang)
    if finish != start:
        text += f" – {format_day(finish, lang)}"
    return [{"x": (last - timedelta(days=1)).isoformat(), "y": row.y, "xref": "x",
             "yref": "y", "showarrow": False, "xanchor": "right", "xshift": -10,
             "text": text,
             "bgcolor": "rgba(255,255,255,0.9)", "font": {"size": 12, "color": "#333333"}}]


def _bottom_axis_trace(fig: Any, rows: list[_Row], span: tuple[date, date]) -> None:
    """An invisible line on the bottom axis: plotly draws no axis without a trace."""
    import plotly.graph_objects as go

    fig.add_trace(go.Scatter(
        x=[span[0].isoformat(), span[1].isoformat()], y=[rows[0].y, rows[0].y],
        xaxis="x2", mode="lines", line={"width": 0}, hoverinfo="skip", showlegend=False,
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


def _arrows(plan: Plan, rows: list[_Row], *, critical_only: bool) -> list[dict[str, Any]]:
    y_of = {r.task.id: r.y for r in rows if r.task is not None}
    tasks = {r.task.id: r.task for r in rows if r.task is not None}
    out = []
    for task in tasks.values():
        for link in task.links:
            pred = tasks.get(link.pred)
            if pred is None:
                continue
            critical = task.critical and pred.critical
            if critical_only and not critical:
                continue
            x0 = pred.start if link.type[0] == "S" else _end(pred.finish)
            x1 = task.start if link.type[1] == "S" else _end(task.finish)
            if pred.milestone:
                x0 = _milestone_x(plan, pred)
            out.append({
                "x": x1.isoformat(), "y": y_of[task.id], "ax": x0.isoformat(),
                "ay": y_of[pred.id], "xref": "x", "yref": "y", "axref": "x", "ayref": "y",
                "showarrow": True, "arrowhead": 2, "arrowsize": 0.8, "arrowwidth": 1,
                "arrowcolor": CRITICAL if critical else "#7F7F7F",
                "opacity": 0.7 if critical else 0.45, "text": "", "standoff": 2,
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


def _shading(plan: Plan, first: date, last: date) -> list[dict[str, Any]]:
    """Grey bands for days off: every one while a day is a few pixels wide, else only
    breaks of three days or more (holidays), which a long chart would turn into noise."""
    px_per_day = PLOT_PX / max((last - first).days, 1)
    return [
        {"type": "rect", "xref": "x", "yref": "paper", "x0": a.isoformat(),
         "x1": b.isoformat(), "y0": 0, "y1": 1, "fillcolor": "#EEEEEE", "opacity": 0.7,
         "line": {"width": 0}, "layer": "below"}
        for a, b in _off_days(plan, first, last)
        if px_per_day >= 6 or (b - a).days >= 3
    ]


def _line_marks(lines: list[_Line], first: date, last: date
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The deadline and status lines with their labels, stacked at the top of the plot and
    turned towards its middle so they never run off the edge nor over each other; a line
    off the axis is a label with an arrow at that edge."""
    shapes, notes = [], []
    middle = first + (last - first) * 3 / 5
    for n, line in enumerate(lines):
        x, text = line.day.isoformat(), line.text
        if line.day > last:
            x, text = last.isoformat(), f"{text} →"
        elif line.day < first:
            x, text = first.isoformat(), f"← {text}"
        else:
            shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x,
                           "y0": 0, "y1": 1, "layer": "above",
                           "line": {"color": line.color, "width": 2, "dash": line.dash}})
        left = line.day > middle
        notes.append({"x": x, "y": 1, "xref": "x", "yref": "paper", "text": text,
                      "showarrow": False, "yanchor": "top", "yshift": -4 - 22 * n,
                      "xanchor": "right" if left else "left", "xshift": -5 if left else 5,
                      "bgcolor": "rgba(255,255,255,0.9)", "borderpad": 2,
                      "font": {"color": line.color, "size": 12}})
    return shapes, notes


def _date_axis(first: date, last: date, lang: str) -> dict[str, Any]:
    """About ten ticks a reader can take in: on Mondays for short spans, else on the first
    of the month, with a faint weekly grid between them."""
    days = (last - first).days
    monday = (first - timedelta(days=first.weekday())).isoformat()
    weekly = {"dtick": 7 * DAY_MS, "tick0": monday}
    axis: dict[str, Any] = {
        "type": "date", "range": [first.isoformat(), last.isoformat()],
        "tickformat": "%d.%m.%Y" if lang == "ru" else "%-d %b %Y", "ticks": "outside",
        "showline": True, "linecolor": "#999999", "tickfont": {"size": 12},
        "showgrid": True, "gridcolor": "#CCCCCC",
    }
    for step in (7, 14):
        if days / step <= 11:
            return {**axis, "dtick": step * DAY_MS, "tick0": monday}
    months = next((m for m in (1, 2, 3, 6) if days / (30.4 * m) <= 11), 12)
    minor = {**weekly, "showgrid": True, "gridcolor": "#EEEEEE"} if months <= 2 else {}
    return {**axis, "dtick": f"M{months}", "tick0": "2000-01-01", "minor": minor}


def _layout(fig: Any, plan: Plan, rows: list[_Row], lab: dict[str, str],
            span: tuple[date, date], lines: list[_Line],
            annotations: list[dict[str, Any]]) -> None:
    first, last = span
    line_shapes, line_notes = _line_marks(lines, first, last)
    axis = _date_axis(first, last, plan.language)
    title = f"{lab['title']}: {plan.project.project.title}"
    fig.update_layout(
        title={"text": title, "x": 0.01, "y": 0.995, "yanchor": "top", "yref": "container"},
        barmode="overlay", bargap=0.2, width=WIDTH_PX,
        height=max(420, 165 + ROW_PX * len(rows)),
        margin={"l": 20, "r": 30, "t": 80, "b": 85},
        shapes=_shading(plan, first, last) + line_shapes,
        annotations=annotations + line_notes, template="plotly_white",
        legend={"orientation": "h", "yref": "container", "y": 0.005, "yanchor": "bottom",
                "x": 0, "xanchor": "left", "font": {"size": 12}},
        hoverlabel={"align": "left"},
        xaxis={**axis, "side": "top"},
        xaxis2={**axis, "side": "bottom", "overlaying": "x", "matches": "x",
                "showgrid": False},
        yaxis={"tickmode": "array", "tickvals": [r.y for r in rows],
               "ticktext": [_tick(r) for r in rows], "range": [len(rows) - 0.4, -0.6],
               "automargin": True, "showgrid": False, "tickfont": {"size": 12}},
    )


def _tick(row: _Row) -> str:
    text = row.label if len(row.label) <= 70 else row.label[:67] + "…"
    return f"<b>{text}</b>" if row.task is None else text


# ------------------------------------------------------------------------------ output
def gantt_html(plan: Plan, *, today: date | None = None, focus: str = "all",
               links: str = "all") -> str:
    """One self-contained offline HTML page (plotly.js embedded, fixed div id).

    Interactive, so it shows everything by default; arguments as :func:`build_figure`.
    """
    fig = build_figure(plan, today=today, focus=focus, links=links)
    html: str = fig.to_html(include_plotlyjs=True, full_html=True, div_id=DIV_ID,
                            config={"displaylogo": False, "responsive": True})
    return html


def write_gantt_html(plan: Plan, path: Path | str, *, today: date | None = None,
                     focus: str = "all", links: str = "all") -> Path:
    """Write the Gantt HTML atomically."""
    return atomic_write_text(path, gantt_html(plan, today=today, focus=focus, links=links))


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
    before = os.environ.get("BROWSER_PATH")
    os.environ["BROWSER_PATH"] = find_browser()
    try:
        kaleido.start_sync_server(silence_warnings=True)
        _SESSIONS[0] = 1
        try:
            yield
        finally:
            _SESSIONS[0] = 0
            kaleido.stop_sync_server(silence_warnings=True)
    finally:
        if before is None:
            os.environ.pop("BROWSER_PATH", None)
        else:
            os.environ["BROWSER_PATH"] = before


def write_gantt_static(plan: Plan, path: Path | str, fmt: str, *,
                       today: date | None = None, focus: str = "delivery",
                       links: str = "critical") -> Path:
    """Write one PNG, SVG or PDF (inside :func:`static_export` for batches)."""
    return write_gantt_images(plan, [(Path(path), fmt)], today=today, focus=focus,
                              links=links)[0]


def write_gantt_images(plan: Plan, targets: Iterable[tuple[Path, str]], *,
                       today: date | None = None, focus: str = "delivery",
                       links: str = "critical") -> list[Path]:
    """Write several static images of the plan with one browser session.

    A static image is a slide: by default it focuses on delivery (post-launch phases in
    one row at the right edge) and draws only the critical links; see :func:`build_figure`.
    """
    import kaleido

    targets = list(targets)
    for _, fmt in targets:
        if fmt not in STATIC_FORMATS:
            raise CrmimplError.single("--format", f"unknown image format '{fmt}'",
                                      hint="choose html, png, svg or pdf")
    fig = build_figure(plan, today=today, focus=focus, links=links)
    layout = fig.layout
    opts = {"width": layout.width, "height": layout.height}
    out = []
    with static_export():
        for path, fmt in targets:
            tmp = path.with_name(f".{path.stem}.tmp.{fmt}")
            path.parent.mkdir(parents=True, exist_ok=True)
            kaleido.write_fig_sync(fig, path=str(tmp), opts={**opts, "format": fmt})
            os.replace(tmp, path)
            out.append(path)
    return out
