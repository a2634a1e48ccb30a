"""The emails the console sends (invitations; password resets are Django's), through
Django's email backend: EMAIL_URL in the settings (the console in development, SMTP in
production, locmem in tests)."""

import email.policy
import logging
import smtplib
from urllib.parse import urlencode

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.debug import sensitive_variables

from .models import Invitation

logger = logging.getLogger(__name__)

# Python's email package keeps lines to 78 characters and sends a message with a longer
# line as quoted-printable: a link with its token (about 90 characters) would then be
# printed by the console backend as `token=3D…` cut by soft line breaks, which nobody
# can copy from `make run`'s output. Lines up to RFC 5322's 998 characters keep the
# body plain 7-bit text, the link on one line.
LONG_LINES = email.policy.default.clone(max_line_length=998)


class PlainEmail(EmailMultiAlternatives):
    """Django's email, with the links kept whole (LONG_LINES)."""

    def message(self, *, policy=LONG_LINES):
        return super().message(policy=policy)


def send_mail(subject: str, body: str, from_email, recipients: list[str]) -> None:
    PlainEmail(subject, body, from_email, recipients).send()


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
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation.txt", context)
    try:
        send_mail(subject, body, None, [invitation.email])
    except (smtplib.SMTPException, OSError) as error:
        logger.error("Invitation email to %s failed: %s", invitation.email, type(error).__name__)
        return False
    return True
