"""Test cases of the specification from the scenario library ``templates/test_scenarios.yaml``.

A requirement's case is the scenario of its module whose keywords occur most in the
requirement's statement and solution (the library explains the rule), filled with test
data drawn from the project: a client of the project's industry, one of its products, the
average deal from the survey answers, the department the requirement came from and the
user classes with the rights to do the work and to check it.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from crmimpl.render.markdown import markdown_text
from crmimpl.vocabulary import template_data

LIBRARY = "test_scenarios.yaml"
# The external system a module's scenario runs through, by integration kind.
_MODULE_INTEGRATION = {
    "telephony": ("telephony",), "email": ("email",), "messengers": ("messengers",),
    "marketing_campaigns": ("website",), "sales_pipeline": ("accounting", "core_system"),
    "client_base": ("accounting", "core_system"), "reports": ("accounting", "core_system"),
    "business_processes": ("website", "email", "telephony"),
    "service": ("email", "other"), "mailings": ("sms", "email"),
}
_INTEGRATION_PHRASES = {
    "integration_via": {"ru": " через {integration}", "en": " through {integration}"},
    "integration_in": {"ru": " (данные из системы {integration})",
                       "en": " (data from {integration})"},
    "integration_note": {"ru": " (в том числе данные из системы {integration})",
                         "en": " (including data from {integration})"},
}


def library() -> dict[str, Any]:
    """The scenario library (read once per process)."""
    return template_data(LIBRARY)


def industry_data(industry: str, lang: str) -> dict[str, str]:
    """Test data of the first library entry whose stems occur in the industry."""
    text = f" {industry.lower()} "
    for entry in library()["data"]:
        if not entry["match"] or any(stem in text for stem in entry["match"]):
            return {k: str(v) for k, v in entry[lang].items()}
    raise AssertionError(f"{LIBRARY}: data needs a last entry with an empty match")


def choose(module: str, text: str) -> dict[str, Any]:
    """The scenario of ``module`` that fits a requirement's ``text`` best.

    Score: how many of a scenario's keyword stems occur in the lower-cased text; the
    earliest of the best wins; with no hit, the module's scenario without keywords.
    """
    found = library()["scenarios"].get(module) or library()["default"]
    lowered = text.lower()
    scored = [(sum(stem in lowered for stem in s["keywords"]), -i, s)
              for i, s in enumerate(found)]
    best = max(scored, key=lambda t: (t[0], t[1]))
    if best[0] > 0:
        return dict(best[2])
    fallback = next((s for s in found if not s["keywords"]), found[-1])
    return dict(fallback)


def integration_of(project: Any, module: str, scenario: dict[str, Any] | None = None) -> str:
    """The external system a scenario involves (its own ``integration`` kinds, else its
    module's), if the project has one."""
    kinds = (scenario or {}).get("integration")
    if kinds is None:
        kinds = _MODULE_INTEGRATION.get(module, ())
    for kind in kinds:
        found = next((i.system for i in project.integrations if i.kind == kind), "")
        if found:
            return found
    return ""


def fill(scenario: dict[str, Any], lang: str, values: dict[str, str]) -> dict[str, Any]:
    """Steps and expected result of a scenario in ``lang`` with the placeholders filled.

    ``values`` are plain text; each is escaped for Markdown where it is put in.
    """
    steps = [_fill_one(str(step), lang, values) for step in scenario["steps"][lang]]
    return {"scenario": scenario["id"], "steps": steps,
            "expect": _fill_one(str(scenario["expect"][lang]), lang, values)}


def _fill_one(text: str, lang: str, values: dict[str, str]) -> Markup:
    """One library sentence with its placeholders replaced (values escaped).

    The integration phrases go in first (empty without an integration), so their own
    ``{integration}`` is filled with the rest.
    """
    with_system = bool(values.get("integration"))
    for name, phrase in _INTEGRATION_PHRASES.items():
        text = text.replace("{" + name + "}", phrase[lang] if with_system else "")
    return markdown_text(text, **values)
