"""Type into cells of a workbook through LibreOffice itself (UNO), as a person would.

Run with the system Python that has LibreOffice's ``uno`` module::

    /usr/bin/python3 tests/lo_typist.py SPEC.json

SPEC: ``{"soffice": path, "profile": dir, "locale": "ru-RU" | "en-US", "jobs": [{"src":
path, "out": path, "cells": [[sheet, "D5", text], [sheet, "D6", text, "paste"], ...]}]}``.
The profile's locale setting is ``locale``; each text is entered into the selected cell
with the ``.uno:EnterString`` command, the keyboard's path, so LibreOffice's own input
recognition and automatic formats (``15%`` becomes 0.15 shown as a percentage, ``2026``
in a date cell a day of 1905, ``0,2`` a decimal in Russian) decide what is stored,
exactly as when a client types it. ``"paste"`` puts the text in as text
(``XCell.setString``), as pasting from elsewhere does; ``"insert_column"`` inserts a
column before the cell's, ``"delete_row"`` deletes the cell's row and ``"copy_sheet"``
copies the sheet to the end under the name given as text. The workbook is then saved as
.xlsx. One headless LibreOffice with its own profile serves every job and is ended
afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid

LOCALE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale"
 oor:op="fuse"><value>{locale}</value></prop></item>
</oor:items>
"""


def _profile(profile: str, locale: str) -> None:
    """A fresh profile whose locale setting (number and date recognition) is ``locale``."""
    user = os.path.join(profile, "user")
    os.makedirs(user, exist_ok=True)
    with open(os.path.join(user, "registrymodifications.xcu"), "w", encoding="utf-8") as f:
        f.write(LOCALE_XCU.format(locale=locale))


def _connect(soffice: str, profile: str) -> tuple[subprocess.Popen, object]:
    import uno

    pipe = "crmimpl_typist_" + uuid.uuid4().hex
    proc = subprocess.Popen(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--invisible",
         "--nologo", "--norestore", "--nodefault", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 90
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.3)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    _CTX[:] = [ctx]
    return proc, desktop


def _prop(name: str, value: object) -> object:
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _paste(doc: object, sheet: object, cell: object, text: str) -> None:
    cell.setString(text)  # pasted as text: no input recognition at all


def _insert_column(doc: object, sheet: object, cell: object, text: str) -> None:
    sheet.Columns.insertByIndex(cell.CellAddress.Column, 1)


def _delete_row(doc: object, sheet: object, cell: object, text: str) -> None:
    sheet.Rows.removeByIndex(cell.CellAddress.Row, 1)


def _copy_sheet(doc: object, sheet: object, cell: object, text: str) -> None:
    doc.Sheets.copyByName(sheet.Name, text, doc.Sheets.Count)


EDITS = {"paste": _paste, "insert_column": _insert_column, "delete_row": _delete_row,
         "copy_sheet": _copy_sheet}


def _type(desktop: object, job: dict, locale: str) -> None:
    import uno

    url = uno.systemPathToFileUrl(os.path.abspath(job["src"]))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
    try:
        controller = doc.getCurrentController()
        frame = controller.getFrame()
        ctx = _CTX[0]
        dispatcher = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.DispatchHelper", ctx)
        for sheet_name, ref, text, *how in job["cells"]:
            sheet = doc.Sheets.getByName(sheet_name)
            if how and how[0] in EDITS:
                sheet.unprotect("")
                EDITS[how[0]](doc, sheet, sheet.getCellRangeByName(ref), text)
                continue
            controller.setActiveSheet(sheet)
            controller.select(sheet.getCellRangeByName(ref))
            # what the keyboard does: the view's input recognition, auto formats and all
            dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0,
                                       (_prop("StringName", text),))
        out = uno.systemPathToFileUrl(os.path.abspath(job["out"]))
        doc.storeToURL(out, (_prop("FilterName", "Calc MS Excel 2007 XML"),))
    finally:
        doc.close(True)


_CTX: list[object] = []  # the remote component context


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    _profile(spec["profile"], spec.get("locale", "en-US"))
    proc, desktop = _connect(spec["soffice"], spec["profile"])
    try:
        for job in spec["jobs"]:
            _type(desktop, job, spec.get("locale", "en-US"))
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
