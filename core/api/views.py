"""The API's view: one per URL, dispatching on the HTTP method, authenticated first.

Each app builds its routes with `api_view(authenticate=…, get=…, post=…)`, passing the
check its callers pass (customers' access keys: projects.api.auth.access_key_caller; the
platform's services: usage.api.platform_auth.authenticate).
"""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from core.errors import ServiceError

from .errors import ApiError, from_service_error, method_not_allowed, not_found

# URL arguments that name the project a route acts on: read with the caller's key.
TARGET_ARGUMENTS = ("subproject_id", "parent_id", "project_id")


def api_view(*, authenticate, **handlers):
    """A view for one URL, dispatching on the HTTP method to `handler(request, **kw)`.

    The request is authenticated first by `authenticate(request, target) -> (principal,
    actor)`, with `target` the Project ID the route names (if any), which sets
    request.principal and request.actor; ApiError, and a service's refusal
    (core.errors), become the contract's error body. Not a session view: no CSRF, no
    login redirect.
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
