"""What every API endpoint shares: authentication, the error shape, JSON bodies,
timestamps. Pagination is in .pagination."""

import json
import re
from datetime import UTC

import pydantic
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from core.actors import Actor
from core.errors import ServiceError

from . import auth
from .errors import ApiError, from_service_error, invalid_argument, method_not_allowed, not_found

# URL arguments that name the project a route acts on: read with the caller's key.
TARGET_ARGUMENTS = ("subproject_id", "parent_id", "project_id")


def access_key_caller(request, target=None):
    """(principal, actor) of a customer's access key: the customer API's authentication.
    `target`, the Project ID the route names, is read in the key's own query."""
    principal = auth.authenticate(request, target)
    return principal, Actor.for_key(request, principal.key.key_id)


def api_view(*, authenticate=access_key_caller, **handlers):
    """A view for one URL, dispatching on the HTTP method to `handler(request, **kw)`.

    The request is authenticated first by `authenticate(request, target) -> (principal,
    actor)` (customers' access keys unless said otherwise, with `target`, the project the
    route names, read in the same query; the internal API passes its platform tokens'
    check), which sets request.principal and request.actor; ApiError, and a
    service's refusal (core.errors), become the contract's error body. Not a session
    view: no CSRF, no login redirect.
    """

    @csrf_exempt
    @login_not_required
    @never_cache
    def view(request, **kwargs):
        handler = handlers.get(request.method.lower())
        if handler is None:
            return method_not_allowed([m.upper() for m in handlers]).response()
        try:
            target = next((kwargs[n] for n in TARGET_ARGUMENTS if n in kwargs), None)
            request.principal, request.actor = authenticate(request, target)
            return handler(request, **kwargs)
        except ApiError as error:
            return error.response()
        except ServiceError as error:
            return from_service_error(error).response()

    return view


def json_response(data, status=200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@login_not_required
def unknown_path(request, path=""):
    return not_found("No API resource at this path.").response()


# A UTF-16 surrogate (U+D800 to U+DFFF) in a UTF-8 body: as a JSON escape (\uD800), or
# as the bytes ED A0 80 to ED BF BF, which json.loads decodes with "surrogatepass".
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")


def read_json(request) -> dict:
    """The request body as a JSON object, or 400 INVALID_ARGUMENT saying what is wrong."""
    try:
        body = request.body or b"null"
        data = json.loads(body)
        # Escapes like "\ud800" decode to lone surrogates, which no database or response
        # can encode: refuse them here rather than fail half-way through a write. A UTF-8
        # body is checked only if it holds a surrogate (encoding 1,000 usage records again
        # cost a millisecond); json.loads also takes UTF-16 and UTF-32.
        if json.detect_encoding(body) != "utf-8" or _SURROGATE.search(body):
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


def timestamp(value) -> str:
    """ISO 8601 in UTC with a Z, e.g. 2026-11-27T04:54:00.367Z."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
