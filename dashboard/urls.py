from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from projects.api import oauth

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("help/access-keys/", views.help_access_keys, name="help_access_keys"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("team.urls")),
    path("", include("projects.urls")),
    path("", include("usage.urls")),
    path("", include("billing.urls")),
    path("", include("webhooks.urls")),
    path("oauth2/token", oauth.token, name="oauth2_token"),
    path("api/", include("api.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

# Error pages that need nothing that may have failed, and carry the request ID.
handler400 = "dashboard.views.bad_request"
handler500 = "dashboard.views.server_error"
