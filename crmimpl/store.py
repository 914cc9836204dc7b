"""Atomic file writes: the tool never leaves a half-written file behind.

Also the one check that an input is a regular file: a FIFO or a device given as a
workbook would block the reader forever.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from crmimpl.errors import CrmimplError


def regular_file_size(path: Path, expected: str) -> int:
    """The size of ``path``, refusing missing files, folders, FIFOs and devices.

    Args:
        path: The file a person named.
        expected: What it should be, for the message (``"a YAML file"``).

    Raises:
        CrmimplError: located at the path, saying what is wrong with it.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise CrmimplError.single(str(path), "file not found") from None
    except OSError as exc:
        raise CrmimplError.single(str(path), f"cannot read: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise CrmimplError.single(str(path), f"is a folder, expected {expected}")
    if not stat.S_ISREG(info.st_mode):
        raise CrmimplError.single(
            str(path), f"is not a regular file (a pipe or a device), expected {expected}",
            hint="save the content to a file and give that file")
    return info.st_size


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    return atomic_write_with(path, lambda tmp: tmp.write_bytes(data))


def atomic_write_text(path: Path | str, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically (Unix newlines)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_with(path: Path | str, writer: Callable[[Path], object]) -> Path:
    """Let ``writer`` fill a temporary file beside ``path``, then rename it into place.

    Use this for libraries that save to a path themselves (python-docx, openpyxl).

    Raises:
        CrmimplError: the folder cannot be made or written (permissions, a file in the
            way, a full disk), named with the path.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise write_error(path, exc) from None
    os.close(fd)
    tmp = Path(name)
    try:
        writer(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_error(path, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def prune_cache(folder: Path, limit: int, suffix: str = ".pickle") -> None:
    """Keep the ``suffix`` files of cache ``folder`` within ``limit`` bytes: the least
    recently written go first; a file another process removed meanwhile is skipped."""
    entries = []
    with os.scandir(folder) as found:
        for item in found:
            if item.name.endswith(suffix):
                st = item.stat()
                entries.append((st.st_mtime, st.st_size, item.path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
        total -= size


def write_error(path: Path, exc: OSError) -> CrmimplError:
    """A message for an output that cannot be written, naming the path in the way."""
    where = Path(exc.filename) if exc.filename else path
    if exc.errno in (errno.EEXIST, errno.ENOTDIR):
        blocker = next((p for p in (where, *where.parents) if p.is_file()), where)
        return CrmimplError.single(
            str(blocker), f"is a file, so {path} cannot be written there",
            hint="remove or rename that file, or choose another output folder (--output)")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return CrmimplError.single(
            str(where), f"cannot write {path.name}: {exc.strerror}",
            hint="check the folder's permissions or choose another output folder (--output)")
    return CrmimplError.single(str(path), f"cannot write: {exc.strerror or exc}")
