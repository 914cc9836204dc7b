"""Blocks → HTML: golden file, escaping, TOC numbers, and a print through Chromium."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from crmimpl.render.blocks import DocMeta
from crmimpl.render.html import render_html, write_html
from crmimpl.render.markdown import parse_blocks, render_markdown

DATA = Path(__file__).resolve().parent / "data" / "render"
HOSTILE = ["**bold**", "{{ x }}", "<script>alert(1)</script>", "a | b | c", "ж" * 5000,
           '"><img src=x onerror=alert(1)>']


def sample_meta() -> DocMeta:
    data = json.loads((DATA / "meta.json").read_text(encoding="utf-8"))
    data["date"] = dt.date.fromisoformat(data["date"])
    return DocMeta(**data)


def sample_html() -> str:
    context = json.loads((DATA / "context.json").read_text(encoding="utf-8"))
    blocks = parse_blocks(render_markdown("sample", "ru", context, user_dir=DATA))
    return render_html(blocks, meta=sample_meta())


def test_sample_matches_golden(update_testdata: bool) -> None:
    got = sample_html()
    golden = DATA / "sample.html"
    if update_testdata:
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_toc_numbers_match_headings() -> None:
    html = sample_html()
    toc = re.findall(r'<a href="#(sec-\d+)">([\d.]+) ([^<]+)</a>', html)
    assert [(n, t) for _, n, t in toc][:4] == [("1", "Общие сведения"), ("1.1", "Цели проекта"),
                                               ("1.2", "Участники"), ("1.2.1", "Порядок работ")]
    for anchor, _, title in toc:
        assert re.search(f'<h\\d id="{anchor}">{re.escape(title)}</h\\d>', html)


def test_self_contained_and_script_free() -> None:
    html = sample_html()
    assert "<script" not in html
    assert not re.search(r'(src|href)="(?!#|https://example\.com)', html)
    assert "@page" in html and "counter(pages)" in html


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: v[:12])
def test_hostile_values_are_escaped(tmp_path: Path, value: str) -> None:
    (tmp_path / "h.md.j2").write_text("# {{ v }}\n\n{{ v }}\n\n| A |\n|---|\n| {{ v }} |\n")
    blocks = parse_blocks(render_markdown("h", "ru", {"v": value}, user_dir=tmp_path))
    html = render_html(blocks, meta=DocMeta(title=value, author=value))
    body = html[html.index("<body>"):]
    assert "<script>" not in html and "<img" not in html
    import html as html_lib

    escaped = html_lib.escape(value)
    assert body.count(escaped) == 3
    assert f"<title>{escaped}</title>" in html


def test_write_html_is_atomic_file(tmp_path: Path) -> None:
    out = write_html(parse_blocks("# A\n"), tmp_path / "sub" / "a.html", meta=sample_meta())
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_chromium_prints_numbered_headings(tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium or not shutil.which("pdftotext"):
        pytest.skip("chromium or pdftotext is not installed")
    page = tmp_path / "sample.html"
    page.write_text(sample_html(), encoding="utf-8")
    pdf = tmp_path / "sample.pdf"
    profile = Path("/tmp") / f"chromium_{uuid.uuid4().hex}"
    try:
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        f"--user-data-dir={profile}", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", page.as_uri()],
                       capture_output=True, timeout=120, check=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for heading in ("1 Общие сведения", "1.2.1 Порядок работ", "2.1 План-график"):
        assert text.count(heading) == 2, heading
    assert "стр. 2 из" in text
    assert "**bold** {{ x }} <script>alert(1)</script>" in text
