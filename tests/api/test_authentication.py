from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from core import credentials
from core.api.errors import ApiError
from projects import services
from projects.api import auth
from tests.factories import ProjectFactory
from tests.support.api_client import basic


def request_with(authorization=None, address="10.0.0.1"):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    return RequestFactory().get("/api/v1/x", REMOTE_ADDR=address, **headers)


@pytest.fixture
def parent_key(project):
    return services.access_key_create(project=project, display_name="parent")


@pytest.fixture
def sub_key(subproject):
    return services.access_key_create(project=subproject, display_name="sub")


def test_basic_credentials_authenticate(parent_key, project):
    key, secret = parent_key
    principal = auth.authenticate(request_with(basic(key.key_id, secret)))
    assert principal.key == key and principal.project == project


def test_bearer_token_authenticates(parent_key):
    key, _ = parent_key
    principal = auth.authenticate(request_with(f"Bearer {auth.issue_token(key)}"))
    assert principal.key == key


@pytest.mark.parametrize(
    "header",
    [None, "Basic", "Basic !!!", "Bearer", "Bearer nonsense", "Digest abc", "Basic " + "A" * 500],
)
def test_missing_or_bad_credentials_are_401(header, parent_key):
    with pytest.raises(ApiError) as excinfo:
        auth.authenticate(request_with(header))
    assert excinfo.value.code == 401
    assert excinfo.value.status == "UNAUTHENTICATED"
    assert "WWW-Authenticate" in excinfo.value.headers


def test_wrong_secret_is_refused(parent_key):
    from core.credentials import new_secret

    key, _ = parent_key
    with pytest.raises(ApiError):
        auth.authenticate(request_with(basic(key.key_id, new_secret())))


def test_revoked_key_and_its_tokens_fail_on_the_next_request(parent_key):
    key, secret = parent_key
    token = auth.issue_token(key)
    auth.authenticate(request_with(basic(key.key_id, secret)))
    services.access_key_revoke(key=key)
    for header in (basic(key.key_id, secret), f"Bearer {token}"):
        with pytest.raises(ApiError):
            auth.authenticate(request_with(header))


def test_expired_key_fails(project):
    key, secret = services.access_key_create(
        project=project, display_name="short", expires_at=timezone.now() + timedelta(seconds=1)
    )
    key.expires_at = timezone.now() - timedelta(seconds=1)
    key.save()
    with pytest.raises(ApiError):
        auth.authenticate(request_with(basic(key.key_id, secret)))


def test_removed_subproject_key_fails(sub_key, subproject):
    key, secret = sub_key
    services.subproject_remove(subproject=subproject)
    with pytest.raises(ApiError):
        auth.authenticate(request_with(basic(key.key_id, secret)))


def test_expired_token_fails(parent_key, monkeypatch):
    key, _ = parent_key
    token = auth.issue_token(key)
    monkeypatch.setattr(auth, "TOKEN_LIFETIME", -1)
    with pytest.raises(ApiError):
        auth.authenticate(request_with(f"Bearer {token}"))


def test_scope_parent_key_reaches_subprojects_not_the_other_way(
    parent_key, sub_key, project, subproject, account
):
    sibling = ProjectFactory(parent=project)
    other = ProjectFactory()
    unknown = ApiError(404, "NOT_FOUND", "unknown")

    def reached(key, secret):
        principal = auth.authenticate(request_with(basic(key.key_id, secret)))
        found = set()
        for target in (project, subproject, sibling, other):
            try:
                found.add(principal.get_project(target.public_id, or_else=unknown))
            except ApiError as error:
                assert error is unknown
        assert set(principal.reachable_projects()) == found
        return found

    assert reached(*parent_key) == {project, subproject, sibling}
    assert reached(*sub_key) == {subproject}


def test_last_used_is_written_at_most_every_few_minutes(parent_key, django_assert_num_queries):
    key, secret = parent_key
    header = basic(key.key_id, secret)
    auth.authenticate(request_with(header))  # first use: writes last_used_at
    key.refresh_from_db()
    assert key.last_used_at is not None
    with django_assert_num_queries(1):  # the key lookup only: no counter read, no write
        auth.authenticate(request_with(header))


def test_failures_are_rate_limited_per_address(parent_key):
    key, secret = parent_key
    wrong = basic(key.key_id, credentials.new_secret())  # of our shape: it is counted
    for _ in range(auth.FAILURE_LIMIT):
        with pytest.raises(ApiError):
            auth.authenticate(request_with(wrong, address="10.9.9.9"))
    gone, _ = services.access_key_create(project=key.project, display_name="gone")
    services.access_key_revoke(key=gone)
    for header in (wrong, "Bearer " + auth.issue_token(gone)):  # a real token, revoked
        with pytest.raises(ApiError) as excinfo:
            auth.authenticate(request_with(header, address="10.9.9.9"))
        assert excinfo.value.headers["Retry-After"] == str(auth.FAILURE_WINDOW)
        assert "Too many" in excinfo.value.message
    # Valid credentials are not locked out by others' failures from a shared address
    # (the counter stays off the success path), and another address is not affected.
    assert auth.authenticate(request_with(basic(key.key_id, secret), address="10.9.9.9"))
    assert auth.authenticate(request_with(basic(key.key_id, secret), address="10.0.0.2"))


def test_token_endpoint_refuses_a_blocked_address(client, parent_key):
    key, _ = parent_key
    wrong = credentials.new_secret()  # of our shape, so counted
    for _ in range(auth.FAILURE_LIMIT + 1):
        response = client.post(
            "/oauth2/token",
            {"grant_type": "client_credentials", "client_id": key.key_id, "client_secret": wrong},
            REMOTE_ADDR="10.9.9.8",
        )
        assert response.status_code == 401
    assert response["Retry-After"] == str(auth.FAILURE_WINDOW)


@pytest.mark.parametrize(
    "header",
    [
        basic("not-a-key-id", "csk_short"),  # malformed Key ID and secret
        "Bearer forged.token",
        "Basic !!!",
    ],
)
def test_a_malformed_credential_costs_no_query(header, parent_key, django_assert_num_queries):
    """Refused by its shape, in memory: no lookup, and not counted (it could never have
    succeeded; tests/api/test_malformed_credentials.py asks it of whole requests)."""
    with django_assert_num_queries(0), pytest.raises(ApiError) as excinfo:
        auth.authenticate(request_with(header, address="10.7.7.7"))
    assert excinfo.value.code == 401
