"""What the projects app lends the events outbox (events.from_audit.represent): the
resource an event carries, as the API shows it, and an account's families."""

from core.times import timestamp
from events import from_audit
from projects.models import AccessKey, Project


def represent_project(project: Project) -> dict:
    from projects.api.subprojects import serialize_subproject

    if project.parent_id is not None:
        return serialize_subproject(project, project.parent.public_id)
    return {
        "projectId": project.public_id,
        "displayName": project.name,
        "labels": project.labels or {},
        "createTime": timestamp(project.created_at),
        "updateTime": timestamp(project.updated_at),
        "state": "SUSPENDED" if project.suspended_at is not None else "ACTIVE",
        "suspendReason": project.suspend_reason,
    }


def represent_key(key: AccessKey) -> dict:
    from projects.api.access_keys import serialize_access_key

    return {
        **serialize_access_key(key, key.project),
        "expireTime": timestamp(key.expires_at) if key.expires_at else None,
        "revoked": key.revoked_at is not None,
    }


def families(account_public_id: str) -> list[str]:
    """The account's top-level projects' IDs, in order."""
    return list(
        Project.objects.filter(account__public_id=account_public_id, parent__isnull=True)
        .order_by("pk")
        .values_list("public_id", flat=True)
    )


def lend() -> None:
    from_audit.represent("project", represent_project)
    from_audit.represent("key", represent_key)
    from_audit.represent("families", families)
