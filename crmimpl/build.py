"""``crmimpl build``: every document and export a project can produce, in one run.

The plan is built once and shared by every product. Each product is a small function
that writes its files and returns their paths; ``--only`` picks products by name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmimpl.errors import UsageError
from crmimpl.model.project import Project

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


@dataclass
class BuildContext:
    """Shared state of one build: the project, its plan and the options."""

    project: Project
    options: BuildOptions
    _plan: Any = None
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def plan(self) -> Any:
        """The plan, built on first use."""
        if self._plan is None:
            from crmimpl.plan import build_plan

            self._plan = build_plan(self.project)
        return self._plan

    def path(self, stem: str, ext: str, lang: str | None = None) -> Path:
        """``out/<project id>-<stem>[-<lang>].<ext>``."""
        suffix = f"-{lang}" if lang else ""
        return self.options.out / f"{self.project.project.id}-{stem}{suffix}.{ext}"


Builder = Callable[[BuildContext], list[Path]]


@dataclass(frozen=True)
class Product:
    """One thing ``build`` can make."""

    name: str
    description: str
    builder: Builder


# ------------------------------------------------------------------ text documents

TEXT_DOCUMENTS = {
    "survey": "crmimpl.documents.survey",
    "spec": "crmimpl.documents.spec",
    "training": "crmimpl.documents.training_plan",
}


def render_document(module_name: str, ctx: BuildContext, lang: str) -> list[Path]:
    """Render one text document in one language to every requested format."""
    from crmimpl.documents.common import doc_meta
    from crmimpl.render.markdown import parse_blocks, render_markdown

    module = importlib.import_module(module_name)
    context = module.build_context(ctx.project, lang, plan=ctx.plan)
    markdown = render_markdown(module.NAME, lang, context, user_dir=ctx.options.templates)
    blocks = parse_blocks(markdown, source=f"{module.NAME}.md.j2")
    meta = doc_meta(ctx.project, lang, module.TITLE[lang])
    return write_text_formats(blocks, meta, ctx, module.NAME, lang)


def write_text_formats(blocks: list[Any], meta: Any, ctx: BuildContext, stem: str,
                       lang: str) -> list[Path]:
    """Write ``blocks`` as DOCX, HTML and/or PDF per the options."""
    out: list[Path] = []
    formats = ctx.options.formats
    if "docx" in formats:
        from crmimpl.render.docx import write_docx

        out.append(write_docx(blocks, ctx.path(stem, "docx", lang), meta=meta,
                              reference=ctx.options.reference))
    if "html" in formats:
        from crmimpl.render.html import write_html

        out.append(write_html(blocks, ctx.path(stem, "html", lang), meta=meta))
    if "pdf" in formats:
        from crmimpl.render.pdf import write_pdf

        out.append(write_pdf(blocks, ctx.path(stem, "pdf", lang), meta=meta,
                             reference=ctx.options.reference))
    return out


def _text_product(key: str) -> Builder:
    def build(ctx: BuildContext) -> list[Path]:
        paths: list[Path] = []
        for lang in ctx.options.langs:
            paths += render_document(TEXT_DOCUMENTS[key], ctx, lang)
        return paths

    return build


# ------------------------------------------------------------------ workbooks and exports


def _training_workbook(ctx: BuildContext) -> list[Path]:
    from crmimpl.documents.training_plan import training_for
    from crmimpl.render.training_workbook import write_training_workbook

    paths = []
    names = {p.id: p.name for p in ctx.project.team}
    for lang in ctx.options.langs:
        training = training_for(ctx.project, lang, ctx.plan)
        fmt = "DD.MM.YYYY" if lang == "ru" else "D MMM YYYY"
        paths.append(write_training_workbook(training, ctx.path("training", "xlsx", lang),
                                             lang, names, fmt))
    return paths


def _selection(ctx: BuildContext) -> list[Path]:
    if ctx.project.economics is None:
        return []
    from crmimpl.economics import analyse
    from crmimpl.render.selection_workbook import write_selection_workbook

    return [write_selection_workbook(analyse(ctx.project), ctx.path("selection-tco", "xlsx"))]


def _module_builder(module: str, name: str) -> Builder:
    """A builder defined in another module (``build_outputs(ctx) -> list[Path]``),
    imported only when the product is built."""

    def build(ctx: BuildContext) -> list[Path]:
        fn = getattr(importlib.import_module(module), name)
        result: list[Path] = fn(ctx)
        return result

    return build


PRODUCTS: list[Product] = [
    Product("plan", "Gantt chart, estimate workbook, MS Project XML, iCalendar",
            _module_builder("crmimpl.plan_outputs", "build_outputs")),
    Product("survey", "pre-project survey report", _text_product("survey")),
    Product("spec", "technical specification (GOST 34.602-2020)", _text_product("spec")),
    Product("training", "training plan document", _text_product("training")),
    Product("training-workbook", "training schedule and attendance sheets",
            _training_workbook),
    Product("questionnaires", "questionnaire workbooks for the client",
            _module_builder("crmimpl.questionnaire.export", "build_outputs")),
    Product("audit", "audit checklist workbook and the latest audit report",
            _module_builder("crmimpl.audit", "build_outputs")),
    Product("selection", "vendor selection matrix and TCO workbook", _selection),
]


def product_names() -> list[str]:
    """Names accepted by ``--only``."""
    return [p.name for p in PRODUCTS]


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


def build(project: Project, options: BuildOptions,
          progress: Callable[[str, int, int], None] | None = None) -> BuildContext:
    """Build the selected products; return the context with the files written."""
    ctx = BuildContext(project, options)
    chosen = [p for p in PRODUCTS if not options.only or p.name in options.only]
    for n, product in enumerate(chosen, start=1):
        if progress:
            progress(product.description, n, len(chosen))
        ctx.written += product.builder(ctx)
    ctx.warnings += [str(getattr(w, "message", w)) for w in ctx.plan.warnings]
    return ctx
