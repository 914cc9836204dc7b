#!/usr/bin/env python3
"""Reproduce the audits of the bundled examples through the tool's round trip.

The auditor's results live as data in ``examples/<name>/fill/audit-<number>.yaml``
(auditor, date, status and evidence per check grouped by area table, KPI actuals,
conclusions). For each such file this script runs ``crmimpl audit export --number N``
into a temporary folder, fills the checklist with ``tests/filler.py`` (cells found by the
hidden id column and the id row of each table; statuses typed as the workbook's own
labels; the ``_meta`` sheet checked) and runs ``crmimpl audit import --force``, so
``audits/<date>.yaml`` are real outputs of the tool. ``tests/test_example_fill.py``
checks that they still are.

Usage::

    python tools/fill_example_audits.py                     # every example
    python tools/fill_example_audits.py kreativ-agency --keep /tmp/filled
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
    """Fill the exported checklist ``blank`` from ``item`` and save it as ``target``."""
    from crmimpl.model.project import load_project
    from crmimpl.questionnaire.library import get_questionnaire

    meta = read_meta(blank)
    project_id = load_project(folder).project.id
    if (meta["questionnaire"], meta["project"], str(meta["audit_number"])) != (
            AUDIT, project_id, str(item.number)):
        raise SystemExit(f"{blank.name} is not audit No. {item.number} of {project_id}")
    fill_workbook(blank, item.values(), respondent=item.respondent, lang=lang, out=target,
                  definition=get_questionnaire(AUDIT, folder))


def run_example(folder: Path, workdir: Path) -> None:
    """Export, fill and import every audit of one example, oldest first."""
    from crmimpl.model.project import load_project

    lang = load_project(folder).project.language
    for item in fill_files(folder):
        if item.questionnaire != AUDIT:
            continue
        blank = workdir / "blank" / folder.name / f"audit-{item.number}.xlsx"
        target = workdir / folder.name / item.workbook_name(lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        crmimpl("audit", "export", str(folder), "--number", str(item.number), "--lang", lang,
                "-o", str(blank))
        fill(item, blank, target, folder, lang)
        print(crmimpl("audit", "import", str(folder), str(target), "--force"), end="")


def main() -> None:
    known = sorted({p.parent.parent.name for p in EXAMPLES.glob("*/fill/audit-*.yaml")})
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("examples", nargs="*", help="example folders to fill (default: all)")
    parser.add_argument("--keep", type=Path, help="keep the filled checklists in this folder")
    args = parser.parse_args()
    for name in set(args.examples) - set(known):
        raise SystemExit(f"unknown example '{name}'; known: {', '.join(known)}")
    workdir = Path(tempfile.mkdtemp(prefix="crmimpl-fill-"))
    try:
        for name in args.examples or known:
            run_example(EXAMPLES / name, workdir)
            if args.keep:
                shutil.copytree(workdir / name, args.keep / name, dirs_exist_ok=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
