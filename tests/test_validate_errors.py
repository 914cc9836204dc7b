"""Broken project files: each gives its exact message with file:line, exit 1, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.helpers import run_cli

BROKEN = DATA / "broken"
CASES = sorted(p.name for p in BROKEN.glob("*.yaml"))


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("name", CASES)
def test_broken_input_message(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    update_testdata: bool,
) -> None:
    monkeypatch.chdir(BROKEN)
    result = run_cli(capsys, "validate", name)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert result.err.startswith(name + ":"), result.err
    expected = BROKEN / "expected" / (name.removesuffix(".yaml") + ".txt")
    if update_testdata:
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(result.err, encoding="utf-8")
    assert result.err == expected.read_text(encoding="utf-8")


def test_huge_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "huge.yaml"
    big.write_text("notes: |\n" + ("  " + "x" * 99 + "\n") * 30_000, encoding="utf-8")
    result = run_cli(capsys, "validate", str(big))
    assert result.code == 1
    assert "file is too large" in result.err
    assert str(big) in result.err


def test_all_problems_reported_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("mode: typical", "mode: agile").replace("crm_users: 5", "crm_users: x")
    text = text.replace("start: 2026-03-02", "start: 2026-02-30")
    path = tmp_path / "project.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli(capsys, "validate", str(tmp_path))
    assert result.code == 1
    lines = [ln for ln in result.err.splitlines() if ln.startswith(str(path))]
    assert [ln.split(":")[1] for ln in lines] == ["5", "6", "10"]
    assert "3 problems found" in result.err


def test_missing_file_and_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "validate", str(tmp_path))
    assert result.code == 1
    assert "no project.yaml in this folder" in result.err
    result = run_cli(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert result.code == 1
    assert "file not found" in result.err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "validate", "--no-such-option")
    assert result.code == 2
    result = run_cli(capsys, "new", "x", "--mode", "agile")
    assert result.code == 2
    assert "unknown mode 'agile'" in result.err


def test_bug_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import crmimpl.model.project as project_module
    from crmimpl.cli.main import run

    def boom(path: object) -> None:
        raise RuntimeError("a real bug")

    monkeypatch.setattr(project_module, "load_project", boom)
    monkeypatch.setattr("sys.argv", ["crmimpl", "validate", "."])
    with pytest.raises(RuntimeError, match="a real bug"):
        run()
