"""Round 15 of the training plan: the refresher rule holds for everyone who starts late."""
from __future__ import annotations

import pytest

from crmimpl.documents.workspace import Workspace
from tests.conftest import EXAMPLES


@pytest.mark.parametrize("name", ["optima-distribution", "volga-bank", "kreativ-agency"])
def test_key_users_and_admins_trained_two_weeks_before_go_live_get_a_refresher(
        name: str) -> None:
    # optima: the key users (T01, last session 29.05) and the administrator (T02, 02.06)
    # start on 16.06 at the earliest; the plan's own rule gave only T04 and T05 a refresher
    from crmimpl.documents.training_plan import REFRESH_AFTER_DAYS, refreshers
    from crmimpl.plan.pilot import wave_starts
    from crmimpl.plan.training import ADMINS, KEY_USERS

    ws = Workspace.open(EXAMPLES / name)
    training = ws.training("ru")
    assert training is not None and ws.plan is not None
    starts = [start for _, start in wave_starts(ws.project, ws.plan)]
    if not starts:
        pilot = next(t for t in ws.plan.tasks if t.id == "rollout.pilot")
        starts = [pilot.start]
    rows = refreshers(ws.project, ws.plan, training, "ru")
    named = " ".join(r["groups"] for r in rows)
    for g in training.groups:
        days = [s.day for s in training.sessions if s.group_id == g.id]
        if g.kind not in (KEY_USERS, ADMINS) or not days:
            continue
        late = (min(starts) - max(days)).days >= REFRESH_AFTER_DAYS
        assert (g.id in named) == late, (name, g.id, late)
