"""One-time form tokens: a second POST of the same form does not create a second thing.

A create form carries a random token (OneTimeTokenForm). The view claims it with
`claim(user, purpose, token)` before creating: the first claim wins, and a replay (a
double click, a reload of the POST, a retry after a slow answer) gets what the first
request recorded instead. The claim is `cache.add()` in Django's cache, which every app
server shares and which is atomic, so a replay is seen wherever it lands.

Only an identifier is ever recorded (a Project ID, a Key ID), never a secret.
"""

import re
import secrets
from dataclasses import dataclass

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError

# A token is remembered this long; a replay within it finds the first result.
TOKEN_SECONDS = 24 * 60 * 60
PENDING = "pending"

_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class OneTimeTokenForm(forms.Form):
    """A form with a hidden one-time `token`, fresh each time the form is shown."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", secrets.token_urlsafe(24))

    def clean_token(self):
        token = self.cleaned_data.get("token") or ""
        if not _TOKEN_RE.match(token):
            raise ValidationError("This form has expired. Reload the page and try again.")
        return token


@dataclass
class Claim:
    """The outcome of claiming a token.

    `won`: this request may create. Otherwise `earlier` is what the first request
    recorded, or PENDING while it is still at work.
    """

    key: str
    won: bool
    earlier: str | None = None

    def record(self, result: str) -> None:
        """The thing is created: replays of this token will get `result`."""
        cache.set(self.key, result, TOKEN_SECONDS)

    def release(self) -> None:
        """Nothing was created (bad input): the same form may be sent again."""
        cache.delete(self.key)


def claim(user, purpose: str, token: str) -> Claim:
    key = f"form-token:{purpose}:{user.pk}:{token}"
    if cache.add(key, PENDING, TOKEN_SECONDS):
        return Claim(key, won=True)
    return Claim(key, won=False, earlier=cache.get(key, PENDING))
