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
def template_data(name: str) -> dict[str, Any]:
    """A built-in data file of ``templates/`` (``vocabulary.yaml``, ``training.yaml``...),
    read once per process."""
    data = load_yaml(templates_dir() / name).data
    assert isinstance(data, dict), f"{name} must hold a mapping"
    return data


def vocabulary() -> dict[str, Any]:
    """The whole vocabulary file."""
    return template_data("vocabulary.yaml")


def label(group: str, key: str, lang: str, *, source: str = "vocabulary.yaml") -> str:
    """Label of ``key`` in ``group`` (e.g. ``label("module", "reports", "ru")``).

    ``source`` names another labels file of ``templates/`` (``economics.yaml``). Falls
    back to the key itself so that a missing label never breaks a document.
    """
    entry = template_data(source).get(group, {}).get(key)
    if isinstance(entry, dict):
        return str(entry.get(lang) or entry.get("en") or key)
    return key


def module_functions(module: str, lang: str, project: Any = None) -> list[str]:
    """Standard functions of a CRM module, for the specification; with ``project``, also
    the optional ones (``optional``, each with its ``needs`` stems) that a requirement of
    this version or an integration of the project names."""
    entry = vocabulary().get("module_functions", {}).get(module, {})
    optional = [str(o[lang]) for o in entry.get("optional", [])
                if project is not None and project_names(project, o["needs"])]
    return [str(x) for x in entry.get(lang, [])] + optional


def project_names(project: Any, stems: list[str]) -> bool:
    """Whether a requirement of this version (not "won't") or an integration of the
    project names one of ``stems`` (lower case): a channel the project really has."""
    texts = [r.statement for r in getattr(project, "requirements", [])
             if r.priority != "wont"]
    texts += [f"{i.system} {i.kind}" for i in getattr(project, "integrations", [])]
    return any(stem in text.lower() for text in texts for stem in stems)


def labels(group: str, lang: str) -> dict[str, str]:
    """All labels of a group in one language."""
    return {key: label(group, key, lang) for key in vocabulary().get(group, {})}
