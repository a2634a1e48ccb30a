"""The profile's two-factor page (/accounts/two-factor/): set up an authenticator app,
see how many recovery codes are left, replace them, turn two-factor off. One small view
per action; the services are accounts.two_factor's."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login

from core.actors import Actor
from core.forms import submit

from .. import passkeys, sign_in, two_factor
from ..forms import TwoFactorDisableForm, TwoFactorEnableForm
from .passkeys import NAME


def _page(request, *, enable_form=None, disable_form=None, status=200):
    user = request.user
    account = user.current_account
    adding = request.session.get(NAME) if request.GET.get("add") == "passkey" else None
    context = {
        "enabled": two_factor.has_app(user),
        "passkeys": passkeys.passkeys_of(user),
        "adding": adding,
        "verified": user.is_verified(),
        "two_factor_required": account is not None and account.require_two_factor,
    }
    if context["enabled"]:
        context["codes_left"] = two_factor.recovery_codes_left(user)
        context["disable_form"] = disable_form or TwoFactorDisableForm(user=user)
    else:
        device = two_factor.pending_app(user)
        context["qr_svg"] = two_factor.qr_svg(device)
        context["secret"] = two_factor.secret_text(device)
        context["enable_form"] = enable_form or TwoFactorEnableForm()
    if adding:
        context["passkey_config"] = sign_in.passkey_script_config(request)
    return render(request, "accounts/two_factor.html", context, status=status)


@require_GET
def two_factor_page(request):
    return _page(request)


def _show_codes(request, codes, heading):
    # Shown once, in this answer: never stored in plain text, never in a message.
    context = {"codes": codes, "heading": heading}
    response = render(request, "accounts/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@sensitive_post_parameters("code")
def two_factor_enable(request):
    user = request.user
    form = TwoFactorEnableForm(request.POST)
    device = two_factor.pending_app(user)
    done = submit(
        form,
        lambda data: two_factor.two_factor_enable(
            user=user, device=device, code=data["code"], actor=Actor.for_user(request)
        ),
    )
    if not done:
        return _page(request, enable_form=form, status=400)
    # This session has just proved the second factor.
    otp_login(request, device)
    return _show_codes(request, done.result, "Two-factor sign-in is on")


@require_POST
def recovery_codes_regenerate(request):
    if not request.user.is_verified():
        messages.error(request, "Sign out and sign in again with a code before replacing codes.")
        return redirect("two_factor")
    codes = two_factor.recovery_codes_regenerate(user=request.user, actor=Actor.for_user(request))
    return _show_codes(request, codes, "New recovery codes")


@require_POST
@sensitive_post_parameters("password", "code")
def two_factor_disable(request):
    form = TwoFactorDisableForm(request.POST, user=request.user)
    if submit(
        form,
        lambda data: two_factor.two_factor_disable(
            user=request.user, actor=Actor.for_user(request)
        ),
    ):
        messages.success(request, "Two-factor sign-in is off.")
        return redirect("two_factor")
    return _page(request, disable_form=form, status=400)
