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

plotly is imported inside the functions: importing this module is cheap. PNG, SVG and PDF
are written by :mod:`crmimpl.render.gantt_static`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmimpl.errors import CrmimplError
from crmimpl.i18n import count, words
from crmimpl.render.gantt_axis import (
    DAY_MS,
    LABEL_ROW_PX,
    Line,
    date_axis,
    format_day,
    line_marks,
    marked_lines,
    shading,
    x_range,
)
from crmimpl.store import atomic_write_text

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan, PlanPhase, PlanTask

DIV_ID = "crmimpl-gantt"
ROW_PX = 24
WIDTH_PX = 1400
# Phase colours (Tableau 10 without its red and pink): the critical path owns the red.
PALETTE = ["#4C78A8", "#F58518", "#54A24B", "#B279A2", "#9D755D", "#72B7B2", "#EECA3B",
           "#79706E", "#8CD17D", "#BAB0AC", "#86BCB6", "#D4A6C8"]
CRITICAL = "#D62728"
FOCUS = ("all", "delivery")
LINKS = ("all", "critical", "none")


@dataclass(frozen=True)
class _Row:
    y: int
    label: str
    task: PlanTask | None
    phase_index: int
    later: tuple[PlanPhase, ...] = ()  # post-launch phases collapsed into this row


def _rows(plan: Plan, focus: str, max_rows: int | None = None) -> list[_Row]:
    """The chart's rows: a phase row, then its tasks.

    With ``max_rows`` a large plan is folded until the chart fits, so a static image stays
    legible: first each phase's training-group tasks become one row spanning the sessions,
    then the phases with the most tasks become their phase row (which names the number of
    tasks; milestones stay).
    """
    later = tuple(p for p in plan.phases if p.post_launch) if focus == "delivery" else ()
    shown = [pi for pi, phase in enumerate(plan.phases) if phase not in later]
    tasks = {pi: list(plan.phases[pi].tasks) for pi in shown}
    folded: set[int] = set()

    def total() -> int:
        return sum(1 + sum(1 for t in tasks[pi] if pi not in folded or t.milestone)
                   for pi in shown) + bool(later)

    if max_rows is not None and total() > max_rows:
        for pi in shown:
            tasks[pi] = _fold_groups(plan, tasks[pi])
        for pi in sorted(shown, key=lambda pi: (-len(tasks[pi]), pi)):
            if total() <= max_rows:
                break
            folded.add(pi)
    rows: list[_Row] = []
    for pi in shown:
        phase = plan.phases[pi]
        label = phase.name
        if pi in folded:
            label += f" ({count(len(phase.tasks), plan.language, TASK_RU, TASK_EN)})"
        rows.append(_Row(len(rows), label, None, pi))
        for task in tasks[pi]:
            if pi not in folded or task.milestone:
                rows.append(_Row(len(rows), "   " + task.name, task, pi))
    if later:
        label = "; ".join(p.name for p in later)
        rows.append(_Row(len(rows), label, None, plan.phases.index(later[0]), later))
    return rows


def _fold_groups(plan: Plan, tasks: list[PlanTask]) -> list[PlanTask]:
    """The tasks with the training-group tasks as one task spanning them all."""
    from dataclasses import replace

    groups = [t for t in tasks if t.group is not None]
    if len(groups) < 2:
        return tasks
    label = words("gantt", plan.language)["training_groups"].format(
        groups=count(len(groups), plan.language, ("группа", "группы", "групп"),
                     ("group", "groups")))
    one = replace(groups[0], id=f"{groups[0].id}.all", name=label, links=[],
                  start=min(t.start for t in groups), finish=max(t.finish for t in groups),
                  effort_hours=sum((t.effort_hours for t in groups), Decimal(0)),
                  assignments=[a for t in groups for a in t.assignments],
                  critical=any(t.critical for t in groups),
                  total_float=min(t.total_float for t in groups), percent_complete=0)
    at = tasks.index(groups[0])
    rest = [t for t in tasks if t.group is None]
    return [*rest[:at], one, *rest[at:]]


TASK_RU = ("задача", "задачи", "задач")
TASK_EN = ("task", "tasks")
STATIC_MAX_ROWS = 70
"""A static image is a slide: larger plans fold their biggest phases (see :func:`_rows`)."""
LINKS_ALL_MAX_ROWS = 300
"""Above this many rows the HTML draws only critical links by default (arrows are the
slow part of drawing a large chart)."""
PAGED_ROWS = 400
"""Above this many rows the interactive HTML shows the chart in pages: plotly draws a
chart's task labels in time growing with the square of their number (0.4 s for 100 rows,
4.5 s for 400, about 100 s for 2 000 in headless Chromium), so one tall chart would take
minutes to appear."""
PAGE_ROWS = 200
"""Rows on one page of a paged chart (about a second to draw)."""
MIN_PAGE_PART = 20
"""A long phase starts on a new page rather than with fewer rows than this."""


def _end(d: date) -> date:
    """Midnight after an inclusive finish day."""
    return d + timedelta(days=1)


def _ms(start: date, finish: date) -> int:
    return (_end(finish) - start).days * DAY_MS


def build_figure(plan: Plan, *, today: date | None = None, focus: str = "all",
                 links: str | None = "all", max_rows: int | None = None) -> Any:
    """The Gantt chart of ``plan`` as a ``plotly.graph_objects.Figure``.

    Args:
        plan: the plan.
        today: the date today, for the status line when the plan has no status date (drawn
            only inside the plan's span); ``None`` draws no today line. Pass it in: the
            chart never reads the clock, so the same arguments give the same bytes.
        focus: ``"all"`` or ``"delivery"`` (post-launch phases collapsed into one row).
        links: dependency arrows to draw: ``"all"``, ``"critical"`` or ``"none"``; ``None``:
            all, or only the critical ones above :data:`LINKS_ALL_MAX_ROWS` rows.
        max_rows: fold the largest phases until the chart has at most this many rows.
    """
    _check(focus, FOCUS, "--focus")
    rows = _rows(plan, focus, max_rows)
    return _figure(plan, rows, today=today, focus=focus, links=_links(links, len(rows)),
                   measured=len(rows) > LINKS_ALL_MAX_ROWS)


def _links(links: str | None, rows: int) -> str:
    if links is None:
        links = "all" if rows <= LINKS_ALL_MAX_ROWS else "critical"
    _check(links, LINKS, "--links")
    return links


def build_pages(plan: Plan, *, today: date | None = None, focus: str = "all",
                links: str | None = None, page_rows: int | None = None
                ) -> list[tuple[str, Any]]:
    """The Gantt chart of a large plan as pages of at most ``page_rows`` rows
    (:data:`PAGE_ROWS`): ``(label, figure)`` for each.

    A page starts at a phase when it can; a phase longer than a page goes on over several,
    each opening with the phase row marked as continued. Every page has the whole plan's
    date axis and the same label margin, so paging keeps the bars in place.
    """
    _check(focus, FOCUS, "--focus")
    lab = words("gantt", plan.language)
    rows = _rows(plan, focus)
    links = _links(links, len(rows))
    pages = _split(rows, page_rows or PAGE_ROWS, lab["continued"])
    every = [r for page in pages for r in page]
    out = []
    for n, page in enumerate(pages, 1):
        heads = [r.label for r in page if r.task is None and not r.later] or \
            [page[0].label]
        label = f"{n}. {heads[0]}" + (f" … {heads[-1]}" if len(heads) > 1 else "")
        fig = _figure(plan, page, today=today, focus=focus, links=links, measured=True,
                      margin_rows=every)
        out.append((label, fig))
    return out


def _split(rows: list[_Row], size: int, continued: str) -> list[list[_Row]]:
    """Rows cut into pages of at most ``size`` rows, renumbered from 0 on each page."""
    from dataclasses import replace

    blocks: list[list[_Row]] = []  # a phase row with its tasks
    for row in rows:
        if row.task is None or not blocks:
            blocks.append([row])
        else:
            blocks[-1].append(row)
    pages: list[list[_Row]] = [[]]
    for block in blocks:
        room = size - len(pages[-1])
        # a phase that fits on a page starts one rather than being cut; a longer one
        # fills the page it starts on
        if pages[-1] and (room < min(len(block), MIN_PAGE_PART)
                          or room < len(block) <= size):
            pages.append([])
        head, rest = block[0], block[1:]
        pages[-1].append(head)
        for row in rest:
            if len(pages[-1]) >= size:
                pages.append([replace(head, label=f"{head.label} ({continued})")])
            pages[-1].append(row)
    return [[replace(r, y=y) for y, r in enumerate(page)] for page in pages if page]


def _figure(plan: Plan, rows: list[_Row], *, today: date | None, focus: str, links: str,
            measured: bool, margin_rows: list[_Row] | None = None) -> Any:
    import plotly.graph_objects as go

    lab = words("gantt", plan.language)
    lines = marked_lines(plan, today, lab)
    first, last = x_range(plan, focus, lines)
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
    if measured:
        # plotly's automargin lays a chart out again and again, measuring every label
        # each time: at 2 000 rows that is most of the drawing. Measure them once here.
        # the date axes' room is in the margins already (top: the label rows)
        fig.update_layout(margin={"l": _label_margin(margin_rows or rows)},
                          yaxis={"automargin": False}, xaxis={"automargin": False},
                          xaxis2={"automargin": False})
    return fig


def _check(value: str, allowed: tuple[str, ...], option: str) -> None:
    if value not in allowed:
        raise CrmimplError.single(option, f"unknown value '{value}'",
                                  hint="choose " + " or ".join(allowed))


def phase_color(index: int) -> str:
    """The fill of the phase at ``index`` (the palette repeats after twelve phases)."""
    return PALETTE[index % len(PALETTE)]


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


def _layout(fig: Any, plan: Plan, rows: list[_Row], lab: dict[str, str],
            span: tuple[date, date], lines: list[Line],
            annotations: list[dict[str, Any]]) -> None:
    first, last = span
    line_shapes, line_notes = line_marks(lines, first, last)
    top = 80 + LABEL_ROW_PX * len(lines)
    axis = date_axis(first, last, plan.language)
    title = f"{lab['title']}: {plan.project.project.title}"
    height = max(420, top + 85 + ROW_PX * len(rows))
    fig.update_layout(
        # 6 px from the top whatever the height (a fraction would sink into a tall chart)
        title={"text": title, "x": 0.01, "y": 1 - 6 / height, "yanchor": "top",
               "yref": "container"},
        barmode="overlay", bargap=0.2, width=WIDTH_PX,
        height=height,
        margin={"l": 20, "r": 30, "t": top, "b": 85},
        shapes=shading(plan, first, last) + line_shapes,
        template=_template(),
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
    # last, as plotly puts them when given with the rest (after the other lists)
    _set_unchecked(fig.layout, "annotations", annotations + line_notes)


@functools.cache
def _template() -> Any:
    """plotly's "plotly_white" for the two kinds of trace a Gantt chart has: the whole
    template carries the defaults of every kind of trace, which the browser applies
    (half a second at 200 rows) and the page carries for nothing."""
    import plotly.graph_objects as go
    import plotly.io as pio

    white = pio.templates["plotly_white"]
    return go.layout.Template(layout=white.layout,
                              data={"bar": white.data.bar, "scatter": white.data.scatter})


def _set_unchecked(layout: Any, prop: str, items: list[dict[str, Any]]) -> None:
    """Set ``layout[prop]`` to ``items`` as plotly stores them once checked, without
    checking them: plotly checks an annotation a property at a time, and a plan's
    hundreds of link arrows took a third of the chart. What plotly keeps of a checked
    item is its properties in alphabetical order (our values are plotly's own types);
    a test holds the chart to what plotly makes of it when it checks everything."""
    validate = layout._validate
    layout._validate = False
    try:
        layout[prop] = [_in_plotly_order(item) for item in items]
    finally:
        layout._validate = validate


def _in_plotly_order(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _in_plotly_order(value[key]) for key in sorted(value)}
    return value


def _label_margin(rows: list[_Row]) -> int:
    """Pixels the widest task label needs at the tick font (12 px), with some air."""
    from crmimpl.render.textwidth import text_width

    widest = max((text_width(_tick(r).removeprefix("<b>").removesuffix("</b>"), 9,
                             bold=r.task is None) for r in rows), default=0.0)
    return int(widest / 20 * 4 / 3) + 24  # twips → pt → px (12 px = 9 pt)


def _tick(row: _Row) -> str:
    text = row.label if len(row.label) <= 70 else row.label[:67] + "…"
    return f"<b>{text}</b>" if row.task is None else text


# ------------------------------------------------------------------------------ output
PLOTLYJS = ("embed", "beside")
"""Where plotly.js goes: ``embed`` (one self-contained file, 1.2 MB, for sending) or
``beside`` (one shared ``plotly-basic-<version>.min.js`` next to the page, as ``build`` writes
into ``out/``: every page of the folder stays small and still opens offline)."""


BASIC_BUNDLE = Path(__file__).with_name("vendor") / "plotly-basic.min.js"
"""plotly.js's partial bundle of scatter, bar and pie traces: all a Gantt chart draws,
a quarter of the full bundle's size (see ``vendor/README.md``)."""


@functools.cache
def _basic_bundle() -> bool:
    """Whether the vendored basic bundle is there and of the installed plotly's version
    (the figure's JSON is written for that version)."""
    from plotly.offline import get_plotlyjs_version

    try:
        with BASIC_BUNDLE.open("rb") as f:
            head = f.read(200).decode("utf-8", "replace")
    except OSError:
        return False
    return f"(basic - minified) v{get_plotlyjs_version()}\n" in head


def plotlyjs_code() -> str:
    """The plotly.js the Gantt pages load: the basic bundle, or the full one when the
    basic bundle does not match the installed plotly."""
    if _basic_bundle():
        return BASIC_BUNDLE.read_text(encoding="utf-8")
    from plotly.offline import get_plotlyjs

    code: str = get_plotlyjs()
    return code


def plotlyjs_name() -> str:
    """File name of the shared plotly.js copy (versioned, so copies never mix)."""
    from plotly.offline import get_plotlyjs_version

    kind = "plotly-basic" if _basic_bundle() else "plotly"
    return f"{kind}-{get_plotlyjs_version()}.min.js"


def _missing_script_note(name: str, lang: str) -> str:
    """Shown instead of the chart when the page is opened without its plotly.js copy."""
    text = words("gantt", lang)["plotlyjs_missing"].format(file=name)
    return ("<script>window.addEventListener('DOMContentLoaded',function(){"
            "if(typeof Plotly==='undefined'){var d=document.getElementById('" + DIV_ID + "');"
            "if(d){d.innerText=" + _js_string(text) + ";d.style.padding='2em';}}});</script>")


def _js_string(text: str) -> str:
    import json

    return json.dumps(text).replace("<", "\\u003c")


def gantt_html(plan: Plan, *, today: date | None = None, focus: str = "all",
               links: str | None = None, plotlyjs: str = "embed") -> str:
    """One offline HTML page (fixed div id) with plotly.js embedded, or referring to the
    shared copy beside it (``plotlyjs="beside"``, see :data:`PLOTLYJS`).

    Interactive, so it shows everything by default; arguments as :func:`build_figure`.
    """
    _check(focus, FOCUS, "--focus")
    if len(_rows(plan, focus)) > PAGED_ROWS:
        return _paged_html(plan, build_pages(plan, today=today, focus=focus, links=links),
                           plotlyjs)
    fig = build_figure(plan, today=today, focus=focus, links=links)
    include: bool | str = False if plotlyjs == "embed" else plotlyjs_name()
    html: str = fig.to_html(include_plotlyjs=include, full_html=True, div_id=DIV_ID,
                            config={"displaylogo": False, "responsive": True})
    if plotlyjs == "embed":
        script = f'<script type="text/javascript">{plotlyjs_code()}</script>'
        return html.replace("<body>", "<body>\n" + script, 1)
    lang = plan.language
    return html.replace("<body>", "<body>" + _missing_script_note(plotlyjs_name(), lang), 1)


PAGE_SELECT_ID = DIV_ID + "-page"


def _paged_html(plan: Plan, pages: list[tuple[str, Any]], plotlyjs: str) -> str:
    """One page of HTML showing a large chart page by page: a menu of the pages (named by
    their phases) with previous/next buttons; ``#page-N`` in the address opens page N.
    Only the page shown is drawn."""
    import html as html_lib

    import plotly.io as pio
    lang = plan.language
    lab = words("gantt", lang)
    tasks = sum(1 for p in plan.phases for _ in p.tasks)
    title = f"{lab['title']}: {plan.project.project.title}"
    figures = ",".join(pio.to_json(fig, validate=False) for _, fig in pages)
    options = "".join(f'<option value="{n}">{html_lib.escape(label)}</option>'
                      for n, (label, _) in enumerate(pages))
    note = lab["pages_note"].format(tasks=tasks, pages=len(pages))
    if plotlyjs == "embed":
        load = f"<script>{plotlyjs_code()}</script>"
        missing = ""
    else:
        load = f'<script charset="utf-8" src="{plotlyjs_name()}"></script>'
        missing = _missing_script_note(plotlyjs_name(), lang)
    config = '{"displaylogo": false, "responsive": true}'
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{html_lib.escape(title)}</title>
<style>
body {{margin: 0; font-family: "Open Sans", verdana, arial, sans-serif; font-size: 14px;}}
.crmimpl-pages {{position: sticky; top: 0; z-index: 10; background: #fff;
  border-bottom: 1px solid #ddd; padding: 6px 12px; display: flex; gap: 8px;
  align-items: center;}}
.crmimpl-pages select {{font-size: 14px; max-width: 60em;}}
.crmimpl-pages button {{font-size: 14px; min-width: 2.5em;}}
</style>
</head>
<body>
{missing}<nav class="crmimpl-pages">
<button type="button" id="{DIV_ID}-prev" title="{html_lib.escape(lab['previous'])}">◀</button>
<select id="{PAGE_SELECT_ID}" aria-label="{html_lib.escape(lab['page'])}">{options}</select>
<button type="button" id="{DIV_ID}-next" title="{html_lib.escape(lab['next'])}">▶</button>
<span>{html_lib.escape(note)}</span>
</nav>
<div id="{DIV_ID}" class="plotly-graph-div" style="width: {WIDTH_PX}px;"></div>
<script>window.PlotlyConfig = {{MathJaxConfig: 'local'}};</script>
{load}
<script>
(function () {{
  var pages = [{figures}];
  var config = {config};
  var div = document.getElementById("{DIV_ID}");
  var select = document.getElementById("{PAGE_SELECT_ID}");
  var shown = -1;
  function show(n) {{
    n = Math.max(0, Math.min(pages.length - 1, n));
    select.value = String(n);
    if (n === shown || typeof Plotly === "undefined") return;
    shown = n;
    div.style.height = pages[n].layout.height + "px";
    Plotly.react(div, pages[n].data, pages[n].layout, config);
  }}
  function fromAddress() {{
    var m = /^#page-([0-9]+)$/.exec(window.location.hash);
    return m ? parseInt(m[1], 10) - 1 : 0;
  }}
  function go(n) {{ show(n); window.location.hash = "page-" + (shown + 1); }}
  select.addEventListener("change", function () {{ go(parseInt(select.value, 10)); }});
  document.getElementById("{DIV_ID}-prev").addEventListener("click",
    function () {{ go(shown - 1); }});
  document.getElementById("{DIV_ID}-next").addEventListener("click",
    function () {{ go(shown + 1); }});
  window.addEventListener("hashchange", function () {{ show(fromAddress()); }});
  show(fromAddress());
}})();
</script>
</body>
</html>
"""


def write_plotlyjs_beside(path: Path) -> Path:
    """Write the shared plotly.js copy into ``path``'s folder unless the same is there."""
    target = path.parent / plotlyjs_name()
    code = plotlyjs_code()
    if not target.is_file() or target.stat().st_size != len(code.encode()):
        atomic_write_text(target, code)
    return target


def write_gantt_html(plan: Plan, path: Path | str, *, today: date | None = None,
                     focus: str = "all", links: str | None = None,
                     plotlyjs: str = "embed") -> Path:
    """Write the Gantt HTML atomically (and the shared plotly.js beside it if asked)."""
    path = Path(path)
    if plotlyjs == "beside":
        write_plotlyjs_beside(path)
    return atomic_write_text(path, gantt_html(plan, today=today, focus=focus, links=links,
                                              plotlyjs=plotlyjs))
