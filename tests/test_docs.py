"""The README cannot drift: every command is documented, its two commands are the real ones."""

from __future__ import annotations

import re

import typer.main

from crmimpl.cli.main import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: typer.Typer, prefix: str = "") -> list[str]:
    names = []
    command = typer.main.get_command(group)
    for name, sub in getattr(command, "commands", {}).items():
        full = f"{prefix}{name}"
        names.append(full)
        for child in getattr(sub, "commands", {}):
            names.append(f"{full} {child}")
    return names


def test_every_command_is_in_the_readme() -> None:
    missing = [c for c in _commands(app) if f"crmimpl {c}" not in README]
    assert not missing, f"document these commands in README.md: {missing}"


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    commands = [ln.strip() for b in blocks for ln in b.splitlines()
                if ln.strip() and not ln.strip().startswith("#")]
    assert "bash tools/test.sh" in commands
    assert "bash tools/demo.sh" in commands
    assert "bash tools/test.sh" in ci
