"""What every API endpoint shares: authentication, the error shape, JSON bodies,
page sizes and page tokens, timestamps."""

import json
from datetime import UTC

import pydantic
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from . import auth
from .errors import ApiError, invalid_argument, method_not_allowed, not_found

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


def api_view(**handlers):
    """A view for one URL, dispatching on the HTTP method to `handler(request, **kw)`.

    The request is authenticated first (request.principal is set); ApiError becomes
    the contract's error body. Not a session view: no CSRF, no login redirect.
    """

    @csrf_exempt
    @login_not_required
    @never_cache
    def view(request, **kwargs):
        handler = handlers.get(request.method.lower())
        if handler is None:
            return method_not_allowed([m.upper() for m in handlers]).response()
        try:
            request.principal = auth.authenticate(request)
            return handler(request, **kwargs)
        except ApiError as error:
            return error.response()

    return view


def json_response(data, status=200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@login_not_required
def unknown_path(request, path=""):
    return not_found("No API resource at this path.").response()


def read_json(request) -> dict:
    """The request body as a JSON object, or 400 INVALID_ARGUMENT saying what is wrong."""
    try:
        data = json.loads(request.body or b"null")
        # Escapes like "\ud800" decode to lone surrogates, which no database or response
        # can encode: refuse them here rather than fail half-way through a write.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise invalid_argument(
            "The request body contains an invalid Unicode escape (a lone surrogate)."
        ) from None
    except RequestDataTooBig:
        raise invalid_argument("The request body is too large.") from None
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: deep nesting
        raise invalid_argument("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise invalid_argument("The request body must be a JSON object.")
    return data


def parse_body(request, model: type[pydantic.BaseModel], *, ignore=()):
    """Validate the JSON body with a pydantic model; errors name the field.

    Fields named in `ignore` (e.g. a resource's read-only fields, which a contract says
    are ignored in requests) are dropped before validation rather than refused.
    """
    data = read_json(request)
    data = {name: value for name, value in data.items() if name not in ignore}
    try:
        return model.model_validate(data, strict=True)
    except pydantic.ValidationError as e:
        first = e.errors(include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or "body"
        if first["type"] == "extra_forbidden":
            raise invalid_argument(f"{field}: unknown field.") from None
        raise invalid_argument(f"{field}: {first['msg']}.") from None


def validation_message(error: ValidationError) -> str:
    """One line from a model or service ValidationError."""
    return " ".join(error.messages)


def page_size(request) -> int:
    raw = request.GET.get("pageSize")
    if raw in (None, ""):
        return DEFAULT_PAGE_SIZE
    # Plain ASCII digits only: int() would also take " 5", "1_0" and other scripts' digits.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4) or not (
        1 <= int(raw) <= MAX_PAGE_SIZE
    ):
        raise invalid_argument("pageSize must be a whole number from 1 to 1000.")
    return int(raw)


def make_page_token(context: str, position: list) -> str:
    """An opaque, tamper-proof token for keyset pagination, bound to one listing."""
    return signing.dumps({"c": context, "p": position}, salt="projects.api.page-token")


def read_page_token(request, context: str) -> list | None:
    token = request.GET.get("pageToken")
    if not token:
        return None
    try:
        payload = signing.loads(token, salt="projects.api.page-token")
    except signing.BadSignature:
        raise invalid_argument(
            "pageToken is not valid: use the nextPageToken of a response."
        ) from None
    if not isinstance(payload, dict) or payload.get("c") != context:
        raise invalid_argument("pageToken belongs to another listing.")
    return payload.get("p")


def timestamp(value) -> str:
    """ISO 8601 in UTC with a Z, e.g. 2026-11-27T04:54:00.367Z."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
