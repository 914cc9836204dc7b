"""The external programs of a run: one LibreOffice and one Chromium, each started when
the first document or image needs it and ended when the run ends (also on Ctrl-C and
SIGTERM). ``crmimpl build`` opens one session around all its products; each worker of a
portfolio build opens one for all the projects it builds.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def render_session() -> Iterator[None]:
    """One LibreOffice (:func:`crmimpl.render.office.office_session`) and one Chromium
    (:func:`crmimpl.render.gantt_static.browser_session`) for everything inside; nests
    freely (an inner session is the outer one). Starts nothing by itself."""
    from crmimpl.render.gantt_static import browser_session
    from crmimpl.render.office import office_session

    with office_session(), browser_session():
        yield
