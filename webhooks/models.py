"""Webhook endpoints of a top-level project, and their deliveries (ADR 0127).

An endpoint receives the events of its project's whole family. Each event an endpoint
wants becomes a Delivery in the event's own transaction (webhooks.delivery.fan_out);
each try of it is an Attempt (the delivery log). An endpoint's deliveries go out one
at a time, in order (Delivery.pk follows the family's sequence), by whichever worker
holds the endpoint's lease.
"""

import secrets
from base64 import b64encode

from django.db import models
from django.utils import timezone

from core.ids import new_public_id

SECRET_PREFIX = "whsec_"  # noqa: S105 - the Standard Webhooks prefix, not a secret


def new_secret() -> str:
    """whsec_ and 32 random bytes in base64, as Standard Webhooks libraries expect."""
    return SECRET_PREFIX + b64encode(secrets.token_bytes(32)).decode()


class Endpoint(models.Model):
    public_id = models.CharField(max_length=26, unique=True, default=new_public_id, editable=False)
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=255, blank=True)
    # The event types it receives; empty: all of them.
    event_types = models.JSONField(default=list, blank=True)
    enabled = models.BooleanField(default=True)
    # Disabled by the console (failing for WEBHOOK_DISABLE_AFTER), and why; "" otherwise.
    disabled_reason = models.CharField(max_length=255, blank=True)
    # The signing secret: kept in clear, since signing needs it (like Stripe's and
    # Svix's); shown once at creation and rotation, never logged or listed.
    secret = models.CharField(max_length=100, default=new_secret)
    # After a rotation, the previous secret also signs until this time.
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    # Since when every attempt has failed (None: the last one succeeded).
    failing_since = models.DateTimeField(null=True, blank=True)
    # The worker delivering for it holds it until this time (webhooks.delivery).
    leased_until = models.DateTimeField(null=True, blank=True)
    # A `deliver` task is queued for it and has not yet looked at its deliveries: a change
    # adding one enqueues no other (ADR 0122; webhooks.delivery.wake).
    delivery_pending = models.BooleanField(default=False, db_default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["project", "created_at"], name="endpoint_project")]

    def __str__(self):
        return f"{self.public_id} {self.url}"

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types

    def signing_secrets(self, now) -> list[str]:
        keep_old = (
            self.previous_secret
            and self.previous_secret_until
            and now < (self.previous_secret_until)
        )
        return [self.secret, self.previous_secret] if keep_old else [self.secret]


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    replay = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["endpoint", "id"],
                name="delivery_pending",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self):
        return f"{self.event_id} to {self.endpoint_id}: {self.status}"


class Attempt(models.Model):
    """One try of a delivery: the delivery log."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField()
    # The HTTP status, or None when no answer came (timeout, refused, unsafe address).
    status_code = models.PositiveIntegerField(null=True)
    succeeded = models.BooleanField()
    latency_ms = models.PositiveIntegerField()
    # The first WEBHOOK_RESPONSE_BYTES of the answer, or what went wrong.
    response = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["endpoint", "-at"], name="attempt_endpoint_time")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status_code}"
