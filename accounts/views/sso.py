"""Signing in through an account's single sign-on (accounts.sso): "Continue with single sign-on"
on the sign-in page posts the email here, which redirects to the account's provider;
the provider sends the browser back to `sso_callback`.

Starting counts as a sign-in attempt (accounts.forms.count_attempt), so guessing which
domains have single sign-on is throttled like guessing passwords; a covered address
takes back this attempt only (the failures counted before it stay: starting single
sign-on must not reset the password's limit). Someone with a second factor of their own
types its code after the provider, as after a password (accounts.sign_in).
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.metrics import auth_failures

from .. import sign_in, sso
from ..forms import count_attempt, take_back_attempt

BACKEND = "accounts.backends.SessionUserBackend"


def _safe_next(request, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_not_required
@never_cache
@require_POST
def sso_start(request):
    email = request.POST.get("email", "").strip().lower()[:254]
    try:
        validate_email(email)
        count_attempt(request, email)
    except ValidationError as error:
        auth_failures.labels("sign_in").inc()
        messages.error(
            request,
            error.messages[0]
            if error.code == "throttled"
            else "Type your work address to continue with single sign-on.",
        )
        return redirect("login")
    config = sso.sso_for_email(email)
    if config is None:
        auth_failures.labels("sign_in").inc()
        messages.error(
            request,
            f"No single sign-on covers {email}: sign in with your password.",
        )
        return redirect("login")
    take_back_attempt(request, email)
    try:
        return sso.sso_begin(
            request,
            config,
            email=email,
            redirect_uri=request.build_absolute_uri(reverse("sso_callback")),
            next_url=_safe_next(request, request.POST.get("next", "")),
        )
    except sso.SignInRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("login")


@login_not_required
@never_cache
@require_GET
def sso_callback(request):
    try:
        signed_in = sso.sso_complete(request)
    except sso.SignInRefused as refusal:
        auth_failures.labels("sign_in").inc()
        messages.error(request, refusal.message)
        return redirect("login")
    if signed_in.joined:
        messages.success(request, f"Welcome to {signed_in.account.name}.")
    next_url = _safe_next(request, signed_in.next_url) or reverse("home")
    second_step = sign_in.ask_second_factor(request, signed_in.user, BACKEND, next_url)
    if second_step is not None:
        return second_step
    login(request, signed_in.user, backend=BACKEND)
    return redirect(next_url)
