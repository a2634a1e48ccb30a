"""The dashboard's billing pages (Project IDs and months: core.converters'
<pid:…> and <month:…>)."""

from django.urls import path

from . import views

urlpatterns = [
    path("projects/<pid:public_id>/billing/", views.billing, name="billing"),
    path(
        "projects/<pid:public_id>/billing/<month:month>/", views.billing_month, name="billing_month"
    ),
    path(
        "projects/<pid:public_id>/billing/<month:month>/statement.csv",
        views.billing_month_csv,
        name="billing_month_csv",
    ),
    path("projects/<pid:public_id>/spend-limit/", views.spend_limit, name="spend_limit"),
    path(
        "projects/<pid:public_id>/spend-limit/remove",
        views.spend_limit_remove,
        name="spend_limit_remove",
    ),
]
