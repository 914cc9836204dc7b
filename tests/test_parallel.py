"""The workbooks of a build are written by a forked child on a second core
(crmimpl.parallel): same files, same lists in product order, same errors, and an
interrupt leaves nothing behind."""

from __future__ import annotations

import os
import signal
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from crmimpl import build as build_module
from crmimpl.build import BuildOptions, build
from crmimpl.documents.workspace import Workspace
from crmimpl.errors import CrmimplError
from tests.test_interrupts import (
    EXIT,
    assert_clean,
    build_env,
    build_processes,
    copy_example,
    signal_and_wait,
    start_build,
)

ONLY = ("plan", "survey", "training", "questionnaires", "training-workbook", "selection",
        "audit")


def _build(folder: Path, out: Path, jobs: str, monkeypatch: pytest.MonkeyPatch,
           **options: object) -> build_module.BuildContext:
    monkeypatch.setenv("CRMIMPL_JOBS", jobs)
    monkeypatch.setenv("CRMIMPL_NO_OFFICE", "1")
    return build(Workspace.open(folder), BuildOptions(out=out, langs=("ru", "en"),
                                                      formats=("docx", "html"),
                                                      only=ONLY, **options))  # type: ignore[arg-type]


def _content(path: Path) -> object:
    """A file's content; a zip's members (their timestamps differ between runs), less
    the document's creation time."""
    if path.suffix not in (".xlsx", ".docx"):
        return path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name != "docProps/core.xml"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "kreativ")


def test_the_same_as_a_serial_build(project: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    serial = _build(project, tmp_path / "serial", "1", monkeypatch)
    side = _build(project, tmp_path / "side", "2", monkeypatch)
    names = [p.relative_to(tmp_path / "serial") for p in serial.written]
    assert names == [p.relative_to(tmp_path / "side") for p in side.written]
    assert any(p.parts[0] == "questionnaires" for p in names)
    assert serial.warnings == side.warnings
    for name in names:
        assert _content(tmp_path / "serial" / name) == _content(tmp_path / "side" / name)


def test_the_workbooks_are_written_by_another_process(project: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch
                                                      ) -> None:
    pids = tmp_path / "pids"

    def note(builder: build_module.Builder) -> build_module.Builder:
        def wrapped(ctx: build_module.BuildContext) -> list[Path]:
            with pids.open("a") as handle:
                handle.write(f"{os.getpid()}\n")
            return builder(ctx)
        return wrapped

    products = [replace(p, builder=note(p.builder)) if p.name == "questionnaires" else p
                for p in build_module.PRODUCTS]
    monkeypatch.setattr(build_module, "PRODUCTS", products)
    _build(project, tmp_path / "side", "2", monkeypatch)
    assert pids.read_text().split() != [str(os.getpid())]
    pids.unlink()
    _build(project, tmp_path / "serial", "1", monkeypatch)
    assert pids.read_text().split() == [str(os.getpid())]


def test_a_failing_workbook_fails_the_build_as_in_series(project: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    def broken(ctx: build_module.BuildContext) -> list[Path]:
        raise CrmimplError.single("training.xlsx", "cannot be written")

    products = [replace(p, builder=broken) if p.name == "training-workbook" else p
                for p in build_module.PRODUCTS]
    monkeypatch.setattr(build_module, "PRODUCTS", products)
    for jobs in ("1", "2"):
        with pytest.raises(CrmimplError, match="cannot be written"):
            _build(project, tmp_path / f"out{jobs}", jobs, monkeypatch)


def test_incremental_state_recorded_by_the_child(project: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    first = _build(project, out, "2", monkeypatch, incremental=True)
    assert first.written
    again = _build(project, out, "2", monkeypatch, incremental=True)
    assert again.written == []  # the child's records reached the state file
    assert {"questionnaires", "training-workbook"} <= set(again.unchanged)


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_interrupted_while_the_child_writes(signum: signal.Signals, tmp_path: Path) -> None:
    project = copy_example(tmp_path / "kreativ")
    tmpdir, env = build_env()
    env.update(CRMIMPL_NO_OFFICE="1", CRMIMPL_JOBS="2")
    proc = start_build(env, str(project), "--only", "survey,spec,passport,questionnaires,"
                       "training-workbook", "-l", "ru,en", "--force")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if len(build_processes(str(tmpdir))) >= 2:  # the build and its child
                break
            time.sleep(0.01)
        time.sleep(0.5)  # the child writes; the build is past its first imports (a
        # signal inside pydantic's model building is swallowed: a known, separate issue)
    finally:
        err = signal_and_wait(proc, signum)
    # -2: the build printed "interrupted"/"terminated", then Python ended it with
    # SIGINT; a serial build (CRMIMPL_JOBS=1) does so too now and then (reported)
    assert proc.returncode in (0, EXIT[signum], -signal.SIGINT), err
    assert "Traceback" not in err
    assert_clean(tmpdir, project)


def test_the_training_document_may_go_to_the_child(monkeypatch: pytest.MonkeyPatch
                                                   ) -> None:
    """Whatever the formats: a layout to be made leaves it to the build (tested below)."""
    from crmimpl.parallel import SIDE_PRODUCTS, side_products

    monkeypatch.setenv("CRMIMPL_NO_OFFICE", "1")
    assert side_products(("docx", "html")) == SIDE_PRODUCTS | {"training"}
    monkeypatch.setattr("crmimpl.render.processes.office_available", lambda: True)
    assert side_products(("docx", "html")) == SIDE_PRODUCTS | {"training"}
    assert side_products(("docx", "html", "pdf")) == SIDE_PRODUCTS | {"training"}


def test_no_child_from_a_thread_or_a_portfolio_worker(monkeypatch: pytest.MonkeyPatch
                                                      ) -> None:
    import multiprocessing
    import threading

    from crmimpl.parallel import side_enabled

    monkeypatch.delenv("CRMIMPL_JOBS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert side_enabled()
    found: list[bool] = []
    thread = threading.Thread(target=lambda: found.append(side_enabled()))
    thread.start()
    thread.join()
    assert found == [False]
    monkeypatch.setattr(multiprocessing, "parent_process", lambda: object())
    assert not side_enabled()
    monkeypatch.setenv("CRMIMPL_JOBS", "2")
    assert side_enabled()
    monkeypatch.setenv("CRMIMPL_JOBS", "1")
    assert not side_enabled()


@pytest.mark.parametrize("formats", [("docx", "html"), ("docx", "pdf")])
def test_child_writes_a_document_only_from_cached_layouts(
        formats: tuple[str, ...], project: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With LibreOffice, the child writes the training plan document only when the cache
    holds its layouts (a rebuild); the first build leaves it to the build's process,
    which lays it out. Both builds give the same files."""
    from crmimpl import parallel
    from crmimpl.render.processes import office_available
    from crmimpl.resources import cache_dir

    monkeypatch.delenv("CRMIMPL_NO_OFFICE", raising=False)
    if not office_available():
        pytest.skip("LibreOffice is not installed")
    monkeypatch.setenv("CRMIMPL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CRMIMPL_JOBS", "2")
    cache_dir.cache_clear()
    log = tmp_path / "who.txt"
    real = parallel.build_one

    def logged(ctx: object, product: object, cache: object) -> object:
        outcome = real(ctx, product, cache)  # type: ignore[arg-type]
        with log.open("a") as f:
            f.write(f"{os.getpid()} {product.name}\n")  # type: ignore[attr-defined]
        return outcome

    monkeypatch.setattr(parallel, "build_one", logged)

    def run(out: Path) -> dict[str, int]:
        log.unlink(missing_ok=True)
        build(Workspace.open(project), BuildOptions(
            out=out, langs=("ru",), formats=formats,
            only=("plan", "training", "questionnaires")))
        return {name: int(pid) for pid, name in
                (line.split() for line in log.read_text().splitlines())}

    try:
        first = run(tmp_path / "first")
        assert first["training"] == os.getpid() != first["questionnaires"]
        second = run(tmp_path / "second")
        assert second["training"] == second["questionnaires"] != os.getpid()
    finally:
        cache_dir.cache_clear()
    names = sorted(p.name for p in (tmp_path / "first").rglob("*") if p.is_file())
    assert names == sorted(p.name for p in (tmp_path / "second").rglob("*") if p.is_file())
    for name in names:
        if name.endswith((".docx", ".html", ".xlsx")):
            assert _content(next((tmp_path / "first").rglob(name))) == \
                _content(next((tmp_path / "second").rglob(name))), name
