"""This app's routes under /api (the `api` package includes them).

The Subprojects contract names `/v1alpha1/...` as the deprecated spelling of `/v1/...`
("functionally identical"), so the subprojects routes are served under both prefixes
by the same handlers.
"""

from . import access_keys, audit_events, subprojects
from .auth import key_route


def _subprojects_routes(version: str, name_suffix: str = ""):
    return [
        key_route(
            f"{version}/projects/<str:parent_id>/subprojects",
            f"api_subprojects{name_suffix}",
            resource="subprojects",
            get=subprojects.list_subprojects,
            post=subprojects.create_subproject,
        ),
        key_route(
            f"{version}/subprojects/<str:subproject_id>",
            f"api_subproject{name_suffix}",
            resource="subprojects",
            get=subprojects.get_subproject,
            patch=subprojects.update_subproject,
            delete=subprojects.delete_subproject,
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
    *_subprojects_routes("v1"),
    *_subprojects_routes("v1alpha1", "_v1alpha1"),
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
]
