"""The emails the console sends (invitations; password resets are Django's), through
the task queue and Django's email backend: EMAIL_URL in the settings (the console in
development, SMTP in production, locmem in tests)."""

from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.debug import sensitive_variables

from core.emails import queue_mail

from .models import Invitation


@sensitive_variables("token", "link", "context", "body")
def send_invitation(request, invitation: Invitation, token: str, projects) -> None:
    """Email the invitation's link (the only place its token is ever written), from the
    task queue: a mail server that fails is tried again later (core.emails)."""
    link = (
        request.build_absolute_uri(reverse("invitation_accept")) + "?" + urlencode({"token": token})
    )
    context = {
        "invitation": invitation,
        "account": invitation.account,
        "inviter": getattr(request.user, "email", ""),
        "projects": [project.title for project in projects],
        "link": link,
    }
    subject = render_to_string("team/email/invitation_subject.txt", context).strip()
    body = render_to_string("team/email/invitation.txt", context)
    queue_mail(subject, body, None, [invitation.email])
