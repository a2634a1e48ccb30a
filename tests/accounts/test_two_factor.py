"""Two-factor sign-in: enrol an authenticator app (codes computed by pyotp, as an app
would), sign in with the password and a code, recovery codes once each, wrong codes
counted like wrong passwords, turning it off, and every change audited."""

import base64
import time

import pyotp
import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import forms, two_factor
from audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"


def totp_for(user) -> pyotp.TOTP:
    device = TOTPDevice.objects.get(user=user)
    return pyotp.TOTP(base64.b32encode(device.bin_key).decode())


def later_code(totp, steps=1) -> str:
    """The code of a later 30-second step: a code already used is refused (replay), and
    the check allows one step of clock drift."""
    return totp.at(time.time() + 30 * steps)


@pytest.fixture
def ann(db):
    return UserFactory(email="ann@example.com")


def enrol(client, user) -> tuple[pyotp.TOTP, list[str]]:
    client.force_login(user)
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200
    secret = page.context["secret"].replace(" ", "")
    assert "<svg" in page.content.decode()  # the QR code, drawn on the server
    totp = pyotp.TOTP(secret)
    response = client.post("/accounts/two-factor/enable/", {"code": totp.now()})
    assert response.status_code == 200, response.content.decode()[:2000]
    return totp, response.context["codes"]


def test_enrol_then_sign_in_with_password_and_code(client, ann):
    totp, codes = enrol(client, ann)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert two_factor.has_two_factor(ann)
    assert AuditEvent.objects.filter(action="user.two_factor_enable", target_id=ann.email).exists()
    client.logout()

    response = client.post(LOGIN, {"username": ann.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == CODE
    assert "_auth_user_id" not in client.session  # a password alone signs nobody in
    assert client.get("/accounts/profile/").status_code == 302

    response = client.post(CODE, {"code": later_code(totp)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ann.pk)
    assert client.get("/accounts/profile/").status_code == 200


def test_a_recovery_code_works_once(client, ann):
    _, codes = enrol(client, ann)
    client.logout()
    client.post(LOGIN, {"username": ann.email, "password": PASSWORD})
    assert client.post(CODE, {"code": codes[0].upper()}).status_code == 302
    assert two_factor.recovery_codes_left(ann) == 9
    client.logout()
    client.post(LOGIN, {"username": ann.email, "password": PASSWORD})
    response = client.post(CODE, {"code": codes[0]})
    assert response.status_code == 400
    assert "That code is not valid" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_is_refused_and_throttled_like_a_wrong_password(client, ann):
    totp, _ = enrol(client, ann)
    client.logout()
    client.post(LOGIN, {"username": ann.email, "password": PASSWORD})
    right = later_code(totp)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(forms.EMAIL_FAILURE_LIMIT):
        assert client.post(CODE, {"code": wrong}).status_code == 400
    assert AuditEvent.objects.filter(action="user.sign_in_failed", target_id=ann.email).count() >= 1
    # Past the email's limit even the right code is not checked, as a right password.
    response = client.post(CODE, {"code": right})
    assert response.status_code == 400
    assert "Too many failed sign-ins for this email" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_code_page_needs_the_password_first(client, ann):
    response = client.post(CODE, {"code": "123456"})
    assert response.status_code == 302 and response.url == LOGIN


def test_the_pending_password_expires(client, ann, monkeypatch):
    totp, _ = enrol(client, ann)
    client.logout()
    client.post(LOGIN, {"username": ann.email, "password": PASSWORD})
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 6 * 60)
    response = client.post(CODE, {"code": totp.now()})
    assert response.status_code == 302 and response.url == LOGIN
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_at_enrolment_is_refused(client, ann):
    client.force_login(ann)
    client.get("/accounts/two-factor/")
    response = client.post("/accounts/two-factor/enable/", {"code": "12"})
    assert response.status_code == 400
    assert "That code is not the one the app shows now" in response.content.decode()
    assert not two_factor.has_two_factor(ann)


def test_regenerate_recovery_codes(client, ann):
    _, old = enrol(client, ann)
    response = client.post("/accounts/two-factor/recovery-codes/")
    new = response.context["codes"]
    assert response["Cache-Control"] == "no-store"
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert AuditEvent.objects.filter(action="user.recovery_codes").count() == 1


def test_disable_needs_the_password_and_a_code(client, ann):
    totp, codes = enrol(client, ann)
    response = client.post(
        "/accounts/two-factor/disable/", {"password": "wrong", "code": later_code(totp)}
    )
    assert response.status_code == 400 and two_factor.has_two_factor(ann)
    response = client.post("/accounts/two-factor/disable/", {"password": PASSWORD, "code": "1"})
    assert response.status_code == 400 and two_factor.has_two_factor(ann)
    response = client.post(
        "/accounts/two-factor/disable/", {"password": PASSWORD, "code": codes[3]}
    )
    assert response.status_code == 302
    assert not two_factor.has_two_factor(ann)
    assert AuditEvent.objects.filter(action="user.two_factor_disable").count() == 1
    client.logout()
    # Back to the password alone.
    assert client.post(LOGIN, {"username": ann.email, "password": PASSWORD}).url != CODE


def test_the_pages_need_a_signed_in_user(client, db):
    assert client.get("/accounts/two-factor/").status_code == 302
    assert client.post("/accounts/two-factor/enable/", {"code": "1"}).status_code == 302


def test_the_profile_says_whether_it_is_on(client, ann):
    client.force_login(ann)
    assert "data-two-factor-status>off" in client.get("/accounts/profile/").content.decode()
    enrol(client, ann)
    assert "data-two-factor-status>on" in client.get("/accounts/profile/").content.decode()


def test_a_second_app_cannot_replace_the_first_without_turning_it_off(client, ann):
    enrol(client, ann)
    first = TOTPDevice.objects.get(user=ann, confirmed=True)
    # Whoever holds this signed-in session cannot enrol their own app in its place.
    fresh = two_factor.pending_app(ann)
    code = pyotp.TOTP(base64.b32encode(fresh.bin_key).decode()).now()
    response = client.post("/accounts/two-factor/enable/", {"code": code})
    assert response.status_code == 400
    assert list(TOTPDevice.objects.filter(user=ann, confirmed=True)) == [first]
