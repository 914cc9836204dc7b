"""The parsed-YAML cache: an unchanged file is read from its parsed copy, a changed one
(or one named by another path) is parsed again, and a damaged entry does no harm."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import crmimpl.load as load
from crmimpl.resources import cache_dir


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CRMIMPL_CACHE_DIR", str(folder))
    cache_dir.cache_clear()
    yield folder
    cache_dir.cache_clear()


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = load.parse_yaml

    def counting(text: str, path: Path) -> load.YamlDocument:
        seen.append(text)
        return real(text, path)

    monkeypatch.setattr(load, "parse_yaml", counting)
    return seen


def test_unchanged_file_is_parsed_once(cache: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("a: 1\nb:\n  - x\n  - 2026-03-02\n", encoding="utf-8")
    seen = _count_parses(monkeypatch)
    first = load.load_yaml(f)
    second = load.load_yaml(f)
    assert len(seen) == 1
    assert second == first and second.data is not first.data
    assert second.location(("b", 1)) == first.location(("b", 1))
    f.write_text("a: 2\n", encoding="utf-8")
    assert load.load_yaml(f).data == {"a": 2}
    assert len(seen) == 2


def test_problems_are_kept_and_other_paths_parsed(cache: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "dup.yaml"
    f.write_text("a: 1\na: 2\n", encoding="utf-8")
    first = load.load_yaml(f, defer_problems=True)
    again = load.load_yaml(f, defer_problems=True)
    assert again.problems == first.problems and "duplicate key" in again.problems[0].message
    with pytest.raises(load.CrmimplError, match="duplicate key"):
        load.load_yaml(f)
    seen = _count_parses(monkeypatch)
    other = tmp_path / "copy.yaml"
    other.write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    assert str(other) in load.load_yaml(other, defer_problems=True).problems[0].location
    assert len(seen) == 1


def test_damaged_entry_is_parsed_again(cache: Path, tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("a: 1\n", encoding="utf-8")
    load.load_yaml(f)
    (entry,) = (cache).rglob("*.pickle")
    entry.write_bytes(entry.read_bytes()[:40])
    assert load.load_yaml(f).data == {"a": 1}


def test_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMIMPL_CACHE_DIR", "")
    cache_dir.cache_clear()
    try:
        f = tmp_path / "a.yaml"
        f.write_text("a: 1\n", encoding="utf-8")
        seen = _count_parses(monkeypatch)
        load.load_yaml(f)
        load.load_yaml(f)
        assert len(seen) == 2
    finally:
        cache_dir.cache_clear()


def test_oldest_copies_go_beyond_the_limit(cache: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    files = []
    for n in range(3):
        f = tmp_path / f"f{n}.yaml"
        f.write_text(f"n: {n}\n" + "x: " + "a" * 2000 + "\n", encoding="utf-8")
        files.append(f)
    load.load_yaml(files[0])
    (first,) = cache.rglob("*.pickle")
    load.load_yaml(files[1])
    (second,) = set(cache.rglob("*.pickle")) - {first}
    os.utime(first, (1, 1))
    os.utime(second, (2, 2))
    load.load_yaml(files[0])  # used again: now the newest
    size = first.stat().st_size
    monkeypatch.setattr(load, "YAML_CACHE_LIMIT", 2 * size + size // 2)
    load.load_yaml(files[2])
    kept = list(cache.rglob("*.pickle"))
    assert len(kept) == 2 and first in kept and second not in kept
