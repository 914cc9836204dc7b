"""LibreOffice and child processes: finding ``soffice`` and a Python with ``uno``, and
ending a child's whole process group.

Shared by :mod:`crmimpl.render.office` (the run's LibreOffice), :mod:`crmimpl.render.pdf`
and :mod:`crmimpl.render.gantt_static` (Chromium in a child process); it imports neither,
so they never import each other in a circle.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from functools import cache
from pathlib import Path
from typing import Any

from crmimpl.errors import CrmimplError

UNO_PYTHON_ENV = "CRMIMPL_UNO_PYTHON"
NO_OFFICE_ENV = "CRMIMPL_NO_OFFICE"


def find_soffice() -> str:
    """Path of LibreOffice's ``soffice``.

    Raises:
        CrmimplError: LibreOffice is not installed.
    """
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise CrmimplError.single(
            "soffice", "LibreOffice is not installed, so no PDF can be made",
            hint="install LibreOffice Writer (Debian: apt-get install libreoffice-writer "
                 "python3-uno) or generate DOCX/HTML instead",
        )
    return found


@cache
def find_uno_python(soffice: str) -> str | None:
    """A Python interpreter that can ``import uno``, or ``None``."""
    candidates = [os.environ.get(UNO_PYTHON_ENV, ""), "/usr/bin/python3",
                  str(Path(soffice).resolve().parent / "python")]
    for python in filter(None, candidates):
        if not Path(python).is_file():
            continue
        probe = subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=60)
        if probe.returncode == 0:
            return python
    return None


def office_available() -> bool:
    """Whether LibreOffice and a Python with ``uno`` are here to lay out documents.

    ``CRMIMPL_NO_OFFICE=1`` says no (DOCX then carry a TOC without page numbers; a PDF
    still needs LibreOffice).
    """
    if os.environ.get(NO_OFFICE_ENV, "") not in ("", "0"):
        return False
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    return bool(soffice) and find_uno_python(soffice) is not None


def end_process_group(proc: subprocess.Popen[Any], wait: float = 10) -> None:
    """Kill every process of ``proc``'s group (started with ``start_new_session``) and
    wait until none is left running, at most ``wait`` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and group_alive(proc.pid):
        time.sleep(0.05)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return any(_running_in_group(p, pgid) for p in Path("/proc").glob("[0-9]*"))


def _running_in_group(proc_dir: Path, pgid: int) -> bool:
    """A process of group ``pgid`` that is not a zombie (an unreaped zombie is dead)."""
    try:
        fields = (proc_dir / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return False
    return fields[0] != "Z" and fields[2] == str(pgid)
