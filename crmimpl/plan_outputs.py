"""The plan's files for ``crmimpl build``: Gantt (HTML and PNG), workbook, MSPDI, iCalendar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from crmimpl.errors import CrmimplError

if TYPE_CHECKING:
    from crmimpl.build import BuildContext


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
        write_ical(plan, ctx.path("plan", "ics")),
    ]
    try:
        written += write_gantt_images(plan, [(ctx.path("gantt", "png"), "png")])
    except CrmimplError as exc:
        ctx.warnings.append(f"static Gantt chart skipped: {exc.render()}")
    return [Path(p) for p in written]
