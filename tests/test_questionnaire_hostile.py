"""Hostile workbooks: each is refused or flagged cleanly, fast and with bounded memory."""

from __future__ import annotations

import shutil
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from crmimpl.errors import CrmimplError
from crmimpl.questionnaire.export import ExportContext, export_questionnaire
from crmimpl.questionnaire.importer import import_workbooks
from crmimpl.questionnaire.library import get_questionnaire

MEMORY_LIMIT = 40 * 1024 * 1024  # generous: the hostile files would need gigabytes
SHEET = "xl/worksheets/sheet3.xml"


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("blank")
    ctx = ExportContext("p1", "Client", "en")
    return export_questionnaire(get_questionnaire("documents"), ctx, folder / "blank.xlsx")


def rewrite(src: Path, dst: Path, replace: dict[str, bytes | Callable[[zipfile.ZipFile],
                                                                       None]]) -> Path:
    """Copy a workbook's parts, replacing or adding some."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename not in replace:
                zout.writestr(info, zin.read(info.filename))
        for name, data in replace.items():
            if callable(data):
                data(zout)
            else:
                zout.writestr(name, data)
    return dst


def _bomb(zout: zipfile.ZipFile) -> None:
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"A" * 1000 + b"</t></is></c></row>"
    info = zipfile.ZipInfo(SHEET)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zout.open(info, "w", force_zip64=True) as handle:
        handle.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats'
                     b'.org/spreadsheetml/2006/main"><sheetData>')
        chunk = row * 1000
        for _ in range(300):  # ~300 MB unpacked, ~0.3 MB packed
            handle.write(chunk)
        handle.write(b"</sheetData></worksheet>")




def _laugh(i: int) -> bytes:
    inner = (f"&lol{i - 1};" if i > 1 else "&lol;") * 10
    return f'<!ENTITY lol{i} "{inner}">'.encode()


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(_laugh(i) for i in range(1, 10))
          + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
          b"</sheetData></worksheet>")
XXE = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">'
       b"<si><t>&xxe;</t></si></sst>")
QUADRATIC = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "' + b"x" * 50_000 + b'">]>'
             b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b"<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>"
             + b"&a;" * 50_000 + b"</t></is></c></row></sheetData></worksheet>")


def _ole(tmp: Path, name: str, body: bytes) -> Path:
    path = tmp / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + body)
    return path


CASES: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "zip bomb": (lambda b, t: rewrite(b, t / "bomb.xlsx", {SHEET: _bomb}), "zip bomb"),
    "billion laughs": (lambda b, t: rewrite(b, t / "laughs.xlsx", {SHEET: LAUGHS}),
                       "declares a DTD or entities"),
    "xxe": (lambda b, t: rewrite(b, t / "xxe.xlsx", {"xl/sharedStrings.xml": XXE}),
            "declares a DTD or entities"),
    "quadratic blowup": (lambda b, t: rewrite(b, t / "quad.xlsx", {SHEET: QUADRATIC}),
                         "declares a DTD or entities"),
    "macro": (lambda b, t: rewrite(b, t / "macro.xlsx", {"xl/vbaProject.bin": b"\x00" * 64}),
              "contains macros"),
    "xlsm": (lambda b, t: Path(shutil.copy(b, t / "book.xlsm")), "may contain macros"),
    "external links": (lambda b, t: rewrite(b, t / "links.xlsx", {
        "xl/externalLinks/externalLink1.xml": b"<externalLink/>"}), "external links"),
    "renamed xls": (lambda b, t: _ole(t, "old.xlsx", b"Workbook"), "legacy Excel 97-2003"),
    "encrypted": (lambda b, t: _ole(t, "secret.xlsx", "EncryptedPackage".encode("utf-16-le")),
                  "password-protected"),
    "not a workbook": (lambda b, t: (t / "x.xlsx").write_bytes(b"hello") and t / "x.xlsx",
                       "not an Excel workbook"),
    "too many parts": (lambda b, t: rewrite(b, t / "many.xlsx", {
        f"xl/media/p{i}.bin": b"" for i in range(600)}), "too many parts"),
}


def _measure(action: Callable[[], object]) -> tuple[BaseException | None, int]:
    tracemalloc.start()
    error: BaseException | None = None
    try:
        action()
    except CrmimplError as exc:
        error = exc
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return error, peak


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_is_refused(case: str, blank: Path, tmp_path: Path) -> None:
    make, message = CASES[case]
    path = make(blank, tmp_path)
    error, peak = _measure(lambda: import_workbooks(tmp_path, [path]))
    assert isinstance(error, CrmimplError), f"{case} was not refused"
    assert message in str(error)
    assert str(error).startswith(path.name)
    assert peak < MEMORY_LIMIT, f"{case}: peak {peak:,} bytes"


def test_defusedxml_is_active() -> None:
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


def test_far_cell_is_ignored_with_a_warning(blank: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(blank)
    wb["1. Documents"]["XFD1048576"] = "far away"
    far = tmp_path / "far.xlsx"
    wb.save(far)
    result: list[object] = []
    error, peak = _measure(lambda: result.append(
        import_workbooks(tmp_path, [far], partial=True)))
    assert error is None
    assert any("XFD1048576" in w for w in result[0].warnings)  # type: ignore[attr-defined]
    assert peak < MEMORY_LIMIT


def test_huge_file_is_refused_by_size(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    with path.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(11 * 1024 * 1024)
    with pytest.raises(CrmimplError, match="file is too large"):
        import_workbooks(tmp_path, [path])


def test_all_files_reported_together(blank: Path, tmp_path: Path) -> None:
    one = CASES["macro"][0](blank, tmp_path)
    two = CASES["renamed xls"][0](blank, tmp_path)
    with pytest.raises(CrmimplError) as info:
        import_workbooks(tmp_path, [one, two])
    assert {p.location for p in info.value.problems} == {one.name, two.name}
