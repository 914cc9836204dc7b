"""The YAML loader: libyaml reads ordinary files exactly as the careful loader does."""

from __future__ import annotations

from pathlib import Path

import pytest

import crmimpl.load as load
from crmimpl.errors import CrmimplError

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(
    [*ROOT.joinpath("templates").rglob("*.yaml"),
     *ROOT.joinpath("questionnaires").rglob("*.yaml"),
     *ROOT.joinpath("examples").rglob("*.yaml")]
)


def _both(text: str, path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    fast = load.parse_yaml(text, path)
    with monkeypatch.context() as m:
        m.setattr(load, "_fast_node", lambda _text: None)
        slow = load.parse_yaml(text, path)
    return fast, slow


def test_libyaml_is_used_for_ordinary_files() -> None:
    assert load._fast_node("a: 1\nb: [x, y]\n") is not None


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_libyaml_reads_every_shipped_file_like_the_careful_loader(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, slow = _both(load.read_text_safely(path), path, monkeypatch)
    for attr in ("data", "positions", "key_positions", "raw", "problems"):
        assert getattr(fast, attr) == getattr(slow, attr), attr


@pytest.mark.parametrize(
    "text",
    [
        "клиент:\n  имя: «Оптима»\n  дата: 2026-03-02\n",
        "a: 1\na: 2\n",  # duplicate key: a problem, not an error
        "a: 2026-13-01\n",  # impossible date
        "a: 'quoted'\nb: plain\nc: \"x\"\nd: |\n  block\n",
        "<<: {a: 1}\n",
    ],
)
def test_libyaml_keeps_problems_and_raw_text(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both(text, Path("x.yaml"), monkeypatch)
    for attr in ("data", "positions", "key_positions", "raw", "problems"):
        assert getattr(fast, attr) == getattr(slow, attr), attr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x [1]\nb: *x\n", "aliases"),
        ("a: " + "[" * 200 + "]" * 200 + "\n", "too deep"),
        ("a: b: c\n", "mapping values are not allowed here"),
        ("", "empty"),
    ],
)
def test_unusual_files_get_the_careful_loaders_message(text: str, message: str) -> None:
    with pytest.raises(CrmimplError) as err:
        load.parse_yaml(text, Path("x.yaml"))
    assert message in str(err.value)
