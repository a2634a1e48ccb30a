"""Single sign-on per account through OpenID Connect (ADR 0134).

An account's admins set it up (sso_configure, from the Members page): the provider's
issuer, the console's client ID and secret there, the email domains it covers (each
domain belongs to one account), whether those addresses may sign in only through it,
and the role a first sign-in gets. Then, for an address of a covered domain:

1. `sso_begin` (the sign-in page's "Continue with single sign-on"): the provider's discovery
   document (<issuer>/.well-known/openid-configuration), a redirect to its
   authorization endpoint with a fresh state, nonce and PKCE (S256) challenge, all kept
   in the session by Authlib's Django client;
2. `sso_complete` (the callback): the state must be this session's; the code is
   exchanged (with the client secret and the PKCE verifier); the id_token is checked
   by Authlib: signature against the provider's JWKS, iss, aud, exp, iat and nonce.
   Then the email it names must be verified (when the provider says) and of one of the
   account's domains; a new address becomes a user who joins the account with the
   default role; an existing user is signed in only if a member of this account alone
   and not an operator (_may_sign_in_through: a domain is not proven the account's).
   Someone with a second factor types its code next (accounts.sign_in). The sign-in is
   audited.

The client secret never leaves the model but to the token endpoint: it is never shown,
logged nor audited (the audit entry says only that it changed).
"""

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from authlib.integrations.django_client import OAuth, OAuthError
from django.conf import settings
from django.db import IntegrityError, transaction
from django.views.decorators.debug import sensitive_variables
from joserfc.errors import JoseError

from audit import trail
from core.actors import SYSTEM, Actor, Kind, Source
from core.addresses import UnsafeURL, public_addresses
from core.client import client_address
from core.errors import InvalidValue

from .models import Account, Membership, Role, SingleSignOn, SingleSignOnDomain, User
from .services import check_role, membership_set, record_account

logger = logging.getLogger(__name__)

PENDING = "accounts.sso_pending"
SCOPE = "openid email profile"
HTTP_TIMEOUT = 10  # seconds, for each request to the provider
CONFIG_FIELDS = ("issuer", "client_id", "only_sso", "default_role", "domains")


class SignInRefused(Exception):
    """The provider's answer does not sign anyone in; `message` says why, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Configuration -----------------------------------------------------------------------


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def clean_domains(text) -> list[str]:
    """Domains from a list or from text (one per line, or separated by commas or
    spaces): lower case, without a leading "@", each checked, sorted, once each."""
    items = text if isinstance(text, list | tuple) else str(text).replace(",", " ").split()
    domains = set()
    for item in items:
        domain = str(item).strip().lower().lstrip("@").rstrip(".")
        labels = domain.split(".")
        if (
            len(labels) < 2
            or len(domain) > 253
            or not all(
                label and len(label) <= 63 and label.replace("-", "").isalnum() for label in labels
            )
        ):
            raise InvalidValue(
                f"“{item}” is not an email domain: write it as example.com.", field="domains"
            )
        domains.add(domain)
    if not domains:
        raise InvalidValue("Name at least one email domain, e.g. example.com.", field="domains")
    return sorted(domains)


def _clean_issuer(issuer: str) -> str:
    issuer = (issuer or "").strip().rstrip("/")
    allowed = ("https://", "http://") if settings.SSO_ALLOW_HTTP_ISSUERS else ("https://",)
    if not issuer.startswith(allowed) or "?" in issuer or "#" in issuer:
        raise InvalidValue(
            "The issuer is the provider's https:// address, as its discovery document "
            "names it (e.g. https://accounts.google.com).",
            field="issuer",
        )
    try:
        check_fetchable(issuer)
    except UnsafeURL as refusal:
        raise InvalidValue(
            f"{refusal} Use your provider's public address.", field="issuer"
        ) from None
    return issuer


def check_fetchable(url: str) -> None:
    """Refuse an address of the provider's that the server fetches (the issuer's
    discovery document, its JWKS and token endpoints) unless it is public: an admin must
    not make the console probe internal services (core.addresses, the webhooks' rule).
    SSO_ALLOW_HTTP_ISSUERS (development and tests: a provider on 127.0.0.1) allows
    local addresses too. Raise UnsafeURL."""
    parts = urlsplit(url or "")
    if not parts.hostname:
        raise UnsafeURL(f"{url!r} has no host name.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeURL(f"{url!r} has a port that is not a number from 1 to 65535.") from None
    public_addresses(parts.hostname, port, allow_private=settings.SSO_ALLOW_HTTP_ISSUERS)


def _snapshot(sso: SingleSignOn | None) -> dict:
    if sso is None:
        return {}
    return {
        "issuer": sso.issuer,
        "client_id": sso.client_id,
        "only_sso": sso.only_sso,
        "default_role": sso.default_role,
        "domains": sorted(sso.domains.values_list("domain", flat=True)),
    }


@sensitive_variables("client_secret")
@transaction.atomic
def sso_configure(
    *,
    account: Account,
    issuer: str,
    client_id: str,
    client_secret: str = "",
    domains,
    only_sso: bool = False,
    default_role: str = Role.VIEWER,
    actor: Actor = SYSTEM,
) -> SingleSignOn:
    """Set up (or change) the account's single sign-on. An empty `client_secret` keeps
    the stored one (the form never shows it); a first set-up needs one. A domain
    another account covers is refused."""
    issuer = _clean_issuer(issuer)
    client_id = (client_id or "").strip()
    if not client_id:
        raise InvalidValue("Paste the client ID the provider gave you.", field="client_id")
    check_role(default_role)
    domains = clean_domains(domains)
    # The account first, then its row (the order sso_remove takes too): two admins
    # saving at once are serialised, and the audit's "before" is what the other left.
    Account.objects.select_for_update().get(pk=account.pk)
    sso = SingleSignOn.objects.select_for_update().filter(account=account).first()
    before = _snapshot(sso)
    if sso is None:
        if not client_secret:
            raise InvalidValue(
                "Paste the client secret the provider gave you.", field="client_secret"
            )
        sso = SingleSignOn(account=account)
    taken = (
        SingleSignOnDomain.objects.filter(domain__in=domains)
        .exclude(sso__account=account)
        .values_list("domain", flat=True)
        .first()
    )
    if taken:
        raise InvalidValue(
            f"{taken} is covered by another account's single sign-on: a domain belongs "
            "to one account. Ask us if it is yours.",
            field="domains",
        )
    sso.issuer, sso.client_id = issuer, client_id
    sso.only_sso, sso.default_role = bool(only_sso), default_role
    secret_changed = bool(client_secret) and client_secret != sso.client_secret
    fields = ["issuer", "client_id", "only_sso", "default_role", "updated_at"]
    if client_secret:
        sso.client_secret = client_secret.strip()
        fields.append("client_secret")
    if sso.pk is None:
        sso.save()
    else:
        sso.save(update_fields=fields)
    sso.domains.exclude(domain__in=domains).delete()
    try:
        with transaction.atomic():
            for domain in domains:
                SingleSignOnDomain.objects.get_or_create(sso=sso, domain=domain)
    except IntegrityError:  # another account took one of them meanwhile
        raise InvalidValue(
            "One of these domains was just taken by another account.", field="domains"
        ) from None
    after = _snapshot(sso)
    changes = trail.diff(before, after)
    if secret_changed:
        # That it changed, never the value (audit.trail refuses a field named "secret").
        changes["client_key_replaced"] = {"before": False, "after": True}
    if changes:
        record_account(actor, "account.sso_configure", account, changes)
    return sso


@transaction.atomic
def sso_remove(*, account: Account, actor: Actor = SYSTEM) -> None:
    """Turn the account's single sign-on off: its addresses sign in with passwords."""
    # Locked as sso_configure locks: of two removals at once, the second finds nothing
    # left (one audit entry), and a removal never interleaves with a change.
    Account.objects.select_for_update().get(pk=account.pk)
    sso = SingleSignOn.objects.select_for_update().filter(account=account).first()
    if sso is None:
        return
    before = _snapshot(sso)
    sso.delete()
    record_account(actor, "account.sso_remove", account, trail.deleted(before))


def sso_for_email(email: str) -> SingleSignOn | None:
    """The single sign-on that covers this address's domain, if one does."""
    domain = domain_of(email or "")
    if not domain:
        return None
    return SingleSignOn.objects.select_related("account").filter(domains__domain=domain).first()


def password_refused(email: str) -> bool:
    """Whether this address may sign in only through its account's single sign-on: its
    domain is covered by an account's "only through single sign-on", and it is a member
    of that account (a domain is not proven the account's: its rule binds only its own
    people, never the users of other accounts who share the domain)."""
    domain = domain_of(email or "")
    return bool(domain) and (
        SingleSignOnDomain.objects.filter(
            domain=domain,
            sso__only_sso=True,
            sso__account__memberships__user__email__iexact=email,
        ).exists()
    )


# --- Signing in --------------------------------------------------------------------------


def _client(sso: SingleSignOn):
    """Authlib's Django client for this account's provider, made per request: its
    endpoints and keys come from the provider's discovery document."""
    return OAuth().register(
        name=f"sso_{sso.account.public_id}",
        client_id=sso.client_id,
        client_secret=sso.client_secret,
        server_metadata_url=f"{sso.issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": SCOPE,
            "code_challenge_method": "S256",
            "default_timeout": HTTP_TIMEOUT,
        },
    )


def sso_begin(request, sso: SingleSignOn, *, email: str, redirect_uri: str, next_url: str = ""):
    """The redirect to the provider (state, nonce and PKCE kept in the session)."""
    request.session[PENDING] = {"account": sso.account_id, "next": next_url}
    try:
        # Checked again at each sign-in: the name may point elsewhere since it was set.
        check_fetchable(sso.issuer)
    except UnsafeURL as refusal:
        logger.warning("SSO issuer refused for account %s: %s", sso.account.public_id, refusal)
        raise SignInRefused(
            "Your organisation's sign-in service is not at a public address, so the "
            "console does not reach it: ask your administrator to check its issuer."
        ) from None
    try:
        return _client(sso).authorize_redirect(request, redirect_uri, login_hint=email)
    except (OAuthError, OSError, ValueError, KeyError) as error:
        logger.warning("SSO discovery failed for account %s: %s", sso.account.public_id, error)
        raise SignInRefused(
            "Your organisation's sign-in service could not be reached. Try again in a "
            "minute, or ask your administrator."
        ) from None


@dataclass(frozen=True)
class SignedIn:
    user: User
    account: Account
    joined: bool  # a membership was made by this sign-in
    next_url: str


def sso_complete(request) -> SignedIn:
    """Check the provider's answer on the callback and find (or make) its user; raise
    SignInRefused. The caller signs the user in."""
    pending = request.session.pop(PENDING, None)
    sso = None
    if isinstance(pending, dict):
        sso = (
            SingleSignOn.objects.select_related("account")
            .filter(account_id=pending.get("account"))
            .first()
        )
    if sso is None:
        raise SignInRefused("Sign in again: this single sign-on answer is not this browser's.")
    client = _client(sso)
    try:
        check_fetchable(sso.issuer)
        metadata = client.load_server_metadata()
        issuer = metadata.get("issuer")
        if (issuer or "").rstrip("/") != sso.issuer:
            raise ValueError(f"the discovery document names another issuer: {issuer!r}")
        # The discovery document names the addresses fetched next (the code is
        # exchanged at the token endpoint, the keys read from the JWKS): public too.
        for endpoint in ("token_endpoint", "jwks_uri"):
            check_fetchable(metadata.get(endpoint) or "")
        # iss and aud explicitly: Authlib's default checks only iss, and accepts a
        # token for another audience when it names this client as its azp.
        token = client.authorize_access_token(
            request,
            claims_options={
                "iss": {"essential": True, "value": issuer},
                "aud": {"essential": True, "value": sso.client_id},
            },
        )
    except (OAuthError, JoseError, OSError, ValueError, KeyError, UnsafeURL) as error:
        # Never the token nor the secret: the error's own words (e.g. "invalid_claim").
        logger.info("SSO sign-in refused for account %s: %r", sso.account.public_id, error)
        raise SignInRefused(
            "Your organisation's sign-in service did not sign you in. Try again."
        ) from None
    claims = token.get("userinfo")
    if not claims:  # no id_token at all
        raise SignInRefused("Your organisation's sign-in service sent no identity. Try again.")
    return _join(request, sso, claims, pending.get("next") or "")


def _may_sign_in_through(user: User, sso: SingleSignOn) -> bool:
    """Whether an existing user may be signed in by this account's provider: only a
    member of this account and of no other, and never an operator. An account's admins
    choose its provider, and a domain is not proven theirs: were anyone else signed in
    by it, they could sign in as a member of other accounts (or as an operator)."""
    if user.is_staff or user.is_superuser:
        return False
    accounts = set(Membership.objects.filter(user=user).values_list("account_id", flat=True))
    return accounts == {sso.account_id}


def _existing_user(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def _user_for(email: str) -> tuple[User, bool]:
    """The user with this address, made (without a usable password) if there is none;
    whether it was made now. Two first sign-ins of one new address at once both find
    no one: the unique email lets one make it, and the other reads that one's user
    (its insert waits for the first to commit) instead of failing."""
    user = _existing_user(email)
    if user is not None:
        return user, False
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction goes on
            return User.objects.create_user(email=email), True
    except IntegrityError:
        return User.objects.get(email__iexact=email), False


def _join(request, sso: SingleSignOn, claims, next_url: str) -> SignedIn:
    email = str(claims.get("email") or "").strip().lower()
    address = client_address(request)
    if not email or "@" not in email:
        raise SignInRefused("Your organisation's sign-in service sent no email address.")
    if claims.get("email_verified") is False or str(claims.get("email_verified")) == "false":
        raise SignInRefused(
            f"{email} is not verified at your organisation's sign-in service: verify it "
            "there first."
        )
    if not sso.domains.filter(domain=domain_of(email)).exists():
        raise SignInRefused(
            f"{email} is not an address this account's single sign-on covers: sign in "
            "with your password, or ask your administrator."
        )
    with transaction.atomic():
        user, created = _user_for(email)
        if not created and not _may_sign_in_through(user, sso):
            raise SignInRefused(
                f"{email} already signs in with a password here: sign in with it (an "
                "account's single sign-on signs in only the people of that account alone)."
            )
        if not user.is_active:
            raise SignInRefused("This user is deactivated: ask your administrator.")
        actor = Actor(Kind.USER, str(user.pk), Source.DASHBOARD, address, user)
        joined = not Membership.objects.filter(account=sso.account, user=user).exists()
        if joined:
            membership_set(account=sso.account, user=user, role=sso.default_role, actor=actor)
        trail.record(
            actor,
            "user.sso_sign_in",
            account=sso.account,
            target_id=email,
            target_label=email,
            changes={
                "issuer": {"before": None, "after": sso.issuer},
                **({"role": {"before": None, "after": sso.default_role}} if joined else {}),
            },
        )
    return SignedIn(user=user, account=sso.account, joined=joined, next_url=next_url)
