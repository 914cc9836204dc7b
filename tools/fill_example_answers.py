#!/usr/bin/env python3
"""Reproduce the questionnaire answers of the bundled examples through the tool's round trip.

The answers live as data in ``examples/<name>/fill/<questionnaire>[-<audience>].yaml``
(respondent, answers by question id, questions left open on purpose); audits are in the
same folder, see ``tools/fill_example_audits.py``. For each example this script runs
``crmimpl questionnaire export`` for every such file into a temporary folder, fills the
workbook with ``tests/filler.py`` (cells found by the hidden id column; the ``_meta``
sheet checked) and runs ``crmimpl questionnaire import --force``, so ``answers/*.yaml``
are real outputs of the tool. ``tests/test_example_fill.py`` checks that they still are.

Usage::

    python tools/fill_example_answers.py                    # every example
    python tools/fill_example_answers.py optima-distribution --keep /tmp/filled
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT))

from tests.filler import AUDIT, FillFile, fill_files, fill_workbook, read_meta  # noqa: E402


def crmimpl(*args: str) -> str:
    """Run the CLI of this checkout with the current interpreter."""
    proc = subprocess.run([sys.executable, "-m", "crmimpl", *args], cwd=ROOT,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"failed: crmimpl {' '.join(args)}")
    return proc.stdout + proc.stderr


def fill(item: FillFile, blank: Path, target: Path, folder: Path, lang: str) -> None:
    """Fill the exported workbook ``blank`` from ``item`` and save it as ``target``."""
    from crmimpl.questionnaire.library import get_questionnaire

    meta = read_meta(blank)
    if (meta["questionnaire"], meta["audience"] or None) != (item.questionnaire,
                                                             item.audience):
        raise SystemExit(f"{blank.name} is not the workbook of {item.path.name}: {meta}")
    fill_workbook(blank, item.values(), respondent=item.respondent, lang=lang, out=target,
                  definition=get_questionnaire(item.questionnaire, folder))


def run_example(folder: Path, workdir: Path) -> None:
    """Export, fill and import every questionnaire of one example."""
    from crmimpl.model.project import load_project

    lang = load_project(folder).project.language
    files = []
    for item in fill_files(folder):
        if item.questionnaire == AUDIT:
            continue
        # blanks per example: two examples in one language export the same file name, and
        # a prefilled blank of one is a workbook `export` refuses to replace for the other
        blank = workdir / "blank" / folder.name / item.workbook_name(lang)
        target = workdir / folder.name / item.workbook_name(lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        blank.parent.mkdir(parents=True, exist_ok=True)
        args = ["questionnaire", "export", str(folder), item.questionnaire, "--lang", lang,
                "-o", str(blank)]
        crmimpl(*args, *(["--audience", item.audience] if item.audience else []))
        fill(item, blank, target, folder, lang)
        files.append(str(target))
    if files:
        print(crmimpl("questionnaire", "import", str(folder), *files, "--force"), end="")
        print(crmimpl("questionnaire", "status", str(folder)), end="")


def main() -> None:
    known = sorted({p.parent.parent.name for p in EXAMPLES.glob("*/fill/*.yaml")})
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("examples", nargs="*", help="example folders to fill (default: all)")
    parser.add_argument("--keep", type=Path, help="keep the filled workbooks in this folder")
    args = parser.parse_args()
    for name in set(args.examples) - set(known):
        raise SystemExit(f"unknown example '{name}'; known: {', '.join(known)}")
    workdir = Path(tempfile.mkdtemp(prefix="crmimpl-fill-"))
    try:
        for name in args.examples or known:
            run_example(EXAMPLES / name, workdir)
            if args.keep and (workdir / name).is_dir():
                shutil.copytree(workdir / name, args.keep / name, dirs_exist_ok=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

if __name__ == "__main__":
    main()
