"""Incremental builds and ``crmimpl build --watch`` (crmimpl/incremental.py, crmimpl/watch.py).

A product whose inputs did not change is not rewritten; a changed input rewrites the
products that read it; a deleted or hand-edited output is written again; a filled
questionnaire is never replaced. The watcher rebuilds on save, survives a broken save and
ends on Ctrl-C without a traceback.
"""

from __future__ import annotations

import dataclasses
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from crmimpl.build import BuildContext, BuildOptions, build
from crmimpl.incremental import STATE_PATH
from crmimpl.model.project import load_project
from tests.conftest import EXAMPLES
from tests.helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
GOAL = "за счёт системной работы"
# products that need neither LibreOffice nor Chromium
FAST = ("survey", "training-workbook", "questionnaires", "selection")


@pytest.fixture(autouse=True)
def _no_office(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMIMPL_NO_OFFICE", "1")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of optima-distribution (the largest example)."""
    target = tmp_path / "optima"
    shutil.copytree(EXAMPLES / "optima-distribution", target,
                    ignore=shutil.ignore_patterns("out", "fill"))
    return target


def run(folder: Path, *, only: tuple[str, ...] = FAST, force: bool = False,
        out: Path | None = None) -> BuildContext:
    loaded = load_project(folder)
    return build(loaded, BuildOptions(out=out or folder / "out", langs=("ru",),
                                      formats=("html",), only=only, incremental=True,
                                      force=force))


def stamps(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def names(paths: list[Path]) -> set[str]:
    return {p.name for p in paths}


def test_second_build_writes_nothing_and_says_unchanged(project: Path) -> None:
    first = run(project)
    assert first.written and not first.unchanged
    assert (project / STATE_PATH).is_file()
    before = stamps(project / "out")
    second = run(project)
    assert second.written == []
    assert second.unchanged == list(FAST)
    assert stamps(project / "out") == before  # the review note included
    assert second.warnings == first.warnings  # the recorded warnings, review note intact


def test_cli_says_unchanged_and_force_rewrites(project: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    args = ("build", str(project), "--only", "survey", "--format", "html")
    first = run_cli(capsys, *args)
    assert first.code == 0 and "wrote " in first.out
    second = run_cli(capsys, *args)
    assert second.code == 0, second.err
    assert "wrote " not in second.out
    assert "unchanged: survey" in second.out
    forced = run_cli(capsys, *args, "--force")
    assert "survey_report-ru.html" in forced.out and "unchanged:" not in forced.out
    again = run_cli(capsys, *args, "--no-cache")
    assert "survey_report-ru.html" in again.out


def test_answers_rebuild_the_survey_report_not_the_plan(project: Path) -> None:
    only = ("plan", "survey")
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        pass  # the plan product warns about the PNG; the rest holds
    run(project, only=only)
    survey = project / "answers" / "survey.yaml"
    text = survey.read_text(encoding="utf-8")
    assert "640 рекламаций" in text
    survey.write_text(text.replace("640 рекламаций", "655 рекламаций"), encoding="utf-8")
    ctx = run(project, only=only)
    assert names(ctx.written) == {"optima-crm-2026-survey_report-ru.html"}
    assert ctx.unchanged == ["plan"]
    assert "655" in (project / "out" / "optima-crm-2026-survey_report-ru.html").read_text(
        encoding="utf-8")


def test_a_goal_rewrites_the_documents_quoting_it_not_the_plan(project: Path) -> None:
    only = ("plan", "survey", "training", "training-workbook")
    run(project, only=only)
    yaml_path = project / "project.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    assert GOAL in text
    yaml_path.write_text(text.replace(GOAL, "за счёт планомерной работы"), encoding="utf-8")
    ctx = run(project, only=only)
    # the survey report quotes the goal; the plan, the training plan and its workbook do not
    assert names(ctx.written) == {"optima-crm-2026-survey_report-ru.html"}
    assert ctx.unchanged == ["plan", "training", "training-workbook"]


def test_what_the_plan_ignores_does_not_change_its_files(project: Path,
                                                         tmp_path: Path) -> None:
    """PLAN_IGNORES is true: goals, risks and the document register change no plan
    output (a fresh, forced build of the changed project writes the same bytes)."""
    from crmimpl.build import PLAN_IGNORES

    only = ("plan", "training-workbook")
    run(project, only=only, out=tmp_path / "before")
    text = (project / "project.yaml").read_text(encoding="utf-8")
    changed = text.replace(GOAL, "за счёт планомерной работы")
    changed = changed.replace("\nrisks:\n", "\nrisks:\n  - id: RX\n    statement: Новый риск\n"
                              "    probability: low\n    impact: low\n"
                              "    mitigation: Наблюдать\n    owner: sponsor\n", 1)
    (project / "project.yaml").write_text(changed, encoding="utf-8")
    loaded = load_project(project)
    assert any(r.id == "RX" for r in loaded.risks) and {"goals", "risks"} <= PLAN_IGNORES
    assert run(project, only=only, out=tmp_path / "before").unchanged == list(only)
    run(project, only=only, out=tmp_path / "after", force=True)
    compared = 0
    for path in (tmp_path / "before").glob("*"):
        if path.suffix in (".html", ".xml", ".ics", ".xlsx", ".js"):
            assert content(path) == content(tmp_path / "after" / path.name), path
            compared += 1
    assert compared >= 5


def content(path: Path) -> object:
    """A file's bytes; a workbook's parts without the zip's and the properties' clock."""
    if path.suffix != ".xlsx":
        return path.read_bytes()
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n != "docProps/core.xml"}


def test_an_edited_or_deleted_output_is_written_again(project: Path) -> None:
    run(project, only=("survey", "training-workbook"))
    out = project / "out"
    report = out / "optima-crm-2026-survey_report-ru.html"
    original = report.read_bytes()
    report.write_text("edited by hand", encoding="utf-8")
    (out / "optima-crm-2026-training-ru.xlsx").unlink()
    ctx = run(project, only=("survey", "training-workbook"))
    assert names(ctx.written) == {report.name, "optima-crm-2026-training-ru.xlsx"}
    assert report.read_bytes() == original


def test_the_run_date_rebuilds_the_gantt_only(project: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    run(project, only=("plan", "survey"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1790000000 + 86400))
    ctx = run(project, only=("plan", "survey"))
    assert "optima-crm-2026-gantt.html" in names(ctx.written)
    assert ctx.unchanged == ["survey"]


def test_a_filled_questionnaire_is_kept_build_after_build(project: Path) -> None:
    from openpyxl import load_workbook

    run(project, only=("questionnaires",))
    target = project / "out" / "questionnaires" / "survey-ru.xlsx"
    wb = load_workbook(target)
    sheet = next(ws for ws in wb.worksheets if ws.title not in ("_meta", "_lists"))
    cell = next(c for row in sheet.iter_rows() for c in row
                if c.protection is not None and not c.protection.locked)
    cell.value = "typed by the client"
    wb.save(target)
    filled = target.read_bytes()
    for _ in range(2):  # the filled file changed, then it is as the last build found it
        ctx = run(project, only=("questionnaires",))
        assert target.read_bytes() == filled
        assert target not in ctx.written
        assert any("kept" in w and "survey-ru.xlsx" in w for w in ctx.warnings)
    target.unlink()  # moved away by its owner: a blank copy is written again
    ctx = run(project, only=("questionnaires",))
    assert target in ctx.written


def test_a_new_language_or_format_builds_again(project: Path) -> None:
    run(project, only=("survey",))
    loaded = load_project(project)
    ctx = build(loaded, BuildOptions(out=project / "out", langs=("ru", "en"),
                                     formats=("html",), only=("survey",), incremental=True))
    assert "optima-crm-2026-survey_report-en.html" in names(ctx.written)


# ------------------------------------------------------------------ --watch


class Watcher:
    """``crmimpl build --watch`` in a subprocess, its output lines in queues."""

    def __init__(self, folder: Path, *args: str, tmp: Path | None = None) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "CRMIMPL_NO_OFFICE": "1"}
        if tmp is not None:  # its own temporary folder, to see that nothing is left there
            env["TMPDIR"] = str(tmp)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "crmimpl", "build", str(folder), "--watch", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        self.out: queue.Queue[str] = queue.Queue()
        self.err: list[str] = []
        self.readers = [
            threading.Thread(target=self._read, args=(self.proc.stdout, self.out.put),
                             daemon=True),
            threading.Thread(target=self._read, args=(self.proc.stderr, self.err.append),
                             daemon=True)]
        for reader in self.readers:
            reader.start()

    def interrupt(self) -> int:
        """Ctrl-C; the exit code once the output is read to its end."""
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=60)
        for reader in self.readers:
            reader.join(timeout=10)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return code

    @staticmethod
    def _read(stream: object, put: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            put(line.rstrip("\n"))  # type: ignore[operator]

    def until(self, prefix: str, timeout: float = 120) -> list[str]:
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.out.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {prefix!r} line; saw {seen}; stderr "
                                     f"{self.err[-10:]}") from None
            seen.append(line)
            if line.startswith(prefix):
                return seen


def test_watch_rebuilds_on_save_survives_a_broken_save_and_ends_on_ctrl_c(
        project: Path, tmp_path: Path) -> None:
    private = tmp_path / "tmp"
    private.mkdir()
    watcher = Watcher(project, "--only", "survey,training-workbook", "--format", "html",
                      tmp=private)
    try:
        first = watcher.until("built in")
        assert any(line.endswith("survey_report-ru.html") for line in first)
        yaml_path = project / "project.yaml"
        good = yaml_path.read_text(encoding="utf-8")
        time.sleep(0.05)
        yaml_path.write_text(good.replace(GOAL, "за счёт планомерной работы"), encoding="utf-8")
        seen = watcher.until("built in")
        wrote = [line for line in seen if line.startswith("wrote ")]
        assert [Path(line[6:]).name for line in wrote] == [
            "optima-crm-2026-survey_report-ru.html"]
        assert "unchanged: training-workbook" in seen
        # a broken save: the problem is printed and the watcher goes on
        yaml_path.write_text(good.replace("goals:", "goals: [", 1), encoding="utf-8")
        deadline = time.monotonic() + 60
        while not any("not built" in line for line in watcher.err):
            assert time.monotonic() < deadline, watcher.err
            time.sleep(0.1)
        assert watcher.proc.poll() is None
        yaml_path.write_text(good, encoding="utf-8")
        seen = watcher.until("built in")
        assert any(line.endswith("survey_report-ru.html") for line in seen)
    finally:
        code = watcher.interrupt()
    assert code in (0, 130)
    rest = []
    while not watcher.out.empty():
        rest.append(watcher.out.get())
    assert "stopped watching" in rest or watcher.err[-1] == "interrupted", (rest, watcher.err)
    assert not any("Traceback" in line for line in watcher.err), watcher.err
    leftovers = [p for p in (project / "out").rglob("*") if p.suffix == ".tmp"
                 or p.name.startswith(".")]
    assert leftovers == []
    assert list(private.iterdir()) == []


def test_watch_is_one_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("a", "b"):
        shutil.copytree(EXAMPLES / "kreativ-agency", tmp_path / name,
                        ignore=shutil.ignore_patterns("out", "fill"))
    result = run_cli(capsys, "build", str(tmp_path / "a"), str(tmp_path / "b"), "--watch")
    assert result.code == 2
    assert "--watch" in result.err


def test_a_failed_product_is_built_again(project: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """What was built before a failure stays recorded; the failed product is not."""
    import crmimpl.build as build_module
    from crmimpl.errors import CrmimplError

    run(project, only=("survey", "training-workbook"))
    (project / "answers" / "survey.yaml").write_text(
        (project / "answers" / "survey.yaml").read_text(encoding="utf-8").replace(
            "640 рекламаций", "655 рекламаций"), encoding="utf-8")
    original = build_module._training_workbook

    def broken(ctx: BuildContext) -> list[Path]:
        raise CrmimplError.single("training", "broken on purpose")

    products = [p if p.name != "training-workbook" else
                dataclasses.replace(p, builder=broken) for p in build_module.PRODUCTS]
    monkeypatch.setattr(build_module, "PRODUCTS", products)
    (project / "out" / "optima-crm-2026-training-ru.xlsx").unlink()
    with pytest.raises(CrmimplError):
        run(project, only=("survey", "training-workbook"))
    monkeypatch.setattr(build_module, "PRODUCTS", [
        p if p.name != "training-workbook" else dataclasses.replace(p, builder=original)
        for p in products])
    ctx = run(project, only=("survey", "training-workbook"))
    assert names(ctx.written) == {"optima-crm-2026-training-ru.xlsx"}
    assert ctx.unchanged == ["survey"]


def test_an_editors_swap_file_is_no_input(project: Path) -> None:
    from crmimpl.incremental import tree_digest
    from crmimpl.watch import stamp

    run(project, only=("survey",))
    before = stamp(project / "project.yaml")
    digest = tree_digest(project / "answers")
    (project / "answers" / ".survey.yaml.swp").write_bytes(b"vim")
    (project / "answers" / "survey.yaml~").write_bytes(b"backup")
    assert stamp(project / "project.yaml") == before
    assert tree_digest(project / "answers") == digest
    assert run(project, only=("survey",)).unchanged == ["survey"]


def test_the_watcher_reuses_the_plan_only_while_its_inputs_hold(project: Path) -> None:
    """A goal's text keeps the last round's plan (for the project as now loaded); a
    person's availability plans again."""
    from crmimpl.watch import Memo, rebuild

    memo = Memo()
    options = BuildOptions(out=Path(), langs=(), formats=("html",), only=("survey",),
                           incremental=True)
    yaml_path = project / "project.yaml"
    text = yaml_path.read_text(encoding="utf-8")

    def again(new_text: str) -> object:
        yaml_path.write_text(new_text, encoding="utf-8")
        assert rebuild(yaml_path, options, None, (), lambda *a, **k: None, memo) is not None
        return memo.values["plan"][1]

    first = again(text)
    reworded = text.replace(GOAL, "за счёт планомерной работы")
    kept = again(reworded)
    assert kept.schedule is first.schedule  # type: ignore[attr-defined]
    assert "планомерной" in kept.project.goals[0].statement  # type: ignore[attr-defined]
    assert "availability: 0.05" in text
    replanned = again(reworded.replace("availability: 0.05", "availability: 0.1", 1))
    assert replanned.schedule is not first.schedule  # type: ignore[attr-defined]


def test_the_environment_looks_for_the_browsers_the_gantt_uses() -> None:
    from crmimpl import incremental
    from crmimpl.render import gantt_static

    assert incremental.BROWSERS == gantt_static.BROWSERS


@pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")
                         or os.environ.get("BROWSER_PATH")), reason="needs Chromium")
def test_the_gantt_image_drawn_beside_the_build_is_recorded(project: Path) -> None:
    run(project, only=("plan",))
    png = project / "out" / "optima-crm-2026-gantt.png"
    assert png.is_file()
    assert run(project, only=("plan",)).unchanged == ["plan"]
    png.unlink()
    assert png.name in names(run(project, only=("plan",)).written)


def test_a_read_only_project_folder_builds_into_another_folder(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The state file cannot be written (simulated: root ignores permissions): the
    build goes on and says the next one writes everything."""
    import errno
    import tempfile

    real = tempfile.mkstemp

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        folder = str(kwargs.get("dir", ""))
        if folder.startswith(str(project / ".crmimpl")):
            raise PermissionError(errno.EACCES, "Permission denied", folder)
        return real(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    ctx = run(project, only=("survey",), out=tmp_path / "out")
    assert ctx.written
    assert any("build state is not recorded" in w for w in ctx.warnings)
    assert not (project / STATE_PATH).exists()
