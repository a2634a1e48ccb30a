"""What every projects service does to the row it changes: lock it (SELECT … FOR UPDATE on
PostgreSQL; SQLite serialises writers), validate it with the model's rules (as typed
errors), and save only the fields that changed with their audit entry, in the caller's
transaction (`commit`); or, for a new row, validate and insert it with its creation's
entry (`insert`)."""

from django.core.exceptions import ValidationError

from audit import trail
from core.actors import Actor
from core.errors import typed
from projects.models import Project


def validated(instance, *, exclude=("created_by",)):
    """Run the model's rules (full_clean), raising them as typed errors."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise typed(error) from None
    return instance


def locked(model, pk, *related):
    """The row, re-read under a lock held until the transaction ends (only this row is
    locked; `related` rows are read in the same query)."""
    rows = model.objects.select_for_update(of=("self",))
    return (rows.select_related(*related) if related else rows).get(pk=pk)


def locked_project(pk) -> Project:
    """The project, locked, with its parent and account (which its audit entry names)."""
    return locked(Project, pk, "parent", "account")


def commit(stored, instance, actor: Actor, action, before: dict, *, target="project"):
    """Save what changed on the locked row `stored` since `before` (those fields and
    updated_at only) and write its audit entry, in the caller's transaction. Nothing
    changed: nothing is saved and no entry written. The caller's `instance` then shows
    the stored values of every field in `before`. `action` is the entry's action, or a
    function of the changes that names it."""
    changes = trail.diff(before, {field: getattr(stored, field) for field in before})
    if changes:
        stored.save(update_fields=[*changes, "updated_at"])
        name = action(changes) if callable(action) else action
        trail.record(actor, name, changes=changes, **{target: stored})
    for field in [*before, "updated_at"]:
        setattr(instance, field, getattr(stored, field))
    return instance


def insert(instance, actor: Actor, action: str, fields, *, target="project", check=validated):
    """Validate a new row (`check`: validated, or a service's own wrapper of it), insert
    it and write its creation's audit entry, which records `fields`, in the caller's
    transaction."""
    check(instance).save()
    created = trail.created({field: getattr(instance, field) for field in fields})
    trail.record(actor, action, changes=created, **{target: instance})
    return instance
