"""This app's routes under /api (the `api` package includes them)."""

from projects.api.auth import key_route

from . import views

BASE = "v1/projects/<str:project_id>/webhookEndpoints"

# Scoped keys need webhooks:read or webhooks:write (projects.scopes).
urlpatterns = [
    # Custom methods first: <rid:…> (core.converters) stops at the colon.
    key_route(
        f"{BASE}/<rid:endpoint_id>:rotateSecret",
        "api_webhook_rotate",
        resource="webhooks",
        post=views.rotate_secret,
    ),
    key_route(
        f"{BASE}/<rid:endpoint_id>:replay",
        "api_webhook_replay",
        resource="webhooks",
        post=views.replay,
    ),
    key_route(
        f"{BASE}/<rid:endpoint_id>:test",
        "api_webhook_test",
        resource="webhooks",
        post=views.send_test,
    ),
    key_route(
        f"{BASE}/<str:endpoint_id>/deliveries",
        "api_webhook_deliveries",
        resource="webhooks",
        get=views.list_deliveries,
    ),
    key_route(
        BASE,
        "api_webhook_endpoints",
        resource="webhooks",
        get=views.list_endpoints,
        post=views.create_endpoint,
    ),
    key_route(
        f"{BASE}/<str:endpoint_id>",
        "api_webhook_endpoint",
        resource="webhooks",
        get=views.get_endpoint,
        patch=views.update_endpoint,
        delete=views.delete_endpoint,
    ),
]
