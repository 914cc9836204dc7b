"""A portfolio build: several projects on a process pool, one broken among them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crmimpl.batch import find_projects
from crmimpl.errors import UsageError
from tests.conftest import EXAMPLES


def _portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "portfolio"
    for name in ("kreativ-agency", "optima-distribution"):
        shutil.copytree(EXAMPLES / name, root / name, ignore=shutil.ignore_patterns("out"))
    (root / "broken").mkdir()
    (root / "broken" / "project.yaml").write_text("project: {id: x}\n", encoding="utf-8")
    return root


def test_find_projects_walks_folders_but_not_outputs(tmp_path: Path) -> None:
    root = _portfolio(tmp_path)
    (root / "kreativ-agency" / "out").mkdir()
    (root / "kreativ-agency" / "out" / "project.yaml").write_text("x", encoding="utf-8")
    found = find_projects([root])
    assert [p.parent.name for p in found] == ["broken", "kreativ-agency", "optima-distribution"]
    # named twice (a folder and its file) is built once
    assert len(find_projects([root / "broken", root / "broken" / "project.yaml"])) == 1
    with pytest.raises(UsageError, match=r"no project\.yaml"):
        find_projects([tmp_path / "portfolio" / "kreativ-agency" / "audits"])
    with pytest.raises(UsageError, match="does not exist"):
        find_projects([tmp_path / "nowhere"])


def test_a_broken_project_does_not_stop_the_others(tmp_path: Path) -> None:
    root = _portfolio(tmp_path)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "crmimpl", "build", str(root), "--only",
                           "plan", "-o", str(out)], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "1 of 3 projects failed" in proc.stderr
    assert f"{root / 'broken' / 'project.yaml'}:1:1: project.title" in proc.stderr
    for pid in ("kreativ-crm-2026", "optima-crm-2026"):
        files = {p.name for p in (out / pid).iterdir()}
        assert f"{pid}-plan.xlsx" in files and f"{pid}-gantt.html" in files
    table = proc.stdout.splitlines()
    assert table[0].split()[:4] == ["project", "result", "files", "time"]
    assert sum(1 for line in table if " built " in line) == 2
    assert sum(1 for line in table if " failed " in line) == 1


def test_a_batch_gives_each_project_the_files_it_gets_alone(tmp_path: Path) -> None:
    root = _portfolio(tmp_path)
    shutil.rmtree(root / "broken")
    alone = subprocess.run([sys.executable, "-m", "crmimpl", "build",
                            str(root / "kreativ-agency"), "--only", "plan,training", "-o",
                            str(tmp_path / "alone")], capture_output=True, text=True,
                           timeout=600, env={**_env(), "SOURCE_DATE_EPOCH": "1767225600"})
    assert alone.returncode == 0, alone.stderr
    batch = subprocess.run([sys.executable, "-m", "crmimpl", "build", str(root), "--only",
                            "plan,training"], capture_output=True, text=True, timeout=600,
                           env={**_env(), "SOURCE_DATE_EPOCH": "1767225600"})
    assert batch.returncode == 0, batch.stderr
    assert "2 projects built" in batch.stdout
    own = root / "kreativ-agency" / "out"
    for path in (tmp_path / "alone").iterdir():
        if path.suffix in (".ics", ".xml", ".html", ".js"):
            assert path.read_bytes() == (own / path.name).read_bytes(), path.name


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


def test_a_worker_lays_out_for_page_numbers_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A portfolio worker's office session exports only a document's first page when no
    PDF is wanted (crmimpl.render.office.Session.pages_only); a single build's does not."""
    import multiprocessing.util
    import signal

    from crmimpl import batch
    from crmimpl.render import gantt_static, office

    monkeypatch.setattr(signal, "signal", lambda *args: None)
    monkeypatch.setattr(multiprocessing.util, "Finalize", lambda *args, **kw: None)
    monkeypatch.setattr(gantt_static, "start_drawing_session", lambda: None)
    try:
        batch._worker_init()
        session = office.current_session()
        assert session is not None and session.pages_only
    finally:
        office.end_session()
    with office.office_session():
        session = office.current_session()
        assert session is not None and not session.pages_only
