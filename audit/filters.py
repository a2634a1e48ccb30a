"""The Activity page's filters: action, actor and dates (in the user's time zone)."""

from datetime import date, datetime, time, timedelta

from django import forms

from .actions import PROJECT_ACTIONS
from .models import ASP_ONLY_ACTIONS

EARLIEST, LATEST = date(2000, 1, 1), date(9998, 12, 31)


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
    )


class ActivityFilterForm(forms.Form):
    action = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[("", "Every action"), *sorted(PROJECT_ACTIONS.items(), key=lambda c: c[1])],
    )
    actor = forms.CharField(
        label="Actor",
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": "Email or Key ID", "autocomplete": "off"}),
    )
    since = _date_field("From")
    until = _date_field("To")

    def __init__(self, *args, viewer=None, **kwargs):
        """`viewer`: the CustomerView of an ASP's customer who is looking, who is not
        offered the ASP's own actions (models.ASP_ONLY_ACTIONS) to filter on and finds
        only its own people by actor."""
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        if viewer is not None:
            field = self.fields["action"]
            field.choices = [c for c in field.choices if c[0] not in ASP_ONLY_ACTIONS]

    def clean(self):
        data = super().clean()
        for name in ("since", "until"):
            day = data.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, f"Enter a date from {EARLIEST:%Y} to {LATEST:%Y}.")
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "“To” is before “From”.")
        return data

    def apply(self, events, tz):
        """`events` narrowed by the (valid) filters; dates are whole days in `tz`."""
        data = self.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["actor"].strip() and self.viewer is not None:
            events = self.viewer.by_public_actor(events, data["actor"])
        elif data["actor"].strip():
            events = events.by_public_actor(data["actor"])
        if data["since"]:
            events = events.filter(time__gte=datetime.combine(data["since"], time.min, tz))
        if data["until"]:
            end = data["until"] + timedelta(days=1)
            events = events.filter(time__lt=datetime.combine(end, time.min, tz))
        return events

    def query(self) -> str:
        """The filters as a query string (for the CSV and page links)."""
        from django.http import QueryDict

        params = QueryDict(mutable=True)
        for name in self.fields:
            value = self.data.get(name)
            if value:
                params[name] = value
        return params.urlencode()
