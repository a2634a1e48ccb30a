"""Every route under /api: each app's own, then a JSON 404 for anything else."""

from django.urls import include, path, re_path

from core.api.views import unknown_path
from projects.api import oauth

from .openapi import openapi_json

urlpatterns = [
    path("openapi.json", openapi_json, name="api_openapi"),
    # The token endpoint, also here so that a client generated from the document (whose
    # one server is /api) reaches it; /oauth2/token stays for existing clients.
    path("oauth2/token", oauth.token, name="api_oauth2_token"),
    path("", include("projects.api.urls")),
    path("", include("usage.api.urls")),
    path("", include("billing.api.urls")),
    path("", include("webhooks.api.urls")),
    # Anything else under /api answers in the API's error shape, not an HTML page.
    re_path(r"^(?P<path>.*)$", unknown_path),
]
