"""Requests refused at the edge, and what every dashboard answer carries.

- A chunked request body (Transfer-Encoding: chunked, no Content-Length): WSGI hands
  Django such a body as empty, so a form or JSON body would be read as nothing at all.
  Refused with 411 Length Required (JSON under /api/), before any view.
- Plain HTTP under /api/ and /oauth2/ while HTTPS is required (SECURE_SSL_REDIRECT):
  refused with a JSON 403, not redirected. A client that followed a redirect would send
  its Basic credentials in clear a second time, and one that does not would read an
  HTML 301 where it expects JSON; the refusal says to use HTTPS (and that credentials
  already sent in clear should be rotated).
- Dashboard pages and downloads (everything outside the API and the static files)
  carry `Cache-Control: private, no-store` unless their view set its own: they show one
  signed-in user's data, which neither a shared cache nor the browser's history should
  keep.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from core.api.errors import ApiError
from core.api.middleware import answer, is_api_path

LENGTH_REQUIRED = (
    "Send the request body with a Content-Length header: chunked request bodies are not accepted."
)
HTTPS_REQUIRED = (
    "The API is served over HTTPS only: send the request to https://. If you sent "
    "credentials over plain HTTP, rotate that key."
)


def _chunked(request) -> bool:
    return "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()


class EdgeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = is_api_path(request.path)
        if _chunked(request):
            if api:
                return answer(request, ApiError(411, "INVALID_ARGUMENT", LENGTH_REQUIRED))
            return HttpResponse(LENGTH_REQUIRED, status=411, content_type="text/plain")
        if api and settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return answer(request, ApiError(403, "PERMISSION_DENIED", HTTPS_REQUIRED))
        response = self.get_response(request)
        dashboard = not api and not request.path.startswith(settings.STATIC_URL)
        if dashboard and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response
