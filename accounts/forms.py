import hashlib

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError

# Failed sign-ins are counted in Django's cache, which every app server shares (never
# in process memory), per email and per client address. A count lasts until
# SIGN_IN_WINDOW passes without a failure; past its limit, sign-in is refused before any
# password is checked.
SIGN_IN_WINDOW = 15 * 60
EMAIL_FAILURE_LIMIT = 10
# Higher: an office or a mobile carrier puts many people behind one address.
ADDRESS_FAILURE_LIMIT = 50


def _failure_keys(request, email: str) -> list[tuple[str, int, str]]:
    address = request.META.get("REMOTE_ADDR", "unknown") if request else "unknown"
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    minutes = SIGN_IN_WINDOW // 60
    return [
        (
            f"sign-in-failures:email:{digest}",
            EMAIL_FAILURE_LIMIT,
            f"Too many failed sign-ins for this email. Try again in {minutes} minutes.",
        ),
        (
            f"sign-in-failures:address:{address}",
            ADDRESS_FAILURE_LIMIT,
            f"Too many failed sign-ins from your network. Try again in {minutes} minutes.",
        ),
    ]


def _count_failure(key: str) -> None:
    cache.add(key, 0, timeout=SIGN_IN_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=SIGN_IN_WINDOW)
    # incr() on the database cache stores the count with the default timeout (5 minutes).
    cache.touch(key, timeout=SIGN_IN_WINDOW)


class ThrottledSignInMixin:
    """Refuses sign-in past the failure limits, and counts each failed attempt."""

    def clean(self):
        keys = _failure_keys(self.request, self.cleaned_data.get("username") or "")
        for key, limit, message in keys:
            if cache.get(key, 0) >= limit:
                raise ValidationError(message, code="throttled")
        try:
            return super().clean()
        except ValidationError:
            for key, _limit, _message in keys:
                _count_failure(key)
            raise


class LoginForm(ThrottledSignInMixin, AuthenticationForm):
    """Django's login form, with the field labelled and typed as an email address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email"
        self.fields["username"].widget.input_type = "email"
        self.fields["username"].widget.attrs.update({"autocomplete": "email"})


class AdminLoginForm(ThrottledSignInMixin, AdminAuthenticationForm):
    """The operators' admin sign-in, under the same limits."""
