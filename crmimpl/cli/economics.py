"""``crmimpl tco``: cost of ownership per CRM candidate, and the selection workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Vendor selection and total cost of ownership.", no_args_is_help=True)


def tco(
    path: Annotated[
        Path, typer.Argument(help="project.yaml or the folder holding it.")
    ] = Path("."),
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o",
                     help="Workbook to write; default: out/<id>-selection-tco.xlsx."),
    ] = None,
) -> None:
    """Print the TCO of each CRM candidate and write the selection and TCO workbook."""
    from crmimpl.model.project import load_project
    from crmimpl.plan.economics import analyse, tco_table
    from crmimpl.render.selection_workbook import write_selection_workbook

    project = load_project(path)
    result = analyse(project)
    typer.echo(tco_table(result))
    target = output or project.folder / "out" / f"{project.project.id}-selection-tco.xlsx"
    written = write_selection_workbook(result, target)
    typer.echo(f"wrote {written}")


def register(main_app: typer.Typer, panel: str = "Project definition") -> None:
    """Add ``tco`` as a top-level command of the main app."""
    main_app.command("tco", rich_help_panel=panel)(tco)


app.command("tco")(tco)
