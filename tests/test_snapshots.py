"""Snapshots of every document's context (JSON) and Markdown per example and language.

Any change of content shows up in review as a diff of ``tests/data/snapshots``; after an
intended change, refresh them with ``pytest --update-testdata``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmimpl.build import TEXT_DOCUMENTS, document_markdown, mode_products
from crmimpl.documents.workspace import Workspace
from tests.conftest import DATA, EXAMPLES

NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "project.yaml").exists())
SNAPSHOTS = DATA / "snapshots"


@pytest.fixture(scope="module", params=NAMES)
def workspace(request: pytest.FixtureRequest) -> Workspace:
    return Workspace.open(EXAMPLES / request.param)


def _check(path: Path, text: str, update: bool) -> None:
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not update:
            pytest.fail(f"new snapshot {path.name}: review it and commit it")
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.relative_to(DATA)} changed: run pytest --update-testdata after review")


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("doc", sorted(TEXT_DOCUMENTS))
def test_document_snapshot(workspace: Workspace, doc: str, lang: str,
                           update_testdata: bool) -> None:
    if doc == "training" and not workspace.plan.sessions:
        pytest.skip("no training in this plan")
    if doc not in mode_products(workspace.project.project.mode):
        pytest.skip("not part of this mode's document set")
    markdown, context = document_markdown(workspace, doc, lang)
    folder = SNAPSHOTS / workspace.folder.name
    _check(folder / f"{doc}-{lang}.md", markdown, update_testdata)
    data = json.dumps(context, ensure_ascii=False, indent=1, sort_keys=True, default=str)
    _check(folder / f"{doc}-{lang}.json", data + "\n", update_testdata)
