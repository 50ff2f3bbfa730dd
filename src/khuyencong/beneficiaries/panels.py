"""Sections that higher apps add to the beneficiary page.

``beneficiaries`` sits below projects, contests, registrations and events in the layers: it
cannot import them. An app above them registers a panel at start-up (its ``AppConfig.ready``):
a callable ``(request, beneficiary) -> str`` returning the section's HTML ("" for none). The
beneficiary page renders the registered panels in their order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

Panel = Callable[[HttpRequest, Any], str]
_PANELS: dict[str, tuple[int, Panel]] = {}


def register(name: str, panel: Panel, *, order: int = 100) -> None:
    """Add (or replace, by ``name``) a panel of the beneficiary page."""
    _PANELS[name] = (order, panel)


def render(request: HttpRequest, beneficiary: Any) -> list[SafeString]:
    panels = sorted(_PANELS.items(), key=lambda item: (item[1][0], item[0]))
    # each panel renders a template (escaped by it): its output is HTML
    return [
        mark_safe(html)
        for _name, (_order, panel) in panels
        if (html := panel(request, beneficiary))
    ]
