"""The order of the plan's work that a consultant checks first: key users are trained on
what is already built, and the final data load comes after the testing and right before
the people start work in the system (for every example, so every mode's template)."""

from __future__ import annotations

from functools import cache

import pytest

from crmimpl.documents.workspace import Workspace
from tests.conftest import EXAMPLES

NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "project.yaml").exists())
# the work that builds what the users are taught
BUILDS = ("settings", "access", "integration", "change", "card", "missed")


@cache
def _tasks(name: str) -> dict:
    return {t.id: t for t in Workspace.open(EXAMPLES / name).plan.tasks}


def _key_training(tasks: dict) -> list:
    return [t for i, t in tasks.items() if ".key_users." in i and "training" in i]


@pytest.mark.parametrize("name", NAMES)
def test_key_users_are_trained_after_what_they_are_taught_is_built(name: str) -> None:
    """volga's review: key users trained 23.09–01.10 on changes «finished later». Every
    key-user course starts after the last setting, integration and change of its stage."""
    tasks = _tasks(name)
    key = _key_training(tasks)
    assert key, f"{name}: no key-user training task"
    for course in key:
        built = [t for i, t in tasks.items() if _built_for(t, course)
                 and (i + ".").split(".")[1] in BUILDS]
        assert built, f"{name}: nothing built before {course.id}"
        last = max(built, key=lambda t: t.finish)
        assert course.start > last.finish, (
            f"{name}: {course.id} starts {course.start}, {last.id} ends {last.finish}")


def _built_for(task, later) -> bool:
    """Whether ``task`` is of the stage whose work ``later`` uses: its own phase (an MVP,
    an iteration), or development for the rollout."""
    if later.phase == "rollout":
        return task.phase == "development"
    return task.phase == later.phase


def _first_start(tasks: dict, prefix: str):
    starts = [t.start for i, t in tasks.items() if i.startswith(prefix)]
    return min(starts) if starts else None


@pytest.mark.parametrize("name", [n for n in NAMES
                                  if any(".migration." in i for i in _tasks(n))])
def test_final_load_follows_testing_and_precedes_the_pilot(name: str) -> None:
    """volga's review: the only load of 8 M records was dated 07–28.09, before testing
    and a quarter before the pilot. Each source has a trial load and a final load; the
    final load follows the system's testing (and the trial load), and the pilot (or the
    stage's launch) starts after it, within a few weeks (its people's training between)."""
    tasks = _tasks(name)
    sources = {i.rsplit(".", 1)[1] for i in tasks if ".migration." in i}
    for source in sources:
        trial = [t for i, t in tasks.items() if i.endswith(f".migration.{source}")]
        final = [t for i, t in tasks.items() if i.endswith(f".cutover.{source}")]
        if not any(i in tasks for i in ("dev.testing", "mvp.testing")):
            # an express package is not tested as a project: its one load is the final
            # one, on the configured system, before the users' training and first days
            assert trial and not final
            assert trial[0].start > tasks["dev.settings"].finish
            assert trial[0].finish < _first_start(tasks, "rollout.training")
            continue
        assert trial and final, f"{name}: {source} lacks a trial or a final load"
        trial_t, final_t = trial[0], final[0]
        stage = final_t.id.split(".")[0]
        assert final_t.start > trial_t.finish
        tested = [t for i, t in tasks.items() if _built_for(t, final_t)
                  and (i + ".").split(".")[1] in ("testing", "test", "modules")]
        assert tested, f"{name}: no testing before {final_t.id}"
        assert final_t.start > max(t.finish for t in tested)
        # the people start work on the loaded data: the pilot, its first wave, or the
        # stage's launch follows the final load
        following = [t for i, t in tasks.items() if t.phase == final_t.phase
                     and (i + ".").split(".")[1] in ("pilot", "pilot_wave", "launch", "done")
                     and t.start >= final_t.finish]
        assert following, f"{name}: nothing starts after {final_t.id}"
        if stage == "rollout":
            pilot = _first_start(tasks, "rollout.pilot")
            assert final_t.finish < pilot
            assert (pilot - final_t.finish).days <= 21, (
                f"{name}: final load of {source} ends {final_t.finish}, pilot {pilot}")


def test_a_phased_pilot_final_load_waits_for_the_first_wave_only() -> None:
    """The final load waits for the first wave's training, not the last wave's: volga's
    contact centre starts in December while the offices are still trained in February."""
    tasks = _tasks("volga-bank")
    finals = [t for i, t in tasks.items() if i.startswith("rollout.cutover.")]
    wave1 = tasks["rollout.pilot_wave.1"]
    assert max(t.finish for t in finals) < wave1.start
    retail = [t for i, t in tasks.items() if i.startswith("rollout.training.retail.")]
    assert retail and max(t.finish for t in retail) > wave1.start


def test_every_statement_of_the_pilot_period_is_the_waves_first_start_to_the_end() -> None:
    """volga's survey summary gave the pilot as «с 08.02.2027 по 09.03.2027» (the last
    wave's task) while §6 and the specification started it with wave 1 in December: the
    summary, the specification and the support window now take one computation."""
    from crmimpl.build import document_markdown
    from crmimpl.i18n import day, day_long
    from crmimpl.plan.pilot import pilot_period

    ws = Workspace.open(EXAMPLES / "volga-bank")
    tasks = _tasks("volga-bank")
    first, last = pilot_period(ws.plan)
    assert first == tasks["rollout.pilot_wave.1"].start
    assert last == tasks["rollout.pilot"].finish
    assert first < tasks["rollout.pilot"].start
    survey, _ = document_markdown(ws, "survey", "ru")
    survey = survey.replace("\\", "")
    assert f"опытной эксплуатации с {day(first, 'ru')} по {day(last, 'ru')}" in survey
    assert f"с {day(tasks['rollout.pilot'].start, 'ru')} по" not in survey
    spec, _ = document_markdown(ws, "spec", "ru")
    spec = spec.replace("\\", "")
    said = (f"Опытная эксплуатация проводится с {day_long(first, 'ru')} по "
            f"{day_long(last, 'ru')}")
    assert " ".join(said.split()) in " ".join(spec.split())
    _, context = document_markdown(ws, "training", "ru")
    # the support runs from the first wave to acceptance, when the monthly package starts
    assert ws.plan.launch > last
    assert context["support_window"] == (f"с {day(first, 'ru')} до приемки "
                                         f"{day(ws.plan.launch, 'ru')}")


def test_the_training_plan_says_the_key_users_learn_what_is_built() -> None:
    """The reviewer read «development to 29.10» (testing and acceptance included) against
    the key users' course of 23.09: the plan says when the build it teaches is done."""
    from crmimpl.build import document_markdown
    from crmimpl.i18n import day

    ws = Workspace.open(EXAMPLES / "volga-bank")
    tasks = _tasks("volga-bank")
    built = max(t.finish for i, t in tasks.items() if i.startswith("dev.")
                and (i + ".").split(".")[1] in BUILDS)
    assert built < min(t.start for t in _key_training(tasks))
    text, _ = document_markdown(ws, "training", "ru")
    text = text.replace("\\", "")
    assert "проверяют уже изученную систему.\n" in text
    assert f"настройка, интеграции и доработки выполнены ({day(built, 'ru')})" in text
    english, _ = document_markdown(Workspace.open(EXAMPLES / "optima-distribution"),
                                   "training", "en")
    assert "Their course starts once" not in english  # a typical plan has no such course
