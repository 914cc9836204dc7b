"""The static Gantt of a figure drawn before comes from the image cache: a rebuild of an
unchanged plan starts no Chromium; another figure is drawn again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crmimpl.plan.builder import build_plan
from crmimpl.render import gantt_static
from crmimpl.resources import cache_dir
from tests.plan_helpers import small_project


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CRMIMPL_CACHE_DIR", str(tmp_path / "cache"))
    cache_dir.cache_clear()
    monkeypatch.setattr(gantt_static, "find_browser", lambda: "chromium")
    yield tmp_path / "cache"
    cache_dir.cache_clear()


def _no_server() -> None:
    raise AssertionError("a drawing server was started")


def test_a_kept_image_starts_no_browser(cache: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    plan = build_plan(small_project(tmp_path))
    fig = gantt_static.build_figure(plan, focus="delivery", links="critical",
                                    max_rows=gantt_static.STATIC_MAX_ROWS)
    opts = {"width": fig.layout.width, "height": fig.layout.height}
    key = gantt_static.ImageCache.key(fig.to_json(), opts, "png")
    images = gantt_static.ImageCache.open()
    assert images is not None
    drawn = tmp_path / "drawn.png"
    drawn.write_bytes(b"\x89PNG fake image")
    images.put(key, "png", drawn)
    monkeypatch.setattr(gantt_static, "DrawingServer", _no_server)
    monkeypatch.setattr(gantt_static, "_session_server", _no_server)
    job = gantt_static.ImageJob(plan, [(tmp_path / "out" / "g.png", "png")],
                                focus="delivery", links="critical", cache=True)
    assert job.result() == [tmp_path / "out" / "g.png"]
    assert (tmp_path / "out" / "g.png").read_bytes() == b"\x89PNG fake image"
    job.cancel()
    assert not list((tmp_path / "out").glob(".*"))
    # another figure (another status date) is not that image
    other = gantt_static.build_figure(plan, today=plan.start.replace(day=plan.start.day),
                                      focus="all", links="all")
    assert gantt_static.ImageCache.key(other.to_json(), opts, "png") != key
    assert gantt_static.ImageCache.key(fig.to_json(), opts, "svg") != key


def test_without_cache_the_image_is_drawn(cache: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    plan = build_plan(small_project(tmp_path))
    started: list[str] = []

    class Server:
        jobs = 0
        private = tmp_path

        def __init__(self) -> None:
            started.append("server")

        def submit(self, spec: Path) -> None:
            started.append("submit")

        def close(self, quick: bool = False) -> None:
            started.append("close")

    monkeypatch.setattr(gantt_static, "DrawingServer", Server)
    monkeypatch.setattr(gantt_static, "_session_server", lambda: None)
    job = gantt_static.ImageJob(plan, [(tmp_path / "g.png", "png")], cache=False)
    job.cancel()
    assert started[:2] == ["server", "submit"]


def test_cache_keeps_and_prunes(cache: Path, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    images = gantt_static.ImageCache.open()
    assert images is not None
    image = tmp_path / "i.png"
    image.write_bytes(b"x" * 100)
    assert images.get("k1", "png") is None
    images.put("k1", "png", image)
    kept = images.get("k1", "png")
    assert kept is not None and kept.read_bytes() == b"x" * 100
    monkeypatch.setattr(gantt_static.ImageCache, "LIMIT", 150)
    images.put("k2", "png", image)
    assert sorted(p.name for p in images.folder.iterdir()) == ["k2.png"]
