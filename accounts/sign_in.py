"""Sign-in: Django's LoginView with the sign-in throttle's form, which also takes the
browser's time zone on a user's first sign-in, then, for a user with two-factor sign-in,
a second step asking for a code.

The login page carries a hidden `browser_time_zone` field that static/js/app.js fills
with the browser's IANA zone (Intl.DateTimeFormat). On the first sign-in (the user has
never signed in before) a valid zone becomes the user's, so times read right from the
start; without JavaScript nothing is sent and the zone stays UTC. Later sign-ins never
change it: the profile page does (accounts/profile.py). The current project is chosen
at sign-in too, by projects.current (a user_logged_in receiver).

Two-factor (accounts.two_factor): a right password for a user with a second factor signs
nobody in. The session remembers who passed the first step, for PENDING_LIFETIME
seconds, and the code page (`sign_in_code`) signs them in once a code matches; the
device is kept in the session (django-otp), so `request.user.is_verified()` holds.
"""

import time

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from core.actors import Actor

from . import passkeys, services, two_factor
from .forms import LoginForm, SignInCodeForm
from .models import User
from .time_zones import is_time_zone

PENDING = "accounts.sign_in_pending"
PENDING_LIFETIME = 5 * 60  # seconds to type the code after the password


def _finish(request, user, zone: str) -> None:
    """After login(): a first sign-in takes the browser's time zone."""
    if is_time_zone(zone) and getattr(user, "_first_sign_in", False):
        services.user_set_time_zone(user=user, time_zone=zone, actor=Actor.for_user(request))


class SignInView(LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        zone = self.request.POST.get("browser_time_zone", "")
        second_step = ask_second_factor(
            self.request, user, user.backend, self.get_success_url(), zone=zone
        )
        if second_step is not None:
            return second_step
        user._first_sign_in = user.last_login is None  # read before login() sets it
        response = super().form_valid(form)
        _finish(self.request, user, zone)
        return response


def ask_second_factor(request, user, backend: str, next_url: str, *, zone: str = ""):
    """For someone with a second factor, the redirect to type its code (sign_in_code),
    remembering who passed the first step (a password, or single sign-on: accounts.sso);
    None for anyone else, who is signed in at once."""
    if not two_factor.has_two_factor(user):
        return None
    request.session[PENDING] = {
        "user": user.pk,
        "backend": backend,
        "at": int(time.time()),
        "zone": zone,
        "next": next_url,
    }
    return redirect("login_code")


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_LIFETIME:
        return None, None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    return user, pending


@login_not_required
@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    """The second step of signing in: a code from the authenticator app, or a recovery
    code (used up). Reached only from a right password, within PENDING_LIFETIME."""
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING, None)
        messages.error(
            request,
            "Sign in again: the code must follow the password within "
            f"{PENDING_LIFETIME // 60} minutes.",
        )
        return redirect("login")
    form = SignInCodeForm(request.POST or None, request=request, user=user)
    if request.method == "POST" and form.is_valid():
        return redirect(second_step_passed(request, user, pending, form.device))
    status = 400 if form.errors else 200
    context = {"form": form, "passkeys": passkeys.has_passkey(user)}
    if context["passkeys"]:
        context["passkey_config"] = passkey_script_config(request)
    return render(request, "registration/login_code.html", context, status=status)


def pending_user(request):
    """Who passed the first step in this session and may still take the second (within
    PENDING_LIFETIME), or None."""
    return _pending_user(request)[0]


def second_step_passed(request, user, pending, device) -> str:
    """Sign in `user`, who has just proved `device` (a code, or a passkey: accounts.views.
    passkeys); where to go next."""
    del request.session[PENDING]
    user.backend = pending["backend"]
    user._first_sign_in = user.last_login is None
    user.otp_device = device  # kept in the session by django-otp's receiver
    auth_login(request, user)
    _finish(request, user, pending.get("zone", ""))
    target = pending.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return target


def passkey_script_config(request) -> dict:
    """The configuration django-otp-webauthn's script reads (a json_script): the
    console's own endpoints (accounts.views.passkeys), never the library's sign-in with
    a passkey alone."""
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": get_token(request),
        "beginAuthenticationUrl": reverse("login_passkey_begin"),
        "completeAuthenticationUrl": reverse("login_passkey_complete"),
        "beginRegistrationUrl": reverse("passkey_register_begin"),
        "completeRegistrationUrl": reverse("passkey_register_complete"),
    }
