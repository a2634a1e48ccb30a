"""Every route under /api, in one place.

The Subprojects contract names `/v1alpha1/...` as the deprecated spelling of `/v1/...`
("functionally identical"), so the subprojects routes are served under both prefixes
by the same handlers.
"""

from django.urls import path, re_path, register_converter

from billing import api as billing_api
from usage import api as usage_api
from usage import platform_auth

from . import access_keys, audit_events, subprojects
from .base import api_view, unknown_path
from .openapi import openapi_json


class ResourceIdConverter:
    """A path segment up to a colon: `{id}:suspend` is a custom method on a resource
    (Google's API style). The `str` converter would take the colon and the verb too."""

    regex = "[^/:]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ResourceIdConverter, "rid")


def _subprojects_routes(version: str, name_suffix: str = ""):
    return [
        path(
            f"{version}/projects/<str:parent_id>/subprojects",
            api_view(get=subprojects.list_subprojects, post=subprojects.create_subproject),
            name=f"api_subprojects{name_suffix}",
        ),
        path(
            f"{version}/subprojects/<str:subproject_id>",
            api_view(
                get=subprojects.get_subproject,
                patch=subprojects.update_subproject,
                delete=subprojects.delete_subproject,
            ),
            name=f"api_subproject{name_suffix}",
        ),
    ]


urlpatterns = [
    path("openapi.json", openapi_json, name="api_openapi"),
    # Custom methods first: `v1/subprojects/<str:…>` below would take "ID:suspend" as
    # an ID (and answer 404).
    path(
        "v1/subprojects/<rid:subproject_id>:suspend",
        api_view(post=subprojects.suspend_subproject),
        name="api_subproject_suspend",
    ),
    path(
        "v1/subprojects/<rid:subproject_id>:resume",
        api_view(post=subprojects.resume_subproject),
        name="api_subproject_resume",
    ),
    *_subprojects_routes("v1"),
    *_subprojects_routes("v1alpha1", "_v1alpha1"),
    path(
        "v1/projects/<str:project_id>/accessKeys",
        api_view(get=access_keys.list_access_keys, post=access_keys.create_access_key),
        name="api_access_keys",
    ),
    path(
        "v1/projects/<str:project_id>/accessKeys/<str:key_id>",
        api_view(
            get=access_keys.get_access_key,
            patch=access_keys.update_access_key,
            delete=access_keys.delete_access_key,
        ),
        name="api_access_key",
    ),
    path(
        "v1/projects/<str:project_id>/auditEvents",
        api_view(get=audit_events.list_audit_events),
        name="api_audit_events",
    ),
    path(
        "v1/projects/<str:project_id>/usage",
        api_view(get=usage_api.list_usage),
        name="api_usage",
    ),
    path(
        "v1/projects/<str:project_id>/statements",
        api_view(get=billing_api.list_statements),
        name="api_statements",
    ),
    path(
        "v1/projects/<str:project_id>/statements/<str:month>",
        api_view(get=billing_api.get_statement),
        name="api_statement",
    ),
    path(
        "v1/subprojects/<str:subproject_id>/spendLimit",
        api_view(
            get=billing_api.get_spend_limit,
            put=billing_api.put_spend_limit,
            delete=billing_api.delete_spend_limit,
        ),
        name="api_spend_limit",
    ),
    # The internal API: the platform's own services, with platform tokens only.
    path(
        "internal/v1/projects/<str:project_id>/limits",
        api_view(get=billing_api.get_limits, authenticate=platform_auth.authenticate),
        name="api_internal_limits",
    ),
    path(
        "internal/v1/usage:batchRecord",
        api_view(post=usage_api.batch_record, authenticate=platform_auth.authenticate),
        name="api_internal_usage_batch_record",
    ),
    # Anything else under /api answers in the API's error shape, not an HTML page.
    re_path(r"^(?P<path>.*)$", unknown_path),
]
