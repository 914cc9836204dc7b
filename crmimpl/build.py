"""The one product registry: every document and export a project can produce.

``crmimpl build``, ``export``, ``gantt`` and ``plan`` all write through the functions
here, each a function of the run's :class:`~crmimpl.documents.workspace.Workspace` (the
derived state, computed once) and a language, so the same input gives the same files
whichever command wrote them. ``--only`` picks products by name.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmimpl.documents.workspace import Workspace
from crmimpl.errors import CrmimplError, UsageError
from crmimpl.i18n import date_cell_format
from crmimpl.model.project import Project

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan

TEXT_FORMATS = ("docx", "html", "pdf")
DEFAULT_FORMATS = ("docx", "html")


@dataclass
class BuildOptions:
    """What to build and where."""

    out: Path
    langs: tuple[str, ...]
    formats: tuple[str, ...] = DEFAULT_FORMATS
    only: tuple[str, ...] = ()
    reference: Path | None = None
    templates: Path | None = None
    # skip a product whose inputs and files are as the last build recorded
    # (``.crmimpl/build-state.json``, see :mod:`crmimpl.incremental`); ``force`` builds
    # every product all the same and records the new state
    incremental: bool = False
    force: bool = False


@dataclass
class BuildContext:
    """One build: the workspace (the derived state every product reads) and the options."""

    ws: Workspace
    options: BuildOptions
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    review_notes: Path | None = None  # the internal note of the warnings, when any
    # work running beside the build (the static Gantt in Chromium), awaited at its end
    background: list[Any] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # products skipped (incremental)
    reused: list[Path] = field(default_factory=list)  # files left as they were (incremental)
    cache: _Cache | None = field(default=None, repr=False)  # the incremental state, if any

    def same_as_before(self, what: str, parts: Any, paths: list[Path]) -> bool:
        """Whether ``paths`` were written from these very ``parts`` (the rendered content
        of a document or a workbook) and are intact; then they count as reused.

        A product rebuilt because some of its inputs changed still leaves the files
        whose content does not depend on the change (a goal's text changes the survey
        report, not the training plan): incremental builds only, never with ``force``.
        """
        if self.cache is None or self.options.force or not paths:
            return False
        if self.cache.unchanged_part(what, parts, paths):
            self.reused += paths
            return True
        return False

    def remember(self, what: str, parts: Any, paths: list[Path]) -> None:
        """Record that ``paths`` were written from ``parts`` (see :meth:`same_as_before`)."""
        if self.cache is not None and paths:
            self.cache.record_part(what, parts, paths)

    @property
    def project(self) -> Project:
        """The validated project."""
        return self.ws.project

    @property
    def plan(self) -> Plan:
        """The run's plan (built once, on first use)."""
        return self.ws.plan

    def path(self, stem: str, ext: str, lang: str | None = None) -> Path:
        """``out/<project id>-<stem>[-<lang>].<ext>``."""
        return output_path(self.ws, self.options.out, stem, ext, lang)


def output_path(ws: Workspace, folder: Path, stem: str, ext: str, lang: str | None = None
                ) -> Path:
    """Where a product's file goes: ``<folder>/<project id>-<stem>[-<lang>].<ext>``."""
    suffix = f"-{lang}" if lang else ""
    return folder / f"{ws.id}-{stem}{suffix}.{ext}"


Builder = Callable[[BuildContext], list[Path]]


@dataclass(frozen=True)
class Product:
    """One thing ``build`` can make."""

    name: str
    description: str
    builder: Builder
    # implementation modes whose document set holds this product (None: every mode)
    modes: frozenset[str] | None = None
    # incremental builds (:mod:`crmimpl.incremental`): the project's files the product
    # reads besides project.yaml (answers, audits, questionnaires, baseline), the
    # sections of project.yaml it never reads (tests/test_incremental.py checks them)
    # and whether its output carries the run date
    reads: frozenset[str] = frozenset({"questionnaires", "baseline"})
    ignores: frozenset[str] = frozenset()
    dated: bool = False
    # files the product keeps beside its outputs without listing them as written
    beside: Callable[[BuildContext], list[Path]] | None = None
    # what the project must hold for the product to have anything to write (the
    # selection workbook: candidates in ``economics:``), and what to say when it does not
    needs: Callable[[Project], bool] | None = None
    lacks: str = ""

    def serves(self, mode: str) -> bool:
        """Whether a project of ``mode`` gets this product."""
        return self.modes is None or mode in self.modes


# ------------------------------------------------------------------ plan outputs
# Every command that writes a plan file (build, export, gantt) goes through these.


@dataclass(frozen=True)
class GanttOptions:
    """How to draw the Gantt chart; ``None`` takes the format's default (the HTML shows
    everything, a static image focuses on delivery, see :mod:`crmimpl.render.gantt`)."""

    focus: str | None = None
    links: str | None = None
    today: date | None = None  # default: :func:`run_date`
    # the HTML's plotly.js: embedded, or one shared copy beside (build's default: the
    # out/ folder holds several pages; `crmimpl gantt` embeds, a file to send)
    plotlyjs: str = "beside"

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for the gantt writers."""
        given = {"focus": self.focus, "links": self.links}
        return {"today": self.today or run_date(), **{k: v for k, v in given.items() if v}}


def run_date() -> date:
    """Today for the Gantt's today line: ``SOURCE_DATE_EPOCH`` (reproducible builds) when
    set, else the clock. Only the Gantt reads it, and only inside the plan's span."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


@dataclass(frozen=True)
class PlanOutput:
    """One file of the plan: its name in ``out/`` and the function writing it."""

    stem: str
    ext: str
    # the writer: workspace, path, Gantt options and the language of the output's words
    write: Callable[[Workspace, Path, GanttOptions, str], Path]


def plan_in(ws: Workspace, lang: str) -> Plan:
    """The plan a plan file in ``lang`` shows: its words, its phases' and tasks' names and
    the project's own text (client, people, the items tasks are named after) in ``lang``;
    its figures the project's own."""
    return ws.in_language(lang).plan.in_language(lang)


def _gantt_html(ws: Workspace, path: Path, gantt: GanttOptions, lang: str) -> Path:
    from crmimpl.render.gantt import write_gantt_html

    return write_gantt_html(plan_in(ws, lang), path, plotlyjs=gantt.plotlyjs,
                            **gantt.kwargs())


def _gantt_static(fmt: str) -> Callable[[Workspace, Path, GanttOptions, str], Path]:
    def write(ws: Workspace, path: Path, gantt: GanttOptions, lang: str) -> Path:
        from crmimpl.render.gantt_static import write_gantt_static

        return write_gantt_static(plan_in(ws, lang), path, fmt, **gantt.kwargs())

    return write


def _plan_xlsx(ws: Workspace, path: Path, _gantt: GanttOptions, lang: str) -> Path:
    """The estimate-plan-schedule in ``lang``: its words and the project's text (the
    translation overlay's names of the client, people and items) in that language, its
    figures the project's own."""
    from crmimpl.render.workbook import write_workbook

    return write_workbook(ws.in_language(lang).plan, path, lang)


def _plan_mspdi(ws: Workspace, path: Path, _gantt: GanttOptions, lang: str) -> Path:
    from crmimpl.render.mspdi import write_plan_mspdi

    return write_plan_mspdi(plan_in(ws, lang), path)


def _plan_ics(ws: Workspace, path: Path, _gantt: GanttOptions, lang: str) -> Path:
    from crmimpl.render.ical import write_ical

    return write_ical(plan_in(ws, lang), path, calendar_sessions(ws, lang))


def calendar_sessions(ws: Workspace, lang: str | None = None) -> list[Any]:
    """The plan's training sessions as calendar events, in ``lang`` (default: the
    project's language)."""
    from crmimpl.render.ical import CalendarSession
    from crmimpl.vocabulary import label

    lang = lang or ws.project.project.language
    ws = ws.in_language(lang)
    training = ws.training(lang)
    if training is None:
        return []
    names = {g.id: g.name for g in training.groups}
    trainers = {p.id: p.name for p in ws.project.team}
    return [
        CalendarSession(f"training.{s.group_id}.{s.number}",
                        f"{s.group_id} {names[s.group_id]} — {s.number}", s.day, s.start_time,
                        s.hours, f"{trainers.get(s.trainer_id, s.trainer_id)} "
                        f"({label('training_format', s.format, lang).lower()}): "
                        + "; ".join(training.topic_titles(s)), s.minutes)
        for s in training.sessions
    ]


PLAN_OUTPUTS: dict[str, PlanOutput] = {
    "html": PlanOutput("gantt", "html", _gantt_html),
    "png": PlanOutput("gantt", "png", _gantt_static("png")),
    "svg": PlanOutput("gantt", "svg", _gantt_static("svg")),
    "pdf": PlanOutput("gantt", "pdf", _gantt_static("pdf")),
    "xlsx": PlanOutput("plan", "xlsx", _plan_xlsx),
    "mspdi": PlanOutput("plan", "xml", _plan_mspdi),
    "ics": PlanOutput("plan", "ics", _plan_ics),
}
BUILD_PLAN_OUTPUTS = ("html", "xlsx", "mspdi", "ics")


def write_plan_output(ws: Workspace, key: str, folder: Path | None = None,
                      target: Path | None = None, gantt: GanttOptions | None = None,
                      lang: str | None = None) -> Path:
    """Write plan output ``key`` to ``target`` or its usual name in ``folder``
    (default ``out/`` beside the project), in ``lang`` (default: the project's language,
    see :func:`plan_in`); ``gantt`` is read by the Gantt outputs only."""
    out = PLAN_OUTPUTS[key]
    path = target or output_path(ws, folder or ws.folder / "out", out.stem, out.ext)
    return out.write(ws, path, gantt or GanttOptions(), lang or ws.project.project.language)


def plan_language(ws: Workspace, langs: Iterable[str]) -> str:
    """The language of a build's plan files, which have one file for all languages: the
    project's when the build makes it, else the first the build makes (an English build
    of a Russian project gets an English workbook, Gantt chart, MS Project file and
    calendar)."""
    own = ws.project.project.language
    langs = tuple(langs)
    return own if own in langs or not langs else langs[0]


def _plan_product(ctx: BuildContext) -> list[Path]:
    """Every plan output. The static Gantt is drawn by Chromium in a child process while
    the other products are written (:func:`build` waits for it); without Chromium it is
    skipped with a warning."""
    from crmimpl.render.gantt_static import ImageJob

    lang = plan_language(ctx.ws, ctx.options.langs)
    try:
        out = PLAN_OUTPUTS["png"]
        ctx.background.append(ImageJob(
            plan_in(ctx.ws, lang),
            [(output_path(ctx.ws, ctx.options.out, out.stem, out.ext), "png")],
            cache=True, **GanttOptions().kwargs()))
    except CrmimplError as exc:
        ctx.warnings.append(f"static Gantt chart skipped: {exc.render()}")
    return [write_plan_output(ctx.ws, key, ctx.options.out, lang=lang)
            for key in BUILD_PLAN_OUTPUTS]


def await_background(ctx: BuildContext) -> None:
    """The files of the work started beside the build: the static Gantt (a failure is a
    warning) and the layouts of the DOCX and PDF (a failure is an error). A layout
    ``build --watch`` finishes after the build (``later``) is left running."""
    while ctx.background:
        job = ctx.background.pop(0)
        if getattr(job, "later", False):
            job.detach()  # the watcher finishes it
            continue
        try:
            ctx.written += job.result()
        except CrmimplError as exc:
            if hasattr(job, "failure"):
                raise
            ctx.warnings.append(f"static Gantt chart skipped: {exc.render()}")


# ------------------------------------------------------------------ text documents

TEXT_DOCUMENTS = {
    "survey": "crmimpl.documents.survey",
    "spec": "crmimpl.documents.spec",
    "passport": "crmimpl.documents.passport",
    "cti-spec": "crmimpl.documents.cti_spec",
    "backlog": "crmimpl.documents.backlog_document",
    "training": "crmimpl.documents.training_plan",
}

# The design document each implementation mode issues (METHODOLOGY.md, "Implementation
# modes"): express gets a package passport instead of a specification, CTI a telephony
# add-on to the CRM in use, iterative the MVP backlog and iteration plan beside a light
# specification, typical a light and project the full GOST 34.602-2020 specification.
SPEC_MODES = frozenset({"typical", "project", "iterative"})


def document_markdown(ws: Workspace, key: str, lang: str,
                      templates: Path | None = None) -> tuple[str, dict[str, Any]]:
    """The Markdown of text document ``key`` in ``lang`` and the context it came from."""
    from crmimpl.documents.common import one_spelling
    from crmimpl.render.markdown import render_markdown

    module = importlib.import_module(TEXT_DOCUMENTS[key])
    answers = ws.answers_in(lang)  # free text in lang (answers/<stem>.<lang>.yaml)
    ws = ws.in_language(lang)  # the project's text in lang (project.<lang>.yaml)
    context = module.build_context(ws.project, lang, plan=ws.plan, answers=answers)
    markdown = render_markdown(module.NAME, lang, context, user_dir=templates)
    return one_spelling(markdown, ws.project, lang), context


def render_document(key: str, ctx: BuildContext, lang: str) -> list[Path]:
    """Render one text document in one language to every requested format."""
    from crmimpl.documents.common import doc_meta
    from crmimpl.render.markdown import parse_blocks

    module = importlib.import_module(TEXT_DOCUMENTS[key])
    markdown, context = document_markdown(ctx.ws, key, lang, ctx.options.templates)
    blocks = parse_blocks(markdown, source=f"{module.NAME}.md.j2")
    return write_text_formats(blocks, doc_meta(context["meta"]), ctx, module.NAME, lang)


def write_text_formats(blocks: list[Any], meta: Any, ctx: BuildContext, stem: str,
                       lang: str) -> list[Path]:
    """Write ``blocks`` as DOCX, HTML and/or PDF per the options.

    DOCX and PDF come from one LibreOffice run when LibreOffice is installed: it lays the
    document out, the PDF is its export and the DOCX gets the page numbers of its table
    of contents (:func:`crmimpl.render.pdf.write_laid_out`).
    """
    out: list[Path] = []
    formats = ctx.options.formats
    planned = [ctx.path(stem, ext, lang) for ext in TEXT_FORMATS if ext in formats]
    parts = [stem, lang, repr(blocks), repr(meta)]
    if ctx.same_as_before("text", parts, planned):
        return []
    job = None
    if "docx" in formats or "pdf" in formats:
        from crmimpl.render.pdf import start_laid_out

        # LibreOffice lays the DOCX out beside the build (a job awaited at its end)
        now, job = start_laid_out(
            blocks, meta=meta, reference=ctx.options.reference,
            docx_path=ctx.path(stem, "docx", lang) if "docx" in formats else None,
            pdf_path=ctx.path(stem, "pdf", lang) if "pdf" in formats else None)
        out += now
    if "html" in formats:
        from crmimpl.render.html import write_html

        out.append(write_html(blocks, ctx.path(stem, "html", lang), meta=meta))
    if job is None:
        ctx.remember("text", parts, out)
    else:
        files = [*out, *(p for p, _ in job.targets if p not in out)]
        job.after.append(lambda: ctx.remember("text", parts, files))
        ctx.background.append(job)
    return out


def _text_product(key: str) -> Builder:
    def build(ctx: BuildContext) -> list[Path]:
        if key == "training" and not ctx.plan.sessions:
            ctx.warnings.append("the plan has no training sessions: no training plan written")
            return []
        paths: list[Path] = []
        for lang in ctx.options.langs:
            paths += render_document(key, ctx, lang)
        return paths

    return build


# ------------------------------------------------------------------ workbooks and exports


def _training_workbook(ctx: BuildContext) -> list[Path]:
    from crmimpl.render.training_workbook import write_training_workbook

    paths = []
    for lang in ctx.options.langs:
        ws = ctx.ws.in_language(lang)
        names = {p.id: p.name for p in ws.project.team}
        training = ws.training(lang)
        if training is None:
            return []
        fmt = date_cell_format(lang)
        positions = {p.name: p.position for p in ws.project.team if p.position}
        paths.append(write_training_workbook(training, ctx.path("training", "xlsx", lang),
                                             lang, names, fmt, positions))
    return paths


def _selection(ctx: BuildContext) -> list[Path]:
    """The selection and TCO workbook: one file, in the plan files' language."""
    lang = plan_language(ctx.ws, ctx.options.langs)
    result = ctx.ws.in_language(lang).economics
    if result is None:
        return []
    from crmimpl.render.selection_workbook import write_selection_workbook

    result = replace(result, labels_in=lang)
    return [write_selection_workbook(result, ctx.path("selection-tco", "xlsx"))]


def _questionnaires(ctx: BuildContext) -> list[Path]:
    from crmimpl.questionnaire.export import build_outputs

    return build_outputs(ctx)


def _audit(ctx: BuildContext) -> list[Path]:
    """The checklist per language and the report of the latest audit."""
    from crmimpl.documents.audit_report import report_blocks
    from crmimpl.questionnaire.audit import export_checklist, planned_date
    from crmimpl.questionnaire.filled import FilledWorkbookError, kept_warning

    number = len(ctx.ws.audits) + 1
    paths = []
    for lang in ctx.options.langs:
        ws = ctx.ws.in_language(lang)
        if ctx.ws.audits and ws.plan is not None \
                and planned_date(ws.project, number, ws.plan) is None:
            # the last audit of the schedule is done: its report says so, and a blank
            # checklist for an audit no one plans would say otherwise
            continue
        try:
            paths.append(export_checklist(
                ws.project, ctx.path("audit-checklist", "xlsx", lang), lang=lang,
                number=number, plan=ws.plan, user_dir=ctx.options.templates))
        except FilledWorkbookError as exc:
            ctx.warnings.append(kept_warning(exc))
    if ctx.ws.audits:
        for lang in ctx.options.langs:
            ws = ctx.ws.in_language(lang)
            blocks, meta = report_blocks(ws.project, lang, plan=ws.plan,
                                         user_dir=ctx.options.templates,
                                         audits=ctx.ws.audits_in(lang))
            paths += write_text_formats(blocks, meta, ctx, "audit_report", lang)
    return paths


# what the products read besides project.yaml (see Product.reads)
DOCUMENT_READS = frozenset({"answers", "questionnaires", "baseline", "translations"})
PLAN_READS = frozenset({"baseline"})
# sections of project.yaml no plan output reads: goal texts, risks, the document register
PLAN_IGNORES = frozenset({"goals", "risks", "documents"})


def _plotlyjs_beside(ctx: BuildContext) -> list[Path]:
    """The shared plotly.js the Gantt HTML in ``out/`` loads."""
    return sorted(ctx.options.out.glob("plotly-*.min.js"))


def _questionnaires_beside(ctx: BuildContext) -> list[Path]:
    """Every workbook in ``out/questionnaires/``, a filled one the build kept included:
    when its owner changes or moves it, the next build looks again."""
    return sorted((ctx.options.out / "questionnaires").glob("*.xlsx"))


def _checklists_beside(ctx: BuildContext) -> list[Path]:
    """The audit checklists, a filled one the build kept included."""
    paths = [ctx.path("audit-checklist", "xlsx", lang) for lang in ctx.options.langs]
    return [p for p in paths if p.is_file()]


PRODUCTS: list[Product] = [
    Product("plan", "Gantt chart, estimate workbook, MS Project XML, iCalendar",
            _plan_product, reads=PLAN_READS, ignores=PLAN_IGNORES, dated=True,
            beside=_plotlyjs_beside),
    Product("survey", "pre-project survey report", _text_product("survey"),
            reads=DOCUMENT_READS),
    Product("spec", "technical specification (GOST 34.602-2020)", _text_product("spec"),
            SPEC_MODES, reads=DOCUMENT_READS),
    Product("passport", "implementation package passport (express)",
            _text_product("passport"), frozenset({"express"}), reads=DOCUMENT_READS),
    Product("cti-spec", "telephony integration specification (CTI)",
            _text_product("cti-spec"), frozenset({"cti"}), reads=DOCUMENT_READS),
    Product("backlog", "MVP backlog and iteration plan (iterative)", _text_product("backlog"),
            frozenset({"iterative"}), reads=DOCUMENT_READS),
    Product("training", "training plan document", _text_product("training"),
            reads=DOCUMENT_READS),
    Product("training-workbook", "training schedule and attendance sheets",
            _training_workbook, reads=PLAN_READS | {"translations"}, ignores=PLAN_IGNORES),
    Product("questionnaires", "questionnaire workbooks for the client", _questionnaires,
            reads=frozenset({"questionnaires"}), beside=_questionnaires_beside),
    Product("audit", "audit checklist workbook and the latest audit report", _audit,
            reads=frozenset({"audits", "questionnaires", "baseline", "translations"}),
            beside=_checklists_beside),
    Product("selection", "vendor selection matrix and TCO workbook", _selection,
            reads=PLAN_READS, needs=lambda project: project.economics is not None,
            lacks="the project has no economics: section (the CRM candidates to compare)"),
]


def product_names() -> list[str]:
    """Names accepted by ``--only``."""
    return [p.name for p in PRODUCTS]


def mode_products(mode: str) -> list[str]:
    """Names of the products a project of ``mode`` gets."""
    return [p.name for p in PRODUCTS if p.serves(mode)]


def parse_list(value: str | None, allowed: Iterable[str], option: str) -> tuple[str, ...]:
    """Split ``a,b`` and check every item is allowed (a usage error otherwise)."""
    if not value:
        return ()
    items = tuple(v.strip() for v in value.split(",") if v.strip())
    allowed = list(allowed)
    bad = [v for v in items if v not in allowed]
    if bad:
        raise UsageError.single(option, f"unknown value(s): {', '.join(bad)}",
                                hint="choose from: " + ", ".join(allowed))
    return items


def build(project: Project | Workspace, options: BuildOptions,
          progress: Callable[[str, int, int], None] | None = None) -> BuildContext:
    """Build the selected products; return the context with the files written.

    With ``options.incremental`` a product whose inputs and files are as the last build
    recorded is skipped and listed in ``unchanged`` (:mod:`crmimpl.incremental`).
    """
    ws = project if isinstance(project, Workspace) else Workspace(project)
    ctx = BuildContext(ws, options)
    mode = ws.project.project.mode
    chosen = [p for p in PRODUCTS if p.serves(mode)
              and (not options.only or p.name in options.only)
              and (p.needs is None or p.needs(ws.project))]
    for name in options.only:
        found = next((p for p in PRODUCTS if p.name == name), None)
        if found is not None and not found.serves(mode):
            ctx.warnings.append(f"{name}: not part of the {mode} mode's document set "
                                f"({', '.join(mode_products(mode))}); not written")
        elif found is not None and found.needs is not None and not found.needs(ws.project):
            ctx.warnings.append(f"{name}: {found.lacks}; not written")
    from crmimpl.render.office import office_session

    cache = _Cache(ctx) if options.incremental and ws.project.source is not None else None
    side = None
    try:
        with office_session():  # one LibreOffice for every document of the build
            side = _side_worker(ctx, chosen, cache)  # the workbooks, on another core
            if side is not None:
                side.start()
            _build_products(ctx, chosen, cache, side, progress)
            if cache is not None:
                cache.warned = len(ctx.warnings)
            await_background(ctx)  # the layouts need the session's LibreOffice
        if cache is None:
            ctx.warnings += project_warnings(ctx, chosen)
        else:
            cache.finish()
            ctx.warnings += cache.project_warnings(chosen)
    finally:  # an error or an interrupt: end the child processes, remove their files
        if side is not None:
            side.cancel()
        for job in ctx.background:
            job.cancel()
        if cache is not None:  # what was built before a failure or Ctrl-C stays recorded
            refused = cache.state.save()
            if refused:
                ctx.warnings.append(f"{refused}; the build state is not recorded, so the "
                                    "next build writes every product again")
    ctx.review_notes = write_review_notes(ctx)
    return ctx


def _side_worker(ctx: BuildContext, chosen: list[Product], cache: _Cache | None) -> Any:
    """The child process writing the workbook products while this one writes the rest
    (:mod:`crmimpl.parallel`), or ``None``: one core, nothing else to do meanwhile, or
    no workbook to write (an incremental build whose workbooks are as recorded)."""
    from crmimpl import parallel

    names = parallel.side_products(ctx.options.formats)
    side = [p for p in chosen if p.name in names]
    if not side or len(side) == len(chosen) or not parallel.side_enabled():
        return None
    if cache is not None and not ctx.options.force and all(cache.unchanged(p) for p in side):
        return None
    _ = ctx.ws.plan  # the derived state both processes read, computed before the fork
    return parallel.SideWorker(ctx, side, cache)


def _build_products(ctx: BuildContext, chosen: list[Product], cache: _Cache | None,
                    side: Any, progress: Callable[[str, int, int], None] | None) -> None:
    """Build ``chosen`` here, but for what ``side`` builds meanwhile; then put what
    every product wrote and warned in product order, as a serial build has it."""
    from crmimpl.parallel import Outcome, build_one

    start = (len(ctx.written), len(ctx.warnings), len(ctx.reused), len(ctx.unchanged))
    outcomes: dict[str, Outcome] = {}
    for n, product in enumerate(chosen, start=1):
        if progress:
            progress(product.description, n, len(chosen))
        if side is None or product.name not in side.names:
            outcomes[product.name] = build_one(ctx, product, cache)
    if side is None:
        return
    done, left = side.result()
    outcomes.update(done)
    for product in left:  # the child stopped at a failure: the error is raised here
        outcomes[product.name] = build_one(ctx, product, cache)
    ordered = [outcomes[p.name] for p in chosen]
    ctx.written[start[0]:] = [path for o in ordered for path in o.written]
    ctx.warnings[start[1]:] = [text for o in ordered for text in o.warnings]
    ctx.reused[start[2]:] = [path for o in ordered for path in o.reused]
    ctx.unchanged[start[3]:] = [p.name for p, o in zip(chosen, ordered, strict=True)
                                if o.unchanged]


def project_warnings(ctx: BuildContext, chosen: list[Product]) -> list[str]:
    """The plan's, the answers' and the project's own warnings."""
    from crmimpl.model.checks import warning_texts
    from crmimpl.questionnaire.wishes import wish_warnings

    warnings = [str(getattr(w, "message", w)) for w in ctx.plan.warnings]
    if any(p.name == "survey" for p in chosen) and ctx.ws.answers is not None:
        warnings += ctx.ws.answers.conflict_warnings()
    project = ctx.ws.project
    if any(p.name == "audit" for p in chosen) and ctx.ws.audits:
        from crmimpl.documents.audit_checks import audit_warnings

        warnings += audit_warnings(project, ctx.ws.audits[-1:], ctx.plan)  # the one reported
    return warnings + warning_texts(project, wish_warnings(project)) + untranslated_warnings(
        ctx.ws, ctx.options.langs)


def untranslated_warnings(ws: Workspace, langs: Iterable[str], shown: int = 5) -> list[str]:
    """For each language other than the project's: how many of the project's text fields
    an English build still shows in Russian, and the first few of them (CLI and review
    note only, never a document)."""
    from crmimpl.overlay import overlay_path

    out = []
    for lang in langs:
        if lang == ws.project.project.language or ws.project.source is None:
            continue
        for missing, what, shown_as, where in (
                (ws.untranslated(lang), "text field(s) of the project",
                 "appear in Russian in the {lang} documents",
                 overlay_path(ws.project.source, lang).name),
                (ws.untranslated_answers(lang), "questionnaire answer(s)",
                 "are quoted in Russian in the {lang} documents",
                 f"answers/<questionnaire>.{lang}.yaml"),
                (ws.untranslated_audits(lang), "text field(s) of the audit records",
                 "are quoted in Russian in the {lang} audit report",
                 f"audits/<date>.{lang}.yaml")):
            if missing:
                first = ", ".join(missing[:shown]) + (", ..." if len(missing) > shown else "")
                out.append(f"{len(missing)} {what} are not translated into {lang} and "
                           f"{shown_as.format(lang=lang)}: {first}; translate them in {where}")
    return out


class _Cache:
    """One incremental build: the keys of the products and the recorded state."""

    def __init__(self, ctx: BuildContext) -> None:
        from crmimpl import incremental

        self.ctx = ctx
        ctx.cache = self
        self.inc = incremental
        self.state = incremental.BuildState.open(ctx.ws.folder)
        options = ctx.options
        self.base = [
            incremental.tool_digest(), incremental.environment_digest(),
            list(options.langs), list(options.formats),
            None if options.templates is None else incremental.tree_digest(options.templates),
            None if options.reference is None else incremental.file_digest(options.reference),
        ]
        self._project: dict[frozenset[str], Any] = {}
        # products waiting for their background work: (product, slot, key, files, warnings)
        self.deferred: list[tuple[Product, str, str, list[Path], list[str]]] = []
        self.warned = 0  # len(ctx.warnings) when the products were built

    def project_dump(self, ignores: frozenset[str]) -> Any:
        """The validated project as data, less the sections ``ignores`` names."""
        if ignores not in self._project:
            from crmimpl.incremental import signals_deferred

            with signals_deferred():
                self._project[ignores] = self.ctx.ws.project.model_dump(
                    mode="json", exclude=set(ignores) or None)
        return self._project[ignores]

    def key(self, product: Product) -> str:
        """The hash of everything ``product`` reads."""
        return self.inc.digest([
            product.name, self.base, self.project_dump(product.ignores),
            {group: self.state.group_digest(group) for group in sorted(product.reads)},
            run_date().isoformat() if product.dated else None])

    def unchanged(self, product: Product) -> bool:
        """Whether ``product``'s inputs and files are as recorded."""
        slot = self.inc.slot_name(product.name, self.ctx.options.out)
        return self.state.unchanged(slot, self.key(product)) is not None

    def build(self, product: Product) -> None:
        """Build ``product`` unless its inputs and files are as recorded."""
        ctx = self.ctx
        slot = self.inc.slot_name(product.name, ctx.options.out)
        key = self.key(product)
        record = None if ctx.options.force else self.state.unchanged(slot, key)
        if record is not None:
            ctx.unchanged.append(product.name)
            ctx.warnings += record.warnings
            return
        self.state.forget(slot)
        before, reused, jobs = len(ctx.warnings), len(ctx.reused), len(ctx.background)
        written = product.builder(ctx)
        ctx.written += written
        if not written:
            ctx.unchanged.append(product.name)
        files = [*written, *ctx.reused[reused:]]
        if len(ctx.background) > jobs:  # recorded once its background work is done
            targets = [path for job in ctx.background[jobs:] for path, _ in job.targets]
            self.deferred.append((product, slot, key, files + targets,
                                  ctx.warnings[before:]))
            return
        beside = product.beside(ctx) if product.beside else []
        self.state.record(slot, key, [*files, *beside], ctx.warnings[before:])

    def finish(self) -> None:
        """Record the products whose background work (the static Gantt) has ended; a
        warning of that work is theirs."""
        ctx = self.ctx
        late = ctx.warnings[self.warned:]
        for product, slot, key, files, warnings in self.deferred:
            if not all(path.is_file() for path in files):
                continue  # the work failed (a warning says so): the next build tries again
            beside = product.beside(ctx) if product.beside else []
            self.state.record(slot, key, [*files, *beside], [*warnings, *late])
        self.deferred.clear()

    def _part_slot(self, what: str, paths: list[Path]) -> str:
        return f"{what}:" + "|".join(str(p.resolve()) for p in paths)

    def unchanged_part(self, what: str, parts: Any, paths: list[Path]) -> bool:
        """See :meth:`BuildContext.same_as_before`."""
        key = self.inc.digest([self.base, parts])
        return self.state.unchanged(self._part_slot(what, paths), key) is not None

    def record_part(self, what: str, parts: Any, paths: list[Path]) -> None:
        """See :meth:`BuildContext.remember`."""
        self.state.record(self._part_slot(what, paths), self.inc.digest([self.base, parts]),
                          paths, [])

    def project_warnings(self, chosen: list[Product]) -> list[str]:
        """:func:`project_warnings`, recorded under the hash of every input (so a build
        with nothing to do neither plans nor reads the answers)."""
        ctx = self.ctx
        slot = self.inc.slot_name("warnings", ctx.options.out)
        every = frozenset().union(*(p.reads for p in PRODUCTS))
        key = self.inc.digest(["warnings", self.base, self.project_dump(frozenset()),
                               {g: self.state.group_digest(g) for g in sorted(every)},
                               any(p.name == "survey" for p in chosen)])
        record = self.state.unchanged(slot, key)
        if record is not None:
            return record.warnings
        warnings = project_warnings(ctx, chosen)
        self.state.record(slot, key, [], warnings)
        return warnings


REVIEW_NOTES = "review-notes"


def write_review_notes(ctx: BuildContext) -> Path | None:
    """The consultant's internal note beside the outputs: every warning of this build.

    Warnings are advice to the consultant ("add trainers", "cut scope"); they never go
    into a client document. ``build`` prints them and keeps them here, so they survive
    the terminal. A build without warnings removes a stale note.
    """
    path = ctx.path(REVIEW_NOTES, "md")
    if not ctx.warnings:
        path.unlink(missing_ok=True)
        return None
    lines = [f"# Review notes: {ctx.project.project.title}", "",
             "INTERNAL — for the project team, not for the client. Warnings of the last "
             "`crmimpl build`; resolve them or explain them before sending documents.", ""]
    lines += [f"- {w}" for w in dict.fromkeys(ctx.warnings)]
    text = "\n".join(lines) + "\n"
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return path  # as it was: not rewritten
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
