"""The Gantt chart's time axis: its span, ticks, days off and the labelled vertical lines.

The axis covers the plan (its delivery phases only in delivery focus) with a few days'
margin, stretched to the deadline or status line when they fall near it; a line further
away is a label with an arrow at that edge, so a deadline months after acceptance does not
squeeze the chart. About ten ticks, on Mondays or on the first of a month; weekends are
shaded only while a day is wide enough to see them, breaks of three days or more always.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan

DAY_MS = 86_400_000
PLOT_PX = 950  # about the width left for the bars beside the row labels
DEADLINE = "#111111"
STATUS = "#1565C0"
TICKS_PX = 24  # the top axis's tick labels
LABEL_ROW_PX = 20  # one row of line labels above them
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Line:
    day: date
    text: str
    color: str
    dash: str


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


def marked_lines(plan: Plan, today: date | None, lab: dict[str, str]) -> list[Line]:
    lines = []
    deadline = plan.project.project.deadline
    if deadline is not None:
        lines.append(Line(deadline, f"{lab['deadline']} {format_day(deadline, plan.language)}",
                           DEADLINE, "dashdot"))
    status = status_line_date(plan, today)
    if status is not None:
        day, is_status = status
        word = lab["status"] if is_status else lab["today"]
        lines.append(Line(day, f"{word} {format_day(day, plan.language)}", STATUS, "dash"))
    return lines


def x_range(plan: Plan, focus: str, lines: list[Line]) -> tuple[date, date]:
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


def off_days(plan: Plan, first: date, last: date) -> Iterator[tuple[date, date]]:
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


def shading(plan: Plan, first: date, last: date) -> list[dict[str, Any]]:
    """Grey bands for days off: every one while a day is a few pixels wide, else only
    breaks of three days or more (holidays), which a long chart would turn into noise."""
    px_per_day = PLOT_PX / max((last - first).days, 1)
    return [
        {"type": "rect", "xref": "x", "yref": "paper", "x0": a.isoformat(),
         "x1": b.isoformat(), "y0": 0, "y1": 1, "fillcolor": "#EEEEEE", "opacity": 0.7,
         "line": {"width": 0}, "layer": "below"}
        for a, b in off_days(plan, first, last)
        if px_per_day >= 6 or (b - a).days >= 3
    ]


def line_marks(lines: list[Line], first: date, last: date
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The deadline and status lines, and their labels above the top date axis, one row
    each (:data:`LABEL_ROW_PX`) and turned towards the middle, so they cover no bar, never
    run off the edge nor over each other; a line off the axis is a label with an arrow at
    that edge."""
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
                      "showarrow": False, "yanchor": "bottom",
                      "yshift": TICKS_PX + LABEL_ROW_PX * n,
                      "xanchor": "right" if left else "left", "xshift": 2 if left else -2,
                      "font": {"color": line.color, "size": 12}})
    return shapes, notes


def date_axis(first: date, last: date, lang: str) -> dict[str, Any]:
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
