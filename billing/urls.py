"""The dashboard's billing pages (Project IDs and months: core.converters'
<pid:…> and <month:…>)."""

from core.converters import project_path

from . import views

urlpatterns = [
    project_path("billing/", views.billing),
    project_path("billing/<month:month>/", views.billing_month),
    project_path("billing/<month:month>/statement.csv", views.billing_month_csv),
    project_path("spend-limit/", views.spend_limit),
    project_path("spend-limit/remove", views.spend_limit_remove),
]
