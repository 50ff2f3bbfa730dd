"""Errors as structured JSON, in the user's language (Vietnamese by default).

Every error answer has the same shape::

    {"detail": [{"loc": ["body", "tax_code"], "msg": "…", "type": "check_digit"}]}

- 400: the input is malformed (schema) or a domain rule refuses it (``lifecycle.Refused``,
  form errors); nothing was written;
- 422: a reference the user may not choose (another province's organisation, beneficiary,
  plan or place: ``projects.references.OutOfArea``); nothing was written;
- 401: no valid token or session; 403: the role or scope does not allow it;
- 404: no such record in the user's scope; 409: the record changed since the client read
  it (optimistic version check), the current version is in ``msg`` and ``current_version``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from khuyencong.core.models import VersionConflict
from khuyencong.projects.lifecycle import Refused
from khuyencong.projects.references import OUT_OF_AREA


class ErrorItem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ErrorOut(Schema):
    detail: list[ErrorItem]
    current_version: int | None = None


ERROR_RESPONSES: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
}
WRITE_RESPONSES: dict[int, type[Schema]] = {**ERROR_RESPONSES, 409: ErrorOut, 422: ErrorOut}


class ApiRefusal(Exception):
    """A refusal raised by an endpoint: status, message, location and type."""

    def __init__(
        self, status: int, msg: str, *, loc: list[str | int] | None = None, type: str = "invalid"
    ):
        self.status = status
        self.items = [{"loc": loc or [], "msg": str(msg), "type": type}]
        super().__init__(msg)


class FieldErrors(ApiRefusal):
    """Several field errors at once (a form that did not validate)."""

    def __init__(self, items: list[dict[str, Any]]):
        self.status = 400
        self.items = items
        Exception.__init__(self, items)


# Messages for the schema errors pydantic reports, by error type (English msgids).
PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "float_parsing": gettext_lazy("Enter a number."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "bool_type": gettext_lazy("Enter true or false."),
    "string_type": gettext_lazy("Enter text."),
    "string_too_long": gettext_lazy("The text is too long."),
    "string_too_short": gettext_lazy("The text is too short."),
    "greater_than_equal": gettext_lazy("The value is too small."),
    "greater_than": gettext_lazy("The value is too small."),
    "less_than_equal": gettext_lazy("The value is too large."),
    "less_than": gettext_lazy("The value is too large."),
    "date_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_type": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "literal_error": gettext_lazy("This value is not one of the allowed choices."),
    "enum": gettext_lazy("This value is not one of the allowed choices."),
    "extra_forbidden": gettext_lazy("This field is not accepted here."),
    "json_invalid": gettext_lazy("The request body is not valid JSON."),
    "model_attributes_type": gettext_lazy("The request body must be a JSON object."),
    "dict_type": gettext_lazy("The request body must be a JSON object."),
    "list_type": gettext_lazy("Enter a list of values."),
    "value_error": gettext_lazy("The value is not valid."),
}


def translate_schema_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items = []
    for error in errors:
        kind = str(error.get("type", "value_error"))
        message = PYDANTIC_MESSAGES.get(kind, PYDANTIC_MESSAGES["value_error"])
        items.append(
            {
                "loc": [part if isinstance(part, int) else str(part) for part in error["loc"]],
                "msg": str(message),
                "type": kind,
            }
        )
    return items


# Model field names the services report -> the API's field names.
FIELD_NAMES = {
    "beneficiary": "beneficiary_id",
    "place": "place_id",
    "implementing_unit": "implementing_unit_id",
    "plan": "plan_id",
    "allocation": "allocation_id",
}


def refused_status(error: Refused) -> int:
    if error.code == "permission":
        return 403
    return 422 if error.code == OUT_OF_AREA else 400


def install(api: Any) -> None:
    """Register the handlers on the NinjaAPI instance."""

    def respond(
        request: HttpRequest, status: int, items: list[dict[str, Any]], **extra: Any
    ) -> HttpResponse:
        return api.create_response(request, {"detail": items, **extra}, status=status)

    @api.exception_handler(ValidationError)
    def schema_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return respond(request, 400, translate_schema_errors(exc.errors))

    @api.exception_handler(ApiRefusal)
    def refusal(request: HttpRequest, exc: ApiRefusal) -> HttpResponse:
        return respond(request, exc.status, exc.items)

    @api.exception_handler(Refused)
    def domain_refusal(request: HttpRequest, exc: Refused) -> HttpResponse:
        problems = getattr(exc, "problems", None)  # registrations.services.InputError
        if problems:
            items = [
                {"loc": ["body", FIELD_NAMES.get(p.field, p.field)], "msg": str(p.message)}
                for p in problems
            ]
            return respond(request, 400, [{**item, "type": exc.code} for item in items])
        field = getattr(exc, "field", None)  # references.OutOfArea names the reference
        loc = ["body", FIELD_NAMES.get(field, field)] if field else ["body"]
        return respond(
            request, refused_status(exc), [{"loc": loc, "msg": exc.message, "type": exc.code}]
        )

    @api.exception_handler(VersionConflict)
    def conflict(request: HttpRequest, exc: VersionConflict) -> HttpResponse:
        message = _(
            "This record was changed by someone else (now version %(version)s) after you read "
            "it. Read it again and apply your changes to the current version."
        ) % {"version": exc.current.version}
        return respond(
            request,
            409,
            [{"loc": ["body", "version"], "msg": message, "type": "version_conflict"}],
            current_version=exc.current.version,
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = _("Sign in, or send a valid API token (Authorization: Bearer …).")
        return respond(request, 401, [{"loc": ["header"], "msg": message, "type": "auth"}])

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or _("Your role does not allow this action.")
        return respond(request, 403, [{"loc": [], "msg": message, "type": "permission"}])

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = _("No such record, or it is outside your area of responsibility.")
        return respond(request, 404, [{"loc": ["path"], "msg": message, "type": "not_found"}])

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(
            request, exc.status_code, [{"loc": [], "msg": str(exc.message), "type": "http"}]
        )
