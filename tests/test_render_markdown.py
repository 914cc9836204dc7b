"""Templates → Markdown → blocks: escaping, errors, sandbox, overrides, golden blocks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crmimpl.errors import CrmimplError
from crmimpl.render import markdown
from crmimpl.render.blocks import (
    BulletList,
    LandscapeEnd,
    LandscapeStart,
    OrderedList,
    PageBreak,
    Paragraph,
    Table,
    TitlePage,
    Toc,
    plain_text,
    to_jsonable,
)
from crmimpl.render.markdown import escape_md, parse_blocks, render_markdown

DATA = Path(__file__).resolve().parent / "data" / "render"
HOSTILE = ["**bold**", "{{ x }}", "<script>alert(1)</script>", "a | b | c", "x" * 5000,
           "# title", "1. item", "- item", "[link](http://x)", "`code`", "\\*", "&amp;"]
HOSTILE_TEMPLATE = """\
# {{ v }}

{{ v }}

- {{ v }}

| A | B |
|---|---|
| {{ v }} | {{ v }} |
"""


def sample_context() -> dict[str, Any]:
    return json.loads((DATA / "context.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def fresh_environments() -> Iterator[None]:
    markdown._environment.cache_clear()
    yield
    markdown._environment.cache_clear()


@pytest.fixture
def builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake built-in templates folder."""
    root = tmp_path / "builtin"
    (root / "ru").mkdir(parents=True)
    monkeypatch.setattr(markdown, "templates_dir", lambda: root)
    return root


def all_texts(blocks: list[Any]) -> list[str]:
    """Every piece of text in a block list (headings, paragraphs, list items, cells)."""
    texts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            runs = value.get("runs")
            if isinstance(runs, list) and all("text" in r for r in runs):
                texts.append("".join(r["text"] for r in runs))
            for key, item in value.items():
                if key != "runs":
                    walk(item)
        elif isinstance(value, list):
            if value and all(isinstance(v, dict) and "text" in v and "type" not in v
                             for v in value):
                texts.append("".join(v["text"] for v in value))
            else:
                for item in value:
                    walk(item)

    walk(to_jsonable(blocks))
    return texts


def test_sample_blocks_match_golden(update_testdata: bool) -> None:
    text = render_markdown("sample", "ru", sample_context(), user_dir=DATA)
    got = json.dumps(to_jsonable(parse_blocks(text)), ensure_ascii=False, indent=1) + "\n"
    golden = DATA / "sample.blocks.json"
    if update_testdata:
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_sample_covers_every_block_kind() -> None:
    blocks = parse_blocks(render_markdown("sample", "ru", sample_context(), user_dir=DATA))
    kinds = {type(b).__name__ for b in blocks}
    assert kinds >= {"TitlePage", "Toc", "PageBreak", "Heading", "Paragraph", "BulletList",
                     "OrderedList", "Table", "Quote", "CodeBlock", "LandscapeStart",
                     "LandscapeEnd"}
    checklist = [b for b in blocks if isinstance(b, BulletList)][-1]
    assert [i.checked for i in checklist.items] == [False, True, False]


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: v[:20])
def test_hostile_values_stay_literal(tmp_path: Path, value: str) -> None:
    write(tmp_path, "h.md.j2", HOSTILE_TEMPLATE)
    blocks = parse_blocks(render_markdown("h", "ru", {"v": value}, user_dir=tmp_path))
    assert [type(b).__name__ for b in blocks] == ["Heading", "Paragraph", "BulletList", "Table"]
    assert all_texts(blocks) == [value, value, value, "A", "B", value, value]
    runs = [r for b in blocks for r in to_jsonable([b])[0].get("runs", [])]  # type: ignore[union-attr]
    assert all(set(r) == {"text"} for r in runs)  # no bold, link or code from a value


def test_escape_md_is_one_line_and_round_trips() -> None:
    value = "  line one\n\n- line two\r\n    code?"
    escaped = escape_md(value)
    assert "\n" not in escaped
    assert plain_text(parse_blocks(escaped)[0].runs) == "line one - line two code?"  # type: ignore[union-attr]


def test_md_block_keeps_paragraphs(tmp_path: Path) -> None:
    write(tmp_path, "p.md.j2", "{{ v|md_block }}\n")
    text = render_markdown("p", "ru", {"v": "one *a*\n\ntwo # b"}, user_dir=tmp_path)
    blocks = parse_blocks(text)
    assert [plain_text(b.runs) for b in blocks] == ["one *a*", "two # b"]  # type: ignore[union-attr]


def test_raw_and_macros_are_not_escaped(tmp_path: Path) -> None:
    write(tmp_path, "m.md.j2",
          "{% macro b(x) %}**{{ x }}**{% endmacro %}"
          "{% macro w() %}_{{ caller() }}_{% endmacro %}"
          "{{ b(v) }} {{ '*i*'|raw }} {% call w() %}{{ v }}{% endcall %}\n")
    text = render_markdown("m", "ru", {"v": "*a*"}, user_dir=tmp_path)
    runs = parse_blocks(text)[0].runs  # type: ignore[union-attr]
    assert (runs[0].text, runs[0].bold) == ("*a*", True)
    assert any(r.italic and r.text == "i" for r in runs)
    assert (runs[-1].text, runs[-1].italic) == ("*a*", True)  # caller() output kept


def test_none_renders_empty(tmp_path: Path) -> None:
    write(tmp_path, "n.md.j2", "[{{ v }}]\n")
    assert render_markdown("n", "ru", {"v": None}, user_dir=tmp_path) == "[]\n"


def test_undefined_variable_names_template_and_line(builtin: Path) -> None:
    write(builtin, "ru/broken.md.j2", "# Title\n\nText\n{{ project.missing }}\n")
    with pytest.raises(CrmimplError) as caught:
        render_markdown("broken", "ru", {"project": {}})
    message = str(caught.value)
    assert message.startswith("templates/ru/broken.md.j2:4: ")
    assert "missing" in message


def test_undefined_in_included_template_names_that_file(builtin: Path) -> None:
    write(builtin, "ru/outer.md.j2", "a\n{% include 'inner.md.j2' %}\n")
    write(builtin, "ru/inner.md.j2", "b\nc\n{{ nope }}\n")
    with pytest.raises(CrmimplError, match=r"^templates/ru/inner\.md\.j2:3: 'nope' is undefined"):
        render_markdown("outer", "ru", {})


def test_syntax_error_names_template_and_line(builtin: Path) -> None:
    write(builtin, "ru/bad.md.j2", "ok\n{% for x in %}\n")
    with pytest.raises(CrmimplError, match=r"^templates/ru/bad\.md\.j2:2: template syntax error"):
        render_markdown("bad", "ru", {})


def test_missing_template_is_a_user_error(builtin: Path) -> None:
    with pytest.raises(CrmimplError, match=r"template not found: nothere\.md\.j2"):
        render_markdown("nothere", "ru", {})


def test_user_template_overrides_builtin(builtin: Path, tmp_path: Path) -> None:
    write(builtin, "ru/doc.md.j2", "built-in\n")
    write(builtin, "ru/other.md.j2", "other built-in\n")
    user = tmp_path / "mine"
    write(user, "ru/doc.md.j2", "user {% include 'other.md.j2' %}")
    assert render_markdown("doc", "ru", {}) == "built-in\n"
    assert render_markdown("doc.md.j2", "ru", {}, user_dir=user) == "user other built-in\n"


SKELETON = """\
# {% block title required %}{% endblock +%}

{% for x in items %}
- {% block item scoped required %}{% endblock +%}
{% endfor %}
{% block note %}{% endblock %}
"""
CHILD = """\
{% extends "skeleton/doc.md.j2" %}

{# a comment is fine #}
{% block title %}Title{% endblock %}
{% block item %}item {{ x }}{% endblock %}
"""


def test_language_file_fills_skeleton_blocks(builtin: Path) -> None:
    write(builtin, "skeleton/doc.md.j2", SKELETON)
    write(builtin, "ru/doc.md.j2", CHILD)
    assert render_markdown("doc", "ru", {"items": [1, 2]}) == "# Title\n\n- item 1\n- item 2\n"


def test_user_folder_overrides_skeleton_and_language_file(builtin: Path, tmp_path: Path) -> None:
    write(builtin, "skeleton/doc.md.j2", SKELETON)
    write(builtin, "ru/doc.md.j2", CHILD)
    user = tmp_path / "mine"
    write(user, "skeleton/doc.md.j2", SKELETON.replace("# ", "## ", 1))
    assert render_markdown("doc", "ru", {"items": []}, user_dir=user) == "## Title\n\n"
    write(user, "ru/doc.md.j2", CHILD.replace("Title", "Mine"))
    markdown._environment.cache_clear()
    assert render_markdown("doc", "ru", {"items": []}, user_dir=user) == "## Mine\n\n"


def test_block_the_skeleton_does_not_declare_is_an_error(builtin: Path, tmp_path: Path) -> None:
    write(builtin, "skeleton/doc.md.j2", SKELETON)
    user = tmp_path / "mine"
    write(user, "ru/doc.md.j2", CHILD + "\n{% block extra %}New section{% endblock %}\n")
    with pytest.raises(CrmimplError) as caught:
        render_markdown("doc", "ru", {"items": []}, user_dir=user)
    assert str(caught.value).startswith(
        f"{user / 'ru' / 'doc.md.j2'}:7: block 'extra' is not declared in skeleton/doc.md.j2")


@pytest.mark.parametrize("stray", ["Forgotten paragraph", "{{ items }}", "{% set y = 1 %}"])
def test_text_outside_blocks_is_an_error(builtin: Path, stray: str) -> None:
    write(builtin, "skeleton/doc.md.j2", SKELETON)
    write(builtin, "ru/doc.md.j2", CHILD.replace("{# a comment is fine #}", "\n" + stray))
    with pytest.raises(CrmimplError) as caught:
        render_markdown("doc", "ru", {"items": []})
    assert str(caught.value).startswith(
        "templates/ru/doc.md.j2:4: text outside {% block %} is never shown")


def test_missing_required_block_names_file_and_block(builtin: Path) -> None:
    write(builtin, "skeleton/doc.md.j2", SKELETON)
    write(builtin, "ru/doc.md.j2", CHILD.replace("{% block title %}Title{% endblock %}", ""))
    with pytest.raises(CrmimplError) as caught:
        render_markdown("doc", "ru", {"items": []})
    assert str(caught.value).startswith("templates/ru/doc.md.j2: required block 'title' of "
                                        "skeleton/doc.md.j2 is missing")


def test_builtin_languages_fill_the_same_blocks() -> None:
    from jinja2 import nodes

    from crmimpl.resources import templates_dir

    env = markdown._environment("ru", None)
    skeletons = sorted((templates_dir() / "skeleton").glob("*.md.j2"))
    assert skeletons

    def blocks(path: Path) -> set[str]:
        tree = env.parse(path.read_text(encoding="utf-8"))
        return {b.name for b in tree.find_all(nodes.Block)}

    for skeleton in skeletons:
        ru, en = (templates_dir() / lang / skeleton.name for lang in ("ru", "en"))
        assert blocks(ru) == blocks(en) == blocks(skeleton), skeleton.name


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_builtin_language_files_pass_the_check(lang: str) -> None:
    from crmimpl.resources import templates_dir

    env = markdown._environment(lang, None)
    for path in sorted((templates_dir() / lang).glob("*.md.j2")):
        env.get_template(path.name)


@pytest.mark.parametrize("expr", ["''.__class__", "''.__class__.__mro__",
                                  "v.__init__.__globals__", "cycler.__init__.__globals__"])
def test_sandbox_blocks_private_attributes(tmp_path: Path, expr: str) -> None:
    write(tmp_path, "s.md.j2", "line\n{{ " + expr + " }}\n")
    with pytest.raises(CrmimplError, match=r"s\.md\.j2:2: .*(unsafe|undefined)"):
        render_markdown("s", "ru", {"v": "x"}, user_dir=tmp_path)


def test_directives() -> None:
    text = ("<!-- titlepage -->\n<!-- toc: 2 -->\n<!-- pagebreak -->\n<!-- a comment -->\n"
            "<!-- landscape -->\n<!-- widths: 1, 3 -->\n| a | b |\n|--:|:-:|\n| 1 | 2 |\n"
            "<!-- /landscape -->\n\n3. three\n4. four\n")
    blocks = parse_blocks(text)
    assert [type(b) for b in blocks] == [TitlePage, Toc, PageBreak, LandscapeStart, Table,
                                         LandscapeEnd, OrderedList]
    assert blocks[1] == Toc(2)
    assert blocks[4].widths == [1.0, 3.0]  # type: ignore[union-attr]
    assert blocks[4].align == ["right", "center"]  # type: ignore[union-attr]
    assert blocks[6].start == 3  # type: ignore[union-attr]


@pytest.mark.parametrize(("text", "message"), [
    ("<!-- widths: 1,2 -->\n\ntext\n", "must come just before a table"),
    ("<!-- widths: 1,2,3 -->\n| a | b |\n|---|---|\n", "widths lists 3 columns"),
    ("<!-- widths: a,b -->\n| a | b |\n|---|---|\n", "must be numbers"),
    ("<!-- landscape -->\ntext\n", "never closed"),
    ("<!-- /landscape -->\n", "cannot nest or close twice"),
])
def test_directive_errors(text: str, message: str) -> None:
    with pytest.raises(CrmimplError, match=message):
        parse_blocks(text, source="doc.md")


def test_raw_html_in_a_template_is_shown_as_text() -> None:
    blocks = parse_blocks("<div>x</div>\n\ntext <b>y</b>\n")
    assert blocks == [Paragraph(blocks[0].runs), Paragraph(blocks[1].runs)]  # type: ignore[union-attr]
    assert plain_text(blocks[0].runs) == "<div>x</div>"  # type: ignore[union-attr]
    assert plain_text(blocks[1].runs) == "text <b>y</b>"  # type: ignore[union-attr]


def test_no_template_line_is_glued_to_the_next() -> None:
    """With trim_blocks, a text line ending in a block tag (``{% endif %}``) loses its
    line break and the next line (a list item) joins it: such lines end in ``+%}``."""
    import itertools
    import re

    from tests.conftest import ROOT

    glued = []
    for path in sorted((ROOT / "templates").glob("*/*.md.j2")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for n, (line, after) in enumerate(itertools.pairwise(lines), start=1):
            if (re.search(r"[^+]%\}\s*$", line) and not re.match(r"^\s*\{%.*%\}\s*$", line)
                    and after.strip() and not after.lstrip().startswith("{%")):
                glued.append(f"{path.parent.name}/{path.name}:{n}")
    assert glued == []
