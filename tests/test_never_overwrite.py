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
