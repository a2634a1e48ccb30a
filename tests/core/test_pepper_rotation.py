"""ACCESS_KEY_PEPPER rotation: a credential hashed under pepper A still works once the
pepper is B with A in ACCESS_KEY_PEPPER_FALLBACKS, and is re-hashed under B on use.
SECRET_KEY_FALLBACKS: a signed token made with the old key still verifies."""

import threading

import pytest
from django.core import signing
from django.db import connection
from django.test import RequestFactory

from core import credentials
from projects import services
from projects.api import auth
from projects.models import AccessKey
from team.models import Invitation
from tests.support.api_client import basic
from usage import services as usage_services
from usage.api import platform_auth

A = "pepper-a-for-tests-0123456789"
B = "pepper-b-for-tests-9876543210"


def request_with(authorization):
    return RequestFactory().get("/api/v1/x", HTTP_AUTHORIZATION=authorization)


@pytest.fixture
def pepper_a(settings):
    settings.ACCESS_KEY_PEPPER = A
    settings.ACCESS_KEY_PEPPER_FALLBACKS = []
    return settings


def rotate(settings, fallbacks=(A,)):
    settings.ACCESS_KEY_PEPPER = B
    settings.ACCESS_KEY_PEPPER_FALLBACKS = list(fallbacks)


def test_a_key_made_under_pepper_a_works_under_b_and_is_rehashed(pepper_a, project):
    key, secret = services.access_key_create(project=project, display_name="automation")
    assert key.secret_hash == credentials.hash_secret(secret, A)
    rotate(pepper_a)

    principal = auth.authenticate(request_with(basic(key.key_id, secret)))
    assert principal.key.pk == key.pk
    key.refresh_from_db()
    assert key.secret_hash == credentials.hash_secret(secret, B)

    # Once re-hashed, A may leave the fallbacks.
    rotate(pepper_a, fallbacks=())
    assert auth.authenticate(request_with(basic(key.key_id, secret))).key.pk == key.pk


def test_without_the_fallback_the_old_key_is_refused(pepper_a, project):
    key, secret = services.access_key_create(project=project, display_name="automation")
    rotate(pepper_a, fallbacks=())
    assert auth.key_for_credentials(key.key_id, secret) is None
    key.refresh_from_db()
    assert key.secret_hash == credentials.hash_secret(secret, A)  # untouched


def test_a_wrong_secret_is_not_rehashed(pepper_a, project):
    key, secret = services.access_key_create(project=project, display_name="automation")
    _, other = services.access_key_create(project=project, display_name="other")
    rotate(pepper_a)
    assert auth.key_for_credentials(key.key_id, other) is None
    key.refresh_from_db()
    assert key.secret_hash == credentials.hash_secret(secret, A)


def test_a_current_hash_costs_no_write(pepper_a, project, django_assert_num_queries):
    key, secret = services.access_key_create(project=project, display_name="automation")
    auth.key_for_credentials(key.key_id, secret)  # records the last use
    with django_assert_num_queries(1):  # the key's lookup only
        assert auth.key_for_credentials(key.key_id, secret) is not None


def test_a_platform_token_made_under_a_works_under_b_and_is_rehashed(pepper_a, db):
    token, secret = usage_services.platform_token_create(name="sms service")
    rotate(pepper_a)
    assert platform_auth.token_for_secret(secret).pk == token.pk
    token.refresh_from_db()
    assert token.secret_hash == credentials.hash_secret(secret, B)
    rotate(pepper_a, fallbacks=())
    assert platform_auth.token_for_secret(secret).pk == token.pk


def test_an_invitation_made_under_a_is_found_under_b(pepper_a, admin_user, account):
    from team import services as team_services

    token, token_hash = team_services._new_token()
    Invitation.objects.create(
        account=account, email="new@example.com", token_hash=token_hash, invited_by=admin_user
    )
    rotate(pepper_a)
    assert team_services.invitation_for_token(token) is not None
    rotate(pepper_a, fallbacks=())
    assert team_services.invitation_for_token(token) is None


def test_secret_key_fallbacks_verify_old_signatures(settings):
    settings.SECRET_KEY = "old-secret-key-for-tests-0123456789abcdef"
    signed = signing.dumps({"k": "v"}, salt="test")
    settings.SECRET_KEY = "new-secret-key-for-tests-0123456789abcdef"
    with pytest.raises(signing.BadSignature):
        signing.loads(signed, salt="test")
    settings.SECRET_KEY_FALLBACKS = ["old-secret-key-for-tests-0123456789abcdef"]
    assert signing.loads(signed, salt="test") == {"k": "v"}


def test_settings_read_the_fallbacks_from_the_environment():
    from django.conf import settings

    assert settings.SECRET_KEY_FALLBACKS == []
    assert settings.ACCESS_KEY_PEPPER_FALLBACKS == []


@pytest.mark.django_db(transaction=True)
def test_two_requests_rehashing_at_once_agree(settings, project):
    """Both verify; the stored hash ends as B's (a compare-and-set, so neither fails)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    settings.ACCESS_KEY_PEPPER, settings.ACCESS_KEY_PEPPER_FALLBACKS = A, []
    key, secret = services.access_key_create(project=project, display_name="automation")
    rotate(settings)
    barrier = threading.Barrier(2)
    found = []

    def use():
        try:
            barrier.wait()
            found.append(auth.key_for_credentials(key.key_id, secret) is not None)
        finally:
            connection.close()

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [True, True]
    assert AccessKey.objects.get(pk=key.pk).secret_hash == credentials.hash_secret(secret, B)
