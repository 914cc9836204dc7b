"""Shared fixtures: paths, the CLI runner and real applications (LibreOffice)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# Builds in tests write DOCX without a LibreOffice run per document for the TOC's page
# numbers (PDFs still use LibreOffice); tests/test_layout_lo.py checks that path.
os.environ.setdefault("CRMIMPL_NO_OFFICE", "1")
# Messages about a workbook are in the project's language; tests read them in English
# unless they unset this (tests/test_messages_ru.py).
os.environ.setdefault("CRMIMPL_MESSAGES", "en")


def copy_example(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of the example ``name`` in ``tmp_path`` with ``old`` (which must be there)
    replaced by ``new`` once in its project.yaml."""
    folder = tmp_path / name
    shutil.copytree(EXAMPLES / name, folder, ignore=shutil.ignore_patterns("out", ".crmimpl"))
    path = folder / "project.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-testdata",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output instead of comparing",
    )


@pytest.fixture
def update_testdata(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-testdata"))


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{tool} is required in CI; .ci/run must install it")
    pytest.skip(f"{tool} is not installed")


@pytest.fixture(scope="session")
def soffice() -> str:
    """Path of LibreOffice's soffice (tests fail in CI when it is missing)."""
    return _require("soffice")


def soffice_convert(soffice: str, src: Path, fmt: str, outdir: Path) -> Path:
    """Convert ``src`` with LibreOffice (own profile per call) and return the result."""
    profile = Path("/tmp") / f"lo_profile_{uuid.uuid4().hex}"
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", fmt, "--outdir", str(outdir), str(src)],
            check=True, capture_output=True, timeout=180,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    ext = fmt.split(":")[0]
    out = outdir / (src.stem + "." + ext)
    assert out.exists(), f"LibreOffice did not produce {out}"
    return out
