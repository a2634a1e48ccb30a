"""Sessions a user can see (the profile): which browser, from where, last active when;
and signing one of them out.

Django's sessions (the database backend) cannot be found by user, so each signed-in
session has a UserSession row, made at sign-in (a user_logged_in receiver) and touched
by SessionActivityMiddleware at most every ACTIVITY_RESOLUTION, not on each request.
A row is listed only while its session is alive and still belongs to the user (Django's
session hash: a password change or "sign out everywhere" ends it); rows of ended
sessions are deleted when the list is read.
"""

import time
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from ua_parser import parse

from audit import trail
from core.actors import SYSTEM, Actor
from core.client import client_address
from core.errors import WrongState

from .models import UserSession

ACTIVITY_RESOLUTION = 5 * 60  # seconds
SEEN = "accounts.session_seen"  # in the session: when its row was last touched


def _describe_request(request) -> dict:
    return {
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:512],
        "address": client_address(request)[:64],
        "last_activity": timezone.now(),
    }


@receiver(user_logged_in, dispatch_uid="accounts.sessions.signed_in")
def signed_in(sender, request, user, **kwargs):
    session = getattr(request, "session", None) if request is not None else None
    if session is None or not session.session_key:
        return
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={"user": user, **_describe_request(request)},
    )
    session[SEEN] = int(time.time())


def touch(request) -> None:
    """Record the signed-in session's activity, at most every ACTIVITY_RESOLUTION."""
    session = request.session
    now = int(time.time())
    if not session.session_key or now - session.get(SEEN, 0) < ACTIVITY_RESOLUTION:
        return
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={"user": request.user, **_describe_request(request)},
    )
    session[SEEN] = now


@dataclass(frozen=True)
class SeenSession:
    public_id: str
    browser: str
    address: str
    last_activity: datetime
    created_at: datetime
    current: bool


def browser_of(user_agent: str) -> str:
    """ "Firefox 133 on Linux", from the User-Agent header (ua-parser's rules)."""
    if not user_agent:
        return "Unknown browser"
    parsed = parse(user_agent)
    agent = parsed.user_agent
    name = f"{agent.family} {agent.major}" if agent and agent.major else "Unknown browser"
    if agent and not agent.major:
        name = agent.family
    system = parsed.os.family if parsed.os else ""
    return f"{name} on {system}" if system and system != "Other" else name


def sessions_of(user, current_key: str | None) -> list[SeenSession]:
    """The user's signed-in sessions, latest activity first."""
    rows = list(UserSession.objects.filter(user=user))
    alive = {
        s.session_key: s.get_decoded()
        for s in Session.objects.filter(
            session_key__in=[r.session_key for r in rows], expire_date__gt=timezone.now()
        )
    }
    expected = user.get_session_auth_hash()
    listed, ended = [], []
    for row in rows:
        data = alive.get(row.session_key)
        if (
            data is None
            or str(data.get(SESSION_KEY)) != str(user.pk)
            or not constant_time_compare(data.get(HASH_SESSION_KEY, ""), expected)
        ):
            ended.append(row.pk)
            continue
        listed.append(
            SeenSession(
                row.public_id,
                browser_of(row.user_agent),
                row.address,
                row.last_activity,
                row.created_at,
                row.session_key == current_key,
            )
        )
    if ended:
        UserSession.objects.filter(pk__in=ended).delete()
    return listed


@transaction.atomic
def user_session_end(*, user, public_id: str, actor: Actor = SYSTEM) -> None:
    """Sign one of the user's sessions out: it ends at once (its session is deleted)."""
    row = UserSession.objects.select_for_update().filter(user=user, public_id=public_id).first()
    if row is None:
        raise WrongState("This session has already ended.")
    Session.objects.filter(session_key=row.session_key).delete()
    row.delete()
    trail.record(
        actor,
        "user.session_end",
        target_id=user.email,
        target_label=user.email,
        changes=trail.deleted({"address": row.address, "browser": browser_of(row.user_agent)}),
    )
