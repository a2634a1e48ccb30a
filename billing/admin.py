"""The operators' admin for billing: price lists edited through billing.services (each
change audited), statements and spend limits read-only (a closed month never changes;
limits are the customers' own, set in the dashboard or the API)."""

from django import forms
from django.contrib import admin

from core.actors import Actor
from core.admin_errors import ServiceErrorsAdminMixin
from core.admin_readonly import ReadOnlyModelAdmin
from core.errors import InvalidValue
from usage.metrics import CATALOGUE

from . import money, services
from .models import BillingPeriod, PriceList, SpendAlert, SpendLimit, Statement, StatementLine


class _PriceListForm(forms.ModelForm):
    """The list's currency and one price per metric (fields added below); the service
    checks them again."""

    class Meta:
        model = PriceList
        fields = ["account", "currency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for price in self.instance.prices.all():
                self.initial[price.metric] = money.price_text(price.unit_price)
            self.fields["account"].disabled = True
        self.fields["account"].required = not self.instance.is_default

    def clean_currency(self):
        return money.clean_currency(self.cleaned_data.get("currency"))

    def clean(self):
        cleaned = super().clean()
        for metric in CATALOGUE:
            if metric.code in cleaned:
                try:
                    cleaned[metric.code] = money.clean_price(cleaned[metric.code])
                except InvalidValue as error:
                    self.add_error(metric.code, error.message)
        return cleaned

    def prices(self) -> dict[str, str]:
        return {metric.code: self.cleaned_data[metric.code] for metric in CATALOGUE}


# One declared field per metric of the catalogue, so that the admin shows them.
PriceListForm = type(
    "PriceListForm",
    (_PriceListForm,),
    {
        metric.code: forms.CharField(
            label=f"{metric.name} (per {metric.unit[:-1]})",
            help_text=f"at most {money.PRICE_DECIMALS} decimals, e.g. 0.045",
        )
        for metric in CATALOGUE
    },
)


@admin.register(PriceList)
class PriceListAdmin(ServiceErrorsAdminMixin, admin.ModelAdmin):
    form = PriceListForm
    list_display = ["__str__", "currency", "updated_at"]
    list_select_related = ["account"]
    search_fields = ["account__name", "account__public_id"]
    autocomplete_fields = ["account"]

    def has_delete_permission(self, request, obj=None):
        return False  # an account's prices are changed, never left undefined

    def save_model(self, request, obj, form, change):
        account = None if obj.is_default else obj.account
        services.prices_set(
            account=account,
            prices_given=form.prices(),
            currency=form.cleaned_data["currency"],
            actor=Actor.for_admin(request),
        )
        saved = PriceList.objects.get(account=account) if account else obj
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        pass  # the prices were saved by the service


@admin.register(Statement)
class StatementAdmin(ReadOnlyModelAdmin):
    list_display = ["project_name", "project_public_id", "month", "total", "currency", "closed_at"]
    search_fields = ["=project_public_id"]
    search_help_text = "A top-level Project ID."
    list_filter = ["month"]
    ordering = ["-month", "project_public_id"]


@admin.register(StatementLine)
class StatementLineAdmin(ReadOnlyModelAdmin):
    list_display = ["statement", *StatementLine.FIELDS]
    list_select_related = ["statement"]
    search_fields = ["=statement__project_public_id", "=project_public_id"]
    search_help_text = "A Project ID: a parent's statements' lines, or one project's."
    ordering = ["-id"]


@admin.register(BillingPeriod)
class BillingPeriodAdmin(ReadOnlyModelAdmin):
    list_display = ["month", "closed_at", "closed_by", "statements"]


@admin.register(SpendLimit)
class SpendLimitAdmin(ReadOnlyModelAdmin):
    list_display = ["project", "amount", "currency", "quantities", "mode", "percent", "exceeded_in"]
    list_select_related = ["project__parent"]
    search_fields = ["=project__public_id", "=project__parent__public_id"]
    search_help_text = "A subproject's Project ID, or its parent's."
    ordering = ["-id"]


@admin.register(SpendAlert)
class SpendAlertAdmin(ReadOnlyModelAdmin):
    list_display = ["project", "month", "threshold", "percent", "created_at"]
    list_select_related = ["project__parent"]
    search_fields = ["=project__public_id"]
    ordering = ["-id"]
