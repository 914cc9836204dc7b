"""Test cases of the specification from the scenario library ``templates/test_scenarios.yaml``.

A requirement's case is the scenario of its module whose keywords occur most in the
requirement's statement and solution (the library explains the rule), filled with test
data drawn from the project: a client of the project's industry, one of its products, the
average deal from the survey answers, the department the requirement came from and the
user classes with the rights to do the work and to check it.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from crmimpl.industry import GENERIC
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
    # Russian: after a dash, so the name stays in the nominative and its own note in
    # parentheses never nests; English: the name without its note, after "through"
    "integration_via": {"ru": "; канал — {integration}", "en": " through {integration}"},
    "integration_to": {"ru": " в {integration}", "en": " to {integration}"},
    "integration_in": {"ru": "; источник данных — {integration}",
                       "en": " (data from {integration})"},
    "integration_note": {"ru": "; данные смежной системы {integration} получить обменом",
                         "en": " (including data from {integration})"},
}


def library() -> dict[str, Any]:
    """The scenario library (read once per process)."""
    return template_data(LIBRARY)


def industry_data(industry: str, lang: str) -> dict[str, str]:
    """Test data of an industry key (``banking``...): its library entry, else the
    entry for ``generic``."""
    entries = library()["data"]
    entry = next((e for e in entries if e["industry"] == industry), None)
    if entry is None:
        entry = next((e for e in entries if e["industry"] == GENERIC), None)
    if entry is None:
        raise AssertionError(f"{LIBRARY}: data needs an entry for industry 'generic'")
    return {k: str(v) for k, v in entry[lang].items()}


def business_stems(industry: str) -> list[str]:
    """The stems that mark a department or product as serving companies in ``industry``."""
    entry: dict[str, Any] = next(
        (e for e in library()["data"] if e["industry"] == industry), {})
    return [str(s) for s in entry.get("business_client_for", [])]


def business_client_first(industry: str, text: str) -> bool:
    """Whether the tests of a department (its name in ``text``) use the industry's
    business client as the main client (a bank's SME department works with companies,
    its retail network with people)."""
    entry: dict[str, Any] = next(
        (e for e in library()["data"] if e["industry"] == industry), {})
    lowered = text.lower()
    return any(stem in lowered for stem in entry.get("business_client_for", []))


def swap_clients(values: dict[str, str]) -> dict[str, str]:
    """The test data with the second client as the main one (and the first as the second);
    with a ``business_client`` (the data of a person's cases), that company becomes the main
    client and takes the ``business_product``."""
    out = dict(values)
    if "business_client" in values:
        out["client"], out["other_client"] = values["business_client"], values["client"]
        out["product"] = values.get("business_product", values.get("product", ""))
        for a, b in (("tax_id", "other_tax_id"), ("contact", "other_contact")):
            if a in values and b in values:
                out[a], out[b] = values[b], values[a]
        if values.get("business_peer"):  # a company's case pairs it with a company
            out["other_client"] = values["business_peer"]
            out["other_tax_id"] = values.get("business_peer_tax_id") or out.get(
                "other_tax_id", "")
        return out
    for a, b in (("client", "other_client"), ("tax_id", "other_tax_id"),
                 ("contact", "other_contact")):
        if a in values and b in values:
            out[a], out[b] = values[b], values[a]
    return out


def choose(module: str, text: str, *, product: str = GENERIC,
           industry: str = GENERIC) -> dict[str, Any]:
    """The scenario of ``module`` that fits a requirement's ``text`` best, in the
    wording of the project's product and industry.

    Score: how many of a scenario's keyword stems occur in the lower-cased text; the
    earliest of the best wins; with no hit, the module's scenario without keywords.
    A scenario's first ``variants`` entry whose ``product`` and ``industry`` lists hold
    the project's keys (an absent list holds every key) replaces its steps, expected
    result and role hints, language by language.
    """
    found = library()["scenarios"].get(module) or library()["default"]
    lowered = text.lower()
    scored = [(sum(stem in lowered for stem in s["keywords"]), -i, s)
              for i, s in enumerate(found)]
    best = max(scored, key=lambda t: (t[0], t[1]))
    chosen = best[2] if best[0] > 0 else next(
        (s for s in found if not s["keywords"]), found[-1])
    return _with_variant(chosen, product, industry)


def _with_variant(scenario: dict[str, Any], product: str, industry: str) -> dict[str, Any]:
    out = {k: v for k, v in scenario.items() if k != "variants"}
    for variant in scenario.get("variants", []):
        if product not in variant.get("product", [product]):
            continue
        if industry not in variant.get("industry", [industry]):
            continue
        for key in ("steps", "expect"):
            out[key] = {**scenario[key], **variant.get(key, {})}
        for key in ("doer", "checker"):
            if key in variant:
                out[key] = variant[key]
        out["variant"] = variant.get("id", "")
        break
    return out


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


def short_name(system: str) -> str:
    """A system's name without its trailing note in parentheses."""
    text = system.strip()
    if text.endswith(")") and " (" in text:
        text = text[:text.rindex(" (")].strip()
    return text


def fill(scenario: dict[str, Any], lang: str, values: dict[str, str]) -> dict[str, Any]:
    """Steps and expected result of a scenario in ``lang`` with the placeholders filled.

    ``values`` are plain text; each is escaped for Markdown where it is put in.
    """
    steps = [_fill_one(str(step), lang, values) for step in scenario["steps"][lang]]
    return {"scenario": scenario["id"], "steps": steps,
            "expect": _fill_one(str(scenario["expect"][lang]), lang, values)}


_NAMED = re.compile(r"\{named:([^}]*)\}")


def _fill_one(text: str, lang: str, values: dict[str, str]) -> Markup:
    """One library sentence with its placeholders replaced (values escaped).

    The integration phrases go in first (empty without an integration), so their own
    ``{integration}`` is filled with the rest.
    """
    with_system = bool(values.get("integration"))
    if with_system:
        # "through Xero" rather than "through Xero (accounting)"; the note repeated in
        # every step read as a template («АБС «Кредо-Банк» 5.4 (интеграционная шина)»)
        values = {**values, "integration": short_name(values["integration"])}
    # a generic word ("the accounting system") names the project's system after it
    text = text.replace("{named}", " ({integration})" if with_system else "")
    # {named:основной системы банка}: the project's system in place of the generic words
    text = _NAMED.sub(lambda m: "{integration}" if with_system else m.group(1), text)
    for name, phrase in _INTEGRATION_PHRASES.items():
        text = text.replace("{" + name + "}", phrase[lang] if with_system else "")
    return markdown_text(text, **values)
