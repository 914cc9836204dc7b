"""The document set per implementation mode: express gets a package passport, CTI a
telephony add-on specification, iterative the MVP backlog beside a light specification,
typical a light and project the full GOST specification; each mode gets its own set and
none of the others' documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crmimpl import i18n
from crmimpl.build import BuildOptions, build, document_markdown, mode_products
from crmimpl.documents import backlog
from crmimpl.documents.common import plan_hours
from crmimpl.documents.workspace import Workspace
from tests.conftest import EXAMPLES
from tests.helpers import run_cli
from tests.project_factory import project_data, write_project

DESIGN = {"express": "passport", "cti": "cti_spec", "typical": "tech_spec",
          "project": "tech_spec", "iterative": "tech_spec"}
DESIGN_PRODUCTS = ("spec", "passport", "cti-spec", "backlog")
STEMS = {"spec": "tech_spec", "passport": "passport", "cti-spec": "cti_spec",
         "backlog": "backlog"}
BY_MODE = {"express": "kreativ-agency", "typical": "optima-distribution",
           "iterative": "northwind-it", "project": "volga-bank", "cti": "teplo-service"}


@pytest.mark.parametrize("mode", sorted(BY_MODE))
def test_each_mode_builds_its_own_design_documents(mode: str, tmp_path: Path) -> None:
    ws = Workspace.open(EXAMPLES / BY_MODE[mode])
    assert ws.project.project.mode == mode
    ctx = build(ws, BuildOptions(out=tmp_path, langs=("ru", "en"), formats=("html",),
                                 only=DESIGN_PRODUCTS))
    wanted = {STEMS[p] for p in DESIGN_PRODUCTS if p in mode_products(mode)}
    assert wanted == {DESIGN[mode]} | ({"backlog"} if mode == "iterative" else set())
    written = {p.name for p in ctx.written}
    for stem in wanted:
        for lang in ("ru", "en"):
            assert f"{ws.id}-{stem}-{lang}.html" in written, (stem, lang)
    assert not [n for n in written if not any(f"-{s}-" in n for s in wanted)]
    # the others' documents are refused with a warning, not written
    assert any("not part of the" in w for w in ctx.warnings)


def test_only_a_product_of_another_mode_writes_nothing(tmp_path: Path) -> None:
    ws = Workspace.open(EXAMPLES / "kreativ-agency")
    ctx = build(ws, BuildOptions(out=tmp_path, langs=("ru",), formats=("html",),
                                 only=("spec",)))
    assert ctx.written == []
    assert any(w.startswith("spec: not part of the express mode") and "passport" in w
               for w in ctx.warnings)


# ------------------------------------------------------------------ express passport


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_passport_shows_the_plans_price_dates_and_sessions(lang: str) -> None:
    from crmimpl.documents.common import project_money
    from crmimpl.plan.training import session_end

    ws = Workspace.open(EXAMPLES / "kreativ-agency")
    text, _ = document_markdown(ws, "passport", lang)
    text = text.replace("\\", "")
    costs, cur = ws.plan.costs, ws.project.project.currency
    money = project_money(ws.plan)  # the project's one rounding rule
    for figure in (money(costs.net, lang, cur), money(costs.vat, lang, cur),
                   money(costs.total, lang, cur),
                   plan_hours(costs.contractor_hours, lang),
                   i18n.day(ws.plan.start, lang), i18n.day(ws.plan.launch, lang)):
        assert figure in text, figure
    training = ws.training(lang)
    assert training is not None
    for s in training.sessions:
        span = f"{s.start_time}\u2060\u2013\u2060{session_end(s)}"  # the plan's clock
        assert f"| {i18n.day(s.day, lang)} | {span} | {s.group_id} |" in text
    for r in ws.project.requirements:
        assert r.id in text  # in the checklist, the acceptance list or the next stage
    # no GOST machinery for 8 cloud users
    for heavy in ("ГОСТ", "GOST", "комисси", "committee", "Техническое обеспечение",
                  "Hardware"):
        assert heavy not in text


def test_passport_renders_without_a_system_block(tmp_path: Path) -> None:
    project = write_project(tmp_path, project_data(mode="express", users=12, departments=2,
                                                   integrations=2, records=2000, team=3))
    assert project.system is None
    text, context = document_markdown(Workspace(project), "passport", "ru")
    assert not context["system"]["known"]
    assert "Подписка и лицензии" in text


# ------------------------------------------------------------------ CTI


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_cti_specification_is_about_the_crm_in_use(lang: str) -> None:
    ws = Workspace.open(EXAMPLES / "teplo-service")
    system = ws.project.system
    assert system is not None and system.in_use
    text, context = document_markdown(ws, "cti-spec", lang)
    text = text.replace("\\", "")
    assert system.product in text
    assert "6 200" in text  # what the CRM already holds
    assert "Манго Офис" in text
    assert len(context["scenarios"]) == 6  # with calls out of hours
    own = " ".join(t["title"] for t in context["own_tests"])
    for scenario in context["scenarios"]:  # every scenario has its test case
        if scenario["id"]:
            assert f"| {scenario['id']} |" in text
        else:  # settled by a requirement: tested in that requirement's own case
            assert f"({scenario['settled_by']})" in own
    costs = ws.plan.costs
    assert i18n.money(costs.total, lang, "RUB") in text
    assert i18n.day_long(ws.plan.launch, lang) in text
    for wrong in ("с нуля", "from scratch", "Характеристика объекта автоматизации"):
        assert wrong not in text


def test_generated_cti_project_builds_its_specification(tmp_path: Path) -> None:
    project = write_project(tmp_path, project_data(mode="cti", users=25, departments=3,
                                                   integrations=1, records=0, team=4))
    text, _ = document_markdown(Workspace(project), "cti-spec", "en")
    assert "Call scenarios" in text


# ------------------------------------------------------------------ iterative backlog


def test_backlog_follows_the_plans_iterations() -> None:
    ws = Workspace.open(EXAMPLES / "northwind-it")
    project, plan = ws.project, ws.plan
    stages = backlog.allocate(project, plan)
    ids = [r.id for reqs in stages.values() for r in reqs]
    assert sorted(ids) == sorted(r.id for r in project.requirements if r.priority != "wont")
    assert len(ids) == len(set(ids))
    assert list(stages) == ["mvp", *(str(n) for n in range(1, project.plan.iterations + 1))]
    assert all(stages.values())
    for key, reqs in stages.items():
        n = 0 if key == "mvp" else int(key)
        for r in reqs:
            if r.change:  # the plan's iteration of its custom change, or later
                assert plan.backlog.changes[r.change] <= n, r.id
            else:  # the plan's iteration of its department, or later
                dept = backlog.source_department(project, r)
                assert dept is None or plan.backlog.departments[dept] <= n, r.id
            for i in project.integrations:  # never before the integration it needs
                if i.kind == r.module:
                    assert plan.backlog.integrations[i.id] <= n, (r.id, i.id)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_backlog_shows_the_plans_iteration_dates(lang: str) -> None:
    ws = Workspace.open(EXAMPLES / "northwind-it")
    text, _ = document_markdown(ws, "backlog", lang)
    text = text.replace("\\", "")
    for phase in ws.plan.phases:
        if phase.id == "mvp" or phase.id.startswith("iteration."):
            assert f"| {i18n.day(phase.start, lang)} | {i18n.day(phase.finish, lang)} |" \
                in text, phase.id
    assert i18n.day_long(ws.plan.launch, lang) in text


# ------------------------------------------------------------------ typical / project


def test_typical_specification_leaves_out_only_the_mathematical_support(
        tmp_path: Path) -> None:
    # a typical client signs a GOST document too: every subsection, kept short; the
    # mathematical support subsection only where a change calculates (optima's ABC/XYZ
    # change, round 22) or in the project mode
    from crmimpl.scaffold import new_project_text

    folder = tmp_path / "typical"
    folder.mkdir()
    (folder / "project.yaml").write_text(new_project_text(folder, "typical", "ru"),
                                         encoding="utf-8")
    plain = Workspace.open(folder).project  # its print form calculates discounts: none
    light, _ = document_markdown(Workspace(plain.model_copy(update={"changes": []})), "spec",
                                 "ru")
    calc, _ = document_markdown(Workspace.open(EXAMPLES / "optima-distribution"), "spec",
                                "ru")
    full, _ = document_markdown(Workspace.open(EXAMPLES / "volga-bank"), "spec", "ru")
    for heading in ("Режимы функционирования", "Стандартизация и унификация",
                    "Организационное обеспечение", "Патентная чистота"):
        assert heading in light
        assert heading in full
    assert "Математическое обеспечение" not in light
    assert "Математическое обеспечение" in calc
    assert "Математическое обеспечение" in full


# ------------------------------------------------------------------ scaffolded projects

EMPTY_RUN = re.compile(r"\(\s*\)|:\s*\.|—\s*\.|«\s*»|\s,")


@pytest.mark.parametrize("mode", sorted(BY_MODE))
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_new_project_design_documents_have_no_empty_runs(
    mode: str, lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A project fresh from `crmimpl new` (no system block, few requirements) still gets
    whole sentences: no "()", no ": ." where a list was empty."""
    folder = tmp_path / mode
    assert run_cli(capsys, "new", str(folder), "--mode", mode, "--lang", lang).code == 0
    ws = Workspace.open(folder)
    for product in mode_products(mode):
        if product not in DESIGN_PRODUCTS:
            continue
        for doc_lang in ("ru", "en"):
            text, _ = document_markdown(ws, product, doc_lang)
            text = text.replace("\\", "")
            found = EMPTY_RUN.search(text)
            assert found is None, (product, doc_lang, text[max(found.start() - 80, 0):
                                                         found.end() + 40])
