"""Sign-ins, from Django's own signals: one entry per success and per failure.

A failure names the email that was tried (as the actor's label; there may be no such
user) and never the password: Django passes the credentials with the password already
masked, and only the email is read here. Attempts refused by the sign-in throttle
(accounts.forms) never reach authenticate(), so they write nothing: a flood of guesses
cannot flood the trail past the throttle's limits.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from core.actors import Actor, Kind, Source
from core.client import client_address

from .trail import record


def _source(request) -> str:
    path = getattr(request, "path", "") or ""
    return Source.ADMIN if path.startswith("/" + settings.ADMIN_URL) else Source.DASHBOARD


@receiver(user_logged_in, dispatch_uid="audit.sign_in")
def signed_in(sender, request, user, **kwargs):
    address = client_address(request) if request is not None else ""
    actor = Actor(Kind.USER, str(user.pk), _source(request), address, user)
    record(actor, "user.sign_in", target_id=user.email, target_label=user.email)


@receiver(user_login_failed, dispatch_uid="audit.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    email = str(credentials.get("username") or credentials.get("email") or "").strip().lower()[:255]
    address = client_address(request) if request is not None else ""
    actor = Actor(Kind.USER, "", _source(request), address)
    record(actor, "user.sign_in_failed", actor_label=email, target_id=email, target_label=email)
