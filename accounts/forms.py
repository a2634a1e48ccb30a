import logging

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.contrib.auth.signals import user_login_failed
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.views.decorators.debug import sensitive_variables

from core import emails
from core.client import client_address
from core.failures import FailureLimit
from core.metrics import auth_failures

from . import services, two_factor
from .models import User
from .sso import password_refused
from .tasks import send_password_reset

logger = logging.getLogger(__name__)

# Sign-in attempts are counted in the database (core.failures), shared by every app
# server, per email and per client address. A count lasts until SIGN_IN_WINDOW passes
# without another failure. Each attempt is counted *before* its password is checked, in
# one atomic statement, so simultaneous attempts cannot slip past the limit; a success
# takes its own attempt back.
SIGN_IN_WINDOW = 15 * 60
EMAIL_FAILURE_LIMIT = 10
# Higher: an office or a mobile carrier puts many people behind one address. Past it,
# the address is slowed down rather than shut out: one attempt every ADDRESS_SLOWDOWN
# seconds, so one noisy client cannot lock its neighbours out, and guessing stays slow.
ADDRESS_FAILURE_LIMIT = 50
ADDRESS_SLOWDOWN = 10

EMAIL_FAILURES = FailureLimit("sign-in-email", EMAIL_FAILURE_LIMIT, SIGN_IN_WINDOW)
ADDRESS_FAILURES = FailureLimit("sign-in-address", ADDRESS_FAILURE_LIMIT, SIGN_IN_WINDOW)
ADDRESS_PACE = FailureLimit("sign-in-address-pace", 1, ADDRESS_SLOWDOWN)
# Changing the password asks for the current one: someone holding a signed-in session
# (a borrowed laptop) must not be able to guess it. Counted per user, the same way.
PASSWORD_CHANGE_FAILURES = FailureLimit("password-change-user", EMAIL_FAILURE_LIMIT, SIGN_IN_WINDOW)


def count_password_check(user, too_many: str = "Too many wrong attempts.") -> None:
    """Count a check of `user`'s current password (PASSWORD_CHANGE_FAILURES) before it is
    made; past the limit raise ValidationError (code "throttled", `too_many` and when to
    try again) instead, so that it is not checked at all. The caller clears the count
    once the password was right."""
    if PASSWORD_CHANGE_FAILURES.hit(str(user.pk)) > PASSWORD_CHANGE_FAILURES.limit:
        auth_failures.labels("password_change").inc()
        raise ValidationError(
            f"{too_many} Try again in {SIGN_IN_WINDOW // 60} minutes.", code="throttled"
        )


def count_attempt(request, email: str) -> None:
    """Count a sign-in attempt before its password is checked; raise ValidationError
    (code "throttled") if it must not be checked at all."""
    address = client_address(request) if request else "unknown"
    minutes = SIGN_IN_WINDOW // 60
    if EMAIL_FAILURES.hit(email) > EMAIL_FAILURES.limit:
        raise ValidationError(
            f"Too many failed sign-ins for this email. Try again in {minutes} minutes.",
            code="throttled",
        )
    over_limit = ADDRESS_FAILURES.hit(address) > ADDRESS_FAILURES.limit
    # The pace is counted on every attempt, so that the first one past the limit is
    # paced against the one before it.
    if ADDRESS_PACE.hit(address) > ADDRESS_PACE.limit and over_limit:
        raise ValidationError(
            "Too many failed sign-ins from your network. Wait "
            f"{ADDRESS_SLOWDOWN} seconds, then try again.",
            code="throttled",
        )


def forgive_attempt(request, email: str) -> None:
    """A correct password: its attempt was not a failure."""
    EMAIL_FAILURES.clear(email)
    ADDRESS_FAILURES.forgive(client_address(request) if request else "unknown")


def take_back_attempt(request, email: str) -> None:
    """This attempt only was not a failure (starting single sign-on proves nothing about
    the address, so the failures counted before it stay)."""
    EMAIL_FAILURES.forgive(email)
    ADDRESS_FAILURES.forgive(client_address(request) if request else "unknown")


class ThrottledSignInMixin:
    """Counts every attempt before checking it, and refuses past the limits."""

    def clean(self):
        email = self.cleaned_data.get("username") or ""
        try:
            count_attempt(self.request, email)
            cleaned = super().clean()
        except ValidationError:
            auth_failures.labels("sign_in").inc()
            raise
        forgive_attempt(self.request, email)
        return cleaned


class LoginForm(ThrottledSignInMixin, AuthenticationForm):
    """Django's login form, with the field labelled and typed as an email address. An
    address whose account allows only single sign-on (accounts.sso) is refused before
    its password is checked."""

    def clean(self):
        if password_refused(self.cleaned_data.get("username") or ""):
            raise ValidationError(
                "Your organisation signs in only through its single sign-on: use "
                "“Continue with single sign-on” below.",
                code="sso_only",
            )
        return super().clean()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email"
        self.fields["username"].widget.input_type = "email"
        self.fields["username"].widget.attrs.update({"autocomplete": "email"})


class AdminLoginForm(ThrottledSignInMixin, AdminAuthenticationForm):
    """The operators' admin sign-in, under the same limits; with
    ADMIN_REQUIRES_TWO_FACTOR (on unless DEBUG) it also takes a two-factor code, counted
    like the dashboard's (SignInCodeForm)."""

    code = forms.CharField(
        label="Two-factor code",
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.ADMIN_REQUIRES_TWO_FACTOR:
            del self.fields["code"]

    def clean(self):
        cleaned = super().clean()
        if "code" not in self.fields:
            return cleaned
        user = self.get_user()
        if not two_factor.has_app(user):
            raise ValidationError(
                "Operators sign in with two-factor: set it up on your profile in the "
                "dashboard (Profile, Two-factor sign-in), then sign in here with a code.",
                code="two_factor_missing",
            )
        step = SignInCodeForm({"code": cleaned.get("code") or ""}, request=self.request, user=user)
        if not step.is_valid():
            raise ValidationError(step.errors["code"])
        user.otp_device = step.device  # kept in the session by django-otp's receiver
        return cleaned


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change, counting each check of the current password before it
    is made (as sign-in does); past the limit the current password is not checked."""

    def clean_old_password(self):
        count_password_check(self.user, "Too many wrong current passwords.")
        try:
            old_password = super().clean_old_password()
        except ValidationError:
            auth_failures.labels("password_change").inc()
            raise
        PASSWORD_CHANGE_FAILURES.clear(str(self.user.pk))
        return old_password


# Password reset by email: each request sends an email, so every request is counted,
# per email and per client address, whether or not the email belongs to a user: the
# answer (and the throttle's) is the same for both, so it tells nobody who has an account.
RESET_WINDOW = 60 * 60
RESET_EMAIL_LIMIT = 5
RESET_ADDRESS_LIMIT = 20
RESET_EMAILS = FailureLimit("password-reset-email", RESET_EMAIL_LIMIT, RESET_WINDOW)
RESET_ADDRESSES = FailureLimit("password-reset-address", RESET_ADDRESS_LIMIT, RESET_WINDOW)


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset request, counted before anything is looked up or sent; the lookup
    and the email happen in the worker (save)."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if not email:
            return cleaned
        minutes = RESET_WINDOW // 60
        if RESET_EMAILS.hit(email) > RESET_EMAILS.limit:
            raise ValidationError(
                f"Too many password reset requests for this email. Try again in {minutes} "
                "minutes, and check your spam folder for the emails already sent.",
                code="throttled",
            )
        address = client_address(self.request) if self.request else "unknown"
        if RESET_ADDRESSES.hit(address) > RESET_ADDRESSES.limit:
            raise ValidationError(
                "Too many password reset requests from your network. Try again in "
                f"{minutes} minutes.",
                code="throttled",
            )
        return cleaned

    def save(
        self,
        domain_override=None,
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.html",
        use_https=False,
        token_generator=None,
        from_email=None,
        request=None,
        **kwargs,
    ):
        """Enqueue the reset (accounts.tasks.send_password_reset) for every address,
        with a user or not: the request does the same work for both (one row in the
        queue, no lookup of the user, no email) and so answers in the same time; the
        worker looks the users up and sends. Django's token generator is the only one
        used (a task's arguments are plain values)."""
        domain = domain_override or get_current_site(request).domain
        send_password_reset.enqueue(
            self.cleaned_data["email"],
            domain,
            bool(use_https),
            subject_template_name,
            email_template_name,
        )

    @classmethod
    def send_now(
        cls, *, email, domain, use_https, subject_template_name, email_template_name
    ) -> int:
        """Django's PasswordResetForm.save, run by the worker: a link for each active user
        with this email, each sent by send_mail; how many."""
        form = cls(data={"email": email})
        form.cleaned_data = {"email": email}
        users = list(form.get_users(email))
        if users:
            PasswordResetForm.save(
                form,
                domain_override=domain,
                subject_template_name=subject_template_name,
                email_template_name=email_template_name,
                use_https=use_https,
            )
        return len(users)

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs
    ):
        # Django's, sent from the task queue (retried when the mail server fails, and
        # never slower for an address with a user than for one without) as a
        # PlainEmail, so that the link stays whole in `make run`.
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        emails.queue_mail(subject, body, from_email, [to_email])

    def get_users(self, email):
        # Also users without a usable password: create_account makes admins that way,
        # to choose theirs through a reset (Django leaves them out, for sites that sign
        # some users in elsewhere, which this one does not).
        return User._default_manager.filter(email__iexact=email, is_active=True)


class ResetSetPasswordForm(SetPasswordForm):
    """Django's new-password form (its validators), saved through the service, which
    records the reset in the audit trail."""

    def __init__(self, user, *args, actor=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.actor = actor

    @sensitive_variables("password")
    def save(self, commit=True):
        password = self.cleaned_data["new_password1"]
        services.user_password_reset(user=self.user, password=password, actor=self.actor)
        # A reset proves the mailbox is theirs: failed sign-ins no longer hold them up.
        EMAIL_FAILURES.clear(self.user.email)
        return self.user


# --- Two-factor sign-in ------------------------------------------------------------------

CODE_HELP = "The six digits your authenticator app shows, or one of your recovery codes."


def code_field(label="Code", help_text=CODE_HELP):
    return forms.CharField(
        label=label,
        max_length=64,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class SignInCodeForm(forms.Form):
    """The second step of signing in: a code of the user's second factor. Each code is
    counted before it is checked, as a password is (count_attempt, same limits, same
    counters), so guessing codes is as slow as guessing passwords."""

    code = code_field()

    def __init__(self, *args, request=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user
        self.device = None

    def clean_code(self):
        code = self.cleaned_data["code"]
        try:
            count_attempt(self.request, self.user.email)
            self.device = two_factor.matching_device(self.user, code)
            if self.device is None:
                user_login_failed.send(
                    sender=__name__, credentials={"username": self.user.email}, request=self.request
                )
                raise ValidationError(
                    "That code is not valid: type the code your app shows now, or an "
                    "unused recovery code.",
                    code="invalid",
                )
        except ValidationError:
            auth_failures.labels("sign_in").inc()
            raise
        forgive_attempt(self.request, self.user.email)
        return code


class TwoFactorEnableForm(forms.Form):
    code = code_field(help_text="The six digits the app shows after you add the account.")


class TwoFactorDisableForm(forms.Form):
    """Turning two-factor off asks for the password and a code, both counted like a
    password change's current password (someone holding a signed-in session must not
    be able to guess either)."""

    password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = code_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        password, code = cleaned.get("password"), cleaned.get("code")
        if not password or not code:
            return cleaned
        count_password_check(self.user)
        if not self.user.check_password(password):
            auth_failures.labels("password_change").inc()
            self.add_error("password", "That is not your current password.")
        elif two_factor.matching_device(self.user, code) is None:
            auth_failures.labels("password_change").inc()
            self.add_error("code", "That code is not valid.")
        else:
            PASSWORD_CHANGE_FAILURES.clear(str(self.user.pk))
        return cleaned


class PasskeyRemoveForm(forms.Form):
    """Removing a passkey asks for the password, counted like a password change's (as
    turning the authenticator app off does): a signed-in session alone must not be
    enough to take a second factor away."""

    password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if not password:
            return cleaned
        count_password_check(self.user)
        if not self.user.check_password(password):
            auth_failures.labels("password_change").inc()
            self.add_error("password", "That is not your current password: the passkey stays.")
        else:
            PASSWORD_CHANGE_FAILURES.clear(str(self.user.pk))
        return cleaned
