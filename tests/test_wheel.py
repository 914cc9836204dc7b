"""The built wheel installs in a fresh venv and runs outside the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT


@pytest.mark.slow
def test_wheel_installs_and_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    # hatchling comes with the test extras, so the build needs no network.
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-w", str(dist), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    wheel = next(dist.glob("crmimpl-*.whl"))
    env_dir = tmp_path / "venv"
    # Reuse the already installed dependencies; only crmimpl itself comes from the wheel.
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(env_dir)
    site = next((env_dir / "lib").glob("python3*/site-packages"))
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    py = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--target",
                    str(site), str(wheel)], check=True, capture_output=True, timeout=300)
    work = tmp_path / "elsewhere"
    work.mkdir()
    example = next(p for p in sorted(EXAMPLES.iterdir()) if (p / "project.yaml").exists())
    shutil.copytree(example, work / example.name)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    code = "import crmimpl, sys; print(crmimpl.__file__)"
    where = subprocess.run([py, "-c", code], cwd=work, env=env, capture_output=True,
                           text=True, check=True).stdout
    assert str(site) in where, "crmimpl must come from the wheel, not the checkout"
    cli = [str(py), "-m", "crmimpl"]
    run = subprocess.run([*cli, "validate", example.name], cwd=work, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([*cli, "new", "fresh", "--mode", "project", "--lang", "en"],
                         cwd=work, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([*cli, "validate", "fresh"], cwd=work, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    names = subprocess.run([sys.executable, "-m", "zipfile", "-l", str(wheel)],
                           capture_output=True, text=True, check=True).stdout
    assert "crmimpl/_data/templates/new/project.ru.yaml.j2" in names
    assert "crmimpl/_data/templates/locale/ru.yaml" in names
    assert "crmimpl/render/vendor/plotly-basic.min.js" in names  # the Gantt pages load it
