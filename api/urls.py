"""Every route under /api: each app's own, then a JSON 404 for anything else."""

from django.urls import include, path, re_path

from core.api.views import unknown_path

from .openapi import openapi_json

urlpatterns = [
    path("openapi.json", openapi_json, name="api_openapi"),
    path("", include("projects.api.urls")),
    path("", include("usage.api.urls")),
    path("", include("billing.api.urls")),
    # Anything else under /api answers in the API's error shape, not an HTML page.
    re_path(r"^(?P<path>.*)$", unknown_path),
]
