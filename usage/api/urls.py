"""This app's routes under /api (the `api` package includes them): customers read usage
with their access keys; the platform's services report it with platform tokens."""

from django.urls import path

from core.api.views import api_view
from projects.api.auth import key_route

from . import platform_auth, views

urlpatterns = [
    key_route(
        "v1/projects/<str:project_id>/usage", "api_usage", resource="usage", get=views.list_usage
    ),
    path(
        "internal/v1/usage:batchRecord",
        api_view(post=views.batch_record, authenticate=platform_auth.needing("ingest")),
        name="api_internal_usage_batch_record",
    ),
]
