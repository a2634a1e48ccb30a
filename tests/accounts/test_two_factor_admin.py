"""Operators need a second factor on the admin site where ADMIN_REQUIRES_TWO_FACTOR is on
(the default unless DEBUG; the test settings turn it off for the other admin tests)."""

import base64
import time

import pyotp
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from tests.factories import PASSWORD

ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.ADMIN_REQUIRES_TWO_FACTOR = True


def give_app(user) -> pyotp.TOTP:
    device = two_factor.pending_app(user)
    totp = pyotp.TOTP(base64.b32encode(device.bin_key).decode())
    two_factor.two_factor_enable(user=user, device=device, code=totp.now())
    return totp


def test_a_session_without_a_second_factor_is_not_let_in(client, operator):
    client.force_login(operator)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(ADMIN_LOGIN)


def test_an_operator_without_two_factor_is_told_to_set_it_up(client, operator):
    response = client.post(ADMIN_LOGIN, {"username": operator.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Operators sign in with two-factor" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_and_code_let_the_operator_in(client, operator):
    totp = give_app(operator)
    later = totp.at(time.time() + 30)
    response = client.post(
        ADMIN_LOGIN, {"username": operator.email, "password": PASSWORD, "code": "000001"}
    )
    assert "That code is not valid" in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post(
        ADMIN_LOGIN, {"username": operator.email, "password": PASSWORD, "code": later}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(user=operator).last_t > 0


def test_off_in_debug_the_password_is_enough(client, operator, settings):
    settings.ADMIN_REQUIRES_TWO_FACTOR = False
    response = client.post(ADMIN_LOGIN, {"username": operator.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_operators_turn_a_users_two_factor_off_and_never_see_its_secrets(client, operator, db):
    from django.contrib import admin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from audit.models import AuditEvent
    from tests.factories import UserFactory

    assert not admin.site.is_registered(TOTPDevice)
    ann = UserFactory(email="ann@example.com")
    give_app(ann)
    give_app(operator)
    later = pyotp.TOTP(base64.b32encode(TOTPDevice.objects.get(user=operator).bin_key).decode()).at(
        time.time() + 30
    )
    client.post(ADMIN_LOGIN, {"username": operator.email, "password": PASSWORD, "code": later})
    response = client.post(
        "/admin/accounts/user/",
        {"action": "turn_off_two_factor", "_selected_action": [ann.pk]},
    )
    assert response.status_code == 302
    assert not two_factor.has_two_factor(ann) and two_factor.has_two_factor(operator)
    entry = AuditEvent.objects.get(action="user.two_factor_disable")
    assert entry.target_id == ann.email
