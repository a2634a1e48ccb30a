"""Dashboard URLs of projects, subprojects, access keys and a project's Activity.
Project IDs in URLs match core.ids.PATTERN (the <pid:…> converter, core.converters);
anything else is not a project URL at all (404)."""

from django.urls import path

from core.converters import project_path

from .views import access_keys, activity, details, projects, subprojects

urlpatterns = [
    path("projects/", projects.project_list, name="project_list"),
    path("projects.csv", projects.project_list_csv, name="project_list_csv"),
    path("projects/menu/", projects.projects_menu, name="projects_menu"),
    project_path("", details.project_detail),
    project_path("rename/", details.project_rename),
    project_path("labels/", details.project_labels),
    project_path("customers-see/", details.project_customers_see),
    project_path("remove/", details.subproject_remove),
    project_path("restore/", details.subproject_restore),
    project_path("suspend/", details.project_suspend),
    project_path("resume/", details.project_resume),
    project_path("subprojects/", subprojects.subproject_list),
    project_path("subprojects.csv", subprojects.subproject_list_csv),
    project_path("subprojects/remove/", subprojects.subprojects_remove),
    project_path("subprojects/removed/", subprojects.subproject_removed_list),
    project_path("subprojects/new/", subprojects.subproject_create),
    project_path("keys/new/", access_keys.access_key_create),
    project_path("keys/<uuid:key_id>/rotate/", access_keys.access_key_rotate),
    project_path("reminders/service-api/dismiss/", details.service_api_reminder_dismiss),
    project_path("keys/<uuid:key_id>/revoke/", access_keys.access_key_revoke),
    project_path("activity/", activity.project_activity),
    project_path("activity.csv", activity.project_activity_csv),
]
