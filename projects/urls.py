"""Dashboard URLs of projects, subprojects, access keys and a project's Activity.
Project IDs in URLs match core.ids.PATTERN (the <pid:…> converter, core.converters);
anything else is not a project URL at all (404)."""

from django.urls import path

from .views import access_keys, activity, details, projects, subprojects

urlpatterns = [
    path("projects/", projects.project_list, name="project_list"),
    path("projects.csv", projects.project_list_csv, name="project_list_csv"),
    path("projects/menu/", projects.projects_menu, name="projects_menu"),
    path("projects/<pid:public_id>/", details.project_detail, name="project_detail"),
    path("projects/<pid:public_id>/rename/", details.project_rename, name="project_rename"),
    path("projects/<pid:public_id>/labels/", details.project_labels, name="project_labels"),
    path("projects/<pid:public_id>/remove/", details.subproject_remove, name="subproject_remove"),
    path(
        "projects/<pid:public_id>/restore/", details.subproject_restore, name="subproject_restore"
    ),
    path("projects/<pid:public_id>/suspend/", details.project_suspend, name="project_suspend"),
    path("projects/<pid:public_id>/resume/", details.project_resume, name="project_resume"),
    path(
        "projects/<pid:public_id>/subprojects/",
        subprojects.subproject_list,
        name="subproject_list",
    ),
    path(
        "projects/<pid:public_id>/subprojects.csv",
        subprojects.subproject_list_csv,
        name="subproject_list_csv",
    ),
    path(
        "projects/<pid:public_id>/subprojects/remove/",
        subprojects.subprojects_remove,
        name="subprojects_remove",
    ),
    path(
        "projects/<pid:public_id>/subprojects/removed/",
        subprojects.subproject_removed_list,
        name="subproject_removed_list",
    ),
    path(
        "projects/<pid:public_id>/subprojects/new/",
        subprojects.subproject_create,
        name="subproject_create",
    ),
    path(
        "projects/<pid:public_id>/keys/new/",
        access_keys.access_key_create,
        name="access_key_create",
    ),
    path(
        "projects/<pid:public_id>/keys/<uuid:key_id>/rotate/",
        access_keys.access_key_rotate,
        name="access_key_rotate",
    ),
    path(
        "projects/<pid:public_id>/reminders/service-api/dismiss/",
        details.service_api_reminder_dismiss,
        name="service_api_reminder_dismiss",
    ),
    path(
        "projects/<pid:public_id>/keys/<uuid:key_id>/revoke/",
        access_keys.access_key_revoke,
        name="access_key_revoke",
    ),
    path("projects/<pid:public_id>/activity/", activity.project_activity, name="project_activity"),
    path(
        "projects/<pid:public_id>/activity.csv",
        activity.project_activity_csv,
        name="project_activity_csv",
    ),
]
