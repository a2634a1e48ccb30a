"""This app's routes under /api (the `api` package includes them).

The Subprojects contract names `/v1alpha1/...` as the deprecated spelling of `/v1/...`
("functionally identical"), so the subprojects routes are served under both prefixes
by the same handlers; the v1alpha1 ones say so in their answers (.deprecation).
"""

from django.urls import path, re_path

from . import access_keys, audit_events, events, subprojects
from .auth import key_api_view, key_route
from .deprecation import deprecated


def _subprojects_routes(version: str, name_suffix: str = "", wrap=lambda view: view):
    return [
        path(
            f"{version}/projects/<str:parent_id>/subprojects",
            wrap(
                key_api_view(
                    resource="subprojects",
                    get=subprojects.list_subprojects,
                    post=subprojects.create_subproject,
                )
            ),
            name=f"api_subprojects{name_suffix}",
        ),
        path(
            f"{version}/subprojects/<str:subproject_id>",
            wrap(
                key_api_view(
                    resource="subprojects",
                    get=subprojects.get_subproject,
                    patch=subprojects.update_subproject,
                    delete=subprojects.delete_subproject,
                )
            ),
            name=f"api_subproject{name_suffix}",
        ),
    ]


urlpatterns = [
    # Custom methods first: `v1/subprojects/<str:…>` below would take "ID:suspend" as
    # an ID (and answer 404). <rid:…> is core.converters'.
    key_route(
        "v1/subprojects/<rid:subproject_id>:suspend",
        "api_subproject_suspend",
        resource="subprojects",
        post=subprojects.suspend_subproject,
    ),
    key_route(
        "v1/subprojects/<rid:subproject_id>:resume",
        "api_subproject_resume",
        resource="subprojects",
        post=subprojects.resume_subproject,
    ),
    key_route(
        "v1/subprojects/<rid:subproject_id>:restore",
        "api_subproject_restore",
        resource="subprojects",
        post=subprojects.restore_subproject,
    ),
    # Any other `{id}:verb`: 404 naming the verb, not "no subproject has the ID 'id:verb'".
    re_path(
        r"^v1(?:alpha1)?/subprojects/(?P<subproject_id>[^/:]+):(?P<verb>[^/]*)$",
        subprojects.unknown_custom_method,
    ),
    *_subprojects_routes("v1"),
    *_subprojects_routes("v1alpha1", "_v1alpha1", wrap=deprecated),
    key_route(
        "v1/projects/<str:project_id>/accessKeys",
        "api_access_keys",
        resource="accessKeys",
        get=access_keys.list_access_keys,
        post=access_keys.create_access_key,
    ),
    key_route(
        "v1/projects/<str:project_id>/accessKeys/<str:key_id>",
        "api_access_key",
        resource="accessKeys",
        get=access_keys.get_access_key,
        patch=access_keys.update_access_key,
        delete=access_keys.delete_access_key,
    ),
    key_route(
        "v1/projects/<str:project_id>/auditEvents",
        "api_audit_events",
        resource="auditEvents",
        get=audit_events.list_audit_events,
    ),
    key_route(
        "v1/projects/<str:project_id>/events",
        "api_events",
        resource="webhooks",
        get=events.list_events,
    ),
]
