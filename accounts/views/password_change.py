"""Changing one's password (the Password page): Django's view and form, the new
password saved through accounts.services, with its audit entry."""

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from core.actors import Actor

from .. import services
from ..forms import ThrottledPasswordChangeForm


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def form_valid(self, form):
        services.user_password_change(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            actor=Actor.for_user(self.request),
        )
        # This session stays signed in (Django's view does the same); the others end.
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())
