"""Webhook endpoints: create, change, delete, rotate the secret (each with its audit
entry, in one transaction). At most WEBHOOK_ENDPOINTS_PER_PROJECT per top-level project;
the URL is checked (webhooks.safety) when saved and again at each delivery."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from audit import trail
from core.actors import SYSTEM, Actor
from core.errors import InvalidValue, LimitReached, WrongState
from events.outbox import TYPES
from projects.models import Project

from . import safety
from .models import Endpoint, new_secret

# What an endpoint's audit entries record (never the secret).
FIELDS = ("url", "description", "event_types", "enabled")


def clean_url(url) -> str:
    url = (url or "").strip()
    if len(url) > 2000:
        raise InvalidValue("The URL is longer than 2,000 characters.", field="url")
    try:
        safety.resolve(url)
    except safety.UnsafeURL as refusal:
        raise InvalidValue(str(refusal), field="url") from None
    return url


def clean_event_types(types) -> list[str]:
    types = list(dict.fromkeys(types or []))
    unknown = [t for t in types if t not in TYPES]
    if unknown:
        raise InvalidValue(
            f"{unknown[0]!r} is not an event type. Leave the list empty for all of them.",
            field="event_types",
        )
    return types


def clean_description(text) -> str:
    text = (text or "").strip()
    if len(text) > 255:
        raise InvalidValue("The description is longer than 255 characters.", field="description")
    return text


def _locked_parent(project: Project) -> Project:
    project = (
        Project.objects.select_for_update(of=("self",)).select_related("account").get(pk=project.pk)
    )
    if project.parent_id is not None:
        raise WrongState(
            "Webhook endpoints belong to a top-level project: they receive its events and "
            "its subprojects'."
        )
    return project


def _record(actor: Actor, action: str, endpoint: Endpoint, changes) -> None:
    """An endpoint's entry in the audit trail: on its project, named by its ID and URL."""
    trail.record(
        actor,
        action,
        project=endpoint.project,
        target_id=endpoint.public_id,
        target_label=endpoint.url[:255],
        changes=changes,
    )


@sensitive_variables("endpoint")
@transaction.atomic
def endpoint_create(
    *,
    project: Project,
    url: str,
    description: str = "",
    event_types=(),
    enabled: bool = True,
    actor: Actor = SYSTEM,
) -> tuple[Endpoint, str]:
    """A new endpoint and its signing secret (shown once by the caller)."""
    url = clean_url(url)
    project = _locked_parent(project)
    limit = settings.WEBHOOK_ENDPOINTS_PER_PROJECT
    if project.webhook_endpoints.count() >= limit:
        raise LimitReached(
            f"This project already has {limit} webhook endpoints, the most it can have. "
            "Delete one, or let one endpoint take more event types."
        )
    endpoint = Endpoint.objects.create(
        project=project,
        url=url,
        description=clean_description(description),
        event_types=clean_event_types(event_types),
        enabled=bool(enabled),
    )
    _record(
        actor,
        "webhook_endpoint.create",
        endpoint,
        trail.created({f: getattr(endpoint, f) for f in FIELDS}),
    )
    return endpoint, endpoint.secret


@transaction.atomic
def endpoint_update(
    *,
    endpoint: Endpoint,
    url=None,
    description=None,
    event_types=None,
    enabled=None,
    actor: Actor = SYSTEM,
) -> Endpoint:
    """Change what is given (None leaves it). Enabling a disabled endpoint resumes its
    waiting deliveries, in order."""
    stored = (
        Endpoint.objects.select_for_update().select_related("project__account").get(pk=endpoint.pk)
    )
    before = {f: getattr(stored, f) for f in FIELDS}
    if url is not None:
        stored.url = clean_url(url)
    if description is not None:
        stored.description = clean_description(description)
    if event_types is not None:
        stored.event_types = clean_event_types(event_types)
    if enabled is not None:
        stored.enabled = bool(enabled)
    changes = trail.diff(before, {f: getattr(stored, f) for f in FIELDS})
    if changes:
        fields = list(changes)
        if stored.enabled and not before["enabled"]:
            stored.disabled_reason, stored.failing_since = "", None
            fields += ["disabled_reason", "failing_since"]
        stored.save(update_fields=[*fields, "updated_at"])
        _record(actor, "webhook_endpoint.update", stored, changes)
        if stored.enabled and not before["enabled"]:
            from .delivery import deliver

            deliver.enqueue(stored.pk)
    return stored


@transaction.atomic
def endpoint_delete(*, endpoint: Endpoint, actor: Actor = SYSTEM) -> None:
    stored = (
        Endpoint.objects.select_for_update().select_related("project__account").get(pk=endpoint.pk)
    )
    _record(
        actor,
        "webhook_endpoint.delete",
        stored,
        trail.deleted({f: getattr(stored, f) for f in FIELDS}),
    )
    stored.delete()


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint, actor: Actor = SYSTEM) -> tuple[Endpoint, str]:
    """A new secret; the current one keeps signing (beside it) for
    WEBHOOK_OLD_SECRET_HOURS, so receivers can switch without missing a delivery."""
    stored = (
        Endpoint.objects.select_for_update().select_related("project__account").get(pk=endpoint.pk)
    )
    stored.previous_secret = stored.secret
    stored.previous_secret_until = timezone.now() + timedelta(
        hours=settings.WEBHOOK_OLD_SECRET_HOURS
    )
    stored.secret = new_secret()
    stored.save(update_fields=["secret", "previous_secret", "previous_secret_until", "updated_at"])
    _record(
        actor,
        "webhook_endpoint.rotate_secret",
        stored,
        {"old_signing_until": {"before": None, "after": stored.previous_secret_until}},
    )
    return stored, stored.secret
