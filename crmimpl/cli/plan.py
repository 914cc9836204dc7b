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

if TYPE_CHECKING:
    from crmimpl.documents.workspace import Workspace
    from crmimpl.plan.builder import Plan

PANEL = "Plan"
PathArg = Annotated[Path, typer.Argument(help="project.yaml or the folder holding it.")]
StatusOption = Annotated[
    str | None,
    typer.Option("--status-date", "--today", help="Draw the status line on this date "
                 "(YYYY-MM-DD); default: plan.status_date, else today's date when it falls "
                 "inside the plan."),
]
SHOW_FORMATS = ("table", "csv", "json")


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
        raise UsageError.single("--status-date", f"'{value}' is not a date",
                                hint="write YYYY-MM-DD") from None


@app.command("show")
def show(
    path: PathArg = Path("."),
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="table (for people) | csv | json (every task column, "
        "untruncated)")] = "table",
) -> None:
    """Print the schedule, the critical path, costs and warnings."""
    if fmt not in SHOW_FORMATS:
        raise UsageError.single("--format", f"unknown format '{fmt}'",
                                hint="choose " + ", ".join(SHOW_FORMATS))
    plan = _load(path)
    if fmt == "table":
        print_plan(plan)
        return
    from crmimpl.render.plan_table import plan_csv, plan_json

    typer.echo(plan_csv(plan) if fmt == "csv" else plan_json(plan), nl=False)
    if fmt == "csv":
        for w in plan.warnings:
            typer.echo(f"warning: {w.message}", err=True)


@app.command("ids")
def ids(path: PathArg = Path(".")) -> None:
    """List the generated task ids with their phase and name, for plan overrides."""
    plan = _load(path)
    rows = [("ID", "PHASE", "NAME")] + [(t.id, t.phase, t.name) for t in plan.tasks]
    width = [max(len(r[i]) for r in rows) for i in range(2)]
    for task_id, phase, name in rows:
        typer.echo(f"{task_id:<{width[0]}}  {phase:<{width[1]}}  {name}")


def print_plan(plan: Plan, console: Any = None) -> None:
    """Print the plan as a table with the critical path, totals and warnings.

    Task ids are never cut. Piped, the table takes the width it needs whatever
    ``COLUMNS`` says; on a narrow terminal the id column keeps its full width, the task
    names wrap and the columns of :data:`NARROW_DROPS` go, in that order, until it fits.
    """
    from rich.console import Console

    if console is None:
        console = Console(highlight=False)
        if not console.is_terminal:
            console = Console(highlight=False, width=100_000, no_color=True)
    if sum(len(p.tasks) + 1 for p in plan.phases) > PLAIN_ABOVE:
        console.file.write(_plain_table(plan, _rows(plan, markup=False), console.width))
    else:
        console.print(_table(plan, console.width, _rows(plan)))
    _print_summary(console, plan)


PLAIN_ABOVE = 300
"""Above this many rows the table is laid out directly, one line per task: rich's
wrapping takes seconds for thousands of rows (names are cut with … instead of wrapped)."""


COLUMNS = ("ID", "Task", "Start", "Finish", "Days", "Hours", "People", "Float", "Cost")
RIGHT = {"Days", "Hours", "Float", "Cost"}
NARROW_DROPS = ("People", "Float", "Days", "Cost", "Hours", "Finish")
TASK_MIN = 18


def _rows(plan: Plan, *, markup: bool = True) -> list[tuple[bool, dict[str, str]]]:
    """(is a phase, cells by column) in display order; cells are rich markup, or plain
    text (``markup=False``)."""
    from crmimpl.i18n import plain_money

    def _esc(text: str) -> str:
        return esc(text) if markup else text

    bold, unbold = ("[bold]", "[/bold]") if markup else ("", "")
    star = "[red]*[/red] " if markup else "* "
    rows = []
    for phase in plan.phases:
        rows.append((True, {"ID": "", "Task": f"{bold}{_esc(phase.name)}{unbold}",
                            "Start": str(phase.start), "Finish": str(phase.finish),
                            "Days": "", "Hours": f"{phase.effort_hours}", "People": "",
                            "Float": "", "Cost": plain_money(phase.cost)}))
        for t in phase.tasks:
            mark = star if t.critical else "  "
            rows.append((False, {
                "ID": t.id, "Task": mark + _esc(t.name), "Start": str(t.start),
                "Finish": str(t.finish), "Days": "◆" if t.milestone else str(t.duration_days),
                "Hours": f"{t.effort_hours}", "People": _esc(", ".join(t.assignees)),
                "Float": str(t.total_float), "Cost": plain_money(t.cost)}))
    return rows


def _fit(rows: list[dict[str, str]], width: int) -> list[str]:
    """The columns that fit ``width`` with the task names wrapped at :data:`TASK_MIN`."""
    from rich.text import Text

    def need(col: str) -> int:
        cells = [len(Text.from_markup(r[col]).plain) for r in rows] + [len(col)]
        return (min(max(cells), TASK_MIN) if col == "Task" else max(cells)) + 3

    kept = list(COLUMNS)
    for col in NARROW_DROPS:
        if sum(need(c) for c in kept) <= width:
            break
        kept.remove(col)
    return kept


def _plain_table(plan: Plan, rows: list[tuple[bool, dict[str, str]]], width: int) -> str:
    """The table of plain ``rows`` as aligned text within ``width``: ids whole, the task
    names and people cut to fit, then the columns of :data:`NARROW_DROPS` dropped."""
    plain = [cells for _, cells in rows]
    size = {c: max([len(c)] + [len(r[c]) for r in plain]) for c in COLUMNS}
    kept = list(COLUMNS)

    def total() -> int:
        return sum(size[c] for c in kept) + 2 * (len(kept) - 1)

    for col, least in (("Task", TASK_MIN), ("People", 12)):
        if total() > width:
            size[col] = max(least, size[col] - (total() - width))
    for col in NARROW_DROPS:
        if total() <= width:
            break
        kept.remove(col)

    def cell(col: str, text: str) -> str:
        if len(text) > size[col]:
            text = text[: size[col] - 1] + "…"
        return text.rjust(size[col]) if col in RIGHT else text.ljust(size[col])

    def line(values: dict[str, str]) -> str:
        return "  ".join(cell(c, values[c]) for c in kept).rstrip()

    out = [plan.project.project.title, line({c: c for c in COLUMNS}),
           "  ".join("─" * size[c] for c in kept)]
    out += [line(values) for values in plain]
    return "\n".join(out) + "\n"


def _table(plan: Plan, width: int, rows: list[tuple[bool, dict[str, str]]]) -> Any:
    from rich import box
    from rich.table import Table

    columns = _fit([cells for _, cells in rows], width)
    table = Table(title=plan.project.project.title, box=box.SIMPLE_HEAD, show_edge=False)
    for col in columns:
        table.add_column(col, justify="right" if col in RIGHT else "left",
                         no_wrap=col not in ("Task", "People"),
                         min_width=TASK_MIN if col == "Task" else None)
    for _, cells in rows:
        table.add_row(*(cells[c] for c in columns))
    return table


def esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _print_summary(console: Any, plan: Plan) -> None:
    from crmimpl.i18n import plain_money

    c = plan.costs
    console.print(f"start {plan.start}, acceptance {plan.launch}, finish {plan.finish}")
    console.print("critical path (*): " + esc(" → ".join(plan.critical_path)))
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
        console.print(f"[yellow]warning:[/yellow] {esc(w.message)}")


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
    focus: Annotated[str | None, typer.Option(
        "--focus", help="all | delivery (post-launch phases in one row at the right edge); "
        "default: all for html, delivery for png/svg/pdf.")] = None,
    links: Annotated[str | None, typer.Option(
        "--links", help="Dependency arrows: all | critical | none; default: all for html, "
        "critical for png/svg/pdf.")] = None,
    status_date: StatusOption = None,
    plotlyjs: Annotated[str, typer.Option(
        "--plotlyjs", help="html: embed (one self-contained file to send) | beside (a "
        "small page using a shared plotly.js copy written next to it, as "
        "`build` does).")] = "embed",
) -> None:
    """Draw the Gantt chart: offline HTML, or PNG/SVG/PDF through Chromium."""
    from crmimpl.build import GanttOptions, write_plan_output
    from crmimpl.render.gantt import FOCUS, LINKS, PLOTLYJS

    if fmt not in GANTT_FORMATS:
        raise UsageError.single("--format", f"unknown format '{fmt}'",
                                hint="choose html, png, svg or pdf")
    for option, value, allowed in (("--focus", focus, FOCUS), ("--links", links, LINKS),
                                   ("--plotlyjs", plotlyjs, PLOTLYJS)):
        if value is not None and value not in allowed:
            raise UsageError.single(option, f"unknown value '{value}'",
                                    hint="choose " + ", ".join(allowed))
    ws = _workspace(path)
    if status_date is not None:
        ws.plan.status_date = _today(status_date, ws.plan)
    target = write_plan_output(ws, fmt, target=output,
                               gantt=GanttOptions(focus=focus, links=links,
                                                  plotlyjs=plotlyjs))
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
