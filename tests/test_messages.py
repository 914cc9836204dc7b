"""Messages a person understands: the line they wrote, words instead of Python values,
one summary line, no reference to an exception they never see."""

from __future__ import annotations

import shutil
import zipfile
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


def _edit(project: Path, old: str, new: str) -> list[str]:
    path = project / "project.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text.splitlines()


def test_unknown_key_is_on_its_own_line(project: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    lines = _edit(project, "\nclient:\n", "\nклиент:\n")
    line = lines.index("клиент:") + 1
    result = run_cli(capsys, "validate", str(project))
    assert result.code == 1
    assert f"project.yaml:{line}:1: клиент: unknown key 'клиент'" in result.err


def test_missing_key_is_at_its_parent_key(project: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    lines = _edit(project, "client:\n  name: \"Рекламное агентство «Креатив»\"\n",
                  "client:\n")
    line = lines.index("client:") + 1
    result = run_cli(capsys, "validate", str(project))
    assert result.code == 1
    assert f"project.yaml:{line}:1: client.name: required key 'name' is missing" \
        in result.err


def test_empty_value_is_called_so(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(project, '  title: "Экспресс-внедрение CRM в рекламном агентстве «Креатив»"',
          "  title:")
    result = run_cli(capsys, "validate", str(project))
    assert result.code == 1
    assert "project.title: expected text, got an empty value" in result.err
    assert "write the value after the colon" in result.err
    assert "None" not in result.err


def test_one_summary_line(project: Path, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "questionnaire", "import", str(project),
                     str(tmp_path / "a.xlsx"), str(tmp_path / "b.xlsx"))
    assert result.code == 1
    assert result.err.splitlines()[-1] == "2 problems; nothing imported"
    assert "problems found" not in result.err
    assert "problem(s)" not in result.err


def test_damaged_workbook_names_the_cause(project: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    blank = tmp_path / "survey.xlsx"
    assert run_cli(capsys, "questionnaire", "export", str(project), "survey",
                   "-o", str(blank)).code == 0
    cut = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(blank) as zin, zipfile.ZipFile(cut, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, data[:100] if info.filename == "xl/styles.xml" else data)
    result = run_cli(capsys, "questionnaire", "import", str(project), str(cut))
    assert result.code == 1
    assert "cut.xlsx: the workbook is damaged and cannot be read (" in result.err
    assert "Please see the exception" not in result.err
