"""The interactive API docs (django-ninja's Swagger UI, vendored): the project's own page,
with a header leading back to the app (its home page) and the site's favicon."""

from __future__ import annotations

from ninja.openapi.docs import Swagger


class AppSwagger(Swagger):
    template = "api/swagger.html"
