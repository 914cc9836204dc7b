"""The portfolio bench's CPU accounting by kind of process (issue 13)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from bench_portfolio import process_kind, watch_cpu


def test_processes_are_grouped_by_kind() -> None:
    assert process_kind("python3.11") == "Python"
    assert process_kind("soffice.bin") == "LibreOffice"
    assert process_kind("oosplash") == "LibreOffice"
    assert process_kind("chrome") == "Chromium"
    assert process_kind("chrome_crashpad") == "Chromium"
    assert process_kind("sh") == "other (sh)"


def test_the_cpu_of_a_child_is_counted_with_its_name() -> None:
    proc = subprocess.Popen([sys.executable, "-c",
                             "import subprocess,time\n"
                             "p = subprocess.Popen(['sleep', '0.6']); time.sleep(0.7)"])
    names: dict[int, str] = {}
    ticks = watch_cpu(proc.pid, proc, names)
    assert proc.pid in ticks and ticks[proc.pid] >= 0
    assert process_kind(names[proc.pid]) == "Python"
    assert "sleep" in names.values()
