"""A workbook the client filled is never replaced by ``export`` or ``build``.

``questionnaire export`` and ``audit export`` refuse (exit 1) naming the answered cells;
``build`` keeps the file, writes everything else and says so in a warning.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.helpers import run_cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "kreativ"
    shutil.copytree(EXAMPLES / "kreativ-agency", folder,
                    ignore=shutil.ignore_patterns("out", "fill"))
    return folder


def type_answer(path: Path, text: str = "typed by the client") -> str:
    """Type into the first empty answer cell (unlocked) of a question sheet, as a client
    would; return its ``Sheet!Cell``."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for ws in wb.worksheets[1:]:
        if ws.title.startswith("_"):
            continue
        for row in ws.iter_rows(min_row=1, max_row=200):
            for cell in row:
                if cell.protection.locked is False and cell.value is None:
                    cell.value = text
                    wb.save(path)
                    return f"{ws.title}!{cell.coordinate}"
    raise AssertionError(f"no answer cell in {path}")


EXPORTS = {
    "questionnaire": (["questionnaire", "export"], ["survey"],
                      Path("out/questionnaires/survey-ru.xlsx")),
    "audit": (["audit", "export"], [], Path("out/kreativ-crm-2026-audit-checklist-ru.xlsx")),
}


@pytest.mark.parametrize("kind", list(EXPORTS))
def test_export_refuses_a_filled_workbook(kind: str, project: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    command, extra, relative = EXPORTS[kind]
    assert run_cli(capsys, *command, str(project), *extra).code == 0
    target = project / relative
    cell = type_answer(target)
    before = target.read_bytes()
    result = run_cli(capsys, *command, str(project), *extra)
    assert result.code == 1, result.err
    assert f"{target}: holds answers typed into it ({cell}); not replaced" in result.err
    assert f"crmimpl {kind} import" in result.err
    assert target.read_bytes() == before


@pytest.mark.parametrize("kind", list(EXPORTS))
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_blank_workbook_is_replaced(kind: str, lang: str, project: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """No false alarm: prefilled cells (company, KPI facts) are not answers."""
    command, extra, _ = EXPORTS[kind]
    for _round in range(2):
        result = run_cli(capsys, *command, str(project), *extra, "--lang", lang)
        assert result.code == 0, result.err


@pytest.mark.parametrize("kind", list(EXPORTS))
def test_build_keeps_a_filled_workbook(kind: str, project: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    only = "questionnaires" if kind == "questionnaire" else "audit"
    if kind == "audit":  # kreativ's one audit is done: its build has no blank checklist left
        shutil.rmtree(project / "audits")
    assert run_cli(capsys, "build", str(project), "--only", only).code == 0
    target = project / EXPORTS[kind][2]
    cell = type_answer(target)
    before = target.read_bytes()
    # --force: every other workbook is written again (not left "unchanged"), this one kept
    result = run_cli(capsys, "build", str(project), "--only", only, "--force")
    assert result.code == 0, result.err
    assert f"warning: {target}: kept, not replaced by a blank copy" in result.err
    assert cell in result.err
    assert f"wrote {target}" not in result.out
    assert target.read_bytes() == before
    if kind == "questionnaire":  # the other questionnaires are written again
        assert result.out.count("wrote ") >= 1


def test_an_unreadable_file_in_the_way_is_kept(project: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    target = project / EXPORTS["questionnaire"][2]
    target.parent.mkdir(parents=True)
    target.write_bytes(b"my notes, saved under the wrong name")
    result = run_cli(capsys, "questionnaire", "export", str(project), "survey")
    assert result.code == 1
    assert f"{target}: exists and cannot be checked for answers" in result.err
    assert target.read_bytes() == b"my notes, saved under the wrong name"


# ------------------------------------------------------------------ the quick look
# Every build rewrites every workbook, so "nothing typed" is decided from the sheets' XML
# (filled._quick_untouched); openpyxl reads the file only when that cannot tell.


def _exported(project: Path, capsys: pytest.CaptureFixture[str]) -> list[Path]:
    assert run_cli(capsys, "build", str(project), "--only", "questionnaires,audit",
                   "-l", "ru,en").code == 0
    return sorted((project / "out").rglob("*.xlsx"))


def test_a_blank_workbook_is_judged_from_its_xml(project: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    from crmimpl.questionnaire.filled import _quick_untouched

    paths = _exported(project, capsys)
    assert len(paths) >= 4
    for path in paths:  # a copy read back stands for the new workbook
        assert _quick_untouched(path, load_workbook(path)), path.name


def test_rebuilding_reads_no_workbook_with_openpyxl(project: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    _exported(project, capsys)

    def refused(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a blank workbook was read with openpyxl")

    monkeypatch.setattr(openpyxl, "load_workbook", refused)
    assert run_cli(capsys, "build", str(project), "--only", "questionnaires,audit",
                   "-l", "ru,en", "--force").code == 0


@pytest.mark.parametrize("value", ["typed by the client", 42, 0.5, "=1+1", True,
                                   "2026-03-01"])
def test_the_quick_look_sees_every_kind_of_typed_value(value: object, project: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    import datetime as dt

    from openpyxl import load_workbook

    from crmimpl.questionnaire.filled import _quick_untouched, _typed_cells

    path = next(p for p in _exported(project, capsys) if p.name == "survey-ru.xlsx")
    fresh = load_workbook(path)
    typed = dt.date.fromisoformat(value) if value == "2026-03-01" else value
    cell = type_answer(path, typed)  # type: ignore[arg-type]
    assert not _quick_untouched(path, fresh)
    assert _typed_cells(path, fresh) == [cell]


def test_a_prefilled_answer_the_client_changed_is_seen(project: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    from openpyxl import load_workbook

    from crmimpl.questionnaire.filled import _quick_untouched

    path = next(p for p in _exported(project, capsys) if p.name == "survey-ru.xlsx")
    fresh = load_workbook(path)
    wb = load_workbook(path)
    cell = next(c for ws in wb.worksheets[1:] if not ws.title.startswith("_")
                for row in ws.iter_rows(max_row=200) for c in row
                if c.protection.locked is False and c.value not in (None, ""))
    cell.value = f"{cell.value} (changed)"
    wb.save(path)
    assert not _quick_untouched(path, fresh)
