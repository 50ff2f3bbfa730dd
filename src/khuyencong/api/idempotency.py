"""``Idempotency-Key`` on the POSTs that create money (progress updates and disbursements,
lifecycle events with their amounts, plan ceilings).

A client that lost the answer to such a POST (a timeout, a dropped connection) sends it again
with the same key: it gets the first answer and nothing is written twice. The key is per user
and token (the browser session counts as one token); the same key with another request (body,
path or method) is refused with 422. Keys are kept ``IdempotencyKey.KEEP``.

The key's row is inserted in the transaction of the write it guards: a second request with the
same key, arriving while the first runs, waits on the unique constraint until the first commits,
then answers from its row (or, if the first failed and wrote nothing, runs itself). A request
refused (4xx) stores nothing: the client may correct it and send it again with the same key.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema, Status

from khuyencong.api.errors import WRITE_RESPONSES, ApiRefusal, ErrorOut
from khuyencong.api.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_LENGTH = 255


# The header in the OpenAPI schema of each endpoint that honours it (``openapi_extra``).
OPENAPI = {
    "parameters": [
        {
            "in": "header",
            "name": HEADER,
            "required": False,
            "schema": {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH},
            "description": (
                "Optional. A unique value per request (e.g. a UUID): sent again with the same "
                "request (a retry), the first answer comes back and nothing is written twice; "
                "with another request, 422. Kept 24 hours."
            ),
        }
    ]
}
IDEMPOTENT_RESPONSES: dict[int, type[Schema]] = {**WRITE_RESPONSES, 422: ErrorOut}


def fingerprint(request: HttpRequest) -> str:
    """What makes two requests "the same": method, path and body, byte for byte."""
    digest = hashlib.sha256()
    for part in (request.method or "", request.path):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _key_of(request: HttpRequest) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not key or len(key) > MAX_LENGTH or not key.isascii() or not key.isprintable():
        raise ApiRefusal(
            400,
            _("The Idempotency-Key header must be 1 to %(n)s printable ASCII characters.")
            % {"n": MAX_LENGTH},
            loc=["header", HEADER],
            type="idempotency_key",
        )
    return key


def _stored(result: Any) -> tuple[int, Any]:
    status, value = (
        (result.status_code, result.value) if isinstance(result, Status) else (200, result)
    )
    # the answer as JSON text reads back as the schema renders it (dates as ISO text)
    return status, json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def idempotent(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate an endpoint (under ``@router.post``): honour ``Idempotency-Key``."""

    @functools.wraps(endpoint)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = _key_of(request)
        if key is None:
            return endpoint(request, *args, **kwargs)
        token = getattr(request, "api_token", None)
        mine = IdempotencyKey.objects.filter(user=request.user, token=token, key=key)
        sent = fingerprint(request)
        with transaction.atomic():
            IdempotencyKey.expired().filter(user=request.user).delete()  # kept KEEP, no longer
            try:
                with transaction.atomic():
                    # claims the key (a concurrent twin waits here) before anything is written
                    row = IdempotencyKey.objects.create(
                        user=request.user,
                        token=token,
                        key=key,
                        fingerprint=sent,
                        status_code=0,
                        response=None,
                    )
            except IntegrityError:
                first = mine.get()
                if first.fingerprint != sent:
                    raise ApiRefusal(
                        422,
                        _(
                            "This Idempotency-Key was already used for a different request. "
                            "Send a new key for a new request; nothing was written."
                        ),
                        loc=["header", HEADER],
                        type="idempotency_key_reused",
                    ) from None
                return Status(first.status_code, first.response)
            result = endpoint(request, *args, **kwargs)
            row.status_code, row.response = _stored(result)
            if row.status_code >= 400:  # a refusal wrote nothing: the key stays free
                transaction.set_rollback(True)
            else:
                row.save(update_fields=["status_code", "response"])
        return result

    # ninja reads the endpoint's parameters from the signature: give it the endpoint's own,
    # with its annotations resolved in the endpoint's module (not this one)
    wrapper.__signature__ = inspect.signature(endpoint, eval_str=True)  # type: ignore[attr-defined]
    return wrapper
