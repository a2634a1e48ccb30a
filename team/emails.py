"""The emails the console sends (invitations; password resets are Django's), through
Django's email backend: EMAIL_URL in the settings (the console in development, SMTP in
production, locmem in tests)."""

import logging
import smtplib
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.debug import sensitive_variables

from core.emails import send_mail

from .models import Invitation

logger = logging.getLogger(__name__)


@sensitive_variables("token", "link", "context", "body")
def send_invitation(request, invitation: Invitation, token: str, projects) -> bool:
    """Email the invitation's link (the only place its token is ever written). False
    when the email could not be handed to the mail server (the caller says so and
    offers to resend); the error is logged, never the link."""
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
    try:
        send_mail(subject, body, None, [invitation.email])
    except (smtplib.SMTPException, OSError) as error:
        logger.error("Invitation email to %s failed: %s", invitation.email, type(error).__name__)
        return False
    return True
