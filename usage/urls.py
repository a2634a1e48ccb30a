"""The dashboard's usage pages (Project IDs: core.converters' <pid:…>)."""

from core.converters import project_path

from . import views

urlpatterns = [
    project_path("usage/", views.project_usage),
    project_path("usage/usage.csv", views.project_usage_csv),
    project_path("usage/daily.csv", views.project_usage_daily_csv),
]
