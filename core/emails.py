"""Sending email through Django's backend (EMAIL_URL: the console in development, SMTP
in production, locmem in tests), with links kept whole.

Python's email package keeps lines to 78 characters and sends a message with a longer
line as quoted-printable: a link (an invitation's token, a page's full address) would
then be printed by the console backend as `…=3D…` cut by soft line breaks, which nobody
can copy from `make run`'s output. Lines up to RFC 5322's 998 characters keep the body
plain 7-bit text, each link on one line.
"""

import email.policy

from django.core.mail import EmailMultiAlternatives, get_connection

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
