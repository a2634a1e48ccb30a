"""Every answer under /api/ and /oauth2/ is JSON, whatever produced it.

The views answer in the contracts' shape themselves. What they never see is answered
here in the same shape: an exception in a view (a bug is 500 INTERNAL_ERROR, a database
or cache outage 503 UNAVAILABLE with Retry-After), and Django's own pages, made before
or around the API's code runs (a foreign Host header, a NUL character refused at the
edge, a 404 under /oauth2/, a 405 from require_POST). /oauth2/ and /api/oauth2/ speak
OAuth's error shape (RFC 6749 section 5.2), as the token endpoint does. A 500 and a 503
carry Retry-After. The server's own answers (gunicorn's 400/414/431) are made JSON by
gunicorn.conf.py.
"""

import logging

from django.core import signals
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, JsonResponse

from core.metrics import auth_failures, backend_unavailable
from core.outages import RETRY_AFTER, backend_of

from .errors import (
    ApiError,
    for_status,
    internal_error,
    invalid_argument,
    not_found,
    permission_denied,
)

logger = logging.getLogger("django.request")

API = ("/api", "/oauth2")
# The token endpoint, at /oauth2/token and /api/oauth2/token, answers in OAuth's shape.
OAUTH = ("/oauth2", "/api/oauth2")
# Headers of the original answer that a client still needs in the JSON one.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def is_api_path(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in API)


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _oauth_error(status: int, message: str) -> JsonResponse:
    if status >= 500:
        error = "temporarily_unavailable" if status == 503 else "server_error"
    else:
        error = "invalid_client" if status == 401 else "invalid_request"
    return JsonResponse({"error": error, "error_description": message}, status=status)


def answer(request, error: ApiError):
    """`error` in the shape of the path: OAuth's under /oauth2/, the contracts' else."""
    if error.code in (500, 503):
        # A bug may be passing (a deploy, a race) as an outage is: say when a retry makes
        # sense, so that clients back off instead of hammering (the document says so).
        error.headers.setdefault("Retry-After", str(RETRY_AFTER))
    if request.path.startswith(OAUTH):
        response = _oauth_error(error.code, error.message)
        for name, value in error.headers.items():
            response[name] = value
    else:
        response = error.response()
    # Made outside CommonMiddleware, which sets it on the views' answers: without it the
    # server would send the body chunked, and keep-alive clients expect a length.
    response["Content-Length"] = str(len(response.content))
    return response


def as_json(request, response):
    """`response` (an error page) as the same error in JSON."""
    error = for_status(response.status_code, getattr(response, "api_message", None))
    for name in KEPT_HEADERS:
        if name in response:
            error.headers[name] = response[name]
    return answer(request, error)


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api_path(request.path):
            return response
        if response.status_code == 401:
            # The platform's services (platform tokens) apart from customers' keys.
            platform = request.path.startswith("/api/internal/")
            auth_failures.labels("platform" if platform else "api").inc()
        if response.status_code >= 400 and not _is_json(response):
            return as_json(request, response)
        return response

    def process_exception(self, request, exception):
        if not is_api_path(request.path):
            return None
        if isinstance(exception, SuspiciousOperation):  # too many fields, bad host …
            error = invalid_argument("The request could not be read: it is malformed or too large.")
        elif isinstance(exception, Http404):
            error = not_found()
        elif isinstance(exception, PermissionDenied):
            error = permission_denied()
        elif backend := backend_of(exception):
            backend_unavailable.labels(backend).inc()
            logger.warning(
                "Service Unavailable (%s unreachable): %s",
                backend,
                request.path,
                exc_info=exception,
                extra={"status_code": 503, "request": request},
            )
            error = for_status(503)
            error.headers["Retry-After"] = str(RETRY_AFTER)
        else:
            # As Django does for its own 500s: tell error reporters (admin emails,
            # monitoring, the test client), then log with the request attached.
            signals.got_request_exception.send(sender=None, request=request)
            logger.error(
                "Internal Server Error: %s",
                request.path,
                exc_info=exception,
                extra={"status_code": 500, "request": request},
            )
            error = internal_error()
        return answer(request, error)
