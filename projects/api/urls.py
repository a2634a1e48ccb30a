"""This app's routes under /api (the `api` package includes them).

The Subprojects contract names `/v1alpha1/...` as the deprecated spelling of `/v1/...`
("functionally identical"), so the subprojects routes are served under both prefixes
by the same handlers.
"""

from django.urls import path

from . import access_keys, audit_events, subprojects
from .auth import key_api_view


def _subprojects_routes(version: str, name_suffix: str = ""):
    return [
        path(
            f"{version}/projects/<str:parent_id>/subprojects",
            key_api_view(get=subprojects.list_subprojects, post=subprojects.create_subproject),
            name=f"api_subprojects{name_suffix}",
        ),
        path(
            f"{version}/subprojects/<str:subproject_id>",
            key_api_view(
                get=subprojects.get_subproject,
                patch=subprojects.update_subproject,
                delete=subprojects.delete_subproject,
            ),
            name=f"api_subproject{name_suffix}",
        ),
    ]


urlpatterns = [
    # Custom methods first: `v1/subprojects/<str:…>` below would take "ID:suspend" as
    # an ID (and answer 404). <rid:…> is core.converters'.
    path(
        "v1/subprojects/<rid:subproject_id>:suspend",
        key_api_view(post=subprojects.suspend_subproject),
        name="api_subproject_suspend",
    ),
    path(
        "v1/subprojects/<rid:subproject_id>:resume",
        key_api_view(post=subprojects.resume_subproject),
        name="api_subproject_resume",
    ),
    *_subprojects_routes("v1"),
    *_subprojects_routes("v1alpha1", "_v1alpha1"),
    path(
        "v1/projects/<str:project_id>/accessKeys",
        key_api_view(get=access_keys.list_access_keys, post=access_keys.create_access_key),
        name="api_access_keys",
    ),
    path(
        "v1/projects/<str:project_id>/accessKeys/<str:key_id>",
        key_api_view(
            get=access_keys.get_access_key,
            patch=access_keys.update_access_key,
            delete=access_keys.delete_access_key,
        ),
        name="api_access_key",
    ),
    path(
        "v1/projects/<str:project_id>/auditEvents",
        key_api_view(get=audit_events.list_audit_events),
        name="api_audit_events",
    ),
]
