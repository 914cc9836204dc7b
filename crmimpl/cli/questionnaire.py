"""``crmimpl questionnaire``: export workbooks, import answers, show progress."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Client questionnaires: Excel workbooks out, answers back in. Messages about "
    "workbooks are in the project's language (CRMIMPL_MESSAGES=en forces English).",
    no_args_is_help=True,
)

ProjectArg = Annotated[Path, typer.Argument(help="project.yaml or the folder holding it.")]


@app.command("export")
def export_cmd(
    project: ProjectArg,
    questionnaire: Annotated[str, typer.Argument(help="Questionnaire id (see `list`).")],
    audience: Annotated[str | None, typer.Option(
        "--audience", "-a", help="Department id or kind the workbook is for.")] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", "-l", help="ru | en (default: the project's language).")] = None,
    deadline: Annotated[str | None, typer.Option(
        "--deadline", help="Date to return the workbook by, YYYY-MM-DD.")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output .xlsx.")
                      ] = None,
) -> None:
    """Write a questionnaire workbook for the client to fill in."""
    from crmimpl.questionnaire.export import export_for_project

    path = export_for_project(project, questionnaire, audience=audience, language=lang,
                              deadline=_date(deadline), output=output)
    typer.echo(f"wrote {path}")


@app.command("import")
def import_cmd(
    project: ProjectArg,
    files: Annotated[list[Path], typer.Argument(help="Filled workbooks (.xlsx).")],
    force: Annotated[bool, typer.Option(
        "--force", help="Replace answers imported before.")] = False,
    partial: Annotated[bool, typer.Option(
        "--partial", help="Accept required questions left unanswered.")] = False,
) -> None:
    """Check filled workbooks and store their answers in answers/."""
    from crmimpl.questionnaire.importer import import_questionnaires

    result = import_questionnaires(project, files, force=force, partial=partial)
    warnings, lines = result.lines()
    for warning in warnings:
        typer.echo(warning, err=True)
    for line in lines:
        typer.echo(line)


@app.command("status")
def status_cmd(project: ProjectArg = Path(".")) -> None:
    """Show per questionnaire and department who answered and who has not, % answered,
    open required questions, conflicts to settle and the respondents' comments."""
    from crmimpl.messages import speaking
    from crmimpl.model.project import load_project
    from crmimpl.questionnaire.status import (
        department_heads,
        expected_workbooks,
        project_status,
        render_status,
    )

    loaded = load_project(project)
    rows = project_status(loaded.folder, expected_workbooks(loaded),
                          department_heads(loaded))
    with speaking(loaded.project.language):
        typer.echo(render_status(rows))


@app.command("conflicts")
def conflicts_cmd(project: ProjectArg = Path(".")) -> None:
    """List answers on which respondents disagree, with each voice and the settlement."""
    from crmimpl.messages import speaking
    from crmimpl.model.project import load_project
    from crmimpl.questionnaire.settle import project_conflicts, render_conflicts

    loaded = load_project(project)
    with speaking(loaded.project.language):
        typer.echo(render_conflicts(project_conflicts(loaded.folder)))


@app.command("settle")
def settle_cmd(
    project: ProjectArg,
    answers: Annotated[str, typer.Argument(
        help="Answers file without .yaml: survey, requirements-sales...")],
    question: Annotated[str, typer.Argument(help="Question id (see `conflicts`).")],
    take: Annotated[str | None, typer.Option(
        "--take", help="The respondent whose answer counts (name or file).")] = None,
    value: Annotated[str | None, typer.Option(
        "--value", help="The value that counts, as typed in the workbook.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why.")] = None,
) -> None:
    """Record which answer counts where respondents disagree (answers/settled.yaml)."""
    from crmimpl.messages import msg, speaking
    from crmimpl.model.project import load_project
    from crmimpl.questionnaire.settle import settle

    loaded = load_project(project)
    with speaking(loaded.project.language):
        record = settle(loaded.folder, answers, question, take=take, value=value, note=note)
        typer.echo(msg("settled_line", answers=answers, question=question,
                       value=repr(record.value)))


@app.command("list")
def list_cmd() -> None:
    """List the questionnaires in the library."""
    from crmimpl.questionnaire.library import describe_library

    typer.echo(describe_library())


def _date(text: str | None) -> date | None:
    from crmimpl.errors import UsageError

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError.single("--deadline", f"'{text}' is not a date (YYYY-MM-DD)"
                                ) from None
