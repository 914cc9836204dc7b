"""Translation overlays (project.en.yaml): merge, text-only rule, errors with the line,
the Russian documents untouched, the English documents in English."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from crmimpl.build import BuildOptions, build
from crmimpl.documents.workspace import Workspace
from crmimpl.errors import CrmimplError
from crmimpl.i18n import legal_form_en, with_unit
from crmimpl.load import parse_yaml
from crmimpl.overlay import apply_overlay
from tests.conftest import EXAMPLES
from tests.helpers import run_cli

OPTIMA = EXAMPLES / "optima-distribution"

BASE = """\
client:
  name: "ООО «Оптима»"
  employees: 96
  products: ["Сухие смеси", "Кровля", "Крепёж"]
  departments:
    - id: sales
      kind: sales
      name: "Отдел продаж"
      functions: ["Продажи подрядчикам", "Тендеры"]
goals:
  - id: G1
    statement: "Увеличить выручку"
    owner: commercial
    kpi: {metric: "Выручка", baseline: 78, target: 101.4, deadline: 2027-03-31}
"""


def _merge(overlay: str):
    base = parse_yaml(BASE, Path("project.yaml")).data
    return apply_overlay(base, parse_yaml(overlay, Path("project.en.yaml")))


def _error(overlay: str) -> str:
    with pytest.raises(CrmimplError) as exc:
        _merge(overlay)
    return exc.value.render()


def test_records_by_id_lists_by_position_mappings_merged() -> None:
    merged = _merge("""\
client:
  name: "Optima LLC"
  products: ["Dry mixes", ~, "Fasteners"]
  departments:
    - id: sales
      name: "Sales Department"
      functions: ["Sales to contractors"]
goals:
  - id: G1
    statement: "Grow revenue"
    kpi: {metric: "Revenue"}
""")
    data = merged.data
    assert data["client"]["name"] == "Optima LLC"
    assert data["client"]["products"] == ["Dry mixes", "Кровля", "Fasteners"]
    dept = data["client"]["departments"][0]
    assert dept["name"] == "Sales Department" and dept["kind"] == "sales"
    assert dept["functions"] == ["Sales to contractors", "Тендеры"]
    goal = data["goals"][0]
    assert goal["statement"] == "Grow revenue" and goal["owner"] == "commercial"
    assert goal["kpi"] == {"metric": "Revenue", "baseline": 78, "target": 101.4,
                           "deadline": goal["kpi"]["deadline"]}
    # what is still Russian, named by record id
    assert merged.untranslated() == ["client.products[1]", "client.departments[sales]"
                                     ".functions[1]"]


def test_a_number_or_date_in_the_overlay_is_an_error_naming_file_and_line() -> None:
    text = _error("goals:\n  - id: G1\n    kpi:\n      baseline: 80\n      deadline: 2027-04-01\n")
    assert "project.en.yaml:4:17: goals[G1].kpi.baseline: the overlay holds text only, " \
           "this is a number" in text
    assert "project.en.yaml:5:17" in text and "this is a date" in text
    assert "come from project.yaml only" in text


def test_an_id_or_choice_cannot_be_translated() -> None:
    text = _error("goals:\n  - id: G1\n    owner: \"sponsor\"\n")
    assert "project.en.yaml:3:12: goals[G1].owner: project.yaml holds an id or fixed value" \
           in text
    # a quoted figure is not text either
    assert "a number or date" in _error("client:\n  employees: \"97\"\n")


def test_an_entry_matching_nothing_is_an_error_with_its_line() -> None:
    text = _error("goals:\n  - id: G1\n    statement: \"Grow\"\n  - id: G7\n"
                  "    statement: \"Other\"\nclient:\n  nmae: \"Optima\"\n"
                  "  products: [\"a\", \"b\", \"c\", \"d\"]\n")
    assert "project.en.yaml:4:9: goals: no record with id G7 in project.yaml" in text
    assert "project.en.yaml:7:3: client.nmae: project.yaml has no such key here" in text
    assert "project.yaml has only 3 item(s) in this list" in text
    assert "3 problems found" in text or text.count("project.en.yaml:") == 3


def test_units_and_legal_forms_come_from_the_english_formatter() -> None:
    assert with_unit(78, "млн руб.", "en") == "RUB\u00a078\u00a0million"
    assert with_unit(12, "раб. дн.", "en") == "12\u00a0working\u00a0days"
    assert with_unit(95, "мин", "en") == "95\u00a0min"
    assert with_unit(12, "раб. дн.", "ru") == "12\u00a0раб. дн."
    assert legal_form_en("ООО «Оптима Дистрибуция»") == "Оптима Дистрибуция LLC"
    assert legal_form_en("Optima Distribution LLC") == "Optima Distribution LLC"


def _copy(tmp_path: Path, *, overlay: bool, answers: bool = False) -> Path:
    folder = tmp_path / "optima"
    folder.mkdir(parents=True)
    shutil.copy(OPTIMA / "project.yaml", folder)
    if overlay:
        shutil.copy(OPTIMA / "project.en.yaml", folder)
    if answers:
        shutil.copytree(OPTIMA / "answers", folder / "answers")
    return folder / "project.yaml"


def _docx_words(path: Path) -> tuple[int, int]:
    """(Cyrillic words, all words) of a DOCX's body text."""
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    words = re.findall(r"[^\W\d_]+", " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml)))
    return sum(1 for w in words if re.search("[А-Яа-яЁё]", w)), len(words)


def _build(project: Path, out: Path, lang: str, only: tuple[str, ...]) -> list[Path]:
    ws = Workspace.open(project)
    build(ws, BuildOptions(out=out, langs=(lang,), formats=("docx",), only=only))
    return sorted(out.glob(f"*-{lang}.docx"))


def test_russian_documents_are_unchanged_by_the_overlay(tmp_path: Path) -> None:
    before = _build(_copy(tmp_path / "a", overlay=False), tmp_path / "a" / "optima" / "out", "ru",
                    ("survey", "spec", "training"))
    after = _build(_copy(tmp_path / "b", overlay=True), tmp_path / "b" / "optima" / "out", "ru",
                   ("survey", "spec", "training"))
    assert [p.name for p in before] == [p.name for p in after] and len(before) == 3
    for old, new in zip(before, after, strict=True):
        assert (zipfile.ZipFile(old).read("word/document.xml")
                == zipfile.ZipFile(new).read("word/document.xml")), new.name


def test_english_documents_of_a_russian_project_are_in_english(tmp_path: Path) -> None:
    only = ("survey", "spec", "training")
    without = _build(_copy(tmp_path / "a", overlay=False), tmp_path / "a" / "optima" / "out",
                     "en", only)
    with_overlay = _build(_copy(tmp_path / "b", overlay=True), tmp_path / "b" / "optima" / "out",
                          "en", only)
    for old, new in zip(without, with_overlay, strict=True):
        cyr_old, total_old = _docx_words(old)
        cyr_new, total_new = _docx_words(new)
        assert cyr_old > 0.15 * total_old, old.name  # the project's text was Russian
        assert cyr_new < 0.02 * total_new, (new.name, cyr_new, total_new)


def test_quoted_russian_answers_are_said_to_be_in_the_original(tmp_path: Path) -> None:
    project = _copy(tmp_path, overlay=True, answers=True)
    for path in (project.parent / "answers").glob("*.en.yaml"):  # answers untranslated
        path.unlink()
    ws = Workspace.open(project)
    from crmimpl.build import document_markdown

    survey, _ = document_markdown(ws, "survey", "en")
    assert "quoted in the original Russian.\n" in survey  # its paragraph ends there
    assert "Optima Distribution LLC" in survey and "ООО «Оптима" not in survey
    spec = document_markdown(ws, "spec", "en")[0]
    assert "INN 7721456380" in spec and "KPP 772101001" in spec and "(ИНН" not in spec
    ru, _ = document_markdown(ws, "survey", "ru")
    assert "original Russian" not in ru


def test_validate_names_the_untranslated_fields(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    project = _copy(tmp_path, overlay=False)
    # no overlay and no --lang: a Russian project is not asked for English
    result = run_cli(capsys, "validate", str(project))
    assert result.code == 0 and "not translated" not in result.err
    result = run_cli(capsys, "validate", str(project), "--lang", "en")
    assert result.code == 0
    assert re.search(r"warning: \d{3} text field\(s\) of the project are not translated "
                     r"into en .*: project\.title, project\.contractor, client\.name", result.err)
    assert "project.en.yaml" in result.err
    # a partial overlay: the count drops and the first paths move on
    (project.parent / "project.en.yaml").write_text(
        'project:\n  title: "CRM at Optima"\n  contractor: "CRM Consulting Group LLC"\n',
        encoding="utf-8")
    result = run_cli(capsys, "validate", str(project))
    assert ": client.name, client.legal_name" in result.err
    # the full overlay: nothing left
    shutil.copy(OPTIMA / "project.en.yaml", project.parent)
    result = run_cli(capsys, "validate", str(project))
    assert result.code == 0 and "not translated" not in result.err, result.err
    # a bad overlay fails validation with its file and line
    (project.parent / "project.en.yaml").write_text("budget:\n  limit: 4000000\n",
                                                    encoding="utf-8")
    result = run_cli(capsys, "validate", str(project))
    assert result.code == 1 and "project.en.yaml:2:10: budget.limit" in result.err


def test_the_translated_project_has_the_same_plan(tmp_path: Path) -> None:
    """One truth: the overlay changes words, never a date, an hour or an amount."""
    ws = Workspace.open(_copy(tmp_path, overlay=True))
    en = ws.in_language("en")
    assert en is not ws and en.project.client.name == "Optima Distribution LLC"
    assert ws.in_language("ru") is ws

    def figures(plan):
        return ([(t.id, t.start, t.finish, t.effort_hours,
                  [(a.person_id, a.hours, a.rate) for a in t.assignments]) for t in plan.tasks],
                [(s.day, s.group_id, s.trainer_id, s.hours) for s in plan.sessions])

    assert figures(en.plan) == figures(ws.plan)
    assert en.project.budget == ws.project.budget
    assert en.project.goals[0].kpi.baseline == ws.project.goals[0].kpi.baseline


def test_an_edited_overlay_rebuilds_the_english_documents(tmp_path: Path) -> None:
    project = _copy(tmp_path, overlay=True)
    opts = BuildOptions(out=project.parent / "out", langs=("en",), formats=("html",),
                        only=("survey",), incremental=True)
    build(Workspace.open(project), opts)
    assert build(Workspace.open(project), opts).unchanged == ["survey"]
    overlay = project.parent / "project.en.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8").replace(
        "Optima Distribution LLC", "Optima Distribution Ltd"), encoding="utf-8")
    ctx = build(Workspace.open(project), opts)
    assert ctx.unchanged == []
    html = (project.parent / "out" / "optima-crm-2026-survey_report-en.html").read_text(
        encoding="utf-8")
    assert "Optima Distribution Ltd" in html


def test_the_english_audit_report_says_it_quotes_the_auditors_notes(tmp_path: Path) -> None:
    from crmimpl.documents.audit_report import report_blocks

    project = _copy(tmp_path, overlay=True)
    shutil.copytree(OPTIMA / "audits", project.parent / "audits")
    ws = Workspace.open(project)

    def text(lang: str) -> str:
        en = ws.in_language(lang)
        blocks, _ = report_blocks(en.project, lang, plan=en.plan, audits=ws.audits)
        return repr(blocks)

    english = text("en")
    assert "quoted in the original Russian" in english
    assert "Marina Sergeeva" in english or "Optima Distribution LLC" in english
    assert "original Russian" not in text("ru")


def test_people_named_in_an_audit_record_get_their_translated_names(tmp_path: Path) -> None:
    from crmimpl.documents.audit_report import build_context

    project = _copy(tmp_path, overlay=True)
    shutil.copytree(OPTIMA / "audits", project.parent / "audits")
    ws = Workspace.open(project)
    en = ws.in_language("en")
    assert en.project.in_own_words("Сергеева М. О.") == "Marina Sergeeva"
    assert en.project.in_own_words("Ведущий консультант") == "Lead Consultant"
    context = build_context(en.project, "en", plan=en.plan, audits=ws.audits)
    assert context["auditor_line"] == "Elena Romanova, Lead Consultant"
    assert "Marina Sergeeva" in context["participants"]
    assert not re.search("[А-Яа-яЁё]", context["participants"])
    # the Russian report keeps the record's own names
    ru = build_context(ws.project, "ru", plan=ws.plan, audits=ws.audits)
    assert ru["auditor_line"].startswith("Романова")


def test_a_name_translated_in_one_place_only_is_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _copy(tmp_path, overlay=False)
    # the Tula office translated among the locations, but not where the department names it
    (project.parent / "project.en.yaml").write_text(
        'client:\n  locations: [~, ~, "Tula: regional sales office"]\n', encoding="utf-8")
    result = run_cli(capsys, "validate", str(project))
    assert result.code == 1
    assert "with project.en.yaml applied" in result.err, result.err
