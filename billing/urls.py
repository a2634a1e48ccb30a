"""The dashboard's billing pages (Project IDs as projects.urls' <pid:> converter)."""

from django.urls import path, register_converter

import projects.urls  # noqa: F401 - registers the <pid:> converter used below

from . import views


class MonthConverter:
    regex = "[0-9]{4}-[0-9]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(MonthConverter, "month")

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
