"""Password reset by email: Django's views, throttled (accounts.forms), audited, and
with the link's token in the query string rather than the path.

Django puts the token in the path (/reset/<uid>/<token>/); request logs record paths
(core.request_log), never query strings, so here the email's link is
/accounts/password/new/<uid>/?token=…, and the first request moves the token into the
session and redirects to the same path without it, as Django's own view does.
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from core.actors import Actor, Kind, Source
from core.client import client_address

from ..forms import ResetSetPasswordForm, ThrottledPasswordResetForm


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ThrottledPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


# login_not_required again: Django marks its own dispatch(), which this one replaces.
@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ResetSetPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def dispatch(self, request, *args, **kwargs):
        kwargs["token"] = request.GET.get("token") or self.reset_url_token
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        user = self.user  # None when the link names no user (the page then says so)
        address = client_address(self.request)
        actor = Actor(Kind.USER, str(getattr(user, "pk", "")), Source.DASHBOARD, address, user)
        return {**super().get_form_kwargs(), "actor": actor}
