"""The client's industry and the product being implemented, as keys of the content data.

A project names its industry in words (``client.industry``) and its system by vendor and
product (``system:``). Test scenarios, standard functions and audit checks are chosen by
the keys these map to: ``templates/industries.yaml`` and ``templates/products.yaml`` list
the stems that identify each one, so a consulting firm adds an industry or a product as
data.
"""

from __future__ import annotations

from typing import Any

from crmimpl.vocabulary import template_data

GENERIC = "generic"


def _first_match(entries: list[dict[str, Any]], text: str) -> str:
    lowered = f" {text.lower()} "
    for entry in entries:
        if any(stem in lowered for stem in entry.get("match", [])):
            return str(entry["id"])
    return GENERIC


def industry_key(industry: str) -> str:
    """The industry key of a ``client.industry`` text (``banking``...), else ``generic``."""
    return _first_match(template_data("industries.yaml")["industries"], industry)


def product_key(vendor: str, product: str) -> str:
    """The product key of the system being implemented (``dynamics365``, ``1c_crm``,
    ``bitrix24``, ``amocrm``), else ``generic``."""
    return _first_match(template_data("products.yaml")["products"], f"{vendor} {product}")


def project_industry(project: Any) -> str:
    """The project's industry key."""
    return industry_key(project.client.industry)


def project_product(project: Any) -> str:
    """The key of the project's system (``generic`` without a ``system:`` block)."""
    system = getattr(project, "system", None)
    if system is None:
        return GENERIC
    return product_key(system.vendor or "", system.product or "")


def standard_functions(project: Any, module: str, lang: str) -> list[str]:
    """What the project's system does out of the box in ``module``: the product's own
    list, else the industry's, else the neutral one (``templates/products.yaml``)."""
    from crmimpl.vocabulary import module_functions

    data = template_data("products.yaml")
    product = project_product(project)
    entry = next((p for p in data["products"] if p["id"] == product), None)
    found = (entry or {}).get("functions", {}).get(module)
    if found is None:
        found = data.get("industries", {}).get(project_industry(project), {}).get(module)
    if found is None:
        return module_functions(module, lang, project)
    return [str(x) for x in found.get(lang, [])] + [
        str(o[lang]) for o in found.get("optional", []) if _in_scope(project, module, o["needs"])]


def _in_scope(project: Any, module: str, needs: list[str]) -> bool:
    """Whether a requirement of this version (not "won't") in ``module`` names one of
    ``needs``: a function resting on an out-of-scope requirement (a client portal) is not
    listed as used."""
    return any(stem in r.statement.lower() for r in getattr(project, "requirements", [])
               if r.module == module and r.priority != "wont" for stem in needs)
