"""The dashboard's usage pages (Project IDs: core.converters' <pid:…>)."""

from django.urls import path

from . import views

urlpatterns = [
    path("projects/<pid:public_id>/usage/", views.project_usage, name="project_usage"),
    path(
        "projects/<pid:public_id>/usage/usage.csv",
        views.project_usage_csv,
        name="project_usage_csv",
    ),
    path(
        "projects/<pid:public_id>/usage/daily.csv",
        views.project_usage_daily_csv,
        name="project_usage_daily_csv",
    ),
]
