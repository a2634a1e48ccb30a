"""Authentication of API requests with access keys, and the scope of a key.

Two ways, both ending at the same check (`key_for_credentials` / `_active_key`):
- HTTP Basic with the Key ID as user name and the Key Secret as password;
- a bearer token from POST /oauth2/token (client credentials grant).

A token is a signed, timestamped Key ID: it expires after TOKEN_LIFETIME seconds, and
because every request loads the key again, revoking or expiring the key stops its
tokens on the very next request too.

A suspended project's keys (and, while a top-level project is suspended, its
subprojects' keys: Project.suspension) authenticate but are refused: 403
PERMISSION_DENIED saying so, never 401, since the credentials are fine. The lookup reads
the project's parent in the same query.

Failed attempts that could have succeeded (credentials of our shape) are counted per
client address (core.failures, in the database, one write each); credentials refused
by their shape cost no query at all. Past FAILURE_LIMIT in FAILURE_WINDOW seconds the
address's failed attempts are answered with Retry-After. Valid credentials are not read
against the counter: that keeps a query off every good request, and an attacker sharing
an address (a NAT, a cloud egress) cannot lock its other users out. Guessing stays
hopeless either way: a secret has 190 random bits.
"""

import base64
import binascii
import functools
from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.urls import path
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from core import credentials
from core.actors import Actor
from core.api.errors import ApiError, permission_denied, unauthenticated
from core.api.views import api_view
from core.client import client_address
from core.failures import FailureLimit
from core.ids import looks_like_public_id
from projects import activity, scopes
from projects.models import AccessKey, Project

TOKEN_LIFETIME = 3599  # seconds, as the platform's token endpoint answers
TOKEN_SALT = "projects.api.bearer-token"  # noqa: S105 - a salt, not a secret
FAILURES = FailureLimit("api-auth-address", limit=50, window=300)
FAILURE_LIMIT = FAILURES.limit
FAILURE_WINDOW = FAILURES.window
LAST_USED_RESOLUTION = activity.RESOLUTION


@dataclass(frozen=True)
class Suspension:
    """A suspended project that a key is refused for: its own, or its parent."""

    public_id: str
    reason: str
    by_platform: bool
    of_parent: bool

    def refusal(self) -> ApiError:
        which = "The parent project" if self.of_parent else "The project"
        by = " by the platform" if self.by_platform else ""
        return permission_denied(
            f"{which} {self.public_id} is suspended{by} (reason: {self.reason}): "
            "its access keys are refused until it is resumed."
        )


@dataclass(frozen=True, eq=False)
class KeyRecord:
    """What authentication knows of an active key, and its project, read in one query.

    Like a model instance, it equals whatever stands for the same key (its AccessKey
    row included): same primary key.
    """

    pk: int
    key_id: str
    secret_hash: str
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    project_id: int  # the project's database key, as on AccessKey
    scope: str  # projects.scopes: "" for everything
    # Every field loaded; alive (the lookup says so). A subproject's comes with its
    # parent (the columns in _PARENT_FIELDS), so that Project.suspension costs no query.
    project: Project
    # The project a route names, read in the same query when the key reaches it (None:
    # not looked up, or out of reach); see Principal.get_project.
    target_public_id: str | None = None
    target: Project | None = None

    @property
    def is_subproject_key(self) -> bool:
        return self.project.parent_id is not None

    @property
    def suspension(self) -> Suspension | None:
        """Why this key is refused although it is valid, if it is: its project's
        suspension in effect (Project.suspension: its own, or its parent's)."""
        suspended = self.project.suspension
        if suspended is None:
            return None
        return Suspension(
            suspended.public_id,
            suspended.suspend_reason,
            suspended.suspended_by_platform,
            of_parent=suspended is not self.project,
        )

    def __eq__(self, other):
        if isinstance(other, (KeyRecord, AccessKey)):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self):
        return hash(("access-key", self.pk))


@dataclass(frozen=True)
class Principal:
    """Who is calling: an active access key, and through it a scope of projects.

    A top-level project's key reaches the project and its subprojects; a subproject's
    key reaches only that subproject. The rule is ProjectQuerySet.reachable_by_key; the
    key lookup's join that reads the route's project with the key (_lookup) is tested
    against it.
    """

    key: KeyRecord

    @property
    def project(self) -> Project:
        """The key's own project."""
        return self.key.project

    def reachable_projects(self, *, include_removed: bool = False):
        """The projects this key may act on, as a queryset."""
        projects = Project.objects.reachable_by_key(self.key.project_id)
        return projects if include_removed else projects.alive()

    def get_project(self, public_id: str, *, or_else: ApiError, include_removed=False):
        """The project with this Project ID if the key reaches it; else raise `or_else`,
        which must be the very answer an unknown ID gets on that route."""
        own = self.project
        if public_id == own.public_id and own.removed_at is None:  # costs no query
            return own
        if public_id == self.key.target_public_id and public_id:
            # Read with the key, in the same query, among the projects it reaches.
            target = self.key.target
            if target is None or (target.removed_at is not None and not include_removed):
                raise or_else
            if target.parent_id == own.pk:
                target.parent = own
            return target
        if looks_like_public_id(public_id):
            project = (
                self.reachable_projects(include_removed=include_removed)
                .select_related("parent")
                .filter(public_id=public_id)
                .first()
            )
            if project is not None:
                return project
        raise or_else

    def require(self, permission: str) -> None:
        """Refuse (403 PERMISSION_DENIED, naming it) unless the key's scope includes
        `permission` (projects.scopes). Costs no query: the scope came with the key."""
        if not scopes.allows(self.key.scope, permission):
            raise permission_denied(
                f"This access key's scope does not include the permission {permission}: "
                "use a key whose scope includes it."
            )

    def require_everything(self) -> None:
        """Routes that name no resource serve only keys whose scope is everything."""
        if self.key.scope != scopes.EVERYTHING:
            raise permission_denied(
                "This access key's scope does not include this endpoint: only a key "
                "with every permission may call it."
            )

    def require_parent_key(self, or_else: ApiError) -> None:
        """Creating and deleting subprojects is the parent's decision: a subproject's
        key (often in its customer's hands) may read and change only its subproject."""
        if self.key.is_subproject_key:
            raise or_else


# RFC 6750 section 3.1: a bearer token that is not (or no longer) good.
INVALID_TOKEN = (
    'Bearer error="invalid_token", error_description="The access token is invalid or expired."'  # noqa: S105 - a challenge, not a secret
)


def refuse(request, message: str, *, bearer: bool = False) -> ApiError:
    """Count a failed attempt (one write); the 401 to answer, with Retry-After past the
    limit. A refused `bearer` token is challenged with RFC 6750's invalid_token."""
    challenge = INVALID_TOKEN if bearer else None
    if FAILURES.hit(client_address(request)) > FAILURES.limit:
        return unauthenticated(
            "Too many failed authentication attempts from your address. "
            f"Try again in {FAILURE_WINDOW // 60} minutes with valid credentials.",
            retry_after=FAILURE_WINDOW,
            challenge=challenge,
        )
    return unauthenticated(message, challenge=challenge)


# The key's columns the lookup reads, by the KeyRecord field they fill.
_KEY_FIELDS = {
    "pk": "id",
    "key_id": "key_id",
    "secret_hash": "secret_hash",
    "last_used_at": "last_used_at",
    "expires_at": "expires_at",
    "revoked_at": "revoked_at",
    "project_id": "project",
    "scope": "scope",
}
# The parent's columns the lookup reads (LEFT JOIN: only subprojects have a parent):
# what Project.suspension, title and is_subproject read of it, and what its ASP shows
# its customers (projects.customers: a subproject's own key is its customer's); the
# rest is deferred.
_PARENT_FIELDS = (
    "id",
    "public_id",
    "parent",
    "name",
    "suspended_at",
    "suspend_reason",
    "suspended_by_platform",
    "customers_see_labels",
    "customers_see_bills",
)


def _converters(field, table):
    """What the ORM would apply to this column's raw value (text to datetime on SQLite…)."""
    column = field.get_col(table)
    return column, connection.ops.get_db_converters(column) + column.get_db_converters(connection)


@functools.cache
def _lookup(with_target: bool):
    """The key lookup's SQL, the project's and the parent's columns (attnames) and the
    converters of every column it reads. Projects' columns come in the model's own field
    order, as Model.from_db wants them; the parent's are _PARENT_FIELDS. With
    `with_target`, the project a route names is read too (a LEFT JOIN on its unique
    Project ID, limited to what the key reaches: ProjectQuerySet.reachable_by_key,
    written out as the join's condition). Made once per process."""
    k, p = AccessKey._meta, Project._meta
    q = connection.ops.quote_name
    key_fields = [k.get_field(name) for name in _KEY_FIELDS.values()]
    project_fields = list(p.concrete_fields)
    parent_fields = [p.get_field(name) for name in _PARENT_FIELDS]
    pk, parent = q(p.pk.column), q(p.get_field("parent").column)
    columns = (
        [f"k.{q(f.column)}" for f in key_fields]
        + [f"p.{q(f.column)}" for f in project_fields]
        + [f"pp.{q(f.column)}" for f in parent_fields]
    )
    target_join = ""
    if with_target:
        columns += [f"t.{q(f.column)}" for f in project_fields]
        target_join = (
            f"LEFT JOIN {q(p.db_table)} t ON t.{q(p.get_field('public_id').column)} = %s "
            f"AND (t.{pk} = p.{pk} OR t.{parent} = p.{pk}) "
        )
    # Only names from the models, quoted; the Project ID and the Key ID are parameters.
    sql = (
        f"SELECT {', '.join(columns)} FROM {q(k.db_table)} k "  # noqa: S608
        f"JOIN {q(p.db_table)} p ON p.{pk} = k.{q(k.get_field('project').column)} "
        f"LEFT JOIN {q(p.db_table)} pp ON pp.{pk} = p.{parent} "
        f"{target_join}"
        f"WHERE k.{q(k.get_field('key_id').column)} = %s "
        f"AND p.{q(p.get_field('removed_at').column)} IS NULL"
    )
    converters = [_converters(f, k.db_table) for f in key_fields]
    converters += [_converters(f, p.db_table) for f in project_fields + parent_fields]
    # The target's columns are converted apart, and only when the target is another
    # project than the key's own (a route on the key's own project reuses that row).
    target_converters = [_converters(f, p.db_table) for f in project_fields] if with_target else []
    return (
        sql,
        [f.attname for f in project_fields],
        [f.attname for f in parent_fields],
        _converting(converters),
        _converting(target_converters, start=len(converters)),
    )


def _converting(converters, start=0):
    """Only the columns that have converters (datetimes on SQLite, …), by position in
    the row: most have none, and this runs on every request."""
    return [(start + i, c, functions) for i, (c, functions) in enumerate(converters) if functions]


def _convert(values: list, converters, db) -> None:
    """Apply the ORM's converters (_converting) to the row's raw `values`, in place."""
    for i, column, functions in converters:
        for convert in functions:
            values[i] = convert(values[i], column, db)


def key_by_sql(key_id: str, now: datetime, target: str | None = None) -> KeyRecord | None:
    """The key with this ID if it is active (AccessKeyQuerySet.active()), with its project
    and, when `target` (a Project ID) is given, that project if the key reaches it.

    One hand-written query on the unique key_id index, made once per process: this runs
    on every API request. bench/access_keys.py measures it against the ORM's way (its
    key_by_orm), so that it stays only while it pays for itself;
    tests/api/test_key_lookup.py checks that it agrees with AccessKeyQuerySet.active()
    in every state, and that the project it reads with the key is one the key reaches
    (ProjectQuerySet.reachable_by_key).
    """
    sql, project_attnames, parent_attnames, converters, target_converters = _lookup(
        target is not None
    )
    # The connection itself, not the `connection` proxy: each attribute read through
    # the proxy looks the connection up again, and this reads several per request.
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        cursor.execute(sql, [target, key_id] if target is not None else [key_id])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    _convert(values, converters, db)
    project_end = len(_KEY_FIELDS) + len(project_attnames)
    project = Project.from_db(db.alias, project_attnames, values[len(_KEY_FIELDS) : project_end])
    parent_end = project_end + len(parent_attnames)
    if values[project_end] is not None:  # the parent's primary key
        project.parent = Project.from_db(db.alias, parent_attnames, values[project_end:parent_end])
    found = None
    if target is not None and values[parent_end] is not None:  # the target's primary key
        # The key's own project (a route on it): the same row, already built.
        if values[parent_end] == project.pk:
            found = project
        else:
            _convert(values, target_converters, db)
            found = Project.from_db(db.alias, project_attnames, values[parent_end:])
    key = KeyRecord(
        **dict(zip(_KEY_FIELDS, values, strict=False)),
        project=project,
        target_public_id=target,
        target=found,
    )
    # AccessKeyQuerySet.active(), written out: the project not removed (in the WHERE),
    # the key neither revoked nor expired (here).
    if key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= now):
        return None
    return key


def _active_key(key_id: str, target: str | None = None) -> KeyRecord | None:
    """The active key with this ID (key_by_sql). Its use is counted by the caller, once
    the credentials are right (projects.activity.key_used)."""
    return key_by_sql(key_id, timezone.now(), target)


@sensitive_variables()  # error reports show stars for the credentials
def could_be_valid(key_id: str, secret: str) -> bool:
    """Whether these credentials have our shape (a Key ID that is a UUID; a secret with
    `csk_`, its length and its checksum): only these could ever succeed, so only these
    are looked up, and only their failures are counted. Checked in memory."""
    return credentials.is_well_formed_key_id(key_id) and credentials.is_well_formed(secret)


@sensitive_variables()  # error reports show stars for the credentials
def key_for_credentials(key_id: str, secret: str, target: str | None = None) -> KeyRecord | None:
    """The active key these credentials belong to, or None. No query for a bad shape."""
    if not could_be_valid(key_id, secret):
        return None
    return _key_for_well_formed(key_id, secret, target)


@sensitive_variables()  # error reports show stars for the credentials
def _key_for_well_formed(key_id: str, secret: str, target: str | None) -> KeyRecord | None:
    """key_for_credentials for credentials already found could_be_valid (authenticate
    checks their shape first, to count only those; once is enough per request)."""
    key = _active_key(key_id, target)
    current = credentials.match(secret, key.secret_hash) if key is not None else None
    if current is None:
        return None
    credentials.rehash_if_old(AccessKey, key.pk, "secret_hash", key.secret_hash, secret, current)
    return key


@sensitive_variables()
def parse_basic(header: str) -> tuple[str, str] | None:
    try:
        decoded = base64.b64decode(header.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return None
    key_id, sep, secret = decoded.partition(":")
    return (key_id, secret) if sep else None


# A token is Django's signed object "payload.time.signature": every character in RFC
# 6750's b64token alphabet (URL-safe base64, base62 and "."), which Django's default
# separator ":" is not. Tokens signed with ":" (before this changed) are still taken
# until they expire, by a signer with that separator (it is signed with the rest).
TOKEN_SEPARATOR = "."  # noqa: S105 - a separator, not a secret
_SIGNERS = {
    sep: signing.TimestampSigner(salt=TOKEN_SALT, sep=sep) for sep in (TOKEN_SEPARATOR, ":")
}


def issue_token(key) -> str:
    return _SIGNERS[TOKEN_SEPARATOR].sign_object({"k": key.key_id}, compress=False)


@sensitive_variables()
def token_key_id(token: str) -> str | None:
    """The Key ID a token of ours, signed and not expired, carries; else None (no
    query: such a token could never succeed)."""
    signer = _SIGNERS[":" if ":" in token else TOKEN_SEPARATOR]
    try:
        payload = signer.unsign_object(token, max_age=TOKEN_LIFETIME)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    key_id = payload.get("k") if isinstance(payload, dict) else None
    if not isinstance(key_id, str) or not credentials.is_well_formed_key_id(key_id):
        return None
    return key_id


@sensitive_variables()
def key_for_token(token: str, target: str | None = None) -> KeyRecord | None:
    key_id = token_key_id(token)
    return _active_key(key_id, target) if key_id is not None else None


@sensitive_variables()
def authenticate(request, target: str | None = None) -> Principal:
    """The caller's Principal, or raise ApiError 401 (UNAUTHENTICATED).

    `target`, the Project ID the route names (if it looks like one), is read in the key's
    own query, for Principal.get_project: one round trip for both."""
    if target is not None and not looks_like_public_id(target):
        target = None
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    value = value.strip()
    # Credentials refused by their shape cost no query and are not counted: only
    # attempts that could have succeeded are (a flood of garbage is no flood of writes).
    if scheme == "basic":
        bad = "The Key ID or Key Secret is not valid, or the key was revoked."
        credentials = parse_basic(value)
        if credentials is None or not could_be_valid(*credentials):
            raise unauthenticated(bad)
        key = _key_for_well_formed(*credentials, target)
        if key is None:
            raise refuse(request, bad)
    elif scheme == "bearer":
        bad = (
            "The access token is invalid or expired, or its key was revoked. "
            "Get a new one from POST /api/oauth2/token."
        )
        key_id = token_key_id(value) if value else None
        if key_id is None:
            raise unauthenticated(bad, challenge=INVALID_TOKEN)
        key = _active_key(key_id, target)
        if key is None:
            raise refuse(request, bad, bearer=True)
    else:
        raise unauthenticated(
            "Authenticate with HTTP Basic (Key ID and Key Secret) or a bearer token "
            "from POST /oauth2/token."
        )
    if key.suspension is not None:
        raise key.suspension.refusal()
    # Last use and request count, written in batches: at most once per
    # LAST_USED_RESOLUTION per key and process, never on every request.
    activity.key_used(key, client_address(request))
    return Principal(key=key)


def access_key_caller(request, target=None, *, resource=None) -> tuple[Principal, Actor]:
    """(principal, actor) of a customer's access key: the customer API's authentication.
    `target`, the Project ID the route names, is read in the key's own query. The key's
    scope must include the permission the request needs on `resource` (read for a GET,
    write otherwise: projects.scopes); a route naming no resource is for keys whose
    scope is everything."""
    principal = authenticate(request, target)
    if resource is None:
        principal.require_everything()
    else:
        principal.require(scopes.permission(resource, request.method))
    return principal, Actor.for_key(request, principal.key.key_id)


def key_api_view(*, resource: str | None = None, **handlers):
    """core.api.views.api_view for the customer API: callers authenticate with an access
    key (or its bearer token), and `request.principal` is their Principal; the route is
    about `resource` (one of projects.scopes.RESOURCES), which the key's scope must
    cover."""
    if resource is not None and resource not in scopes.RESOURCES:
        raise ValueError(f"unknown resource {resource!r}: see projects.scopes.RESOURCES")
    caller = functools.partial(access_key_caller, resource=resource)
    return api_view(authenticate=caller, **handlers)


def key_route(route: str, name: str, *, resource: str | None = None, **handlers):
    """A route of the customer API (under /api), named `name`, about `resource` (its
    permission checked in authentication; without one, only keys whose scope is
    everything are served): key_api_view(**handlers)."""
    return path(route, key_api_view(resource=resource, **handlers), name=name)
