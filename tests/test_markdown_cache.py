"""The parsed-Markdown cache: a document whose text did not change is read from its
parsed copy (the same blocks), a changed one is parsed again, a damaged entry does no
harm, and ``CRMIMPL_CACHE_DIR=`` turns it off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import crmimpl.render.markdown as md
from crmimpl.resources import cache_dir

TEXT = ("<!-- titlepage -->\n\n# Title\n\nSome *text* and `code`.\n\n<!-- widths: 30,70 -->\n"
        "| a | b |\n|---|---|\n| x | **y** |\n\n- [ ] open\n- [x] done\n\n1. one\n2. two\n")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CRMIMPL_CACHE_DIR", str(folder))
    cache_dir.cache_clear()
    yield folder
    cache_dir.cache_clear()


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    seen: list[int] = []
    real = md.syntax_tree

    def counting(tokens: list[Any]) -> Any:
        seen.append(len(tokens))
        return real(tokens)

    monkeypatch.setattr(md, "syntax_tree", counting)
    return seen


def test_unchanged_text_is_parsed_once(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _count_parses(monkeypatch)
    first = md.parse_blocks(TEXT, source="doc.md.j2")
    again = md.parse_blocks(TEXT, source="doc.md.j2")
    assert len(seen) == 1
    assert again == first and again is not first
    assert len(list(cache.rglob("markdown/*.pickle"))) == 1


def test_changed_text_or_source_is_parsed_again(cache: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _count_parses(monkeypatch)
    md.parse_blocks(TEXT, source="doc.md.j2")
    changed = md.parse_blocks(TEXT.replace("*text*", "*words*"), source="doc.md.j2")
    md.parse_blocks(TEXT, source="other.md.j2")  # errors name the source: its own entry
    assert len(seen) == 3
    assert changed != md.parse_blocks(TEXT, source="doc.md.j2")
    assert len(seen) == 3


def test_damaged_entry_is_parsed_again(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = md.parse_blocks(TEXT)
    [entry] = cache.rglob("markdown/*.pickle")
    entry.write_bytes(b"not a pickle")
    seen = _count_parses(monkeypatch)
    assert md.parse_blocks(TEXT) == first
    assert len(seen) == 1
    assert md.parse_blocks(TEXT) == first  # written again whole
    assert len(seen) == 1


def test_an_error_is_never_cached(cache: Path) -> None:
    from crmimpl.errors import CrmimplError

    bad = "<!-- landscape -->\n\ntext\n"
    for _ in range(2):
        with pytest.raises(CrmimplError, match="never closed"):
            md.parse_blocks(bad, source="bad.md.j2")
    assert not list(cache.rglob("markdown/*.pickle"))


def test_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMIMPL_CACHE_DIR", "")
    cache_dir.cache_clear()
    try:
        seen = _count_parses(monkeypatch)
        assert md.parse_blocks(TEXT) == md.parse_blocks(TEXT)
        assert len(seen) == 2
    finally:
        cache_dir.cache_clear()


def test_oldest_entries_go_beyond_the_limit(cache: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(md, "PARSED_CACHE_LIMIT", 1)
    md.parse_blocks(TEXT)
    md.parse_blocks(TEXT + "\nmore\n")
    assert len(list(cache.rglob("markdown/*.pickle"))) <= 1
