"""The command line as a person uses it: new, validate, schema, version, help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.helpers import run_cli

MODES = ["express", "typical", "project", "cti", "iterative"]


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("mode", MODES)
def test_new_project_validates(
    mode: str, lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / f"acme-{mode}"
    result = run_cli(capsys, "new", str(folder), "--mode", mode, "--lang", lang)
    assert result.code == 0, result.err
    text = (folder / "project.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=./.crmimpl/project.schema.json")
    assert (folder / ".crmimpl" / "project.schema.json").is_file()
    assert f"mode: {mode}" in text and f"language: {lang}" in text
    result = run_cli(capsys, "validate", str(folder))
    assert result.code == 0, result.err
    assert f"({mode}, {lang})" in result.out


def test_new_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "project.yaml"
    target.write_text("# my own notes\n", encoding="utf-8")
    result = run_cli(capsys, "new", str(tmp_path))
    assert result.code == 1
    assert "already exists" in result.err
    assert target.read_text(encoding="utf-8") == "# my own notes\n"


def test_examples_validate(capsys: pytest.CaptureFixture[str]) -> None:
    examples = sorted(p for p in EXAMPLES.iterdir() if (p / "project.yaml").exists())
    assert len(examples) >= 3
    for folder in examples:
        result = run_cli(capsys, "validate", str(folder))
        assert result.code == 0, result.err


def test_schema_describes_the_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "schema")
    assert result.code == 0
    schema = json.loads(result.out)
    assert set(schema["required"]) >= {"project", "client", "goals", "team", "budget", "scope"}
    assert "Mode" not in schema["properties"]
    out = tmp_path / "schema.json"
    result = run_cli(capsys, "schema", "-o", str(out))
    assert json.loads(out.read_text(encoding="utf-8")) == schema


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from crmimpl import __version__

    result = run_cli(capsys, "--version")
    assert result.code == 0
    assert result.out.strip() == f"crmimpl {__version__}"


def test_python_m_and_help_loads_no_heavy_library() -> None:
    code = (
        "import sys, runpy\n"
        "sys.argv = ['crmimpl', '--help']\n"
        "try:\n    runpy.run_module('crmimpl', run_name='__main__')\n"
        "except SystemExit as e:\n    assert e.code in (0, None), e.code\n"
        "heavy = [m for m in ('docx', 'openpyxl', 'plotly', 'kaleido', 'jinja2', 'pydantic',"
        " 'pymorphy3')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Project definition" in proc.stdout
    assert "HEAVY []" in proc.stdout


def test_help_lists_every_command_group() -> None:
    proc = subprocess.run([sys.executable, "-m", "crmimpl", "--help"], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0
    for command in ("new", "validate", "schema"):
        assert command in proc.stdout


def test_a_product_with_nothing_to_write_is_not_called_unchanged(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A project with no CRM candidates has no selection workbook: its first build does
    not list "unchanged: selection" (round 22), and asking for it says why."""
    folder = tmp_path / "p"
    assert run_cli(capsys, "new", str(folder), "--lang", "en").code == 0
    result = run_cli(capsys, "build", str(folder), "--only", "plan,selection", "-f", "html")
    assert result.code == 0, result.err
    assert "unchanged" not in result.out
    assert "selection: the project has no economics: section" in result.err
    assert "[1/1]" in result.err and "[1/2]" not in result.err
