"""Round-6 remarks on the specifications (GOST ТЗ of optima and volga, teplo's CTI ТЗ):
a test case starts its own paragraph, every problem the survey names is traced, KPI
baselines say where they come from, counts and time zones come from the project."""

from __future__ import annotations

import re

import pytest

from crmimpl.documents import cti_spec, spec
from crmimpl.model.project import Project, load_project
from crmimpl.render.blocks import Paragraph, plain_text
from crmimpl.render.markdown import parse_blocks, render_markdown
from tests.conftest import EXAMPLES
from tests.test_documents_content import all_text

SPECS = [("optima-distribution", spec), ("volga-bank", spec), ("northwind-it", spec),
         ("teplo-service", cti_spec)]


def _blocks(project: Project, module, lang: str) -> list:  # type: ignore[no-untyped-def]
    context = module.build_context(project, lang)
    return parse_blocks(render_markdown(module.NAME, lang, context), f"{module.NAME}.md")


def _text(project: Project, module, lang: str) -> str:  # type: ignore[no-untyped-def]
    return all_text(_blocks(project, module, lang))


@pytest.fixture(scope="module")
def projects() -> dict[str, Project]:
    return {name: load_project(EXAMPLES / name) for name, _ in SPECS}


@pytest.mark.parametrize(("example", "module"), SPECS)
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_each_test_case_starts_its_own_paragraph(projects: dict[str, Project], example: str,
                                                 module, lang: str) -> None:  # type: ignore[no-untyped-def]
    """A test case's heading or the access check never runs on from the expected result
    of the case before it (a missing blank line in the template joined them)."""
    for block in _blocks(projects[example], module, lang):
        if not isinstance(block, Paragraph):
            continue
        text = plain_text(block.runs)
        assert not re.search(r".\s(TC-R?\d+|Проверка разграничения доступа|Access check)\.",
                             text), text[:200]
        assert not re.search(r"[.;:] (Перенос данных|No data migration)", text), text[:200]
