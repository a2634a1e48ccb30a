"""The dashboard's forms for webhook endpoints. The rules (a safe URL, known event
types, the length of a description) are the services' (webhooks.services): a refusal
shows on the field at fault (core.forms.add_service_error)."""

from django import forms

from core.form_tokens import OneTimeTokenForm
from events.outbox import TYPES


class EndpointForm(forms.Form):
    url = forms.CharField(
        label="URL",
        required=False,  # the service says what is wrong (empty included)
        strip=False,
        help_text="HTTPS, to a public address. Every event is a POST of JSON to it.",
        widget=forms.URLInput(
            attrs={"required": True, "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    description = forms.CharField(
        label="Description",
        required=False,
        help_text="What receives them, for your team (optional).",
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "auto"}),
    )
    event_types = forms.MultipleChoiceField(
        label="Event types",
        required=False,
        choices=[(t, t) for t in TYPES],
        widget=forms.CheckboxSelectMultiple,
        help_text="None chosen: every type, those added later too.",
    )
    enabled = forms.BooleanField(label="Enabled: deliver events to it", required=False)

    @classmethod
    def initial_for(cls, endpoint) -> dict:
        return {
            "url": endpoint.url,
            "description": endpoint.description,
            "event_types": endpoint.event_types,
            "enabled": endpoint.enabled,
        }


class EndpointCreateForm(EndpointForm, OneTimeTokenForm):
    """A second POST of the same form (a reload of the page showing the secret, a
    double click) finds the endpoint created, and does not show its secret again."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("enabled", True)


class RotateSecretForm(OneTimeTokenForm):
    """Rotating once per form: a reload of the page showing the new secret does not
    rotate again."""


class ReplayForm(forms.Form):
    since = forms.DateTimeField(
        label="Deliver again every event after",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In your time zone. Events are kept 35 days.",
    )
