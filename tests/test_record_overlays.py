"""Translation overlays of the records beside the project: ``audits/<date>.en.yaml``
(and ``answers/*.en.yaml``): merged by the project overlay's rules (text only, errors
with file:line), applied only to English documents."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from crmimpl.build import untranslated_warnings
from crmimpl.documents.audit_report import NAME as AUDIT
from crmimpl.documents.audit_report import build_context
from crmimpl.documents.workspace import Workspace
from crmimpl.errors import CrmimplError
from crmimpl.questionnaire.audit import load_audits
from crmimpl.render.markdown import render_markdown
from tests.conftest import EXAMPLES

OPTIMA = EXAMPLES / "optima-distribution"


def cyrillic_share(text: str) -> float:
    words = re.findall(r"[^\W\d_]+", text)
    return sum(1 for w in words if re.search("[А-Яа-яЁё]", w)) / max(1, len(words))


@pytest.fixture
def optima(tmp_path: Path) -> Path:
    folder = tmp_path / "optima"
    shutil.copytree(OPTIMA, folder, ignore=shutil.ignore_patterns("out", ".crmimpl"))
    return folder


def audit_markdown(folder: Path, lang: str) -> str:
    ws = Workspace.open(folder)
    wl = ws.in_language(lang)
    context = build_context(wl.project, lang, plan=wl.plan, audits=ws.audits_in(lang))
    return render_markdown(AUDIT, lang, context)


def test_audit_overlay_merges_text_and_keeps_figures() -> None:
    ru = load_audits(OPTIMA)
    en = load_audits(OPTIMA, "en")
    assert [r.date for r in en] == [r.date for r in ru]  # an overlay is no record
    a, b = ru[-1], en[-1]
    assert b.conclusion.startswith("Of the 12 findings of audit 1, 9")
    assert b.auditor_position == "Lead Consultant"
    assert b.kpi["G1"].period == "September–November 2026"
    assert b.kpi["G1"].actual == a.kpi["G1"].actual
    check = b.areas["data_quality"]["directories_current"]
    assert check.status == a.areas["data_quality"]["directories_current"].status
    assert check.due == a.areas["data_quality"]["directories_current"].due
    assert "Other" in check.finding and not re.search("[А-я]", check.action)


def test_russian_audits_never_read_the_overlay() -> None:
    ru = load_audits(OPTIMA, "ru")
    assert ru == load_audits(OPTIMA)
    assert ru[-1].conclusion.startswith("Из 12 замечаний")


@pytest.mark.parametrize("snippet, message", [
    ("date: 2026-12-08", "text only, this is a date"),
    ("number: 3", "text only, this is a number"),
    ("verdict: \"Good\"", "2026-12-07.yaml has no such key here"),
    ("kpi:\n  G1:\n    actual: 90", "text only, this is a number"),
    ("kpi:\n  G9:\n    period: \"May\"", "2026-12-07.yaml has no such key here"),  # line 4
    ("areas:\n  adoption:\n    active_users:\n      status: \"done\"",
     "not text to translate"),
])
def test_audit_overlay_errors_name_file_and_line(optima: Path, snippet: str,
                                                 message: str) -> None:
    path = optima / "audits" / "2026-12-07.en.yaml"
    path.write_text("# a broken overlay\nconclusion: \"Fine.\"\n" + snippet + "\n",
                    encoding="utf-8")
    with pytest.raises(CrmimplError) as exc:
        load_audits(optima, "en")
    text = str(exc.value)
    assert message in text
    # the offending line of the overlay (an unknown key: the key's own line)
    line = 4 if "G9" in snippet else 3 + snippet.count("\n")
    assert f"2026-12-07.en.yaml:{line}:" in text


def test_audit_report_english_has_no_russian_and_russian_unchanged(optima: Path) -> None:
    en = audit_markdown(OPTIMA, "en")
    assert cyrillic_share(en) < 0.005  # measured 0.0 with both audits translated
    assert "quoted in the original Russian" not in en
    assert "original" not in survey_markdown(OPTIMA, "en")
    assert "Elena Romanova, Lead Consultant" in en.replace("\\", "")
    ru_before = audit_markdown(OPTIMA, "ru")
    for path in (optima / "audits").glob("*.en.yaml"):
        path.unlink()
    assert audit_markdown(optima, "ru") == ru_before
    # without the overlay the English report quotes the notes and says so once
    bare = audit_markdown(optima, "en")
    assert bare.count("quoted in the original Russian") == 1
    assert cyrillic_share(bare) > 0.2


def test_validate_reports_untranslated_audit_text(optima: Path) -> None:
    assert not any("audit records" in w for w in untranslated_warnings(
        Workspace.open(OPTIMA), ["en"]))
    path = optima / "audits" / "2026-12-07.en.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?ms)^conclusion:.*?(?=^kpi:)", "", text), encoding="utf-8")
    warnings = [w for w in untranslated_warnings(Workspace.open(optima), ["en"])
                if "audit records" in w]
    assert len(warnings) == 1
    assert warnings[0].startswith("1 text field(s)")
    assert "2026-12-07.yaml: conclusion" in warnings[0]


# ------------------------------------------------------------------ answers


def survey_markdown(folder: Path, lang: str) -> str:
    from crmimpl.build import document_markdown

    return document_markdown(Workspace.open(folder), "survey", lang)[0]


def test_answers_overlay_by_position_and_question_id() -> None:
    from crmimpl.questionnaire.answers import load_answers

    ru = load_answers(OPTIMA).questionnaires["survey"].files[""].responses[0]
    en = load_answers(OPTIMA, "en").questionnaires["survey"].files[""].responses[0]
    assert en.answers["activity"].startswith("A regional distributor")
    assert en.answers["products_list"][0]["share"] == ru.answers["products_list"][0]["share"]
    assert en.answers["budget_expectation"] == ru.answers["budget_expectation"]
    assert en.answers["accounting_system"] == ru.answers["accounting_system"]  # a choice
    assert en.respondent.name == "Marina Sergeeva"
    assert en.respondent.date == ru.respondent.date
    assert ru.answers["activity"].startswith("Региональный")


@pytest.mark.parametrize("snippet, message, line", [
    ("responses:\n  - answers:\n      budget_expectation: 10", "text only, this is a number", 4),
    ("responses:\n  - answers:\n      accounting_system: \"bitrix\"", "not text to translate", 4),
    ("responses:\n  - answers:\n      no_such_question: \"Text\"",
     "survey.yaml has no such key here", 4),
    ("responses:\n  - answers: {}\n  - answers: {}", "only 1 item(s) in this list", 4),
    ("responses:\n  - respondent:\n      date: 2026-02-07", "text only, this is a date", 4),
])
def test_answers_overlay_errors_name_file_and_line(optima: Path, snippet: str, message: str,
                                                   line: int) -> None:
    from crmimpl.questionnaire.answers import load_answers

    (optima / "answers" / "survey.en.yaml").write_text("# broken\n" + snippet + "\n",
                                                      encoding="utf-8")
    with pytest.raises(CrmimplError) as exc:
        load_answers(optima, "en")
    assert message in str(exc.value)
    assert f"survey.en.yaml:{line}:" in str(exc.value)


def test_survey_report_english_share_and_russian_unchanged(optima: Path) -> None:
    en = survey_markdown(OPTIMA, "en")
    # measured 0.0 with every answers file translated (26.6% before any answers
    # overlay); the report then no longer says it quotes the original
    assert cyrillic_share(en) < 0.005
    for text in ("Moscow, head office", "Dry building mixes", "respondent: Denis Orlov",
                 "Podolsk"):
        assert text in en.replace("\\", "")
    assert "Москва, ул. Вольная" not in en and "Орлов Денис" not in en
    ru_before = survey_markdown(OPTIMA, "ru")
    for path in (optima / "answers").glob("*.en.yaml"):
        path.unlink()
    assert survey_markdown(optima, "ru") == ru_before
    bare = survey_markdown(optima, "en")
    assert cyrillic_share(bare) > 0.2


def test_validate_counts_untranslated_answers(optima: Path) -> None:
    (optima / "answers" / "survey.en.yaml").write_text(
        "responses:\n  - answers:\n      activity: \"A distributor.\"\n", encoding="utf-8")
    ws = Workspace.open(optima)
    warnings = [w for w in untranslated_warnings(ws, ["en"]) if "questionnaire answer" in w]
    assert len(warnings) == 1
    missing = ws.untranslated_answers("en")
    assert warnings[0].startswith(f"{len(missing)} questionnaire answer(s)")
    assert ", ".join(missing[:5]) in warnings[0]
    assert "survey.yaml: responses[0].answers.access_policy" in missing
    assert "survey.yaml: responses[0].answers.activity" not in missing
    assert not any(p.endswith("respondent.name") for p in missing)  # the team's names


@pytest.mark.parametrize("period, english", [
    ("сентябрь–ноябрь 2026 года", "September–November 2026"),
    ("ноябрь 2026 года", "November 2026"),
    ("III квартал 2026 года", "Q3 2026"),
    ("июнь–август 2026 г.", "June–August 2026"),
    ("October 2026", "October 2026"),
    ("октябрь–ноябрь 2026 года (два месяца IV квартала)", None),
])
def test_kpi_period_typed_in_russian_is_written_in_english(period: str,
                                                           english: str | None) -> None:
    from crmimpl.documents.audit_report import _period_text

    assert _period_text(period, "en") == english
    assert _period_text(period, "ru") == period.rstrip(".")


def test_english_report_without_overlay_splices_no_russian_into_sentences(
        optima: Path) -> None:
    for path in (optima / "audits").glob("*.en.yaml"):
        path.unlink()
    en = audit_markdown(optima, "en").replace("\\", "")
    assert "covers September–November 2026." in en
    assert not re.search(r"covers [^.]*[А-Яа-яЁё]", en)
    # the untranslated source note is a marked quote, not half of an English sentence
    assert re.search(r"Source: “1С:УТ, средняя выручка в месяц", en)


def test_english_survey_prints_the_projects_english_sites_over_a_russian_answer(
        optima: Path) -> None:
    for path in (optima / "answers").glob("*.en.yaml"):
        path.unlink()
    en = survey_markdown(optima, "en").replace("\\", "")
    assert "Moscow, head office (Volnaya St.)" in en
    assert "Dry building mixes (plasters" in en
    assert "Вольная" not in en and "Сухие строительные смеси" not in en
    assert "respondent: Denis Orlov" in en  # the name from the project overlay's team
