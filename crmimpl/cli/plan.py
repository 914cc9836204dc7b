"""``crmimpl plan``, ``crmimpl gantt`` and ``crmimpl export``: the plan and its outputs.

Register with ``crmimpl.cli.plan.register(app)`` (adds the ``plan`` group and the
top-level ``gantt`` and ``export`` commands).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from crmimpl.errors import UsageError
from crmimpl.i18n import plain_money

if TYPE_CHECKING:
    from crmimpl.documents.workspace import Workspace
    from crmimpl.plan.builder import Plan

PANEL = "Plan"
PathArg = Annotated[Path, typer.Argument(help="project.yaml or the folder holding it.")]
TodayOption = Annotated[
    str | None,
    typer.Option("--today", help="Status line date (YYYY-MM-DD); default: plan.status_date."),
]


class _DefaultGroup(TyperGroup):
    """A group that runs ``show`` when the first word is not one of its commands, so
    ``crmimpl plan PATH`` and ``crmimpl plan baseline PATH`` both work."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["show", *args]
        elif not args:
            args = ["show"]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=_DefaultGroup, help="The plan: schedule, critical path, baseline.")


def _workspace(path: Path) -> Workspace:
    from crmimpl.documents.workspace import Workspace

    return Workspace.open(path)


def _load(path: Path) -> Plan:
    return _workspace(path).plan


def _today(value: str | None, plan: Plan) -> date | None:
    if value is None:
        return plan.status_date
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError.single("--today", f"'{value}' is not a date",
                                hint="write YYYY-MM-DD") from None


@app.command("show")
def show(path: PathArg = Path(".")) -> None:
    """Print the schedule, the critical path, costs and warnings."""
    print_plan(_load(path))


def print_plan(plan: Plan) -> None:
    """Print the plan as a table with the critical path, totals and warnings."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    table = Table(title=plan.project.project.title, show_lines=False)
    for col, justify in (("ID", "left"), ("Task", "left"), ("Start", "left"),
                         ("Finish", "left"), ("Days", "right"), ("Hours", "right"),
                         ("People", "left"), ("Float", "right"), ("Cost", "right")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for phase in plan.phases:
        table.add_row("", f"[bold]{_esc(phase.name)}[/bold]", str(phase.start),
                      str(phase.finish), "", f"{phase.effort_hours}", "", "",
                      plain_money(phase.cost))
        for t in phase.tasks:
            mark = "[red]*[/red] " if t.critical else "  "
            table.add_row(t.id, mark + _esc(t.name), str(t.start), str(t.finish),
                          "◆" if t.milestone else str(t.duration_days), f"{t.effort_hours}",
                          _esc(", ".join(t.assignees)), str(t.total_float), plain_money(t.cost))
    console.print(table)
    _print_summary(console, plan)


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _print_summary(console: Any, plan: Plan) -> None:
    c = plan.costs
    console.print(f"start {plan.start}, acceptance {plan.launch}, finish {plan.finish}")
    console.print("critical path (*): " + _esc(" → ".join(plan.critical_path)))
    console.print(f"hours {c.hours}; work {plain_money(c.work)}; contingency "
                  f"{plain_money(c.contingency)}; net {plain_money(c.net)}; VAT {c.vat_rate}% "
                  f"{plain_money(c.vat)}; total {plain_money(c.total)} {c.currency}")
    if plan.plausibility is not None:
        p = plan.plausibility
        (hl, hh), (ml, mh) = p.norm_hours_per_user, p.norm_months
        console.print(f"plausibility: {p.hours_per_user} hours per CRM user (usual for "
                      f"{plan.mode}: {hl:g}–{hh:g}); {p.months} months to acceptance "
                      f"({ml:g}–{mh:g})")
    if plan.schedule.moved:
        console.print(f"levelling delayed {len(plan.schedule.moved)} tasks so that nobody "
                      "is booked over their day (`crmimpl plan delays` lists why)")
    for w in plan.warnings:
        console.print(f"[yellow]warning:[/yellow] {_esc(w.message)}")


@app.command("baseline")
def baseline(path: PathArg = Path(".")) -> None:
    """Store the current plan as the baseline (.crmimpl/baseline.yaml)."""
    from crmimpl.plan.builder import save_baseline

    plan = _load(path)
    written = save_baseline(plan)
    typer.echo(f"wrote {written} ({len(plan.tasks)} tasks, finish {plan.finish})")


@app.command("delays")
def delays(path: PathArg = Path(".")) -> None:
    """List the tasks resource levelling delayed, by how much and for whom."""
    plan = _load(path)
    names = {p.id: p.name for p in plan.project.team}
    if not plan.schedule.moved:
        typer.echo("levelling delayed no task" if plan.project.plan.leveling else
                   "levelling is off (plan.leveling: false): no task was delayed")
        return
    cal = plan.calendar
    for move in plan.schedule.moved:
        days = cal.working_days_between(move.old_start, move.new_start) - 1
        who = ", ".join(names.get(p, p) for p in move.waiting_for)
        why = f"waits for {who}" if who else "follows a delayed predecessor"
        typer.echo(f"{move.task_id}: {move.old_start} → {move.new_start} "
                   f"(+{days} working days): {why}")


def gantt(
    path: PathArg = Path("."),
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="File to write; default: out/<id>-gantt.<format>.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="html | png | svg | pdf")] = "html",
    today: TodayOption = None,
) -> None:
    """Draw the Gantt chart: offline HTML, or PNG/SVG/PDF through Chromium."""
    from crmimpl.build import write_plan_output

    if fmt not in GANTT_FORMATS:
        raise UsageError.single("--format", f"unknown format '{fmt}'",
                                hint="choose html, png, svg or pdf")
    ws = _workspace(path)
    if today is not None:
        ws.plan.status_date = _today(today, ws.plan)
    target = write_plan_output(ws, fmt, target=output)
    typer.echo(f"wrote {target}")


GANTT_FORMATS = ("html", "png", "svg", "pdf")
EXPORTS = ("xlsx", "mspdi", "ics")


def export(
    path: PathArg = Path("."),
    formats: Annotated[str, typer.Option(
        "--format", "-f", help="Comma-separated: xlsx, mspdi, ics.")] = "xlsx,mspdi,ics",
    out_dir: Annotated[Path | None, typer.Option(
        "--out-dir", "-d", help="Folder; default: out/ beside the project.")] = None,
) -> None:
    """Export the plan: estimate-plan-schedule workbook, MS Project XML, iCalendar."""
    from crmimpl.build import write_plan_output

    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in EXPORTS]
    if unknown or not wanted:
        raise UsageError.single("--format", f"unknown format(s): {', '.join(unknown) or '—'}",
                                hint="choose from " + ", ".join(EXPORTS))
    ws = _workspace(path)
    for fmt in wanted:
        typer.echo(f"wrote {write_plan_output(ws, fmt, out_dir)}")


def register(main_app: typer.Typer, panel: str = PANEL) -> None:
    """Add the ``plan`` group and the ``gantt`` and ``export`` commands to the main app."""
    main_app.add_typer(app, name="plan", rich_help_panel=panel)
    main_app.command("gantt", rich_help_panel=panel)(gantt)
    main_app.command("export", rich_help_panel=panel)(export)
