"""crmimpl.render.markdown.syntax_tree builds what markdown-it's SyntaxTreeNode builds."""

from __future__ import annotations

from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from crmimpl.render.markdown import syntax_tree
from tests.conftest import DATA

SNAPSHOTS = sorted((DATA / "snapshots").rglob("*.md"))
EDGES = ["", "text", "> quote\n> - a\n>   1. b\n\n```\ncode\n```\n",
         "| a | b |\n|---|--:|\n| *x* | `y` |\n\n- [link](http://x) ![i](y.png)\n"]


def _same(mine: Any, theirs: Any, parent: Any) -> None:
    assert type(mine) is type(theirs)
    assert mine.token is theirs.token
    assert (mine.nester_tokens is None) == (theirs.nester_tokens is None)
    if theirs.nester_tokens is not None:
        assert mine.nester_tokens.opening is theirs.nester_tokens.opening
        assert mine.nester_tokens.closing is theirs.nester_tokens.closing
    assert mine.parent is parent
    assert len(mine.children) == len(theirs.children)
    for a, b in zip(mine.children, theirs.children, strict=True):
        _same(a, b, mine)


@pytest.mark.parametrize("text", [*EDGES, *SNAPSHOTS],
                         ids=lambda t: t.name if hasattr(t, "name") else repr(t)[:20])
def test_the_same_tree_as_markdown_it(text: Any) -> None:
    source = text.read_text(encoding="utf-8") if hasattr(text, "read_text") else text
    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    _same(syntax_tree(tokens), SyntaxTreeNode(tokens), None)
    assert syntax_tree(tokens).pretty(show_text=True) == \
        SyntaxTreeNode(tokens).pretty(show_text=True)


def test_snapshots_exist() -> None:
    assert len(SNAPSHOTS) > 10
