"""Dashboard URLs of a top-level project's webhook endpoints (part of its Settings)."""

from core.converters import project_path

from . import views

urlpatterns = [
    project_path("webhooks/", views.webhook_list),
    project_path("webhooks/new/", views.webhook_create),
    project_path("webhooks/<pid:endpoint_id>/", views.webhook_detail),
    project_path("webhooks/<pid:endpoint_id>/edit/", views.webhook_edit),
    project_path("webhooks/<pid:endpoint_id>/enable/", views.webhook_enable),
    project_path("webhooks/<pid:endpoint_id>/rotate/", views.webhook_rotate),
    project_path("webhooks/<pid:endpoint_id>/delete/", views.webhook_delete),
    project_path("webhooks/<pid:endpoint_id>/test/", views.webhook_test),
    project_path("webhooks/<pid:endpoint_id>/replay/", views.webhook_replay),
]
