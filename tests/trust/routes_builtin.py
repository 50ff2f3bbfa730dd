"""Routes of the apps present when the trust tests were written (core, accounts, places,
catalog, beneficiaries, plans, projects, trust; the reports builder registers its routes in
tests/reports/trust_routes.py). Apps added later register theirs in
``tests/<app>/trust_routes.py`` (see routes.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from khuyencong.trust.access import may_see_history
from tests.trust.routes import PUBLIC, SIGNED_IN, Route, register, register_download


def _history(world: Any, side: str, obj: Any) -> dict[str, Any]:
    return {"content_type_id": ContentType.objects.get_for_model(obj).pk, "pk": obj.pk}


def _unit(world: Any, side: str, obj: Any) -> dict[str, Any]:
    return {"pk": world.sides[side].commune.pk}


register(
    # core, i18n, accounts
    Route("home", SIGNED_IN),
    Route("set_language", PUBLIC, method="post", data={"language": "vi", "next": "/"}),
    Route("login", PUBLIC, fuzz_role="anonymous", ok=(200, 302)),
    Route("logout", PUBLIC, method="post"),
    Route("password_change", SIGNED_IN),
    Route("password_change_done", SIGNED_IN),
    # places and catalogs: reference data, the same for everyone allowed
    Route("places:list", "places.view"),
    Route("places:search", "places.view", query="?q=na&level=commune"),
    Route("places:detail", "places.view", kwargs=_unit),
    Route("catalog:index", "catalog.view"),
    Route("catalog:list", "catalog.view", kwargs={"catalog": "funding-sources"}),
    Route("catalog:create", "catalog.manage", kwargs={"catalog": "legal-bases"}),
    Route(
        "catalog:edit",
        "catalog.manage",
        kwargs=lambda w, s, o: {"catalog": "funding-sources", "pk": _other_source().pk},
    ),
    Route(
        "catalog:archive",
        "catalog.manage",
        method="post",
        kwargs=lambda w, s, o: {"catalog": "funding-sources", "pk": _other_source().pk},
    ),
    Route(
        "catalog:restore",
        "catalog.manage",
        method="post",
        kwargs=lambda w, s, o: {"catalog": "funding-sources", "pk": _other_source().pk},
    ),
    # beneficiaries
    Route("beneficiaries:list", "beneficiaries.view", shows=("beneficiary",)),
    Route("beneficiaries:create", "beneficiaries.create"),
    Route("beneficiaries:detail", "beneficiaries.view", obj="beneficiary"),
    Route("beneficiaries:edit", "beneficiaries.edit", obj="beneficiary", fuzz_role="leader_a"),
    Route("beneficiaries:archive", "beneficiaries.archive", obj="beneficiary", method="post"),
    Route("beneficiaries:restore", "beneficiaries.archive", obj="beneficiary", method="post"),
    # plans and projects (read-only pages so far)
    Route("plans:list", "plans.view", shows=("plan",)),
    Route("plans:detail", "plans.view", obj="plan"),
    Route("projects:list", "projects.view", shows=("project",)),
    Route("projects:detail", "projects.view", obj="project"),
    Route("projects:document_download", "projects.view", obj="document"),
    # trust
    Route("trust:log", "audit.view_log"),
    Route(
        "trust:history",
        "audit.view_history",
        obj="project",
        kwargs=_history,
        allow=lambda user, obj: bool(may_see_history(user, obj)),
    ),
    Route("trust:two_factor", SIGNED_IN),
    Route("trust:two_factor_verify", SIGNED_IN, ok=(200, 302)),
)


def _other_source() -> Any:
    from khuyencong.catalog.models import FundingSource

    return FundingSource.objects.get(code="other")


register_download("projects.ProjectDocument.file", "projects:document_download")
