"""The ``crmimpl`` command line: thin wrappers over the library.

Heavy libraries (python-docx, openpyxl, plotly) are imported only inside the commands
that need them, so ``crmimpl --help`` stays fast.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from crmimpl import __version__
from crmimpl.errors import CrmimplError, UsageError

if TYPE_CHECKING:
    from crmimpl.build import BuildContext, BuildOptions

app = typer.Typer(
    name="crmimpl",
    help="Plans, documents and client questionnaires for CRM implementation projects, "
    "from one project.yaml.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

PROJECT_PANEL = "Project definition"

ModeOption = Annotated[
    str,
    typer.Option("--mode", "-m", help="express | typical | project | cti | iterative"),
]
LangOption = Annotated[str, typer.Option("--lang", "-l", help="ru | en")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"crmimpl {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True,
                     help="Show the version and exit."),
    ] = False,
) -> None:
    """Plans, documents and client questionnaires for CRM implementation projects."""


@app.command(rich_help_panel=PROJECT_PANEL)
def new(
    directory: Annotated[Path, typer.Argument(help="Folder for the new project.")],
    mode: ModeOption = "typical",
    lang: LangOption = "ru",
    country: Annotated[
        str | None, typer.Option("--country", help="Client's country, ISO code (default: RU "
                                 "for ru, GB for en): calendar, currency, law, examples.")
    ] = None,
) -> None:
    """Start a project: write a commented project.yaml for the chosen mode."""
    from crmimpl.scaffold import write_new_project

    path = write_new_project(directory, mode=mode, lang=lang, country=country)
    typer.echo(f"wrote {path}")
    typer.echo(f"next: edit it, then run `crmimpl validate {directory}`")


@app.command(rich_help_panel=PROJECT_PANEL)
def validate(
    path: Annotated[
        Path, typer.Argument(help="project.yaml or the folder holding it.")
    ] = Path("."),
    lang: Annotated[
        str | None, typer.Option("--lang", "-l", help="Also check the documents in this "
                                 "language (en): its translation overlay project.en.yaml "
                                 "and the text still untranslated (default: every language "
                                 "with an overlay).")
    ] = None,
) -> None:
    """Check a project definition and report every problem with file:line."""
    from crmimpl.model.project import load_project
    from crmimpl.plan.builder import build_plan

    project = load_project(path)
    # the plan's overrides name generated task ids: expand and schedule to check them
    build_plan(project, baseline=False)
    # the translation overlays: checked, and what an English build would show in Russian
    from crmimpl.build import parse_list, untranslated_warnings
    from crmimpl.documents.workspace import Workspace
    from crmimpl.overlay import overlay_path

    langs = parse_list(lang, ("ru", "en"), "--lang") or tuple(
        code for code in ("ru", "en")
        if project.source is not None and overlay_path(project.source, code).is_file())
    untranslated = untranslated_warnings(Workspace(project), langs)
    info = project.project
    typer.echo(
        f"{project.source}: OK — {info.id} ({info.mode}, {info.language}), "
        f"{len(project.goals)} goals, {len(project.team)} people, "
        f"{len(project.scope.modules)} modules, {project.client.crm_users} CRM users"
    )
    from crmimpl.model.checks import warning_texts
    from crmimpl.questionnaire.wishes import wish_warnings

    for warning in warning_texts(project, wish_warnings(project)):
        typer.echo(f"warning: {warning}", err=True)
    for warning in untranslated:
        typer.echo(f"warning: {warning}", err=True)


@app.command(rich_help_panel=PROJECT_PANEL)
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to a file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of project.yaml (for editor autocompletion)."""
    from crmimpl.scaffold import project_json_schema

    text = project_json_schema()
    if output is None:
        typer.echo(text)
    else:
        from crmimpl.store import atomic_write_text

        atomic_write_text(output, text + "\n")
        typer.echo(f"wrote {output}")


BUILD_PANEL = "Documents"


@app.command(rich_help_panel=BUILD_PANEL)
def build(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="project.yaml or its folder (default: .); several, or a folder of project "
        "folders, build a portfolio on every core.")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Output folder (default: <project>/out; "
                                  "several projects: <output>/<project id>).")
    ] = None,
    only: Annotated[
        str | None, typer.Option("--only", help="Comma-separated products, e.g. "
                                 "survey,spec,plan; the design document depends on the "
                                 "mode: spec, passport (express), cti-spec (CTI), backlog "
                                 "(iterative).")
    ] = None,
    formats: Annotated[
        str, typer.Option("--format", "-f", help="Text document formats: docx,html,pdf.")
    ] = "docx,html",
    lang: Annotated[
        str | None, typer.Option("--lang", "-l", help="ru, en or ru,en (default: the project's).")
    ] = None,
    reference_docx: Annotated[
        Path | None, typer.Option("--reference-docx", help="Your branded reference DOCX.")
    ] = None,
    templates: Annotated[
        Path | None, typer.Option("--templates", help="Folder of your templates (override "
                                  "built-ins by file name).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", "--no-cache", help="Rewrite every product, even those "
                           "whose inputs did not change since the last build.")
    ] = False,
    watch: Annotated[
        bool, typer.Option("--watch", "-w", help="Build, then rebuild what changed each time "
                           "project.yaml, answers/ or audits/ are saved (Ctrl-C ends).")
    ] = False,
) -> None:
    """Build every document and export of a project and list the files written.

    A product whose inputs did not change since the last build is not rewritten
    ("unchanged"); --force rewrites everything."""
    from crmimpl.batch import find_projects
    from crmimpl.build import TEXT_FORMATS, BuildOptions, parse_list, product_names
    from crmimpl.build import build as run_build
    from crmimpl.model.project import load_project

    given = paths or [Path(".")]
    for option, value in (("--reference-docx", reference_docx), ("--templates", templates)):
        if value is not None and not value.exists():
            raise UsageError.single(option, f"{value} does not exist")
    chosen_langs = parse_list(lang, ("ru", "en"), "--lang")
    shared = BuildOptions(
        out=output or Path(),
        langs=chosen_langs,
        formats=parse_list(formats, TEXT_FORMATS, "--format") or ("docx", "html"),
        only=parse_list(only, product_names(), "--only"),
        reference=reference_docx,
        templates=templates,
        incremental=True,
        force=force,
    )
    projects = find_projects(given) if len(given) > 1 or _portfolio(given[0]) else given
    if len(projects) > 1 or projects != given:
        if watch:
            raise UsageError.single("--watch", "watches one project, not several")
        _build_portfolio(projects, shared, chosen_langs or None)
        return
    if watch:
        from crmimpl.watch import watch_project

        raise typer.Exit(watch_project(given[0], shared, output, chosen_langs))
    project = load_project(given[0])
    from dataclasses import replace

    options = replace(shared, out=output or project.folder / "out",
                      langs=chosen_langs or (project.project.language,))

    def progress(what: str, n: int, total: int) -> None:
        typer.echo(f"[{n}/{total}] {what}", err=True)

    report_build(run_build(project, options, progress))


def report_build(ctx: BuildContext) -> None:
    """Print a build's warnings, the files it wrote and the products left unchanged."""
    for warning in ctx.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if ctx.review_notes is not None:
        typer.echo(f"warnings kept for the team (not for the client): {ctx.review_notes}",
                   err=True)
    for written in ctx.written:
        typer.echo(f"wrote {written}")
    if ctx.unchanged:
        typer.echo(f"unchanged: {', '.join(ctx.unchanged)}")


def _portfolio(path: Path) -> bool:
    """A folder without its own project.yaml: a folder of projects."""
    return path.is_dir() and not (path / "project.yaml").exists()


def _build_portfolio(projects: list[Path], options: BuildOptions,
                     langs: tuple[str, ...] | None) -> None:
    """Build several projects on every core; a summary table, exit 1 if any failed."""
    from crmimpl.batch import Outcome, build_many

    def report(outcome: Outcome, n: int, total: int) -> None:
        what = (f"{len(outcome.written)} files" if outcome.ok else "FAILED")
        typer.echo(f"[{n}/{total}] {outcome.project_id or outcome.path}: {what} "
                   f"({outcome.seconds:.1f} s)", err=True)

    outcomes = build_many(projects, options, langs, report)
    width = max(len(o.project_id or str(o.path)) for o in outcomes)
    typer.echo(f"{'project':<{width}}  {'result':<7}  {'files':>5}  {'time':>7}  folder")
    for o in outcomes:
        files = str(len(o.written)) if o.ok else "-"
        typer.echo(f"{o.project_id or str(o.path):<{width}}  {'built' if o.ok else 'failed':<7}"
                   f"  {files:>5}  {o.seconds:>5.1f} s  {o.path.parent}")
    failed = [o for o in outcomes if not o.ok]
    for o in outcomes:
        for warning in o.warnings:
            typer.echo(f"warning: {o.project_id}: {warning}", err=True)
    for o in failed:
        typer.echo(f"{o.path}: not built:\n{o.error}", err=True)
    if failed:
        typer.echo(f"{len(failed)} of {len(outcomes)} projects failed: "
                   + ", ".join(str(o.path) for o in failed), err=True)
        raise typer.Exit(1)
    typer.echo(f"{len(outcomes)} projects built")


templates_app = typer.Typer(help="Built-in templates: copy them to brand and adapt.",
                            no_args_is_help=True)
app.add_typer(templates_app, name="templates", rich_help_panel=BUILD_PANEL)


@templates_app.command("export")
def templates_export(
    directory: Annotated[Path, typer.Argument(help="Folder to copy the templates into.")],
) -> None:
    """Copy the built-in templates and reference.docx into DIR to start your own."""
    from crmimpl.templates_export import export_templates

    for written in export_templates(directory):
        typer.echo(f"wrote {written}")


def _register_subapps() -> None:
    """Attach command groups that live in their own modules (imported cheaply)."""
    import importlib

    importlib.import_module("crmimpl.cli.economics").register(app, panel="Selection and cost")
    importlib.import_module("crmimpl.cli.plan").register(app)
    for module, name, panel in (
        ("crmimpl.cli.questionnaire", "questionnaire", "Survey"),
        ("crmimpl.cli.audit", "audit", "Rollout and audit"),
    ):
        try:
            sub = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        app.add_typer(sub.app, name=name, rich_help_panel=panel)


_register_subapps()


def run() -> None:
    """Entry point: run the app, turning user errors into messages and exit codes.

    typer itself reports usage errors (exit 2). Ctrl-C exits with 130 and SIGTERM with
    143, both through ``KeyboardInterrupt`` so that every ``finally`` removes its
    temporary files and ends its child processes. An input or output the system
    refuses (permissions, a file where a folder belongs) is reported with its path.
    """
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
    previous_int = signal.signal(signal.SIGINT, _interrupt) if main_thread else None
    _SIGNALLED.clear()
    _ENDING[0] = False
    code: int | None = None
    try:
        try:
            app()
        finally:  # from here on a signal is remembered, never raised into the reporting
            _ENDING[0] = True
    except SystemExit as exc:
        if exc.code != 130:  # typer turns KeyboardInterrupt into Exit(130)
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            if code != 0 or not _SIGNALLED:
                raise
    except UsageError as exc:
        _print_error(exc)
        code = 2
    except CrmimplError as exc:
        _print_error(exc)
        code = 1
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        if not _SIGNALLED:
            where = f"{exc.filename}: " if exc.filename else ""
            typer.echo(f"{where}{exc.strerror or exc}", err=True)
            code = 1
    except Exception:
        # a library turned the interrupt raised inside it into its own error (openpyxl's
        # descriptors and pydantic's schema building catch everything): interrupted
        if not _SIGNALLED:
            raise
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous or signal.SIG_DFL)
            signal.signal(signal.SIGINT, previous_int or signal.default_int_handler)
    if code is not None and (code != 0 or not _SIGNALLED):
        sys.exit(code)
    # interrupted: by a KeyboardInterrupt, or by a signal whose KeyboardInterrupt a
    # library swallowed (raised inside its callback, printed as "Exception ignored"),
    # which still ends the command as interrupted once its work is cleaned up
    _interrupted()


_SIGNALLED: list[int] = []
_ENDING = [False]


def _interrupt(signum: int, frame: object) -> None:
    """Ctrl-C: remembered (see :func:`run`), and raised while the command still runs."""
    _SIGNALLED.append(signum)
    if not _ENDING[0]:
        raise KeyboardInterrupt


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM: raise like Ctrl-C so that every ``finally`` cleans up."""
    _SIGNALLED.append(signum)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one must not stop the cleanup
    if not _ENDING[0]:
        raise KeyboardInterrupt


def _interrupted() -> NoReturn:
    terminated = signal.SIGTERM in _SIGNALLED
    typer.echo("terminated" if terminated else "interrupted", err=True)
    sys.exit(143 if terminated else 130)


def _print_error(exc: CrmimplError) -> None:
    typer.echo(exc.render(), err=True)
    count = len(exc.problems)
    if count > 1 and not exc.summary:
        typer.echo(f"{count} problems found", err=True)
