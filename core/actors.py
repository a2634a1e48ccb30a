"""Who makes a change, and through which interface.

Every service that writes takes `actor=`: the dashboard, the API, the admin and the
commands each build one here, so a change can say who made it (a project's
`created_by`, and every entry of the audit trail) the same way whatever the interface.
"""

from dataclasses import dataclass
from typing import Any

from .client import client_address


class Kind:
    USER = "user"
    ACCESS_KEY = "access_key"
    PLATFORM_TOKEN = "platform_token"  # noqa: S105 - a kind of actor, not a secret
    COMMAND = "command"
    SYSTEM = "system"


class Source:
    DASHBOARD = "dashboard"
    API = "api"
    ADMIN = "admin"
    COMMAND = "command"
    INTERNAL = "internal"


@dataclass(frozen=True)
class Actor:
    kind: str
    id: str
    source: str
    address: str = ""
    user: Any = None  # the signed-in user, when there is one

    @classmethod
    def for_user(cls, request, *, source: str = Source.DASHBOARD) -> "Actor":
        user = request.user
        return cls(Kind.USER, str(user.pk), source, client_address(request), user)

    @classmethod
    def for_admin(cls, request) -> "Actor":
        return cls.for_user(request, source=Source.ADMIN)

    @classmethod
    def for_key(cls, request, key_id: str) -> "Actor":
        return cls(Kind.ACCESS_KEY, key_id, Source.API, client_address(request))

    @classmethod
    def for_platform_token(cls, request, token_id: str) -> "Actor":
        return cls(Kind.PLATFORM_TOKEN, token_id, Source.API, client_address(request))

    @classmethod
    def for_command(cls, name: str) -> "Actor":
        return cls(Kind.COMMAND, name, Source.COMMAND)


# Code that runs on nobody's behalf (tests, data migrations, scheduled maintenance
# without a command name).
SYSTEM = Actor(Kind.SYSTEM, "system", Source.INTERNAL)
