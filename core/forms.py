"""Dashboard forms and the services behind them: a service's refusal (core.errors)
shown on the form (`add_service_error`, the dashboard's one answer to it, whichever
app's page the form is on), a form's POST handed to its service (`submit`), and a
button's (`perform`: a form without fields, whose refusal is a message)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages

from .actors import Actor
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


@dataclass(frozen=True)
class Submitted:
    """What `submit` did: true when the service did its work, which returned `result`."""

    done: bool
    result: Any = None

    def __bool__(self) -> bool:
        return self.done


def submit(form: forms.Form, service: Callable[[dict], Any]) -> Submitted:
    """Validate `form` and, if it is valid, call `service(form.cleaned_data)`.

    True (with the service's result) when the service did its work; false when the
    form is invalid or the service refused, the refusal then shown on the form
    (add_service_error). The view says what follows, as in:

        if submit(form, lambda data: services.project_update(project=p, name=data["name"])):
            messages.success(request, "Renamed.")
            return redirect(...)
        return render(..., {"form": form}, status=400)
    """
    if not form.is_valid():
        return Submitted(False)
    try:
        return Submitted(True, service(form.cleaned_data))
    except ServiceError as error:
        add_service_error(form, error)
        return Submitted(False)


def perform(request, service: Callable[..., Any], /, *, done: str = "", **arguments) -> Submitted:
    """A button's POST: `service(**arguments)`, acting as the signed-in user.

    True (with the service's result) when the service did its work, `done` (if given)
    then shown as a success message; false when it refused, its refusal shown as an
    error message. The view says where to go next."""
    try:
        result = service(**arguments, actor=Actor.for_user(request))
    except ServiceError as error:
        messages.error(request, error.message)
        return Submitted(False)
    if done:
        messages.success(request, done)
    return Submitted(True, result)
