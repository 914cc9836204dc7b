"""Who does each step of a test case: the access matrix decides, not the area alone.

A case is listed under one functional area, but its steps often act on records of another
(an approval on the opportunity, a campaign's lead taken to a won deal, a complaint logged
by an account manager). The tester named for a case must hold the rights its steps need;
a step that the tester's role cannot do names the role that does it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from crmimpl.vocabulary import template_data

# the rights that let a user create and change records (read-only rights do not)
WORKING = ("own", "read_all_edit_own", "department", "all")


@dataclass(frozen=True)
class Role:
    """A user class as the tester choice sees it."""

    name: str
    rights: dict[str, str]
    departments: tuple[str, ...] = ()
    users: int = 0


@dataclass
class Casting:
    """The tester of a case and the role of each step the tester cannot do."""

    tester: str
    step_roles: list[str] = field(default_factory=list)  # "" where the tester does it

    @property
    def roles(self) -> set[str]:
        """Every role the case uses."""
        return {self.tester, *(r for r in self.step_roles if r)}


def _words(words: list[str]) -> re.Pattern[str] | None:
    """Whole words (regular expressions), case ignored; None for an empty list."""
    if not words:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(words) + r")(?!\w)", re.IGNORECASE)


@cache
def _patterns(lang: str) -> dict[str, Any]:
    data = template_data("tech_spec.yaml")["case_objects"]
    def opening(words: list[str]) -> re.Pattern[str]:
        return re.compile(r"^\W*(" + "|".join(re.escape(w) for w in words) + r")\b",
                          re.IGNORECASE)
    return {"reading": opening(data["reading"][lang]),
            "setup": opening(data["setup"][lang]),
            "reports": _words(data["reports"][lang]),
            "areas": {area: _words(words[lang]) for area, words in data["areas"].items()}}


def step_needs(text: str, lang: str) -> dict[str, str]:
    """The areas whose records a step names, each with the right it needs: ``work``
    (create or change), or ``read`` when the step only reads (a reading verb first, or a
    report); a step that prepares the test data needs nothing of the tester."""
    found = _patterns(lang)
    if found["setup"].search(text):
        return {}
    reads = found["reading"].search(text) or (found["reports"] and found["reports"].search(text))
    level = "read" if reads else "work"
    return {area: level for area, rx in found["areas"].items() if rx and rx.search(text)}


def can(role: Role, needs: dict[str, str]) -> bool:
    """Whether a role's rights cover what a step needs."""
    return all(role.rights.get(area, "none") in WORKING if level == "work"
               else role.rights.get(area, "none") != "none"
               for area, level in needs.items())


def named_role(text: str, roles: list[Role]) -> str:
    """The role a step names before its first comma or colon ("As an account manager,
    log a complaint"), else empty."""
    head = re.split(r"[,:]", text, maxsplit=1)[0].lower()
    for role in roles:
        if re.search(r"(?<!\w)" + re.escape(role.name.lower()) + r"(?!\w)", head):
            return role.name
    return ""


def cast(doer: str, steps: list[str], roles: list[Role], area: str, source: str,
         lang: str, *, excluded: tuple[str, ...] = ()) -> Casting:
    """The tester of a case and who does each step.

    ``doer`` is the role chosen for the case's area. When a step names a role, that role
    does it; when another step needs rights the doer lacks, or the doer does no step of
    its own, the tester becomes the role with working
    rights in ``area`` that can do the most steps (the doer first on a tie, then a role of
    the ``source`` department, then the larger); every step left names a role that can do
    it. ``excluded`` roles (the administrator) never test.
    """
    needs = [step_needs(s, lang) for s in steps]
    named = [named_role(s, roles) for s in steps]
    by_name = {r.name: r for r in roles}

    def does(role: Role, i: int) -> bool:
        return named[i] == role.name if named[i] else can(role, needs[i])

    def keeps(role: Role) -> bool:
        # a step naming another role is that role's (a checker signing in); the rest
        # must be the tester's, and the tester does at least one step of its own case
        unnamed_ok = all(named[i] or can(role, needs[i]) for i in range(len(steps)))
        return unnamed_ok and (not steps or any(does(role, i) for i in range(len(steps))))

    current = by_name.get(doer)
    if current is None or keeps(current):
        return Casting(doer, [""] * len(steps))
    able = [r for r in roles if r.rights.get(area, "none") in WORKING
            and r.name not in excluded]

    def rank(role: Role) -> tuple[int, int, int, int]:
        done = sum(does(role, i) for i in range(len(steps)))
        return (-done, role.name != doer, source not in role.departments, -role.users)

    tester = min(able, key=rank) if able else current
    step_roles = []
    for i in range(len(steps)):
        if does(tester, i) or named[i]:
            step_roles.append("")
            continue
        fit = [r for r in roles if r.name not in excluded and can(r, needs[i])]
        fit.sort(key=lambda r: (source not in r.departments, -r.users))
        step_roles.append(fit[0].name if fit else "")
    return Casting(tester.name, step_roles)


def roles_of(project: Any) -> list[Role]:
    """The project's user classes as roles, the larger first."""
    classes = sorted(project.user_classes, key=lambda u: -(u.users or 0))
    return [Role(u.name, {str(k): str(v) for k, v in u.rights.items()},
                 tuple(u.departments), u.users or 0) for u in classes]
