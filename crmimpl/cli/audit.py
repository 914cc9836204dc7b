"""``crmimpl audit``: checklist workbook out, filled checklist in, audit report."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Post-launch audits: checklist workbook, import of results, audit report. "
    "Messages about the checklist are in the project's language (CRMIMPL_MESSAGES=en "
    "forces English).",
    no_args_is_help=True,
)

ProjectArg = Annotated[Path, typer.Argument(help="project.yaml or the folder holding it.")]
LangOpt = Annotated[str | None, typer.Option(
    "--lang", "-l", help="ru | en (default: the project's language).")]


@app.command("export")
def export_cmd(
    project: ProjectArg,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output .xlsx.")
                      ] = None,
    lang: LangOpt = None,
    number: Annotated[int | None, typer.Option(
        "--number", "-n", min=1, help="Audit number (default: the next one).")] = None,
    when: Annotated[str | None, typer.Option(
        "--date", help="Audit date, YYYY-MM-DD (default: from the plan).")] = None,
) -> None:
    """Write the fillable audit checklist workbook."""
    from crmimpl.model.project import load_project
    from crmimpl.questionnaire.audit import default_checklist_path, export_checklist

    loaded = load_project(project)
    language = lang or loaded.project.language
    target = output or default_checklist_path(loaded, language)
    path = export_checklist(loaded, target, lang=language, number=number,
                            date=_date("--date", when))
    typer.echo(f"wrote {path}")


@app.command("import")
def import_cmd(
    project: ProjectArg,
    file: Annotated[Path, typer.Argument(help="The filled checklist (.xlsx).")],
    when: Annotated[str | None, typer.Option(
        "--date", help="Audit date, YYYY-MM-DD (default: from the workbook).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an audit of the same date imported before.")] = False,
) -> None:
    """Check a filled checklist and store it as audits/<date>.yaml."""
    from crmimpl.i18n import percent
    from crmimpl.messages import msg, speaking
    from crmimpl.model.project import load_project
    from crmimpl.questionnaire.audit import import_checklist, overall_score, whole_percent

    loaded = load_project(project)
    outcome = import_checklist(loaded, file, date=_date("--date", when), force=force)
    with speaking(loaded.project.language) as lang:
        for warning in outcome.warnings:
            typer.echo(f"{msg('warning')}: {warning}", err=True)
        value = overall_score(outcome.record).percent
        # the score as the report prints it (a whole percent), not a figure of its own
        score = "-" if value is None else percent(whole_percent(value), lang)
        typer.echo(msg("audit_imported_line", status=msg(f"status_{outcome.status}"),
                       path=outcome.path, score=score))


@app.command("report")
def report_cmd(
    project: ProjectArg,
    audit: Annotated[str | None, typer.Option(
        "--audit", help="Date of the audit, YYYY-MM-DD (default: the latest).")] = None,
    formats: Annotated[str, typer.Option(
        "--format", "-f", help="docx,html,pdf")] = "docx,html",
    lang: Annotated[str | None, typer.Option(
        "--lang", "-l", help="ru, en or ru,en (default: the project's).")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Output folder (default: <project>/out).")] = None,
) -> None:
    """Write the audit report with scores, KPI progress, corrective actions and trend."""
    from crmimpl.build import (
        TEXT_FORMATS,
        BuildContext,
        BuildOptions,
        await_background,
        parse_list,
        write_text_formats,
    )
    from crmimpl.documents.audit_report import report_blocks
    from crmimpl.documents.workspace import Workspace
    from crmimpl.model.project import load_project

    loaded = load_project(project)
    langs = parse_list(lang, ("ru", "en"), "--lang") or (loaded.project.language,)
    options = BuildOptions(out=output or loaded.folder / "out", langs=langs,
                           formats=parse_list(formats, TEXT_FORMATS, "--format"))
    from crmimpl.render.office import office_session

    ctx = BuildContext(Workspace(loaded), options)
    with office_session():  # one LibreOffice for both languages
        for language in langs:
            blocks, meta = report_blocks(loaded, language, audit=_date("--audit", audit),
                                         plan=ctx.ws.plan, audits=ctx.ws.audits_in(language))
            for path in write_text_formats(blocks, meta, ctx, "audit_report", language):
                typer.echo(f"wrote {path}")
        await_background(ctx)  # the layouts LibreOffice made beside (the PDF)
        for path in ctx.written:
            typer.echo(f"wrote {path}")


def _date(option: str, text: str | None) -> date | None:
    from crmimpl.errors import UsageError

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError.single(option, f"'{text}' is not a date (YYYY-MM-DD)") from None
