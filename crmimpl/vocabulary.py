"""Labels of the project's fixed vocabularies in Russian and English.

The wording lives in ``templates/vocabulary.yaml`` (data, not code), so a consulting firm
can change it without Python.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from crmimpl.load import load_yaml
from crmimpl.resources import templates_dir


@cache
def vocabulary() -> dict[str, Any]:
    """The whole vocabulary file, read once."""
    data = load_yaml(templates_dir() / "vocabulary.yaml").data
    assert isinstance(data, dict)
    return data


def label(group: str, key: str, lang: str) -> str:
    """Label of ``key`` in vocabulary ``group`` (e.g. ``label("module", "reports", "ru")``).

    Falls back to the key itself so that a missing label never breaks a document.
    """
    entry = vocabulary().get(group, {}).get(key)
    if isinstance(entry, dict):
        return str(entry.get(lang) or entry.get("en") or key)
    return key


def module_functions(module: str, lang: str) -> list[str]:
    """Standard functions of a CRM module, for the specification."""
    entry = vocabulary().get("module_functions", {}).get(module, {})
    return [str(x) for x in entry.get(lang, [])]


def labels(group: str, lang: str) -> dict[str, str]:
    """All labels of a group in one language."""
    return {key: label(group, key, lang) for key in vocabulary().get(group, {})}
