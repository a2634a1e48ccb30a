from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError

from core.client import client_address
from core.failures import FailureLimit
from core.metrics import auth_failures

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
    """Django's login form, with the field labelled and typed as an email address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email"
        self.fields["username"].widget.input_type = "email"
        self.fields["username"].widget.attrs.update({"autocomplete": "email"})


class AdminLoginForm(ThrottledSignInMixin, AdminAuthenticationForm):
    """The operators' admin sign-in, under the same limits."""


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change, counting each check of the current password before it
    is made (as sign-in does); past the limit the current password is not checked."""

    def clean_old_password(self):
        subject = str(self.user.pk)
        try:
            if PASSWORD_CHANGE_FAILURES.hit(subject) > PASSWORD_CHANGE_FAILURES.limit:
                raise ValidationError(
                    "Too many wrong current passwords. Try again in "
                    f"{SIGN_IN_WINDOW // 60} minutes.",
                    code="throttled",
                )
            old_password = super().clean_old_password()
        except ValidationError:
            auth_failures.labels("password_change").inc()
            raise
        PASSWORD_CHANGE_FAILURES.clear(subject)
        return old_password
