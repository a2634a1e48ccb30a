"""Sending email through Django's backend (EMAIL_URL: the console in development, SMTP
in production, locmem in tests), with links kept whole, from the task queue.

`queue_mail` is what the console calls: it enqueues `send_email` in the caller's
transaction, and a worker sends it, again later (EMAIL_RETRY_SCHEDULE) when the mail
server fails, so an SMTP outage neither fails the request nor loses the email.

Python's email package keeps lines to 78 characters and sends a message with a longer
line as quoted-printable: a link (an invitation's token, a page's full address) would
then be printed by the console backend as `…=3D…` cut by soft line breaks, which nobody
can copy from `make run`'s output. Lines up to RFC 5322's 998 characters keep the body
plain 7-bit text, each link on one line.
"""

import email.policy
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.tasks import TaskContext, task
from django.views.decorators.debug import sensitive_variables

from core.tasks import retry_later

logger = logging.getLogger(__name__)

LONG_LINES = email.policy.default.clone(max_line_length=998)


class PlainEmail(EmailMultiAlternatives):
    """Django's email, with the links kept whole (LONG_LINES)."""

    def message(self, *, policy=LONG_LINES):
        return super().message(policy=policy)


def send_mail(subject: str, body: str, from_email, recipients: list[str]) -> None:
    PlainEmail(subject, body, from_email, recipients).send()


def send_many(messages) -> int:
    """Send (subject, body, from_email, recipients) tuples over one connection; how many
    were sent."""
    connection = get_connection()
    return connection.send_messages(
        [PlainEmail(s, b, f, r, connection=connection) for s, b, f, r in messages]
    )


class EmailNotSent(Exception):
    """The mail server refused or could not take an email (its reason; never the body)."""


@sensitive_variables("body")
def queue_mail(subject: str, body: str, from_email, recipients: list[str]) -> None:
    """Send the email from the task queue, with retries (see the module's docstring)."""
    send_email.enqueue(subject, body, from_email, list(recipients))


@task(takes_context=True)
@sensitive_variables("body")
def send_email(
    context: TaskContext, subject: str, body: str, from_email, recipients, attempt: int = 1
) -> int:
    try:
        send_mail(subject, body, from_email, recipients)
    except (smtplib.SMTPException, OSError) as error:
        reason = type(error).__name__
        schedule = settings.EMAIL_RETRY_SCHEDULE
        if retry_later(context, schedule, attempt, subject, body, from_email, recipients):
            logger.warning(
                "Email %r (attempt %d) not sent: %s; retrying in %d s",
                subject,
                attempt,
                reason,
                schedule[attempt - 1],
            )
        else:
            logger.error("Email %r not sent after %d attempt(s): %s", subject, attempt, reason)
        # The attempt is recorded as failed (its reason only: an address or a link in
        # the server's answer stays out of the queue's table).
        raise EmailNotSent(f"{reason} (attempt {attempt})") from None
    return len(recipients)
