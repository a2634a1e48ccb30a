"""This app's routes under /api (the `api` package includes them)."""

from django.urls import path

from core.api.views import api_view
from projects.api.auth import key_route
from usage.api import platform_auth

from . import views

urlpatterns = [
    key_route(
        "v1/projects/<str:project_id>/statements",
        "api_statements",
        resource="billing",
        get=views.list_statements,
    ),
    key_route(
        "v1/projects/<str:project_id>/statements/<str:month>",
        "api_statement",
        resource="billing",
        get=views.get_statement,
    ),
    key_route(
        "v1/subprojects/<str:subproject_id>/statements",
        "api_subproject_statements",
        resource="billing",
        get=views.list_subproject_statements,
    ),
    key_route(
        "v1/subprojects/<str:subproject_id>/statements/<str:month>",
        "api_subproject_statement",
        resource="billing",
        get=views.get_subproject_statement,
    ),
    key_route(
        "v1/subprojects/<str:subproject_id>/spendLimit",
        "api_spend_limit",
        resource="billing",
        get=views.get_spend_limit,
        put=views.put_spend_limit,
        delete=views.delete_spend_limit,
    ),
    # The internal API: the platform's own services, with platform tokens only.
    path(
        "internal/v1/projects/<str:project_id>/limits",
        api_view(get=views.get_limits, authenticate=platform_auth.needing("limits")),
        name="api_internal_limits",
    ),
]
