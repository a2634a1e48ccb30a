"""One-time form tokens: a second POST of the same form does not create a second thing.

A create form carries a random token (OneTimeTokenForm). The view creates through
`create_once(user, purpose, token, create)`, an idempotency record in the database
(core.idempotency) written in the creation's own transaction: the first POST creates, a
replay (a double click, a reload of the POST, a retry after a slow answer) gets what
the first one created, wherever it lands. A first POST that fails (bad input, a server
error) creates nothing and leaves the token usable.

Only an identifier is ever recorded (a Project ID, a Key ID), never a secret.
"""

import re
import secrets

from django import forms
from django.core.exceptions import ValidationError

from core import idempotency
from core.idempotency import InProgress, Outcome

__all__ = ["InProgress", "OneTimeTokenForm", "Outcome", "create_once"]

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


def create_once(user, purpose: str, token: str, create) -> Outcome:
    """Run `create()` (returning the new thing's ID) once per form token.

    Raises InProgress while the first POST with this token is still at work, and
    whatever `create()` raises (nothing is then recorded).
    """
    return idempotency.run_once(scope=f"form:{purpose}:{user.pk}", key=token, action=create)
