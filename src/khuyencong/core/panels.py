"""Panels a higher app adds to the home page (the to-do list of ``deadlines``), without core
importing it: the app registers a function ``panel(request) -> str`` (safe HTML, or "") in
its ``AppConfig.ready``; ``core.views.home`` renders them in order."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

HomePanel = Callable[[HttpRequest], str]
_HOME_PANELS: list[HomePanel] = []


def register_home_panel(panel: HomePanel) -> None:
    if panel not in _HOME_PANELS:
        _HOME_PANELS.append(panel)


def home_panels(request: HttpRequest) -> list[SafeString]:
    panels = (panel(request) for panel in _HOME_PANELS)
    return [mark_safe(html) for html in panels if html]  # each panel renders a template
