"""Authentication of API requests with access keys.

Two ways, both ending at the same check (`key_for_credentials` / `_active_key`):
- HTTP Basic with the Key ID as user name and the Key Secret as password;
- a bearer token from POST /oauth2/token (client credentials grant).

A token is a signed, timestamped Key ID: it expires after TOKEN_LIFETIME seconds, and
because every request loads the key again, revoking or expiring the key stops its
tokens on the very next request too.

Failed attempts are counted per client address in Django's cache (shared by all app
servers); past FAILURE_LIMIT in FAILURE_WINDOW seconds the address's failed attempts
are answered with Retry-After until the window ends. Valid credentials are not read
against the counter: that keeps a cache round trip off every good request, and an
attacker sharing an address (a NAT, a cloud egress) cannot lock its other users out.
Guessing stays hopeless either way: a secret has 190 random bits.
"""

import base64
import binascii
import functools
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from projects import key_secrets
from projects.models import AccessKey, Project

from .errors import ApiError, unauthenticated

TOKEN_LIFETIME = 3599  # seconds, as the platform's token endpoint answers
TOKEN_SALT = "projects.api.bearer-token"  # noqa: S105 - a salt, not a secret
FAILURE_LIMIT = 50
FAILURE_WINDOW = 300  # seconds
LAST_USED_RESOLUTION = timedelta(minutes=5)
# The project's fields that authentication loads with the key (the rest load on access),
# in the model's order, which Model.from_db() expects.
PROJECT_FIELDS = tuple(
    f.attname
    for f in Project._meta.concrete_fields
    if f.attname in {"public_id", "parent_id", "account_id", "name"}
)


@dataclass(frozen=True)
class Principal:
    """Who is calling: an active access key, and through it a scope of projects."""

    key: AccessKey

    @property
    def project(self) -> Project:
        return self.key.project

    def can_reach(self, project: Project) -> bool:
        """A project's key reaches it and its subprojects; a subproject's key only it."""
        return project.pk == self.key.project_id or project.parent_id == self.key.project_id

    def reachable_projects(self):
        """The alive projects this key may act on, as a queryset."""
        from django.db.models import Q

        own = self.key.project_id
        return Project.objects.alive().filter(Q(pk=own) | Q(parent_id=own))


def client_address(request) -> str:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips)
    # rather than trusting a client-supplied X-Forwarded-For here.
    return request.META.get("REMOTE_ADDR", "unknown")


def _failure_key(address: str) -> str:
    return f"api-auth-failures:{address}"


def refuse(request, message: str):
    """Count a failed attempt; the 401 to answer (with Retry-After past the limit)."""
    try:
        check_not_blocked(request)
    except ApiError as blocked:
        return blocked
    key = _failure_key(client_address(request))
    cache.add(key, 0, timeout=FAILURE_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=FAILURE_WINDOW)
    return unauthenticated(message)


def check_not_blocked(request) -> None:
    failures = cache.get(_failure_key(client_address(request)), 0)
    if failures >= FAILURE_LIMIT:
        raise unauthenticated(
            "Too many failed authentication attempts from your address. "
            f"Try again in {FAILURE_WINDOW // 60} minutes with valid credentials.",
            retry_after=FAILURE_WINDOW,
        )


@functools.cache
def _lookup():
    """The key lookup's SQL, and the converters of its key columns, made once."""
    k, p = AccessKey._meta, Project._meta
    q = connection.ops.quote_name
    fields = k.concrete_fields
    columns = [f"k.{q(f.column)}" for f in fields]
    columns += [f"p.{q(p.get_field(name).column)}" for name in PROJECT_FIELDS]
    project_fk = q(k.get_field("project").column)
    # Only names from the models, quoted; the Key ID is a parameter.
    sql = (
        f"SELECT {', '.join(columns)} FROM {q(k.db_table)} k "  # noqa: S608
        f"JOIN {q(p.db_table)} p ON p.{q(p.pk.column)} = k.{project_fk} "
        f"WHERE k.{q(k.get_field('key_id').column)} = %s "
        f"AND p.{q(p.get_field('removed_at').column)} IS NULL"
    )
    converters = []  # what the ORM's compiler would apply, e.g. text to datetime on SQLite
    for field in fields:
        column = field.get_col(k.db_table)
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        converters.append((column, functions))
    return sql, [f.attname for f in fields], converters


def _active_key(key_id: str) -> AccessKey | None:
    """The key with this ID if it is active (AccessKeyQuerySet.active()), with its project.

    One hand-written query on the unique key_id index: building the equivalent ORM
    queryset costs several times more than running it, and this runs on every API
    request (bench/access_keys.py). tests/api/test_key_lookup.py checks that it agrees
    with AccessKeyQuerySet.active() in every state.
    """
    now = timezone.now()
    sql, attnames, converters = _lookup()
    with connection.cursor() as cursor:
        cursor.execute(sql, [key_id])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row[: len(attnames)])
    for i, (column, functions) in enumerate(converters):
        for convert in functions:
            values[i] = convert(values[i], column, connection)
    key = AccessKey.from_db(connection.alias, attnames, values)
    if key.revoked_at is not None or key.is_expired(now):
        return None
    # The project is alive (the query says so); its other fields load if anyone asks.
    key.project = Project.from_db(  # "id" comes first and "removed_at" last in the model
        connection.alias,
        ["id", *PROJECT_FIELDS, "removed_at"],
        [key.project_id, *row[len(attnames) :], None],
    )
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        # Written at most once per LAST_USED_RESOLUTION per key, not on every request.
        AccessKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


@sensitive_variables()  # error reports show stars for the credentials
def key_for_credentials(key_id: str, secret: str) -> AccessKey | None:
    """The active key these credentials belong to, or None. No query for a bad shape."""
    if not key_secrets.is_well_formed_key_id(key_id) or not key_secrets.is_well_formed(secret):
        return None
    key = _active_key(key_id)
    if key is None or not key_secrets.secret_matches(secret, key.secret_hash):
        return None
    return key


@sensitive_variables()
def parse_basic(header: str) -> tuple[str, str] | None:
    try:
        decoded = base64.b64decode(header.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return None
    key_id, sep, secret = decoded.partition(":")
    return (key_id, secret) if sep else None


def issue_token(key: AccessKey) -> str:
    return signing.dumps({"k": key.key_id}, salt=TOKEN_SALT, compress=False)


@sensitive_variables()
def key_for_token(token: str) -> AccessKey | None:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_LIFETIME)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    key_id = payload.get("k") if isinstance(payload, dict) else None
    if not isinstance(key_id, str) or not key_secrets.is_well_formed_key_id(key_id):
        return None
    return _active_key(key_id)


@sensitive_variables()
def authenticate(request) -> Principal:
    """The caller's Principal, or raise ApiError 401 (UNAUTHENTICATED)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    value = value.strip()
    if scheme == "basic":
        credentials = parse_basic(value)
        key = key_for_credentials(*credentials) if credentials else None
        if key is None:
            raise refuse(request, "The Key ID or Key Secret is not valid, or the key was revoked.")
    elif scheme == "bearer":
        key = key_for_token(value) if value else None
        if key is None:
            raise refuse(
                request,
                "The access token is invalid or expired, or its key was revoked. "
                "Get a new one from POST /oauth2/token.",
            )
    else:
        raise unauthenticated(
            "Authenticate with HTTP Basic (Key ID and Key Secret) or a bearer token "
            "from POST /oauth2/token."
        )
    return Principal(key=key)
