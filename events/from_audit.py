"""Events from the audit trail: every change already writes its audit entry in its own
transaction (audit.trail), so the events of the changes it names are written there too,
from one table (EVENTS_OF_ACTION) instead of a call in every service.

The resource in an event is the API's representation, which the app owning it lends
(`represent`): the projects app registers its subproject and access-key bodies in its
AppConfig.ready, so this lower app imports nothing of it.
"""

from . import outbox

EVENTS_OF_ACTION = {
    "subproject.create": ["subproject.created"],
    "subproject.rename": ["subproject.renamed"],
    "subproject.relabel": ["subproject.labels_changed"],
    "subproject.update": ["subproject.renamed", "subproject.labels_changed"],
    "subproject.remove": ["subproject.removed"],
    "subproject.restore": ["subproject.restored"],
    "subproject.purge": ["subproject.purged"],
    "project.suspend": ["project.suspended"],
    "subproject.suspend": ["project.suspended"],
    "project.resume": ["project.resumed"],
    "subproject.resume": ["project.resumed"],
    "access_key.create": ["access_key.created"],
    "access_key.rotate": ["access_key.rotated"],
    "access_key.revoke": ["access_key.revoked"],
    "statement.close": ["statement.closed"],
    "invitation.create": ["member.invited"],
    "membership.create": ["member.joined"],
    "membership.remove": ["member.removed"],
}

# kind -> function(object) -> dict: "project" (a Project), "key" (an AccessKey), and
# "families" (an account's public ID -> its top-level projects' public IDs).
_lent = {}


def represent(kind: str, function) -> None:
    _lent[kind] = function


def _after(changes: dict) -> dict:
    return {name: change.get("after") for name, change in (changes or {}).items()}


def _new_events(entry) -> list[outbox.New]:
    types = EVENTS_OF_ACTION.get(entry.action)
    if not types:
        return []
    key, project = getattr(entry, "about_key", None), getattr(entry, "about_project", None)
    if key is not None:
        data = _lent["key"](key)
    elif project is not None and entry.action == "statement.close":
        data = {"projectId": project.public_id, **_after(entry.changes)}
    elif project is not None:
        data = _lent["project"](project)
    else:  # an account's member: every family of the account hears of it
        data = {"email": entry.target_id, **_after(entry.changes)}
        return [
            outbox.New(event_type, family, family, data)
            for family in _lent["families"](entry.account_id)
            for event_type in types
        ]
    return [
        outbox.New(event_type, entry.project_id, entry.family_project_id, data)
        for event_type in types
    ]


def events_of(entries) -> None:
    """The audit trail's listener: write the events of these entries (one batch)."""
    outbox.emit_many([new for entry in entries for new in _new_events(entry)])
