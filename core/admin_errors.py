"""The admin's one answer to a service's refusal (core.errors)."""

from django.contrib import messages
from django.http import HttpResponseRedirect

from .errors import ServiceError


def report(model_admin, request, error: ServiceError, *, about: str = "") -> None:
    """Show the refusal as an error message, naming the object it is `about`."""
    text = f"{about}: {error.message}" if about else error.message
    model_admin.message_user(request, text, messages.ERROR)


class ServiceErrorsAdminMixin:
    """Most refusals are caught by the model form (the model's own clean()); a refusal
    that only the service sees (a parent removed a moment ago, say) is reported on the
    same page instead of a server error. The change is rolled back either way."""

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except ServiceError as error:
            report(self, request, error)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, *args, **kwargs):
        # A deletion the service refuses (an account's last admin, say).
        try:
            return super().delete_view(request, *args, **kwargs)
        except ServiceError as error:
            report(self, request, error)
            return HttpResponseRedirect(request.get_full_path())

    def delete_queryset(self, request, queryset):
        # The bulk delete: each row through delete_model (the service), a refusal
        # reported by name while the others are deleted.
        for row in queryset:
            try:
                self.delete_model(request, row)
            except ServiceError as error:
                report(self, request, error, about=str(row))
