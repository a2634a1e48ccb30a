"""Single sign-on per account (accounts.sso, ADR 0134), end to end against a real
OpenID Connect provider the suite starts: django-oauth-toolkit (tests/sso_provider) in
a `runserver` process of its own. The console runs in the test client; its requests to
the provider (discovery, JWKS, token) are real HTTP; the browser's side at the provider
(signing in there, the authorization redirect) is a requests session."""

import os
import subprocess
import sys
import time
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from accounts import sso
from accounts.models import Membership, Role, SingleSignOn, User
from audit.models import AuditEvent
from core.errors import InvalidValue
from tests.factories import AccountFactory, MembershipFactory, UserFactory
from tests.servers.support import ROOT, free_port, port_open
from tests.sso_provider.seed import CLIENT_ID, CLIENT_SECRET, PASSWORD

CALLBACK = "http://testserver/accounts/login/sso/callback/"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """The provider, serving http://127.0.0.1:<port>/o as its issuer."""
    folder = tmp_path_factory.mktemp("sso_provider")
    port = free_port()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    issuer = f"http://127.0.0.1:{port}/o"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.sso_provider.settings",
        "SSO_PROVIDER_DB": str(folder / "provider.sqlite3"),
        "SSO_PROVIDER_KEY": pem,
        "SSO_PROVIDER_ISSUER": issuer,
        "PYTHONPATH": str(ROOT),
    }
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True}
    subprocess.run([sys.executable, "-m", "django", "migrate", "--no-input"], **run)
    subprocess.run([sys.executable, "-m", "tests.sso_provider.seed", CALLBACK], **run)
    log = open(folder / "server.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while not port_open("127.0.0.1", port):
            assert server.poll() is None, (folder / "server.log").read_text()
            assert time.monotonic() < deadline, "the provider did not start"
            time.sleep(0.1)
        yield SimpleNamespace(url=f"http://127.0.0.1:{port}", issuer=issuer)
    finally:
        server.terminate()
        server.wait(10)
        log.close()


@pytest.fixture
def sso_account(db, settings, provider):
    settings.SSO_ALLOW_HTTP_ISSUERS = True
    account = AccountFactory(name="Example Inc")
    admin = MembershipFactory(account=account, role=Role.ADMIN).user
    config = sso.sso_configure(
        account=account,
        issuer=provider.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        domains="example.com",
        default_role=Role.MEMBER,
    )
    return SimpleNamespace(account=account, admin=admin, config=config)


def only_sso(sso_account, provider):
    """The account's single sign-on made the only way in for its domain's addresses."""
    sso.sso_configure(
        account=sso_account.account,
        issuer=provider.issuer,
        client_id=CLIENT_ID,
        domains=["example.com"],
        only_sso=True,
        default_role=Role.MEMBER,
    )


def start(client, email):
    """Sign in with SSO as `email`: the console's redirect to the provider."""
    response = client.post("/accounts/login/sso/", {"email": email})
    assert response.status_code == 302
    return response


def through_provider(client, provider, email, *, provider_user=None):
    """The whole round trip: the console redirects, the user signs in at the provider
    as `provider_user` (the same address unless given), which redirects back."""
    response = start(client, email)
    assert response.url.startswith(f"{provider.issuer}/authorize/")
    assert "code_challenge_method=S256" in response.url
    assert "nonce=" in response.url and "state=" in response.url
    browser = requests.Session()
    signed = browser.post(
        f"{provider.url}/login/",
        data={"username": provider_user or email, "password": PASSWORD},
        allow_redirects=False,
    )
    assert signed.status_code == 302
    answer = browser.get(response.url, allow_redirects=False)
    assert answer.status_code == 302, answer.text[:500]
    back = answer.headers["Location"]
    assert back.startswith(CALLBACK + "?"), back
    return client.get(back.removeprefix("http://testserver"), follow=True)


def signed_in_as(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_a_member_signs_in_through_the_provider(client, provider, sso_account):
    alice = UserFactory(email="alice@example.com")
    MembershipFactory(account=sso_account.account, user=alice, role=Role.VIEWER)
    page = through_provider(client, provider, "alice@example.com")
    assert page.status_code == 200
    assert signed_in_as(client) == alice
    # Already a member: the role is theirs, not the default.
    assert Membership.objects.get(account=sso_account.account, user=alice).role == Role.VIEWER
    entry = AuditEvent.objects.get(action="user.sso_sign_in")
    assert entry.target_id == "alice@example.com"
    assert AuditEvent.objects.filter(action="user.sign_in", target_id=alice.email).exists()


def test_a_first_sign_in_makes_the_user_and_joins_with_the_default_role(
    client, provider, sso_account
):
    assert not User.objects.filter(email="newcomer@example.com").exists()
    page = through_provider(client, provider, "newcomer@example.com")
    assert page.status_code == 200
    user = signed_in_as(client)
    assert user.email == "newcomer@example.com"
    assert not user.has_usable_password()
    membership = Membership.objects.get(account=sso_account.account, user=user)
    assert membership.role == Role.MEMBER
    assert b"Welcome to Example Inc" in page.content
    entry = AuditEvent.objects.get(action="user.sso_sign_in")
    assert entry.changes["role"]["after"] == Role.MEMBER


def test_an_address_outside_the_domains_is_refused(client, provider, sso_account):
    page = through_provider(
        client, provider, "alice@example.com", provider_user="outsider@elsewhere.org"
    )
    assert signed_in_as(client) is None
    assert "not an address this account" in page.content.decode()
    assert not User.objects.filter(email="outsider@elsewhere.org").exists()


def test_an_unverified_email_is_refused(client, provider, sso_account):
    page = through_provider(client, provider, "unverified@example.com")
    assert signed_in_as(client) is None
    assert "is not verified" in page.content.decode()


@pytest.mark.parametrize(
    "email",
    ["audience@example.com", "nonce@example.com", "signature@example.com"],
    ids=["wrong audience", "wrong nonce", "wrong signature"],
)
def test_a_wrong_id_token_is_refused(client, provider, sso_account, email):
    page = through_provider(client, provider, email)
    assert signed_in_as(client) is None
    assert "did not sign you in" in page.content.decode()
    assert not User.objects.filter(email=email).exists()


def test_a_callback_from_another_browser_is_refused(client, provider, sso_account):
    through_provider(client, provider, "alice@example.com")
    other = type(client)()
    page = other.get("/accounts/login/sso/callback/?code=x&state=y", follow=True)
    assert "not this browser" in page.content.decode()
    assert other.session.get("_auth_user_id") is None


def test_only_sso_refuses_the_password(client, provider, sso_account):
    alice = UserFactory(email="alice@example.com", password="a-good-password-1")
    MembershipFactory(account=sso_account.account, user=alice)
    form = {"username": "alice@example.com", "password": "a-good-password-1"}
    assert client.post("/accounts/login/", form).status_code == 302  # not yet only SSO
    client.logout()
    only_sso(sso_account, provider)
    page = client.post("/accounts/login/", form)
    assert page.status_code == 200
    assert "signs in only through its single sign-on" in page.content.decode()
    assert signed_in_as(client) is None
    # ...and SSO still signs them in.
    assert through_provider(client, provider, "alice@example.com").status_code == 200
    assert signed_in_as(client) == alice


def test_an_uncovered_address_is_told_to_use_its_password(client, sso_account):
    page = client.post("/accounts/login/sso/", {"email": "bob@other.org"}, follow=True)
    assert "No single sign-on covers bob@other.org" in page.content.decode()


def test_a_domain_belongs_to_one_account(sso_account, provider):
    other = AccountFactory()
    with pytest.raises(InvalidValue, match=r"example\.com is covered by another account"):
        sso.sso_configure(
            account=other,
            issuer=provider.issuer,
            client_id="x",
            client_secret="y",
            domains="Example.COM other.org",
        )
    assert not SingleSignOn.objects.filter(account=other).exists()


def test_the_admin_sets_it_up_and_the_secret_is_never_shown(client, settings, db, provider):
    settings.SSO_ALLOW_HTTP_ISSUERS = True
    account = AccountFactory(name="Example Inc")
    admin = MembershipFactory(account=account, role=Role.ADMIN).user
    client.force_login(admin)
    url = f"/accounts/{account.public_id}/single-sign-on/"
    page = client.get(url)
    assert CALLBACK in page.content.decode()  # the redirect URI to register
    form = {
        "issuer": provider.issuer + "/",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "domains": "example.com\n@Example.org",
        "default_role": "viewer",
        "only_sso": "on",
    }
    assert client.post(url, form).status_code == 302
    config = SingleSignOn.objects.get(account=account)
    assert config.issuer == provider.issuer
    assert config.client_secret == CLIENT_SECRET
    assert sorted(config.domains.values_list("domain", flat=True)) == ["example.com", "example.org"]
    shown = client.get(url).content.decode()
    assert CLIENT_SECRET not in shown and "never shown again" in shown
    # Saved again without a secret: the stored one stays.
    assert (
        client.post(url, {**form, "client_secret": "", "default_role": "member"}).status_code == 302
    )
    config.refresh_from_db()
    assert config.client_secret == CLIENT_SECRET and config.default_role == "member"
    entries = AuditEvent.objects.filter(action="account.sso_configure").order_by("pk")
    assert len(entries) == 2
    assert entries[0].changes["client_key_replaced"] == {"before": False, "after": True}
    assert entries[1].changes == {"default_role": {"before": "viewer", "after": "member"}}
    assert CLIENT_SECRET not in str([entry.changes for entry in entries])


def test_the_settings_page_is_404_for_non_admins(client, member, account):
    client.force_login(member)
    url = f"/accounts/{account.public_id}/single-sign-on/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"issuer": "https://x"}).status_code == 404


def test_an_http_issuer_is_refused_in_production(settings, account):
    settings.SSO_ALLOW_HTTP_ISSUERS = False
    with pytest.raises(InvalidValue, match="https://"):
        sso.sso_configure(
            account=account,
            issuer="http://idp.example.com",
            client_id="x",
            client_secret="y",
            domains="example.com",
        )


# Review of 2026-12-06: a domain is not proven the account's, so its provider may sign in
# only the account's own people; a second factor still follows; starting single sign-on
# does not reset the password's limit.


def test_a_member_of_another_account_too_is_not_signed_in_by_this_provider(
    client, provider, sso_account
):
    alice = UserFactory(email="alice@example.com")
    MembershipFactory(account=sso_account.account, user=alice)
    MembershipFactory(user=alice)  # and of an account whose admins chose no provider
    page = through_provider(client, provider, "alice@example.com")
    assert "already signs in with a password here" in page.content.decode()
    assert signed_in_as(client) is None
    assert not AuditEvent.objects.filter(action="user.sso_sign_in").exists()


def test_a_user_of_another_account_only_is_not_signed_in_nor_joined(client, provider, sso_account):
    other = MembershipFactory(user=UserFactory(email="alice@example.com")).account
    through_provider(client, provider, "alice@example.com")
    assert signed_in_as(client) is None
    assert list(Membership.objects.filter(user__email="alice@example.com")) == list(
        Membership.objects.filter(account=other)
    )


def test_an_operator_is_never_signed_in_by_an_accounts_provider(client, provider, sso_account):
    operator = UserFactory(email="alice@example.com", is_staff=True)
    MembershipFactory(account=sso_account.account, user=operator)
    through_provider(client, provider, "alice@example.com")
    assert signed_in_as(client) is None


def test_only_sso_binds_only_the_accounts_own_people(client, provider, sso_account):
    carol = UserFactory(email="carol@example.com", password="a-good-password-1")
    MembershipFactory(user=carol)  # another account's member, on the same domain
    only_sso(sso_account, provider)
    assert not sso.password_refused("carol@example.com")
    form = {"username": "carol@example.com", "password": "a-good-password-1"}
    assert client.post("/accounts/login/", form).status_code == 302
    assert signed_in_as(client) == carol


def test_a_second_factor_follows_the_provider(client, provider, sso_account):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    alice = UserFactory(email="alice@example.com")
    MembershipFactory(account=sso_account.account, user=alice)
    TOTPDevice.objects.create(user=alice, name="Phone", confirmed=True)
    page = through_provider(client, provider, "alice@example.com")
    assert page.redirect_chain[-1][0] == "/accounts/login/code/"
    assert signed_in_as(client) is None  # not before the code


def test_starting_sso_does_not_reset_the_passwords_limit(client, sso_account):
    from accounts.forms import EMAIL_FAILURES

    UserFactory(email="dana@example.com", password="a-good-password-1")
    wrong = {"username": "dana@example.com", "password": "not-the-password"}
    for _ in range(EMAIL_FAILURES.limit - 1):
        assert client.post("/accounts/login/", wrong).status_code == 200
    start(client, "dana@example.com")  # a covered address: this attempt is taken back
    assert client.post("/accounts/login/", wrong).status_code == 200
    page = client.post("/accounts/login/", wrong)
    assert "Too many failed sign-ins for this email" in page.content.decode()


def test_a_state_not_from_this_session_is_refused_by_authlib(client, provider, sso_account):
    """The provider's real answer, but its state swapped for one this session never
    made: Authlib's own state check refuses it, and nothing is made."""
    response = start(client, "newcomer@example.com")
    browser = requests.Session()
    browser.post(
        f"{provider.url}/login/",
        data={"username": "newcomer@example.com", "password": PASSWORD},
        allow_redirects=False,
    )
    back = browser.get(response.url, allow_redirects=False).headers["Location"]
    state = parse_qs(urlsplit(back).query)["state"][0]
    forged = back.replace(f"state={state}", "state=not-this-sessions-state")
    assert forged != back
    page = client.get(forged.removeprefix("http://testserver"), follow=True)
    assert "did not sign you in" in page.content.decode()
    assert signed_in_as(client) is None
    assert not User.objects.filter(email="newcomer@example.com").exists()
    assert not AuditEvent.objects.filter(action="user.sso_sign_in").exists()
