"""Ctrl-C and SIGTERM during a build leave no temporary file and no child process.

A real ``crmimpl build`` runs in a subprocess with its own ``TMPDIR``; the signal is sent
at several points (before LibreOffice or Chromium starts, as soon as it runs, while it
converts). Afterwards nothing of the build may run any more (every process is recognised
by that ``TMPDIR`` in its command line or environment), ``TMPDIR`` is empty and ``out/``
holds no temporary file.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143}
POINTS = {"started": None, "child up": 0.0, "child working": 0.8}


def _stat_state(proc_dir: Path) -> str:
    return (proc_dir / "stat").read_text().rsplit(")", 1)[1].split()[0]


def build_processes(marker: str) -> list[str]:
    """Command lines of live processes that carry ``marker`` (the build's TMPDIR)."""
    found = []
    needle = marker.encode()
    for proc_dir in Path("/proc").glob("[0-9]*"):
        try:
            if _stat_state(proc_dir) == "Z" or int(proc_dir.name) == os.getpid():
                continue
            cmdline = (proc_dir / "cmdline").read_bytes()
            if needle in cmdline or needle in (proc_dir / "environ").read_bytes():
                found.append(cmdline.replace(b"\0", b" ").decode(errors="replace")[:120])
        except (OSError, IndexError):
            continue
    return found


def _wait_for_child(marker: str, name: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if any(name in cmd for cmd in build_processes(marker)):
            return
        time.sleep(0.05)
    pytest.fail(f"{name} never started (the build exited with {proc.returncode})")


def copy_example(target: Path) -> Path:
    """The kreativ example copied to ``target`` (without outputs)."""
    shutil.copytree(EXAMPLES / "kreativ-agency", target,
                    ignore=shutil.ignore_patterns("out", "fill"))
    return target


def build_env() -> tuple[Path, dict[str, str]]:
    """A private TMPDIR for one build (short: Chromium fails to start when its socket
    paths under TMPDIR get too long) and the environment that runs crmimpl with it,
    without the cache (a layout found there would start no LibreOffice to interrupt)."""
    tmpdir = Path(tempfile.mkdtemp(prefix="crm_", dir="/tmp"))
    return tmpdir, {**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(ROOT),
                    "CRMIMPL_CACHE_DIR": ""}


def start_build(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """``crmimpl build ARGS`` in the background, its stderr piped."""
    return subprocess.Popen([sys.executable, "-m", "crmimpl", "build", *args], env=env,
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)


def signal_and_wait(proc: subprocess.Popen[str], signum: signal.Signals) -> str:
    """Send ``signum`` and wait for the build to end (killed after two minutes); its
    stderr."""
    try:
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    return err


def interrupt_build(tmp_path: Path, args: list[str], child: str, point: float | None,
                    signum: signal.Signals) -> tuple[int, Path, Path, str]:
    """Run a build, signal it at ``point`` (None: as soon as it reports progress, else
    seconds after ``child`` starts); return its exit code, TMPDIR, project and stderr."""
    project = copy_example(tmp_path / "kreativ")
    tmpdir, env = build_env()
    proc = start_build(env, str(project), *args)
    try:
        assert proc.stderr is not None
        proc.stderr.readline()  # "[1/1] ...": the build has started
        if point is not None:
            _wait_for_child(str(tmpdir), child, proc)
            time.sleep(point)
    finally:
        err = signal_and_wait(proc, signum)
    return proc.returncode, tmpdir, project, err


def assert_clean(tmpdir: Path, project: Path) -> None:
    deadline = time.monotonic() + 5  # killed processes may take a moment to go
    while build_processes(str(tmpdir)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = build_processes(str(tmpdir))
    if left:  # do not leave them to the next test either
        _kill_all(str(tmpdir))
    assert not left, f"processes of the build still running: {left}"
    while any(tmpdir.iterdir()) and time.monotonic() < deadline + 5:
        time.sleep(0.1)  # a folder a killed helper held goes a moment after it
    assert sorted(p.name for p in tmpdir.iterdir()) == []
    tmpdir.rmdir()
    out = project / "out"
    temporary = [p.name for p in out.rglob("*") if p.name.startswith(".")] \
        if out.exists() else []
    assert temporary == []


def _kill_all(marker: str) -> None:
    for proc_dir in Path("/proc").glob("[0-9]*"):
        try:
            if marker.encode() in (proc_dir / "environ").read_bytes():
                os.kill(int(proc_dir.name), signal.SIGKILL)
        except OSError:
            continue


@pytest.mark.office
@pytest.mark.slow
@pytest.mark.parametrize("point", list(POINTS))
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_pdf_build_interrupted(point: str, signum: signal.Signals, tmp_path: Path,
                               soffice: str) -> None:
    code, tmpdir, project, err = interrupt_build(
        tmp_path, ["--only", "survey", "-f", "pdf"], "soffice", POINTS[point], signum)
    assert code == EXIT[signum], err
    assert "Traceback" not in err
    assert_clean(tmpdir, project)


@pytest.mark.slow
@pytest.mark.parametrize("point", list(POINTS))
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_gantt_build_interrupted(point: str, signum: signal.Signals, tmp_path: Path) -> None:
    if not (shutil.which("chromium") or os.environ.get("BROWSER_PATH")):
        pytest.skip("Chromium is not installed")
    code, tmpdir, project, err = interrupt_build(
        tmp_path, ["--only", "plan"], "chrom", POINTS[point], signum)
    assert code in (0, EXIT[signum]), err  # the image may be done before the signal lands
    assert "Traceback" not in err
    assert_clean(tmpdir, project)


@pytest.mark.office
@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_portfolio_build_interrupted(signum: signal.Signals, tmp_path: Path,
                                     soffice: str) -> None:
    """A batch of three projects building PDFs, signalled while LibreOffice converts."""
    root = tmp_path / "portfolio"
    for n in range(3):
        copy_example(root / f"p{n}")
    tmpdir, env = build_env()
    proc = start_build(env, str(root), "--only", "survey", "-f", "pdf")
    try:
        _wait_for_child(str(tmpdir), "soffice", proc)
        time.sleep(0.5)
    finally:
        err = signal_and_wait(proc, signum)
    assert proc.returncode == EXIT[signum], err
    assert "Traceback" not in err
    assert_clean(tmpdir, root / "p0")  # no process, nothing in TMPDIR, no temp in out/
    for n in (1, 2):
        out = root / f"p{n}" / "out"
        assert not (out.exists() and [p.name for p in out.rglob(".*")])


@pytest.mark.office
@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_pdf_build_of_several_documents_interrupted(signum: signal.Signals, tmp_path: Path,
                                                    soffice: str) -> None:
    """The run's one LibreOffice, signalled after it wrote the first of four PDFs (it is
    kept running between documents): it is ended and its temporary profile removed."""
    project = copy_example(tmp_path / "kreativ")
    tmpdir, env = build_env()
    proc = start_build(env, str(project), "--only", "survey,training", "-f", "pdf",
                       "-l", "ru,en")
    try:
        deadline = time.monotonic() + 120
        while not list((project / "out").glob("*.pdf")) and proc.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the build ended before the signal"
        assert any("soffice" in cmd for cmd in build_processes(str(tmpdir)))
        assert any(p.name.startswith("crmimpl_office_") for p in tmpdir.iterdir())
    finally:
        err = signal_and_wait(proc, signum)
    assert proc.returncode == EXIT[signum], err
    assert "Traceback" not in err
    assert_clean(tmpdir, project)  # no soffice.bin, no profile, no temporary file
    assert len(list((project / "out").glob("*.pdf"))) < 4


@pytest.mark.office
@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_portfolio_gantt_build_interrupted(signum: signal.Signals, tmp_path: Path) -> None:
    """A batch of four projects' plans, signalled after the first Gantt image was drawn:
    each worker keeps one Chromium between its projects, and the signal ends them all
    with their folders."""
    if not (shutil.which("chromium") or os.environ.get("BROWSER_PATH")):
        pytest.skip("Chromium is not installed")
    root = tmp_path / "portfolio"
    for n in range(4):
        copy_example(root / f"p{n}")
    tmpdir, env = build_env()
    proc = start_build(env, str(root), "--only", "plan")
    try:
        deadline = time.monotonic() + 180
        while not list(root.glob("*/out/*-gantt.png")) and proc.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the batch ended before the signal"
        assert any("chrom" in cmd for cmd in build_processes(str(tmpdir)))
    finally:
        err = signal_and_wait(proc, signum)
    assert proc.returncode == EXIT[signum], err
    assert "Traceback" not in err
    assert_clean(tmpdir, root / "p0")
    for n in range(1, 4):
        out = root / f"p{n}" / "out"
        assert not (out.exists() and [p.name for p in out.rglob(".*")])


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_a_library_turned_into_its_own_error_is_still_an_interrupt(
        signum: signal.Signals, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """openpyxl's descriptors catch everything and raise TypeError: the signal that
    interrupted them still ends the command as interrupted, without a traceback."""
    from crmimpl.cli import main

    def library_call() -> None:
        try:
            os.kill(os.getpid(), signum)
            time.sleep(1)
        except BaseException:  # what openpyxl's ``_convert`` does
            raise TypeError("expected <class 'MultiCellRange'>") from None

    monkeypatch.setattr(main, "app", library_call)
    with pytest.raises(SystemExit) as exc:
        main.run()
    assert exc.value.code == EXIT[signum]
    assert "Traceback" not in capsys.readouterr().err


def test_an_error_without_a_signal_is_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    from crmimpl.cli import main

    def broken() -> None:
        raise TypeError("a real bug")

    monkeypatch.setattr(main, "app", broken)
    with pytest.raises(TypeError):
        main.run()
