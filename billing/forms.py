"""The spend limit form of the dashboard: the service (billing.services) checks the
values; this only collects them."""

from django import forms

from usage.metrics import CATALOGUE

from .models import LimitMode

AMOUNT, QUANTITIES = "amount", "quantities"


class SpendLimitForm(forms.Form):
    kind = forms.ChoiceField(
        label="Limit",
        choices=[(AMOUNT, "An amount a month"), (QUANTITIES, "Quantities a month, per metric")],
        widget=forms.RadioSelect,
        initial=AMOUNT,
    )
    amount = forms.CharField(
        label="Amount",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    mode = forms.ChoiceField(
        label="When it is reached",
        choices=[
            (LimitMode.NOTIFY, "Notify the account's admins"),
            (LimitMode.BLOCK, "Notify, and block sending until the month ends"),
        ],
        widget=forms.RadioSelect,
        initial=LimitMode.NOTIFY,
    )
    # The service's field names, as add_service_error looks them up.
    service_fields = {"quantities": "kind"}

    def __init__(self, *args, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].label = f"Amount ({currency})" if currency else "Amount"
        for metric in CATALOGUE:
            self.fields[f"q_{metric.code}"] = forms.IntegerField(
                label=f"{metric.name} ({metric.unit})", required=False, min_value=1
            )

    @property
    def quantity_fields(self):
        return [self[f"q_{metric.code}"] for metric in CATALOGUE]

    def limit(self) -> dict:
        """The service's keyword arguments: amount or quantities, and mode."""
        data = self.cleaned_data
        if data["kind"] == AMOUNT:
            return {"amount": data["amount"].strip() or None, "mode": data["mode"]}
        quantities = {
            metric.code: data[f"q_{metric.code}"]
            for metric in CATALOGUE
            if data.get(f"q_{metric.code}") is not None
        }
        return {"quantities": quantities, "mode": data["mode"]}

    @classmethod
    def initial_for(cls, limit) -> dict:
        if limit is None:
            return {}
        initial = {"mode": limit.mode}
        if limit.amount is not None:
            initial.update(kind=AMOUNT, amount=f"{limit.amount.normalize():f}")
        else:
            initial["kind"] = QUANTITIES
            initial.update({f"q_{m}": q for m, q in limit.quantities.items()})
        return initial
