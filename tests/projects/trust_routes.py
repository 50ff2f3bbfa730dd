"""Trust-walk registrations of the project forms and inspection pages (the list, detail and
document download are registered in tests/trust/routes_builtin.py). The world's projects are
``registered``: their next step is the appraisal."""

from __future__ import annotations

from typing import Any

from khuyencong.accounts import roles
from tests.trust.routes import Route, register


def _register_or_edit(user: Any, obj: Any) -> bool:
    """The beneficiary picker serves both the registration and the edit form."""
    return (
        roles.check(user, "projects.register").allowed or roles.check(user, "projects.edit").allowed
    )


register(
    Route("projects:create", "projects.register"),
    Route("projects:edit", "projects.edit", obj="project"),
    Route(
        "projects:step",
        "projects.appraise",
        obj="project",
        kwargs=lambda world, side, project: {"pk": project.pk, "kind": "appraise"},
    ),
    Route("projects:progress", "projects.implement", obj="project"),
    Route(
        "projects:inspection_create",
        "projects.inspect",
        obj="project",
        unversioned="adds a new inspection row; nothing stored is overwritten",
    ),
    Route(
        "projects:document_create",
        "projects.documents",
        obj="project",
        unversioned="adds a new document row; nothing stored is overwritten",
    ),
    Route("projects:inspections", "projects.view", shows=("inspection",)),
    Route("projects:inspection_edit", "projects.inspect", obj="inspection"),
    Route(
        "projects:beneficiary_search",
        "projects.register",
        query="?q=KQZ",
        allow=_register_or_edit,
    ),
)
