"""Request bodies of the webhook endpoints API (core.api.bodies.Body)."""

import pydantic

from core.api.bodies import Body


class CreateWebhookEndpoint(Body):
    """A new endpoint: HTTPS to a public address; `eventTypes` empty or left out: all."""

    url: str = pydantic.Field(max_length=2000)
    description: str = pydantic.Field(default="", max_length=255)
    eventTypes: list[str] = pydantic.Field(default_factory=list, max_length=50)
    enabled: bool = True


class UpdateWebhookEndpoint(Body):
    """What to change; a field left out stays as it is."""

    ignored = ("id", "projectId", "createTime", "updateTime", "disabledReason")

    url: str | None = pydantic.Field(default=None, max_length=2000)
    description: str | None = pydantic.Field(default=None, max_length=255)
    eventTypes: list[str] | None = pydantic.Field(default=None, max_length=50)
    enabled: bool | None = None


class Replay(Body):
    """Deliver again every event after `since` (RFC 3339), or the one `eventId`."""

    since: str | None = pydantic.Field(default=None, max_length=40)
    eventId: str | None = pydantic.Field(default=None, max_length=30)
