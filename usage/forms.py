"""The Usage page's choices, from its query string: period, sort and chart metric."""

from dataclasses import dataclass

from django import forms
from django.utils import timezone

from core.errors import InvalidValue
from core.forms import add_service_error

from .metrics import CATALOGUE
from .periods import Period, add_months, month_of
from .queries import SORTS

THIS_MONTH, LAST_MONTH, CUSTOM = "this_month", "last_month", "custom"


@dataclass(frozen=True)
class Choices:
    period: Period
    sort: str
    descending: bool
    metric: str | None  # the chart's metric; None: the first with usage


class UsageForm(forms.Form):
    period = forms.ChoiceField(
        choices=[(THIS_MONTH, "This month"), (LAST_MONTH, "Last month"), (CUSTOM, "Custom")],
        required=False,
    )
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = forms.ChoiceField(choices=[(s, s) for s in SORTS], required=False)
    order = forms.ChoiceField(choices=[("asc", "asc"), ("desc", "desc")], required=False)
    metric = forms.ChoiceField(choices=[(m.code, m.name) for m in CATALOGUE], required=False)

    def clean(self):
        data = super().clean()
        today = timezone.now().date()
        kind = data.get("period") or (CUSTOM if data.get("start") or data.get("end") else "")
        if kind == CUSTOM:
            start, end = data.get("start"), data.get("end")
            if start is None and "start" not in self.errors:
                self.add_error("start", "Choose the first day of the period.")
            if end is None and "end" not in self.errors:
                self.add_error("end", "Choose the last day of the period.")
            if start and end:
                try:
                    data["range"] = Period.checked(start, end)
                except InvalidValue as error:
                    add_service_error(self, error)
        elif kind == LAST_MONTH:
            data["range"] = Period.month_of(add_months(month_of(today), -1))
        else:
            data["range"] = Period.month_of(today)
        return data

    def other_errors(self) -> list[str]:
        """Errors of the fields the page does not show as inputs (from links)."""
        return [
            f"{name}: {message}"
            for name in ("period", "sort", "order", "metric")
            for message in self.errors.get(name, [])
        ]

    def choices(self) -> Choices:
        """What to show; call after is_valid() returned True (or on an unbound form)."""
        data = self.cleaned_data if self.is_bound else {}
        period = data.get("range") or Period.month_of(timezone.now().date())
        sort = data.get("sort") or "name"
        order = data.get("order") or ("asc" if sort == "name" else "desc")
        return Choices(period, sort, order == "desc", data.get("metric") or None)
