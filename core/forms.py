"""A service's refusal (core.errors) shown on a dashboard form: the dashboard's one
answer to it, whichever app's page the form is on."""

from django import forms

from .errors import InvalidValue, ServiceError


def add_service_error(form: forms.Form, error: ServiceError) -> None:
    """Each message on the form field at fault (the form's `service_fields` maps the
    service's field names to its own), or above the form when no field of the form is
    at fault."""
    aliases = getattr(form, "service_fields", {})

    def field_of(name):
        name = aliases.get(name, name)
        return name if name in form.fields else None

    if isinstance(error, InvalidValue):
        for name, messages in error.message_dict.items():
            form.add_error(field_of(name), messages)
    else:
        form.add_error(field_of(error.field), error.message)
