from django.urls import path

import projects.urls  # noqa: F401 - registers the <pid:…> converter used below

from . import views

urlpatterns = [
    path("projects/<pid:public_id>/activity/", views.project_activity, name="project_activity"),
    path(
        "projects/<pid:public_id>/activity.csv",
        views.project_activity_csv,
        name="project_activity_csv",
    ),
]
