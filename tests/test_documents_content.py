"""Content of the survey report and the technical specification, as users read them.

Every example and fresh scaffolds of other modes are rendered in both languages to
Markdown and parsed to blocks; the checks read the blocks the writers would get.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from crmimpl import i18n
from crmimpl.documents import spec, survey
from crmimpl.model.project import Project, load_project
from crmimpl.render.blocks import Block, Heading, Paragraph, Run, Table, plain_text
from crmimpl.render.markdown import parse_blocks, render_markdown
from tests.conftest import EXAMPLES

DOCUMENTS = {"survey": survey, "spec": spec}
LANGS = ("ru", "en")
EXAMPLE_DIRS = sorted(p for p in EXAMPLES.iterdir() if (p / "project.yaml").exists())
SCAFFOLDS = (("cti", "en"), ("project", "ru"), ("express", "en"))
HOSTILE = "**Bold** {{ x }} <script>alert(1)</script> | pipe"

GOST_TITLES = {
    "ru": [
        (1, "Общие сведения"),
        (1, "Цели и назначение создания автоматизированной системы"),
        (1, "Характеристика объекта автоматизации"),
        (1, "Требования к автоматизированной системе"),
        (2, "Требования к системе в целом"),
        (2, "Требования к функциям (задачам), выполняемым системой"),
        (2, "Требования к видам обеспечения"),
        (2, "Общие технические требования к автоматизированной системе"),
        (1, "Состав и содержание работ по созданию автоматизированной системы"),
        (1, "Порядок разработки автоматизированной системы"),
        (1, "Порядок контроля и приемки автоматизированной системы"),
        (1, "Требования к подготовке объекта автоматизации к вводу автоматизированной "
            "системы в действие"),
        (1, "Требования к документированию"),
        (1, "Источники разработки"),
    ],
    "en": [
        (1, "General information"),
        (1, "Purpose and objectives of the system"),
        (1, "Characteristics of the automated object"),
        (1, "Requirements for the system"),
        (2, "Requirements for the system as a whole"),
        (2, "Functional requirements"),
        (2, "Requirements for the supporting subsystems"),
        (2, "General technical requirements"),
        (1, "Scope and content of work"),
        (1, "Development procedure"),
        (1, "Testing and acceptance procedure"),
        (1, "Preparation of the organisation for commissioning"),
        (1, "Documentation requirements"),
        (1, "Sources"),
    ],
}


# ------------------------------------------------------------------ fixtures


def _scaffold(tmp_dir: Path, mode: str, lang: str) -> Project:
    from crmimpl.scaffold import write_new_project

    folder = tmp_dir / f"{mode}-{lang}"
    write_new_project(folder, mode=mode, lang=lang)
    return load_project(folder)


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Project]:
    found = {p.name: load_project(p) for p in EXAMPLE_DIRS}
    tmp = tmp_path_factory.mktemp("scaffolds")
    for mode, lang in SCAFFOLDS:
        found[f"new-{mode}-{lang}"] = _scaffold(tmp, mode, lang)
    return found


PROJECT_IDS = [p.name for p in EXAMPLE_DIRS] + [f"new-{m}-{lang}" for m, lang in SCAFFOLDS]


def render(project: Project, doc: str, lang: str) -> tuple[str, list[Block], dict[str, Any]]:
    module = DOCUMENTS[doc]
    context = module.build_context(project, lang)
    markdown = render_markdown(module.NAME, lang, context)
    return markdown, parse_blocks(markdown, f"{module.NAME}.{lang}.md"), context


@pytest.fixture(scope="module")
def rendered(projects: dict[str, Project]) -> dict[tuple[str, str, str], Any]:
    return {(name, doc, lang): render(project, doc, lang)
            for name, project in projects.items() for doc in DOCUMENTS for lang in LANGS}


def headings(blocks: list[Block]) -> list[tuple[int, str]]:
    return [(b.level, plain_text(b.runs)) for b in blocks if isinstance(b, Heading)]


def all_text(blocks: list[Block]) -> str:
    """Every piece of text in the blocks (paragraphs, headings, table cells, lists)."""
    parts: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, list) and value and all(isinstance(v, Run) for v in value):
            parts.append(plain_text(value))
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                walk(getattr(value, name))

    walk(blocks)
    return "\n".join(parts)


def table_with(blocks: list[Block], *header: str) -> Table:
    """The first table whose header starts with the given cells."""
    for block in blocks:
        if isinstance(block, Table):
            cells = [plain_text(c) for c in block.header]
            if cells[: len(header)] == list(header):
                return block
    raise AssertionError(f"no table with header {header}")


def column(table: Table, index: int) -> list[str]:
    return [plain_text(row[index]) for row in table.rows]


# ------------------------------------------------------------------ structure


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PROJECT_IDS)
def test_spec_has_gost_sections_in_order(
    rendered: dict, projects: dict, name: str, lang: str
) -> None:
    if spec.functional_spec(projects[name], lang):
        pytest.skip("an English document of a client outside Russia is a functional spec")
    _, blocks, _ = rendered[(name, "spec", lang)]
    found = [h for h in headings(blocks) if h[0] <= 2]
    positions = [found.index(title) for title in GOST_TITLES[lang]]
    assert positions == sorted(positions)
    # section 4.2 is the second subsection of the fourth section (item numbers rely on it)
    level1 = [h for h in found if h[0] == 1]
    assert level1[3] == GOST_TITLES[lang][3]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", DOCUMENTS)
@pytest.mark.parametrize("name", PROJECT_IDS)
def test_no_empty_headings(rendered: dict, name: str, doc: str, lang: str) -> None:
    _, blocks, _ = rendered[(name, doc, lang)]
    for block, following in zip(blocks, [*blocks[1:], None], strict=True):
        if isinstance(block, Heading):
            assert following is not None, f"document ends with heading {block}"
            if isinstance(following, Heading):
                assert following.level > block.level, (
                    f"empty heading {plain_text(block.runs)!r} followed by "
                    f"{plain_text(following.runs)!r}")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", DOCUMENTS)
@pytest.mark.parametrize("name", PROJECT_IDS)
def test_no_leftovers(rendered: dict, name: str, doc: str, lang: str) -> None:
    markdown, blocks, _ = rendered[(name, doc, lang)]
    for bad in ("None", "TODO", "{{", "{%", "undefined", "Lorem"):
        assert bad not in markdown, bad
    text = all_text(blocks)
    assert "None" not in text
    assert ".." not in text.replace("...", ""), "double full stop"
    assert not re.search(r"\s[,.;]", text.replace(" — ", "")), "space before punctuation"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PROJECT_IDS)
def test_survey_lists_requirements_in_register(
    rendered: dict, projects: dict, name: str, lang: str
) -> None:
    project = projects[name]
    _, blocks, _ = rendered[(name, "survey", lang)]
    if not project.requirements:
        assert "Реестр требований" in all_text(blocks) or "Requirements register" in all_text(
            blocks)
        return
    first = "№" if lang == "ru" else "ID"
    register = table_with(blocks, first)
    # in id order whatever order project.yaml adds them in (optima's R20 after R22)
    from crmimpl.documents.survey import in_id_order

    assert column(register, 0) == [r.id for r in in_id_order(project.requirements)]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PROJECT_IDS)
def test_traceability_and_test_cases(
    rendered: dict, projects: dict, name: str, lang: str
) -> None:
    project = projects[name]
    _, blocks, context = rendered[(name, "spec", lang)]
    header = ("Цель", "Требование") if lang == "ru" else ("Goal", "Requirement")
    if spec.functional_spec(project, lang):
        header = ("Objective", "Requirement")
    matrix = table_with(blocks, *header)
    reqs, tests = column(matrix, 1), column(matrix, 3)
    for r in project.requirements:
        assert r.id in reqs, f"{r.id} missing from the traceability matrix"
    ids = {r.id for r in project.requirements}
    priority = {r.id: r.priority for r in project.requirements}
    for req, test in zip(reqs, tests, strict=True):
        if test != i18n.DASH:
            assert test == f"TC-{req}"
    for goal in project.goals:
        assert goal.id in column(matrix, 0)
    text = all_text(blocks)
    for tc in set(re.findall(r"TC-[A-Za-z0-9_.\-]*[A-Za-z0-9]", text)):
        req = tc[3:]
        assert req in ids, f"{tc} links to no requirement"
        assert tc in tests
    # priced: tested when built (a change left for a later stage is neither)
    changed = {r.id for r in project.requirements if r.change and r.priority != "wont"}
    expected = {f"TC-{r}" for r, p in priority.items()
                if p in ("must", "should") or (r in changed and r in reqs)}
    assert {t["id"] for t in context["tests"]} == expected
    assert set(re.findall(r"TC-[A-Za-z0-9_.\-]*[A-Za-z0-9]", text)) == expected


# ------------------------------------------------------------------ adaptation


def _optima() -> Project:
    return load_project(EXAMPLES / "optima-distribution")


def test_no_integrations_gives_one_sentence() -> None:
    project = _optima()
    project.integrations = []
    for lang, phrase in (("ru", "в объем работ не входит"), ("en", "outside the scope")):
        _, blocks, _ = render(project, "spec", lang)
        assert phrase in all_text(blocks)
        with pytest.raises(AssertionError):
            table_with(blocks, "Система" if lang == "ru" else "System")


def _optima_before_survey(tmp_path: Path) -> Path:
    """A copy of the optima example as it was before any questionnaire came back."""
    folder = tmp_path / "optima"
    shutil.copytree(EXAMPLES / "optima-distribution", folder,
                    ignore=shutil.ignore_patterns("answers"))
    return folder


def test_not_surveyed_topics_name_respondents(tmp_path: Path) -> None:
    project = load_project(_optima_before_survey(tmp_path))
    _, blocks, context = render(project, "survey", "ru")
    assert not context["channels"]["surveyed"]
    paragraphs = [plain_text(b.runs) for b in blocks if isinstance(b, Paragraph)]
    # the report is issued after the interviews: what they did not establish is said so
    notes = [p for p in paragraphs
             if p.startswith("В ходе обследования эти сведения не получены:")]
    assert len(notes) >= 6  # the directorate and accounting take part in the company's process
    assert all("; источник сведений — " in p for p in notes), notes  # each names whom to ask
    # ... and each topic is an open question with an owner and a due date
    owners = {r["owner"] for r in context["open_questions"]["rows"]}
    assert "Захарова Екатерина Павловна" in owners


def test_answers_replace_not_surveyed_note(tmp_path: Path) -> None:
    folder = _optima_before_survey(tmp_path)
    (folder / "answers").mkdir()
    (folder / "answers" / "survey.yaml").write_text(
        "questionnaire: survey\nversion: 1\nkind: survey\nlanguage: ru\n"
        "responses:\n- source: survey.xlsx\n  answers:\n"
        "    sales_channels: [direct, dealers]\n"
        "    portraits: 'Прораб небольшой бригады: покупает по телефону, важна доставка'\n",
        encoding="utf-8",
    )
    project = load_project(folder)
    _, blocks, context = render(project, "survey", "ru")
    assert context["channels"]["surveyed"]
    text = all_text(blocks)
    # the consultant's sentence (round 14), not "Каналы продаж — …"
    assert "Компания продает через следующие каналы: прямые продажи (встречи) и дилерская " \
        "сеть." in text
    assert "Прораб небольшой бригады" in text
    assert "Каналы продаж" in text
    assert "Через какие каналы вы продаёте?" not in text  # a caption, not the question


def test_example_answers_reach_the_report() -> None:
    """The example's imported answers (tools/fill_example_answers.py) feed the report."""
    _, blocks, context = render(_optima(), "survey", "ru")
    assert context["channels"]["surveyed"]
    text = " ".join(plain_text(b.runs) for b in blocks if isinstance(b, Paragraph))
    # the marketing department's answers describe its promotion; how their return is
    # measured is still open, with the department's head as its owner
    assert "не получены: комплекс маркетинга" not in text
    assert any(r["owner"] == "Захарова Екатерина Павловна"
               for r in context["open_questions"]["rows"])


def test_custom_change_cost_is_what_the_plan_spends_on_it() -> None:
    """With a plan, a change costs what its build task costs at its people's rates (the
    estimate's own figure); without one, a preliminary hours × developer rate."""
    from crmimpl.documents.common import change_cost, change_tasks
    from crmimpl.documents.common import sparing_money as money  # the spec's exact amounts
    from crmimpl.documents.workspace import Workspace

    ws = Workspace.open(EXAMPLES / "optima-distribution")
    ru = render(ws.project, "spec", "ru")[2]
    ch1 = next(c for c in ru["changes"] if c["id"] == "CH1")
    tasks = change_tasks(ws.plan, "CH1")
    assert [t.id for t in tasks] == ["dev.change.CH1"]
    assert ch1["cost"] == money(tasks[0].cost, "ru", "RUB")
    total = sum((t.cost for ch in ws.project.changes for t in change_tasks(ws.plan, ch.id)),
                Decimal(0))
    assert ru["estimate"]["changes_cost"] == money(total, "ru", "RUB")
    assert change_cost(ws.project, 24) == Decimal("86400.00")  # 24 h × 3 600, no plan


def test_access_matrix_uses_vocabulary_labels() -> None:
    _, blocks, _ = render(_optima(), "spec", "en")
    matrix = table_with(blocks, "Module", "Менеджер по продажам")
    row = next(r for r in matrix.rows if plain_text(r[0]) == "Client base")
    assert [plain_text(c) for c in row[1:3]] == ["own records", "department records"]


# ------------------------------------------------------------------ hostile text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("doc", DOCUMENTS)
def test_hostile_values_stay_literal(doc: str, lang: str) -> None:
    project = _optima()
    project.client.name = HOSTILE
    project.client.departments[0].name = HOSTILE
    project.requirements[0].statement = HOSTILE
    markdown, blocks, _ = render(project, doc, lang)
    assert "<script>" not in markdown
    text = all_text(blocks)
    assert HOSTILE in text
    for block in blocks:
        if isinstance(block, Table):
            widths = {len(row) for row in block.rows}
            assert widths <= {len(block.header)}, "a pipe split a table cell"


def test_interface() -> None:
    for module, name in ((survey, "survey_report"), (spec, "tech_spec")):
        assert name == module.NAME
        assert all(i18n.word("titles", name, lang) for lang in i18n.LANGUAGES)
        context = module.build_context(_optima(), "ru", plan=None, answers=None)
        assert context["meta"]["title"] == i18n.word("titles", name, "ru")


@pytest.mark.parametrize("name", ["optima-distribution", "northwind-it", "volga-bank",
                                  "kreativ-agency", "teplo-service"])
def test_phase_effort_adds_up_to_the_quoted_total(name: str) -> None:
    """The estimate table's phase rows are the contractor's hours and add up to the total
    the text quotes (the client's own staff are in the plan, not in the bill)."""
    from crmimpl.documents.common import contractor_phase_hours
    from crmimpl.documents.workspace import Workspace
    from crmimpl.i18n import approx_hours

    ws = Workspace.open(EXAMPLES / name)
    rows = contractor_phase_hours(ws.plan)
    assert set(rows) == {ph.id for ph in ws.plan.phases}
    assert approx_hours(sum(rows.values()), "en") == approx_hours(
        ws.plan.costs.contractor_hours, "en")
