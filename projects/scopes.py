"""What an access key may do: its scope (ADR 0131).

A key's scope is either everything (today's keys and the default: the published
contracts are unchanged) or a set of permissions "<resource>:read" or
"<resource>:write", where write includes read. It is stored on the key as the
permissions separated by spaces (like OAuth scopes), "" meaning everything, and read
with the key in authentication's one query (projects.api.auth), so checking it costs
no query. Every customer route names its resource (projects.api.auth.key_route); a GET
needs read, any other method write. A key never creates a key broader than itself.
"""

from core.errors import InvalidValue

# The API's resources, in the order the dashboard shows them.
RESOURCES = {
    "subprojects": "Subprojects",
    "accessKeys": "Access keys",
    "usage": "Usage",
    "billing": "Billing (statements, spend limits)",
    "auditEvents": "Audit events",
    "webhooks": "Webhooks",
}
LEVELS = ("read", "write")
EVERYTHING = ""
PERMISSIONS = tuple(f"{resource}:{level}" for resource in RESOURCES for level in LEVELS)


def permission(resource: str, method: str) -> str:
    """The permission a request with this HTTP method needs on `resource`."""
    return f"{resource}:{'read' if method in ('GET', 'HEAD') else 'write'}"


def _implied(granted: str) -> set[str]:
    resource, _, level = granted.partition(":")
    return {granted, f"{resource}:read"} if level == "write" else {granted}


def allows(scope: str, needed: str) -> bool:
    """Whether a key of `scope` may act where `needed` is required."""
    if scope == EVERYTHING:
        return True
    return any(needed in _implied(p) for p in scope.split())


def missing(scope: str, wanted: str) -> list[str]:
    """The permissions of `wanted` (a scope) that `scope` does not include: what a key
    of `scope` lacks to create a key of `wanted`. Everything lacks nothing; wanting
    everything lacks whatever `scope` lacks."""
    if scope == EVERYTHING:
        return []
    asked = PERMISSIONS if wanted == EVERYTHING else wanted.split()
    return [p for p in asked if not allows(scope, p)]


def clean(permissions) -> str:
    """A stored scope from a list of permissions (None: everything), or InvalidValue
    naming the unknown ones. Sorted, without duplicates and without a read that its
    write already gives."""
    if permissions is None:
        return EVERYTHING
    if isinstance(permissions, str):
        permissions = permissions.split()
    unknown = [p for p in permissions if p not in PERMISSIONS]
    if unknown:
        raise InvalidValue(
            f"Unknown permission {', '.join(repr(p) for p in unknown)}: each is "
            "“<resource>:read” or “<resource>:write”, the resource one of "
            f"{', '.join(RESOURCES)}.",
            field="permissions",
        )
    if not permissions:
        raise InvalidValue(
            "Choose at least one permission, or leave the scope out for everything.",
            field="permissions",
        )
    chosen = set(permissions)
    chosen -= {f"{p.split(':')[0]}:read" for p in chosen if p.endswith(":write")}
    return " ".join(p for p in PERMISSIONS if p in chosen)


def as_list(scope: str) -> list[str] | None:
    """The scope as the API shows it: None for everything, else its permissions."""
    return None if scope == EVERYTHING else scope.split()


def describe(scope: str) -> str:
    """The scope in words, for the keys table: "Everything", or e.g. "Subprojects:
    read · Usage: read"."""
    if scope == EVERYTHING:
        return "Everything"
    parts = []
    for p in scope.split():
        resource, _, level = p.partition(":")
        parts.append(f"{RESOURCES[resource].split(' (')[0]}: {level}")
    return " · ".join(parts)
