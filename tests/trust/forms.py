"""Finding the forms of a page (lxml), to fill them in like a browser would."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from django.urls import reverse

CHROME_ACTIONS = ("set_language", "logout")  # the page frame's own forms


@dataclass
class FormField:
    name: str
    kind: str  # text, textarea, select, checkbox, file, hidden, number, date, email, …
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class PageForm:
    page: str
    action: str
    method: str
    fields: list[FormField]

    @property
    def label(self) -> str:
        names = ",".join(f.name for f in self.fields)[:80]
        return f"{self.method.upper()} {self.action} (from {self.page}; fields {names})"

    def initial(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for f in self.fields:
            if f.kind == "file":
                continue
            if f.kind == "checkbox" and not f.value:
                continue
            data[f.name] = f.value
        return data

    def field(self, name: str) -> FormField | None:
        return next((f for f in self.fields if f.name == name), None)


def page_forms(url: str, html: str) -> list[PageForm]:
    """The forms inside ``<main>`` (not the page frame's language and log-out forms)."""
    if not html.strip():
        return []
    tree = lxml.html.fromstring(html)
    main = tree.find(".//main")
    if main is None:
        main = tree
    chrome = {urlsplit(reverse(name)).path for name in CHROME_ACTIONS}
    forms = []
    for form in main.iter("form"):
        action = urljoin(url, form.get("action") or url)
        if urlsplit(action).path in chrome:
            continue
        method = (form.get("method") or "get").lower()
        fields: list[FormField] = []
        for element in form.iter("input", "select", "textarea", "button"):
            name = element.get("name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            tag = element.tag
            if tag == "select":
                options = [o.get("value", o.text_content()) for o in element.iter("option")]
                selected = [
                    o.get("value", o.text_content())
                    for o in element.iter("option")
                    if o.get("selected") is not None
                ]
                value = selected[0] if selected else (options[0] if options else "")
                fields.append(FormField(name, "select", value or "", options))
            elif tag == "textarea":
                fields.append(FormField(name, "textarea", element.text or ""))
            elif tag == "button":
                if (element.get("type") or "submit") == "submit":
                    fields.append(FormField(name, "hidden", element.get("value", "")))
            else:
                kind = (element.get("type") or "text").lower()
                if kind in ("submit", "button", "reset", "image"):
                    if element.get("value") is not None:
                        fields.append(FormField(name, "hidden", element.get("value", "")))
                    continue
                value = element.get("value", "")
                if kind in ("checkbox", "radio"):
                    value = value or "on" if element.get("checked") is not None else ""
                fields.append(FormField(name, kind, value))
        forms.append(PageForm(page=url, action=action, method=method, fields=fields))
    return forms
