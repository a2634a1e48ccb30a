"""The profile page (/accounts/profile/): the user's own settings, for now the time zone
every time in the dashboard is shown in."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.actors import Actor
from core.forms import perform, submit

from . import services, sessions, two_factor
from .models import UserSession
from .time_zones import time_zones


class TimeZoneForm(forms.Form):
    # Checked by the service (one message for every interface), so not a ChoiceField.
    time_zone = forms.CharField(
        label="Time zone",
        required=False,
        help_text="Type part of a place's name (e.g. “Berlin”, “New_York”) and choose from "
        "the list. Dates and times in the dashboard (created, removed, restorable until, "
        "key expiry and last use, activity) are shown in this zone.",
        # A text field with the zones as its suggestions (a <datalist>: searchable as you
        # type, no script), instead of a select of 400 zones to scroll through.
        widget=forms.TextInput(
            attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def zones(self) -> tuple[str, ...]:
        return time_zones()


@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form = TimeZoneForm(request.POST or None, initial={"time_zone": user.time_zone})

    def set_time_zone(data):
        actor = Actor.for_user(request)
        return services.user_set_time_zone(user=user, time_zone=data["time_zone"], actor=actor)

    if request.method == "POST" and submit(form, set_time_zone):
        messages.success(request, f"Times are now shown in {user.time_zone}.")
        return redirect("profile")
    context = {
        "form": form,
        "now": timezone.now(),
        "two_factor_on": two_factor.has_two_factor(user),
        "sessions": sessions.sessions_of(user, request.session.session_key),
    }
    return render(request, "accounts/profile.html", context, status=400 if form.errors else 200)


@require_http_methods(["POST"])
def session_sign_out(request, session_id):
    """Sign one of the user's other sessions out (this one: the Sign out button)."""
    row = UserSession.objects.filter(user=request.user, public_id=session_id).first()
    if row is None:
        raise Http404("No such session.")
    if row.session_key == request.session.session_key:
        messages.error(request, "This is the session you are using: use Sign out instead.")
        return redirect("profile")
    if perform(
        request,
        sessions.user_session_end,
        done="That session is signed out.",
        user=request.user,
        public_id=session_id,
    ):
        return redirect("profile")
    return redirect("profile")
