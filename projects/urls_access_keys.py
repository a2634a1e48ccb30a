"""Dashboard URLs of access keys (included from dashboard/urls.py)."""

from django.urls import path

from . import views_access_keys as views

urlpatterns = [
    path("projects/<str:public_id>/keys/new/", views.access_key_create, name="access_key_create"),
    path(
        "projects/<str:public_id>/keys/<uuid:key_id>/revoke/",
        views.access_key_revoke,
        name="access_key_revoke",
    ),
]
