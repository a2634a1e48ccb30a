"""An account's "require two-factor" policy: its admins set it on the Members page; a
member signed in without a second factor reaches nothing but the set-up page; the
Members page shows who has it."""

import base64

import pyotp
import pytest

from accounts import two_factor
from audit.models import AuditEvent


def give_app(user) -> pyotp.TOTP:
    device = two_factor.pending_app(user)
    totp = pyotp.TOTP(base64.b32encode(device.bin_key).decode())
    two_factor.two_factor_enable(user=user, device=device, code=totp.now())
    return totp


def verified_client(client, user):
    """A session signed in with the user's second factor (as sign_in_code leaves it)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


@pytest.fixture
def required(account):
    account.require_two_factor = True
    account.save()
    return account


def test_a_member_without_two_factor_reaches_only_the_set_up_page(
    client, member, project, required
):
    client.force_login(member)
    for url in [
        "/",
        f"/projects/{project.public_id}/",
        "/accounts/profile/",
        "/accounts/password/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == "/accounts/two-factor/", url
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200
    assert "Your account requires two-factor sign-in" in page.content.decode()
    # Setting it up there lets them in, this session included.
    totp = pyotp.TOTP(page.context["secret"].replace(" ", ""))
    assert client.post("/accounts/two-factor/enable/", {"code": totp.now()}).status_code == 200
    assert client.get(f"/projects/{project.public_id}/").status_code == 200


def test_a_session_signed_in_before_enrolling_is_sent_to_sign_in_again(
    client, member, project, required
):
    give_app(member)
    client.force_login(member)  # no second factor in this session
    assert client.get(f"/projects/{project.public_id}/").url == "/accounts/two-factor/"
    page = client.get("/accounts/two-factor/").content.decode()
    assert "sign out, then sign in again with a code" in page
    verified_client(client, member)
    assert client.get(f"/projects/{project.public_id}/").status_code == 200


def test_without_the_policy_nobody_is_sent_there(client, member, project):
    client.force_login(member)
    assert client.get(f"/projects/{project.public_id}/").status_code == 200


def test_signing_out_is_allowed(client, member, required):
    client.force_login(member)
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_admin_sets_the_policy_and_it_is_audited(client, admin_user, account):
    give_app(admin_user)
    verified_client(client, admin_user)
    url = f"/accounts/{account.public_id}/members/two-factor/"
    response = client.post(url, {"require_two_factor": "on"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.require_two_factor
    entry = AuditEvent.objects.get(action="account.two_factor_policy")
    assert entry.changes == {"require_two_factor": {"before": False, "after": True}}
    client.post(url, {})
    account.refresh_from_db()
    assert not account.require_two_factor


def test_an_admin_without_a_verified_session_cannot_turn_it_on(client, admin_user, account):
    client.force_login(admin_user)
    client.post(f"/accounts/{account.public_id}/members/two-factor/", {"require_two_factor": "on"})
    account.refresh_from_db()
    assert not account.require_two_factor


@pytest.mark.parametrize("who", ["member", "viewer", "outsider"])
def test_everyone_else_gets_404(client, account, who, request):
    client.force_login(request.getfixturevalue(who))
    url = f"/accounts/{account.public_id}/members/two-factor/"
    assert client.post(url, {"require_two_factor": "on"}).status_code == 404
    account.refresh_from_db()
    assert not account.require_two_factor


def test_the_members_page_shows_who_has_it(client, admin_user, member, account):
    give_app(member)
    client.force_login(admin_user)
    page = client.get(f"/accounts/{account.public_id}/members/").content.decode()
    assert page.count('data-two-factor="on"') == 1
    assert page.count('data-two-factor="off"') == 1


def test_a_member_may_still_switch_to_another_account(client, member, project, required):
    from accounts.models import Role
    from tests.factories import AccountFactory, MembershipFactory

    other = AccountFactory(name="Relaxed")
    MembershipFactory(account=other, user=member, role=Role.MEMBER)
    client.force_login(member)
    response = client.post("/accounts/switch/", {"account": other.public_id})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").get("Location") != "/accounts/two-factor/"  # the other account
