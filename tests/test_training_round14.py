"""Review 13 (volga): a course teaches what its people work in, and the heads learn to
lead the work they supervise.

- The SME unit's course left out the mobile app its 42 managers use: the heads' class
  shared by the retail network and the SME unit (46 people, 6 of them in SME) was taken
  for the SME unit's main class.
- The contact-centre supervisors' course had no word on call campaigns, the knowledge
  base or call recordings, though assigning call lists, keeping the scripts and listening
  to the operators' calls is their job (their rights are wider than the operators').
"""

from __future__ import annotations

import json

from crmimpl.model.project import Project
from crmimpl.plan.training import build_groups, curriculum, main_class
from tests.test_training import make_project

SERVICE = ["client_base", "telemarketing", "knowledge_base", "telephony", "reports",
           "kpi_dashboards", "mobile"]


def _project(heads_rights: dict[str, str], staff_rights: dict[str, str],
             heads_users: int = 30) -> Project:
    project = make_project([("sales", 40), ("sales", 12)], 8, trainers=2)
    data = json.loads(project.model_dump_json(exclude_unset=True))
    data["scope"]["modules"] = SERVICE
    data["user_classes"] = [
        {"id": "staff", "name": "Manager", "departments": ["d1"], "users": 10,
         "rights": staff_rights},
        {"id": "office", "name": "Office staff", "departments": ["d0"], "users": 34,
         "rights": {"client_base": "own", "reports": "own"}},
        {"id": "heads", "name": "Heads", "departments": ["d0", "d1"],
         "users": heads_users, "rights": heads_rights},
    ]
    return Project.model_validate(data)


def test_a_shared_heads_class_is_not_a_departments_main_class() -> None:
    project = _project({"client_base": "department", "reports": "department"},
                       {"client_base": "own", "mobile": "own", "reports": "own"})
    assert main_class(project, "d1").id == "staff"
    titles = [t.id for t in curriculum(project, "sales", "en", ["d1"])]
    assert "mobile" in titles


def test_heads_learn_to_lead_the_work_their_staff_do() -> None:
    staff = {"client_base": "own", "telemarketing": "own", "knowledge_base": "read",
             "telephony": "own", "reports": "own"}
    heads = {"client_base": "department", "telemarketing": "department",
             "knowledge_base": "all", "telephony": "department", "reports": "department",
             "kpi_dashboards": "department", "mobile": "department"}
    project = _project(heads, staff)
    led = [t.title for t in curriculum(project, "management", "en", ["d1"], heads=True)]
    assert any("assigning call lists" in t for t in led)
    assert any("maintaining articles" in t for t in led)
    assert any("Staff call recordings" in t for t in led)
    # a module the staff do not work in is not theirs to lead (the mobile app here)
    assert not any("Mobile" in t for t in led)
    # and the staff's own course keeps the staff's titles
    own = [t.title for t in curriculum(project, "sales", "en", ["d1"])]
    assert not any("assigning call lists" in t or "Staff call recordings" in t for t in own)


def test_volga_sme_course_has_the_mobile_app_and_supervisors_lead_the_line() -> None:
    from crmimpl.model.project import load_project
    from tests.conftest import EXAMPLES

    project = load_project(EXAMPLES / "volga-bank")
    groups = build_groups(project, "ru")
    sme = next(g for g in groups if g.departments == ["sme"] and not g.heads)
    assert any(t.id == "mobile" for t in sme.topics)
    supervisors = next(g for g in groups if g.departments == ["contact_center"] and g.heads)
    ids = {t.id for t in supervisors.topics}
    assert {"telemarketing", "knowledge_base", "telephony"} <= ids



def test_a_change_session_for_a_department_in_shifts_is_in_the_hours_its_shifts_share() -> None:
    """Round 14: the service desk's session on iteration 2's changes, one group of both
    shifts, was set at 10:00, before the late shift (13:00) starts."""
    from crmimpl.model.project import load_project
    from crmimpl.plan.builder import build_plan
    from crmimpl.plan.training import _minutes, session_end
    from tests.conftest import EXAMPLES

    project = load_project(EXAMPLES / "northwind-it")
    groups = {g.id: g for g in build_groups(project, "en")}
    shifted = {d.id: d.shifts for d in project.client.departments if d.shifts}
    seen = 0
    for s in build_plan(project).sessions:
        g = groups[s.group_id]
        if g.iteration is None or g.department_id not in shifted:
            continue
        seen += 1
        begin, end = _minutes(s.start_time), _minutes(session_end(s))
        # a session of one shift lies in that shift (round 19: with people on duty each
        # shift has its own), a session of all shifts in the hours they share
        for shift in shifted[g.department_id]:
            if g.shift and shift.name != g.shift:
                continue
            start = _minutes(shift.start)
            assert start <= begin and end <= start + round(shift.hours * 60), (s, shift)
    assert seen
