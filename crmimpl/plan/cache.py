"""The plan of a project, remembered in the cache folder by everything it is built from.

Building the plan (WBS, schedule, people, training sessions) is the largest single step
of a build's critical path (about half a second for the largest example). A rebuild, a
``plan show``, a ``--watch`` round after a change that leaves the plan's inputs alone, or
the English workspace of a project without translations reads the plan built before.

The key is everything :func:`crmimpl.plan.builder.build_plan` reads: the validated project
(as data, with its private names), the bytes of ``project.yaml`` (warnings quote its
positions), the baseline file, the tool itself (its code and built-in files,
:func:`crmimpl.incremental.tool_digest`) and the ``holidays`` package's version (the
production calendars). One entry per key, the least recently used
removed beyond :data:`PLAN_CACHE_LIMIT`; ``CRMIMPL_CACHE_DIR=`` turns it off. The entry
is a pickle, trusted as the user's own bytecode is (the YAML cache does the same).

The plan refers to the project's objects (its people, departments, requirements): the
cached plan is tied back to the live project, so ``plan.project is project`` and every
object of the project the plan holds is the project's own, as after a fresh build.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crmimpl.model.project import Project
    from crmimpl.plan.builder import Plan

PLAN_CACHE_LIMIT = 32 * 1024 * 1024
"""Bytes of cached plans kept; the least recently used go first beyond it."""
FORMAT = b"crmimpl-plan-1"


def cached_plan(project: Project) -> Plan:
    """``build_plan(project)``, read from the cache when built before from the same
    inputs (a damaged or foreign entry is built again)."""
    from crmimpl.plan.builder import build_plan

    entry = _entry(project)
    if entry is None:
        return build_plan(project)
    found = _read(entry, project)
    if found is not None:
        return found
    plan = build_plan(project)
    _keep(entry, plan, project)
    return plan


def _entry(project: Project) -> Path | None:
    from crmimpl.resources import cache_dir

    folder = cache_dir()
    if folder is None or project.source is None:
        return None
    from crmimpl.incremental import file_digest, tool_digest
    from crmimpl.plan.builder import baseline_path

    h = hashlib.blake2b(FORMAT, digest_size=20)
    for part in (tool_digest(), _holidays_version(), str(project.source),
                 file_digest(Path(project.source)),
                 file_digest(baseline_path(project)), repr(sorted(project._names.items())),
                 project.model_dump_json()):
        h.update(b"\0" + str(part).encode("utf-8", "surrogatepass"))
    return folder / "plan" / f"{h.hexdigest()}.pickle"


def _holidays_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("holidays")
    except PackageNotFoundError:
        return "?"


def _project_objects(project: Project) -> list[Any]:
    """Every pydantic model inside ``project`` (itself first), in a fixed order."""
    from pydantic import BaseModel

    seen: set[int] = set()
    out: list[Any] = []

    def walk(value: Any) -> None:
        if isinstance(value, BaseModel):
            if id(value) in seen:
                return
            seen.add(id(value))
            out.append(value)
            for name in type(value).model_fields:
                walk(getattr(value, name, None))
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(project)
    return out


class _Pickler(pickle.Pickler):
    def __init__(self, file: Any, objects: list[Any]) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.index = {id(obj): n for n, obj in enumerate(objects)}

    def persistent_id(self, obj: Any) -> Any:
        return self.index.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: Any, objects: list[Any]) -> None:
        super().__init__(file)
        self.objects = objects

    def persistent_load(self, pid: Any) -> Any:
        return self.objects[pid]


def _shape(objects: list[Any]) -> list[str]:
    return [type(obj).__qualname__ for obj in objects]


def _read(entry: Path, project: Project) -> Plan | None:
    from crmimpl.plan.builder import Plan

    try:
        blob = entry.read_bytes()
        objects = _project_objects(project)
        stream = io.BytesIO(blob)
        shape = pickle.load(stream)
        if shape != _shape(objects):
            return None
        plan = _Unpickler(stream, objects).load()
    except Exception:  # missing, partly written, from another Python: build again
        return None
    if not isinstance(plan, Plan) or plan.project is not project:
        return None
    with contextlib.suppress(OSError):
        os.utime(entry)  # recently used: pruned last
    return plan


def _keep(entry: Path, plan: Plan, project: Project) -> None:
    from crmimpl.store import atomic_write_bytes, prune_cache

    try:
        objects = _project_objects(project)
        stream = io.BytesIO()
        pickle.dump(_shape(objects), stream, pickle.HIGHEST_PROTOCOL)
        _Pickler(stream, objects).dump(plan)
        entry.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(entry, stream.getvalue())
        prune_cache(entry.parent, PLAN_CACHE_LIMIT)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        pass


