"""Round 11 of the document reviews: smaller defects, each at its cause."""

from __future__ import annotations

from crmimpl.documents import spec
from crmimpl.model.project import load_project, translated_project
from crmimpl.render.markdown import render_markdown
from tests.conftest import EXAMPLES


def test_an_english_version_of_a_russian_specification_says_which_text_prevails() -> None:
    """optima's English specification said its documents are delivered in Russian."""
    project = load_project(EXAMPLES / "optima-distribution")
    en = translated_project(project, "en")[0]
    text = render_markdown(spec.NAME, "en", spec.build_context(en, "en"))
    assert "in Russian; English versions such as this one are provided for information" in text


def test_one_open_question_is_written_in_the_singular() -> None:
    """optima: «Открытых вопросов обследования — 1; они сведены…»."""
    from crmimpl.documents import survey

    project = load_project(EXAMPLES / "optima-distribution")
    context = survey.build_context(project, "ru")
    assert context["summary"]["open_count"] == 1
    text = render_markdown(survey.NAME, "ru", context)
    assert "Один вопрос обследования остался открытым; он приведен" in text
    assert "Открытых вопросов обследования — 1" not in text


def test_objects_of_an_exchange_run_on_in_lower_case() -> None:
    """volga's integration table: «…сегмент); Продукты клиента: …; Просроченная…»."""
    from crmimpl.documents.common import integration_row, run_on

    project = load_project(EXAMPLES / "volga-bank")
    mail = next(i for i in project.integrations if "Exchange" in i.system)
    row = integration_row(mail, "ru", project)
    assert "; Отправка" not in row["objects"] and "; отправка" in row["objects"]
    assert run_on(["Клиенты", "UTM-метки", "Telegram"], "ru") == "Клиенты; UTM-метки; Telegram"
    assert run_on(["Accounts", "Xero invoices"], "en") == "Accounts; Xero invoices"


def test_initials_never_break_from_the_surname() -> None:
    """volga's survey: «Белоусова Н.» / «Е.» in a table cell."""
    from crmimpl.i18n import NBSP, tie

    assert tie("Белоусова Н. Е.") == f"Белоусова{NBSP}Н.{NBSP}Е."
    assert tie("согласует А. В. Ковалёв") == f"согласует А.{NBSP}В.{NBSP}Ковалёв"
    assert tie("в г. Москва") == "в г. Москва"


def test_a_quoted_title_with_quotes_inside_uses_inner_quotes() -> None:
    """volga's specification 1.1: «…АО «Волжский региональный банк»»."""
    project = load_project(EXAMPLES / "volga-bank")
    text = render_markdown(spec.NAME, "ru", spec.build_context(project, "ru")).replace("\\-", "-")
    assert "в рамках проекта «Внедрение CRM-системы в контакт-центре и сети отделений АО " \
           "„Волжский региональный банк“»" in text


def test_the_selection_criteria_name_the_systems_parts_as_the_report_does() -> None:
    """volga (Вектор CRM) said «соответствие подсистемам» while its report says «разделы»."""
    from crmimpl.documents import survey

    for name, word in (("volga-bank", "разделам"), ("optima-distribution", "подсистемам")):
        context = survey.build_context(load_project(EXAMPLES / name), "ru")
        tco = context.get("tco") or {}
        names = tco.get("criteria_names", "")
        if "функциональное соответствие" in names:
            assert f"функциональное соответствие {word}" in names, (name, names)
        else:
            assert name != "volga-bank", names
