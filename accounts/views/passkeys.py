"""Passkeys (accounts.passkeys, ADR 0123): adding one from the two-factor page, removing
one (with the password), and the passkey at the second step of signing in.

The WebAuthn ceremonies are django-otp-webauthn's views, subclassed only where the
console decides something: registration names and audits the new passkey; sign-in
takes the person who passed the first step (accounts.sign_in), not a signed-in user,
so the library checks the passkey is theirs, and then signs them in as a code would.
Its script posts JSON with the CSRF token in a header (CSRF stays on).
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions, views

from core.actors import Actor
from core.errors import InvalidValue
from core.forms import submit

from .. import passkeys, sign_in
from ..forms import PasskeyRemoveForm

NAME = "accounts.passkey_name"  # the name typed before the browser's dialog


@require_POST
def passkey_name(request):
    """Step one of adding a passkey: its name, kept in the session for the registration
    that follows (the library's script posts only the credential)."""
    try:
        request.session[NAME] = passkeys.clean_name(request.POST.get("name", ""))
    except InvalidValue as error:
        messages.error(request, error.message)
        return redirect("two_factor")
    return redirect(reverse("two_factor") + "?add=passkey#passkeys")


class PasskeyRegisterBegin(views.BeginCredentialRegistrationView):
    pass


class PasskeyRegisterComplete(views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        # One transaction: a passkey is never kept without its name and audit entry.
        with transaction.atomic():
            response = super().post(*args, **kwargs)
            passkey = passkeys.Passkey.objects.get(pk=_id_of(response), user=self.request.user)
            passkeys.passkey_added(
                user=self.request.user,
                passkey=passkey,
                name=self.request.session.pop(NAME, ""),
                actor=Actor.for_user(self.request),
            )
        return response


def _id_of(response) -> int:
    return json.loads(response.content)["id"]


@require_POST
@sensitive_post_parameters("password")
def passkey_remove(request, passkey_id: int):
    # Another's passkey is as unknown as one that never was.
    get_object_or_404(passkeys.Passkey, pk=passkey_id, user=request.user)
    form = PasskeyRemoveForm(request.POST, user=request.user)
    done = submit(
        form,
        lambda data: passkeys.passkey_remove(
            user=request.user, passkey_id=passkey_id, actor=Actor.for_user(request)
        ),
    )
    if not done:
        for error in form.non_field_errors() or [e for errs in form.errors.values() for e in errs]:
            messages.error(request, error)
    elif done.result is None:
        messages.error(request, "That passkey is already removed.")
    else:
        messages.success(request, f"Passkey “{done.result}” removed.")
    return redirect(reverse("two_factor") + "#passkeys")


class _PendingUser:
    """The sign-in's second step: the user is the one who passed the first, signed in
    by nobody yet; without one (no first step, or too long ago) the ceremony is refused."""

    def get_user(self):
        return sign_in.pending_user(self.request)

    def check_can_authenticate(self):
        user = self.get_user()
        if user is None:
            raise exceptions.NotAuthenticated()


@method_decorator(login_not_required, name="dispatch")
class SignInPasskeyBegin(_PendingUser, views.BeginCredentialAuthenticationView):
    pass


@method_decorator(login_not_required, name="dispatch")
class SignInPasskeyComplete(_PendingUser, views.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        user, pending = sign_in._pending_user(self.request)
        self._next = sign_in.second_step_passed(self.request, user, pending, device)

    def get_success_url(self):
        return self._next


# gettext() for the library's script (its messages), open before signing in.
passkey_script_text = login_not_required(
    JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])
)
