"""Title pages: approval blocks from the team, version, status and date from the register."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from crmimpl.model.project import translated_project
from tests.conftest import EXAMPLES

DOCS = ("survey_report", "tech_spec", "training_plan", "audit_report")


def _build(tmp: Path, name: str, langs: tuple[str, ...]) -> tuple[Path, Any]:
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project

    shutil.copytree(EXAMPLES / name, tmp / name)
    project = load_project(tmp / name)
    build(project, BuildOptions(out=tmp / "out", langs=langs, formats=("docx", "html"),
                                only=("survey", "spec", "training", "audit")))
    return tmp / "out", project


@pytest.fixture(scope="module")
def optima(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    return _build(tmp_path_factory.mktemp("optima"), "optima-distribution", ("ru", "en"))


@pytest.fixture(scope="module")
def kreativ(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    return _build(tmp_path_factory.mktemp("kreativ"), "kreativ-agency", ("ru",))


def _title_page(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    """Paragraph texts and tables (rows of cell texts) before the first page break."""
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(str(path))
    texts: list[str] = []
    tables: list[list[list[str]]] = []
    for child in doc.element.body:
        if child.tag == qn("w:tbl"):
            table = docx.table.Table(child, doc)
            tables.append([[cell.text for cell in row.cells] for row in table.rows])
        elif child.tag == qn("w:p"):
            if child.findall(f".//{qn('w:br')}[@{qn('w:type')}='page']"):
                break
            texts.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
    return texts, tables


def _file(out: Path, project: Any, doc: str, lang: str, ext: str) -> Path:
    return out / f"{project.project.id}-{doc}-{lang}.{ext}"


@pytest.mark.parametrize("doc", DOCS)
def test_russian_title_page_has_approval_blocks(optima: tuple[Path, Any], doc: str) -> None:
    out, project = optima
    texts, tables = _title_page(_file(out, project, doc, "ru", "docx"))
    assert tables, "no approval table on the title page"
    agree, approve = tables[0][0]
    # the client's sponsor approves; both project managers agree
    assert approve.startswith("УТВЕРЖДАЮ")
    assert "Генеральный директор" in approve
    assert "А.\u00a0В.\u00a0Ковалёв" in approve
    # the year of the document is printed; only day and month are left to the signer
    year = next(t for t in texts if t[-4:].isdigit() and t[-5:-4] == ".")[-4:]
    assert f"«___» __________ {year}\u00a0г." in approve and "20__" not in approve + agree
    assert agree.count("СОГЛАСОВАНО") == 2
    assert "А.\u00a0В.\u00a0Никитин" in agree and "ООО «ЦРМ Консалтинг Групп»" in agree
    assert "И.\u00a0А.\u00a0Воронцов" in agree
    # the client's legal form abbreviated under a position, not spelled out
    assert "ООО «Оптима Дистрибуция»" in approve and "ООО «Оптима Дистрибуция»" in agree
    assert "Общество с ограниченной" not in approve + agree
    assert any(t.startswith("Версия 1.0") for t in texts)
    # who prepared it, with the position; the firm at the foot, not between the
    # approvals and the title
    author = [t for t in texts if t.startswith("Составил: ")]
    position = "ведущий консультант" if doc == "audit_report" else "руководитель проектов внедрения"
    assert author and author[0].endswith(f", {position}"), author  # the auditor signs an audit
    company = texts.index("ООО «ЦРМ Консалтинг Групп»")
    assert company > texts.index(author[0]) > texts.index(next(t for t in texts if t))


@pytest.mark.parametrize("doc", ("survey_report", "tech_spec", "training_plan"))
def test_title_date_is_the_register_date(optima: tuple[Path, Any], doc: str) -> None:
    from crmimpl.documents.register import document_entry
    from crmimpl.plan.builder import build_plan

    out, project = optima
    name = {"survey_report": "survey", "tech_spec": "spec", "training_plan": "training"}[doc]
    entry = document_entry(project, build_plan(project), name)
    texts, _ = _title_page(_file(out, project, doc, "ru", "docx"))
    assert entry.date.strftime("%d.%m.%Y") in texts
    assert entry.status == "review"  # issued for approval: the sign-off blocks are empty
    assert f"Версия {entry.version} (на согласовании)" in texts


def test_english_title_page_has_a_signoff_table(optima: tuple[Path, Any]) -> None:
    out, project = optima
    texts, tables = _title_page(_file(out, project, "survey_report", "en", "docx"))
    assert "Document sign-off" in texts
    assert any(t.startswith("Version 1.0") for t in texts)
    table = tables[-1]
    assert table[0] == ["Role", "Name", "Position", "Signature", "Date"]
    names = [row[1].replace("\u00a0", " ") for row in table[1:]]
    assert all("\u00a0" in row[1] for row in table[1:])  # a name never wraps in its cell
    en = translated_project(project, "en")[0]  # the names of project.en.yaml
    assert names == [p.name for p in (en.person("sponsor"), en.person("pm"),
                                      en.person("pm_client"))]
    assert not any(re.search("[А-Яа-я]", n) for n in names)
    assert all(row[3] == "" and row[4] == "" for row in table[1:])


def test_html_title_page_shows_the_signatories(optima: tuple[Path, Any]) -> None:
    out, project = optima
    ru = _file(out, project, "survey_report", "ru", "html").read_text(encoding="utf-8")
    page = ru.split('<section class="title-page">', 1)[1].split("</section>", 1)[0]
    assert "УТВЕРЖДАЮ" in page and "СОГЛАСОВАНО" in page
    assert "А.\u00a0В.\u00a0Ковалёв" in page and "Генеральный директор" in page
    en = _file(out, project, "tech_spec", "en", "html").read_text(encoding="utf-8")
    page = en.split('<section class="title-page">', 1)[1].split("</section>", 1)[0]
    assert '<table class="signoff">' in page
    assert translated_project(project, "en")[0].person("pm_client").name in page


def test_one_person_signs_once_and_missing_roles_get_no_block(
        kreativ: tuple[Path, Any]) -> None:
    out, project = kreativ
    _, tables = _title_page(_file(out, project, "survey_report", "ru", "docx"))
    agree, approve = tables[0][0]
    # the director is both sponsor and client project manager: one УТВЕРЖДАЮ, no
    # СОГЛАСОВАНО of the client; the contractor's manager agrees
    assert "УТВЕРЖДАЮ" in approve and "А.\u00a0Е.\u00a0Смирнова" in approve
    assert agree.count("СОГЛАСОВАНО") == 1 and "Д.\u00a0И.\u00a0Белякова" in agree


def test_signatories_skip_roles_nobody_holds() -> None:
    from crmimpl.documents.signoff import short_name, signatories
    from crmimpl.model.project import load_project

    project = load_project(EXAMPLES / "optima-distribution")
    project.team[:] = [p for p in project.team if "sponsor" not in p.roles]
    kinds = [s["kind"] for s in signatories(project, "ru")]
    assert kinds == ["agree", "agree"]
    assert short_name("Daniel Hughes", "ru") == "Daniel Hughes"
    assert short_name("Ковалёв Андрей Викторович", "en") == "Ковалёв Андрей Викторович"
    assert short_name("Салтыков-Щедрин Михаил Евграфович", "ru") == \
        "М.\u00a0Е.\u00a0Салтыков-Щедрин"


@pytest.mark.parametrize(("lang", "line"), [("ru", "Версия 0.9 (черновик)"),
                                            ("en", "Version 0.9 (draft)")])
def test_draft_status_from_the_register_is_printed(lang: str, line: str) -> None:
    from crmimpl.documents.common import doc_meta, register_meta
    from crmimpl.model.project import DocumentEntry, load_project
    from crmimpl.render.blocks import TitlePage
    from crmimpl.render.html import render_html

    project = load_project(EXAMPLES / "kreativ-agency")
    project.documents["survey"] = DocumentEntry(version="0.9", status="draft")
    meta = doc_meta(register_meta(project, None, "survey", lang, "Title"))
    assert line in render_html([TitlePage()], meta=meta)
