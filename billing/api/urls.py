"""This app's routes under /api (the `api` package includes them)."""

from django.urls import path

from core.api.views import api_view
from projects.api.auth import key_api_view
from usage.api import platform_auth

from . import views

urlpatterns = [
    path(
        "v1/projects/<str:project_id>/statements",
        key_api_view(get=views.list_statements),
        name="api_statements",
    ),
    path(
        "v1/projects/<str:project_id>/statements/<str:month>",
        key_api_view(get=views.get_statement),
        name="api_statement",
    ),
    path(
        "v1/subprojects/<str:subproject_id>/spendLimit",
        key_api_view(
            get=views.get_spend_limit,
            put=views.put_spend_limit,
            delete=views.delete_spend_limit,
        ),
        name="api_spend_limit",
    ),
    # The internal API: the platform's own services, with platform tokens only.
    path(
        "internal/v1/projects/<str:project_id>/limits",
        api_view(get=views.get_limits, authenticate=platform_auth.authenticate),
        name="api_internal_limits",
    ),
]
