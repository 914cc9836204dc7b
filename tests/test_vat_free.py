"""A contractor that charges no VAT (``vat_rate: 0``: a Russian contractor on the
simplified tax system, a client in a country without VAT) gets documents that say so:
no "before VAT", no VAT row and no total "with VAT"; in Russian the price is «без НДС»
and the VAT row says «не облагается»."""

from __future__ import annotations

import importlib
import re
from decimal import Decimal

import pytest

from crmimpl.model.project import Project, load_project
from crmimpl.plan.builder import build_plan
from crmimpl.render.markdown import render_markdown
from tests.conftest import EXAMPLES

CASES = [
    ("kreativ-agency", "passport"), ("kreativ-agency", "survey"),
    ("teplo-service", "cti_spec"), ("optima-distribution", "spec"),
    ("optima-distribution", "survey"), ("northwind-it", "backlog"),
    ("northwind-it", "spec"), ("northwind-it", "survey"),
]


def _vat_free(example: str) -> Project:
    project = load_project(EXAMPLES / example)
    project.project.vat_rate = Decimal(0)
    return project


def _text(project: Project, module: str, lang: str) -> str:
    mod = importlib.import_module(f"crmimpl.documents.{module}")
    plan = build_plan(project)
    context = mod.build_context(project, lang, plan=plan)
    return render_markdown(mod.NAME, lang, context)


@pytest.mark.parametrize(("example", "module"), CASES)
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_no_vat_where_none_is_charged(example: str, module: str, lang: str) -> None:
    text = _text(_vat_free(example), module, lang)
    # what may name VAT: the glossary, the client's VAT registration, the statement
    # that none is charged
    said = [line for line in text.splitlines()
            if not re.search(r"налог на добавленную|value added tax|VAT GB|плательщика НДС",
                             line)]
    if lang == "en":
        left = re.sub(r"no VAT is charged", "", "\n".join(said))
        assert "VAT" not in left, re.findall(r".{0,80}VAT.{0,40}", left)[:3]
    else:
        left = re.sub(r"без НДС|НДС(?: \|)+ не облагается", "", "\n".join(said))
        assert "НДС" not in left, re.findall(r".{0,80}НДС.{0,40}", left)[:3]


@pytest.mark.parametrize(("example", "module"), [("kreativ-agency", "passport"),
                                                 ("optima-distribution", "spec")])
def test_vat_is_stated_where_it_is_charged(example: str, module: str) -> None:
    project = load_project(EXAMPLES / example)
    assert project.project.vat_rate > 0
    assert "с НДС" in _text(project, module, "ru")
    assert "VAT" in _text(project, module, "en")
