"""``crmimpl templates export``: a consulting firm's starting point for its own templates."""

from __future__ import annotations

from pathlib import Path

from crmimpl.errors import ExistingFileError
from crmimpl.resources import templates_dir
from crmimpl.store import atomic_write_bytes

# Folders of built-in data that are not document templates.
_SKIP = {"new", "plans"}


def export_templates(directory: Path) -> list[Path]:
    """Copy skeletons, language templates, data files and ``reference.docx`` into ``directory``.

    Refuses to overwrite any existing file, so a firm's edited templates are never lost.
    Use the folder with ``crmimpl build --templates DIR --reference-docx
    DIR/reference.docx``; a file there overrides the built-in one of the same name.
    """
    source = templates_dir()
    files = sorted(p for p in source.rglob("*") if p.is_file()
                   and p.relative_to(source).parts[0] not in _SKIP)
    existing = [directory / p.relative_to(source) for p in files
                if (directory / p.relative_to(source)).exists()]
    if existing:
        raise ExistingFileError.single(
            str(existing[0]), f"already exists ({len(existing)} file(s) would be replaced)",
            hint="export into an empty folder; your edited templates are never overwritten",
        )
    return [atomic_write_bytes(directory / p.relative_to(source), p.read_bytes())
            for p in files]
