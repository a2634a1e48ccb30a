"""Access keys: creation (the secret returned once), rotation, rename and revocation."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from audit import trail
from core import credentials
from core.actors import SYSTEM, Actor
from core.errors import AlreadyExists, InvalidValue, LimitReached, NotAllowed, WrongState
from core.validation import NAME_MAX_LENGTH
from projects import scopes
from projects.models import AccessKey, Project

from .rows import commit, insert, locked, locked_project, validated


@sensitive_variables("secret")
@transaction.atomic
def access_key_create(
    *,
    project: Project,
    display_name: str,
    actor: Actor = SYSTEM,
    expires_at=None,
    replaces=None,
    permissions=None,
    within: str | None = None,
) -> tuple[AccessKey, str]:
    """Create a key and return it with its secret, which exists nowhere else afterwards.

    At most ACCESS_KEYS_PER_PROJECT active keys per project; names unique among a
    project's keys that are not revoked. `expires_at`, if given, must be in the future:
    a key born expired would count as created yet never work. `permissions` (a list, or
    a stored scope; None: everything) is the key's scope (projects.scopes); `within`,
    the scope of the key that asks for this one (None for a person or a command): a
    key never creates a key broader than itself.
    """
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidValue("The expiry must be in the future.", field="expires_at")
    scope = scopes.clean(permissions)
    lacking = scopes.missing(within, scope) if within is not None else []
    if lacking:
        raise NotAllowed(
            "An access key cannot create a key broader than itself: this key lacks "
            f"{', '.join(lacking)}.",
            field="permissions",
        )
    # The project row lock serialises concurrent creations, so neither the limit nor
    # the unique name can be raced past.
    project = locked_project(project.pk)
    if project.removed_at is not None:
        raise WrongState("This project has been removed.")
    limit = settings.ACCESS_KEYS_PER_PROJECT
    if project.access_keys.active().count() >= limit:
        raise LimitReached(
            f"This project already has {limit} active access keys, the most it can "
            "have. Revoke one you no longer use, then create the new one."
        )
    secret = credentials.new_secret()
    key = AccessKey(
        project=project,
        key_id=credentials.new_key_id(),
        display_name=display_name,
        secret_hash=credentials.hash_secret(secret),
        created_by=actor.user,
        expires_at=expires_at,
        replaces=replaces,
        scope=scope,
    )
    # The expiry is part of the key's creation; its passing is not a change (nothing
    # is written then), so it has no entry of its own.
    # A scoped key's permissions are part of it too (everything, the default, says nothing).
    fields = ("display_name", "expires_at") + (("scope",) if scope else ())
    insert(key, actor, "access_key.create", fields, target="key", check=_validated_key)
    return key, secret


@sensitive_variables("secret")
@transaction.atomic
def access_key_rotate(
    *, key: AccessKey, display_name: str | None = None, actor: Actor = SYSTEM
) -> tuple[AccessKey, str]:
    """Replace a key without an outage: create its successor (access_key_create: the
    limit, the unique name, the secret shown once) and leave the old key working until
    someone revokes it, once its last use shows that nothing uses it any more.

    The new key is named `display_name`, or after the old one; it lasts as long as the
    old one was made to last (from now), or never expires if the old one did not.
    Writes the successor's "access_key.create" entry and the old key's
    "access_key.rotate" entry, naming the successor.
    """
    project = locked_project(key.project_id)  # first, as every key service locks them
    old = locked(AccessKey, key.pk)
    old.project = project
    if old.revoked_at is not None:
        raise WrongState("This access key has been revoked: create a new key instead.")
    expires_at = None
    if old.expires_at is not None:
        expires_at = timezone.now() + (old.expires_at - old.created_at)
    new, secret = access_key_create(
        project=project,
        display_name=rotated_name(old) if display_name is None else display_name,
        actor=actor,
        expires_at=expires_at,
        replaces=old,
        permissions=scopes.as_list(old.scope),  # the same scope as the key it replaces
    )
    trail.record(
        actor,
        "access_key.rotate",
        key=old,
        changes=trail.diff({"replaced_by": None}, {"replaced_by": new.key_id}),
    )
    return new, secret


def rotated_name(key: AccessKey) -> str:
    """The name a rotated key's successor gets unless another is chosen."""
    suffix = f" (rotated {timezone.localdate():%Y-%m-%d})"
    return key.display_name[: NAME_MAX_LENGTH - len(suffix)] + suffix


def _validated_key(key: AccessKey) -> AccessKey:
    try:
        return validated(key)
    except AlreadyExists as error:  # the unique-name constraint names no field itself
        raise AlreadyExists(error.message, field="display_name") from None


@transaction.atomic
def access_key_rename(*, key: AccessKey, display_name: str, actor: Actor = SYSTEM) -> AccessKey:
    project = locked_project(key.project_id)  # names are unique per project: one writer
    stored = locked(AccessKey, key.pk)
    stored.project = project
    if stored.revoked_at is not None:
        raise WrongState("This access key has been revoked.")
    before = {"display_name": stored.display_name}
    stored.display_name = display_name
    _validated_key(stored)
    return commit(stored, key, actor, "access_key.rename", before, target="key")


@transaction.atomic
def access_key_revoke(*, key: AccessKey, actor: Actor = SYSTEM) -> AccessKey:
    """Revoke a key: the very next request made with it, or a token from it, fails."""
    stored = locked(AccessKey, key.pk, "project__parent", "project__account")
    before = {"revoked_at": stored.revoked_at}
    if stored.revoked_at is None:
        stored.revoked_at = timezone.now()
    return commit(stored, key, actor, "access_key.revoke", before, target="key")
