"""The REST API (django-ninja), /api/v1/: OpenAPI 3 schema at /api/v1/openapi.json,
interactive docs at /api/v1/docs (Swagger UI served from ninja's own static files, no CDN);
both for signed-in users and token holders unless API_DOCS_PUBLIC (auth.docs_access)."""

from __future__ import annotations

from ninja import NinjaAPI

from khuyencong.api import (
    beneficiaries,
    errors,
    plans,
    projects,
    reference,
    registrations,
    reports,
)
from khuyencong.api.auth import AUTH, docs_access
from khuyencong.api.docs import AppSwagger

DESCRIPTION = """
Khuyến công REST API. The same rules, scope and permissions as the web pages.

**Authentication**: an API token (create it under your name → "API tokens"; shown once) sent
as `Authorization: Bearer kc_…`, or the browser session (writes then need the CSRF token).

**Errors** are JSON: `{"detail": [{"loc": [...], "msg": "…", "type": "…"}]}` with messages in
Vietnamese. 400 bad input or a rule refused it (nothing written), 401 not signed in, 403 not
allowed, 404 no such record in your area, 409 the record changed since you read it.

**Writes** carry the `version` you read (optimistic concurrency): a stale version is refused
with 409 and the current version. A project's status changes only by POSTing an event to
`/projects/{id}/events`.

**Retries**: the POSTs that create money (progress updates, project events, plan approvals and
ceilings) accept an `Idempotency-Key` header (e.g. a UUID). Sent again with the same request
(a retry after a lost answer), it returns the first answer and writes nothing; with another
request, 422. Keys are kept 24 hours, per user and token.

**Lists** are paginated (`page`, `page_size` ≤ 500), filtered like the pages, ordered by
`ordering`. Money is whole đồng (VND), dates are `YYYY-MM-DD`.
"""

api = NinjaAPI(
    title="Khuyến công API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=AUTH,
    docs=AppSwagger(),  # with a header leading back to the app
    docs_decorator=docs_access,  # behind sign-in in production (API_DOCS_PUBLIC)
)
errors.install(api)
api.add_router("", reference.router)
api.add_router("", beneficiaries.router)
api.add_router("", plans.router)
api.add_router("", registrations.router)
api.add_router("", projects.router)
api.add_router("", reports.router)
