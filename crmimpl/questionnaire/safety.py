"""Checks a client's workbook is safe to parse, before any XML is parsed.

openpyxl does not protect against zip bombs, and workbooks can carry macros, external
links or XML entity tricks. These checks read only the file header, the zip listing and
the first bytes of each XML part, so a hostile file is refused in milliseconds with
little memory. openpyxl additionally parses through defusedxml (installed as a
dependency), which refuses entity declarations a second time.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from crmimpl.errors import CrmimplError, Problem
from crmimpl.messages import error, msg, problem
from crmimpl.store import regular_file_size

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_MEMBERS = 500
MAX_TOTAL_UNCOMPRESSED = 40 * 1024 * 1024
MAX_MEMBER_UNCOMPRESSED = 25 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
PROLOG_BYTES = 64 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam", ".xlsb"}

_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3}\d+)(?::([A-Z]{1,3}\d+))?"')


@dataclass
class WorkbookCheck:
    """What the pre-parse checks learnt: sheet parts and their declared dimensions."""

    path: Path
    dimensions: dict[str, str] = field(default_factory=dict)


def check_workbook(path: Path) -> WorkbookCheck:
    """Refuse unsafe or unsupported workbooks before they are parsed.

    Refused: missing or huge files, legacy ``.xls`` and encrypted workbooks (OLE
    containers), macro-enabled files, external links, embedded objects, zip bombs (too many
    members, too large when unpacked, suspicious compression ratio) and XML with a DTD.

    Raises:
        CrmimplError: every reason the file is refused, located at the file name.
    """
    loc = path.name
    header = _read_header(path)
    if header.startswith(OLE_MAGIC):
        raise error(loc, _ole_message(path), msg("ole_hint"))
    if not header.startswith(ZIP_MAGIC):
        raise error(loc, msg("not_xlsx"), msg("not_xlsx_hint"))
    if path.suffix.lower() in MACRO_SUFFIXES:
        raise error(loc, msg("macro_suffix", suffix=path.suffix), msg("macro_hint"))
    try:
        with zipfile.ZipFile(path) as archive:
            problems = _listing_problems(loc, archive)
            if problems:
                raise CrmimplError(problems)
            problems = _xml_problems(loc, archive)
            if problems:
                raise CrmimplError(problems)
            return WorkbookCheck(path, _dimensions(archive))
    except zipfile.BadZipFile as exc:
        raise error(loc, msg("damaged_zip", detail=exc)) from None


def _read_header(path: Path) -> bytes:
    if not path.exists() and not path.is_symlink():
        raise error(str(path), msg("file_not_found"))
    if path.is_dir():
        raise error(str(path), msg("is_folder"))
    size = regular_file_size(path, "a workbook (.xlsx)")
    if size > MAX_FILE_BYTES:
        raise error(path.name, msg("too_large", size=f"{size:,}", limit=f"{MAX_FILE_BYTES:,}"),
                    msg("too_large_hint"))
    with path.open("rb") as handle:
        return handle.read(8)


def _ole_message(path: Path) -> str:
    # Encrypted .xlsx files are OLE containers holding an "EncryptedPackage" stream.
    blob = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in blob:
        return msg("encrypted")
    return msg("legacy_xls")


def _listing_problems(loc: str, archive: zipfile.ZipFile) -> list[Problem]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        return [Problem(loc, "", f"too many parts in the workbook ({len(infos)}); refused")]
    problems: list[Problem] = []
    names = [i.filename for i in infos]
    lowered = [n.lower() for n in names]
    if len(set(lowered)) != len(lowered):
        problems.append(Problem(loc, "", "workbook has duplicate parts; refused"))
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        problems.append(Problem(
            loc, "", f"workbook unpacks to {total:,} bytes (limit "
            f"{MAX_TOTAL_UNCOMPRESSED:,}): possible zip bomb; refused"))
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_UNCOMPRESSED or (
                info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            problems.append(Problem(
                loc, "", f"part {info.filename} unpacks to {info.file_size:,} bytes "
                f"(compression ratio {ratio:.0f}): possible zip bomb; refused"))
    if any(n.endswith("vbaproject.bin") for n in lowered):
        problems.append(problem(loc, msg("macros"), msg("macro_hint")))
    if any(n.startswith("xl/externallinks/") for n in lowered):
        problems.append(problem(loc, msg("external_links"), msg("external_links_hint")))
    if any(n.startswith(("xl/embeddings/", "xl/activex/")) for n in lowered):
        problems.append(problem(loc, msg("embedded"), msg("embedded_hint")))
    if "xl/workbook.xml" not in lowered:
        problems.append(problem(loc, msg("no_workbook_xml")))
    return problems


def _xml_problems(loc: str, archive: zipfile.ZipFile) -> list[Problem]:
    problems: list[Problem] = []
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as handle:
            head = handle.read(PROLOG_BYTES)
        root = _ROOT_START.search(head)
        prolog = head[: root.start()] if root else head
        if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper():
            problems.append(Problem(loc, "", f"part {info.filename} declares a DTD or "
                                    "entities (XML attack); refused"))
        elif root is None and len(head) == PROLOG_BYTES:
            problems.append(Problem(loc, "", f"part {info.filename} has no XML content in "
                                    "its first 64 KB; refused"))
    return problems


def _dimensions(archive: zipfile.ZipFile) -> dict[str, str]:
    dims: dict[str, str] = {}
    for info in archive.infolist():
        name = info.filename
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            with archive.open(info) as handle:
                head = handle.read(4096)
            match = _DIMENSION.search(head)
            if match:
                dims[name] = (match.group(2) or match.group(1)).decode()
    return dims
