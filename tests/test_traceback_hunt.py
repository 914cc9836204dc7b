"""A traceback hunt: every command fed every bad input ends with a located message.

Each command of the CLI gets each broken project of ``tests/data/broken``, and the
hostile cases found by QA (issue 12): a truncated worksheet, outputs that cannot be
written, YAML nested too deep, a line break in a title, a FIFO instead of a file. The
assertion is always the same: exit 1 (2 for usage), a location, no traceback.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import tempfile
import traceback
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DATA, EXAMPLES
from tests.helpers import Result, run_cli

BROKEN = sorted((DATA / "broken").glob("*.yaml"))
EXAMPLE = EXAMPLES / "kreativ-agency"


def hunt(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    """Run the CLI; any exception escaping it is a traceback the person would see."""
    try:
        result = run_cli(capsys, *args)
    except Exception as exc:  # the escaped exception is the failure itself
        pytest.fail("traceback:\n" + "".join(traceback.format_exception(exc)))
    assert "Traceback" not in result.out + result.err
    return result


def commands(project: Path, workbook: Path) -> dict[str, list[str]]:
    """Every command that reads a project, with arguments that would otherwise work."""
    p = str(project)
    return {
        "validate": ["validate", p],
        "plan": ["plan", p],
        "build": ["build", p, "--only", "plan,questionnaires,audit"],
        "export": ["export", p, "-f", "xlsx,mspdi,ics"],
        "gantt": ["gantt", p],
        "questionnaire export": ["questionnaire", "export", p, "survey"],
        "questionnaire import": ["questionnaire", "import", p, str(workbook)],
        "questionnaire status": ["questionnaire", "status", p],
        "audit export": ["audit", "export", p],
        "audit import": ["audit", "import", p, str(workbook)],
        "audit report": ["audit", "report", p],
    }


COMMANDS = list(commands(Path("p"), Path("w")))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A valid project (the small example) in its own folder."""
    folder = tmp_path / "kreativ"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("out", "fill"))
    return folder


@pytest.mark.parametrize("command", COMMANDS)
def test_broken_projects_give_a_located_message(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    for case in BROKEN:
        shutil.copyfile(case, folder / "project.yaml")
        result = hunt(capsys, *commands(folder, tmp_path / "filled.xlsx")[command])
        assert result.code == 1, (case.name, result.err)
        assert re.search(r"project\.yaml:\d+:\d+: ", result.err), (case.name, result.err)


# ------------------------------------------------------------------ damaged workbooks


def _truncate_sheet(src: Path, dst: Path) -> str:
    """Copy a workbook with its first answer sheet cut in half; return that sheet's name."""
    from openpyxl import load_workbook

    wb = load_workbook(src, read_only=True)
    titles = wb.sheetnames
    wb.close()
    index = next(i for i, t in enumerate(titles) if not t.startswith("_") and i > 0)
    part = f"xl/worksheets/sheet{index + 1}.xml"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        assert part in zin.namelist()
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, data[: len(data) // 2] if info.filename == part else data)
    return titles[index]


@pytest.mark.parametrize("kind", ["questionnaire", "audit"])
def test_truncated_worksheet(kind: str, project: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    blank = tmp_path / "blank.xlsx"
    export = (["questionnaire", "export", str(project), "survey"] if kind == "questionnaire"
              else ["audit", "export", str(project)])
    assert hunt(capsys, *export, "-o", str(blank)).code == 0
    sheet = _truncate_sheet(blank, tmp_path / "cut.xlsx")
    result = hunt(capsys, kind, "import", str(project), str(tmp_path / "cut.xlsx"))
    assert result.code == 1
    assert f"cut.xlsx!{sheet}: the workbook is damaged" in result.err
    assert "Please see the exception" not in result.err


# ------------------------------------------------------------------ outputs that cannot be written

WRITERS = ["build", "export", "gantt", "questionnaire export", "audit export",
           "audit report"]


@pytest.mark.parametrize("command", WRITERS)
def test_out_is_a_file(command: str, project: Path, capsys: pytest.CaptureFixture[str]
                       ) -> None:
    (project / "out").write_text("not a folder\n", encoding="utf-8")
    result = hunt(capsys, *commands(project, project / "x.xlsx")[command])
    assert result.code == 1, result.err
    assert f"{project / 'out'}: is a file" in result.err
    assert (project / "out").read_text(encoding="utf-8") == "not a folder\n"


def test_answers_is_a_file(project: Path, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(project / "answers", ignore_errors=True)
    (project / "answers").write_text("", encoding="utf-8")
    blank = tmp_path / "documents.xlsx"
    assert hunt(capsys, "questionnaire", "export", str(project), "documents",
                "-o", str(blank)).code == 0
    result = hunt(capsys, "questionnaire", "import", str(project), str(blank), "--partial")
    assert result.code == 1
    assert f"{project / 'answers'}: is a file" in result.err


@pytest.mark.parametrize("command", ["build", "questionnaire export", "audit export"])
def test_folder_without_permission(command: str, project: Path,
                                   capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """As root permissions are not enforced, so the refusal is simulated at the system
    call that would fail; ``test_read_only_folder`` checks the real thing."""
    real = tempfile.mkstemp

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        folder = str(kwargs.get("dir", ""))
        if folder.startswith(str(project / "out")):
            raise PermissionError(errno.EACCES, "Permission denied", folder)
        return real(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = hunt(capsys, *commands(project, project / "x.xlsx")[command])
    assert result.code == 1, result.err
    assert "Permission denied" in result.err and str(project / "out") in result.err


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        result = hunt(capsys, "export", str(project), "-f", "ics")
    finally:
        out.chmod(0o700)
    assert result.code == 1
    assert "Permission denied" in result.err and str(out) in result.err


# ------------------------------------------------------------------ YAML too deep


def _deep_flow(levels: int) -> str:
    return "notes: " + "[" * levels + "]" * levels + "\n"


def _deep_block(levels: int) -> str:
    return "notes:\n" + "".join("  " * i + "- k:\n" for i in range(1, levels))


@pytest.mark.parametrize("shape", [_deep_flow, _deep_block])
def test_deep_project_yaml(shape: object, project: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "project.yaml"
    path.write_text(path.read_text(encoding="utf-8") + shape(1000),  # type: ignore[operator]
                    encoding="utf-8")
    for command in ("validate", "build"):
        result = hunt(capsys, *commands(project, project / "x.xlsx")[command])
        assert result.code == 1
        assert re.search(r"project\.yaml:\d+:\d+: nesting is too deep", result.err)


def test_deep_answers_yaml(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "answers").mkdir(exist_ok=True)
    (project / "answers" / "survey.yaml").write_text(_deep_flow(1000), encoding="utf-8")
    for args in (["questionnaire", "status", str(project)],
                 ["build", str(project), "--only", "survey", "-f", "html"]):
        result = hunt(capsys, *args)
        assert result.code == 1
        assert re.search(r"survey\.yaml:1:\d+: nesting is too deep", result.err)


# ------------------------------------------------------------------ a line break in a title


def test_two_line_title(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "project.yaml"
    text = path.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^  title: .*$", "  title: |\n    Line one\n    Line two",
                          text, count=1)
    assert count == 1
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  title: |") + 1
    for command in ("validate", "build"):
        result = hunt(capsys, *commands(project, project / "x.xlsx")[command])
        assert result.code == 1
        assert f"project.yaml:{line}:10: project.title: must be one line" in result.err
    assert not (project / "out").exists()


def test_ical_survives_a_line_break() -> None:
    from crmimpl.documents.workspace import Workspace
    from crmimpl.render.ical import ical_bytes

    plan = Workspace.open(EXAMPLE).plan
    plan.project.project.title = "Line one\nLine two"
    data = ical_bytes(plan)
    assert b"X-WR-CALNAME:Line one Line two\r\n" in data


# ------------------------------------------------------------------ FIFOs


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail instead of hanging for ever on a blocking open."""

    def timeout(signum: int, frame: object) -> None:
        raise TimeoutError("the command hung")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.usefixtures("alarm")
@pytest.mark.parametrize("command", ["questionnaire import", "audit import", "validate"])
def test_fifo_is_refused(command: str, project: Path, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "filled.xlsx"
    os.mkfifo(fifo)
    if command == "validate":
        (project / "project.yaml").unlink()
        os.mkfifo(project / "project.yaml")
        fifo = project / "project.yaml"
    result = hunt(capsys, *commands(project, fifo)[command])
    assert result.code == 1
    assert f"{fifo}: is not a regular file" in result.err
