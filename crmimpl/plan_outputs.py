"""The plan's files for ``crmimpl build``: Gantt (HTML and PNG), workbook, MSPDI, iCalendar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from crmimpl.errors import CrmimplError

if TYPE_CHECKING:
    from crmimpl.build import BuildContext
    from crmimpl.render.ical import CalendarSession


def build_outputs(ctx: BuildContext) -> list[Path]:
    """Write every plan output; the static Gantt is skipped with a warning without Chromium."""
    from crmimpl.plan import write_plan_mspdi
    from crmimpl.render.gantt import write_gantt_html, write_gantt_images
    from crmimpl.render.ical import write_ical
    from crmimpl.render.workbook import write_workbook

    plan = ctx.plan
    written = [
        write_gantt_html(plan, ctx.path("gantt", "html")),
        write_workbook(plan, ctx.path("plan", "xlsx")),
        write_plan_mspdi(plan, ctx.path("plan", "xml")),
        write_ical(plan, ctx.path("plan", "ics"), training_sessions(ctx)),
    ]
    try:
        written += write_gantt_images(plan, [(ctx.path("gantt", "png"), "png")])
    except CrmimplError as exc:
        ctx.warnings.append(f"static Gantt chart skipped: {exc.render()}")
    return [Path(p) for p in written]


def training_sessions(ctx: BuildContext) -> list[CalendarSession]:
    """The training plan's sessions as calendar events, in the project's language."""
    from crmimpl.documents.training_plan import training_for
    from crmimpl.render.ical import CalendarSession

    lang = ctx.project.project.language
    training = training_for(ctx.project, lang, ctx.plan)
    names = {g.id: g.name for g in training.groups}
    trainers = {p.id: p.name for p in ctx.project.team}
    return [
        CalendarSession(f"training.{s.group_id}.{s.number}",
                        f"{s.group_id} {names[s.group_id]} — {s.number}", s.day, s.start_time,
                        s.hours, f"{trainers.get(s.trainer_id, s.trainer_id)}: "
                        + "; ".join(s.topics))
        for s in training.sessions
    ]
