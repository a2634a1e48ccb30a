"""Personas, as in every test of this project: an account admin, a member and a viewer
of one project, and an outsider from another account."""

import pytest

from accounts.models import Role
from tests.factories import (
    AccountFactory,
    MembershipFactory,
    ProjectFactory,
    UserFactory,
    granted,
)


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests do not run collectstatic, so static URLs need no manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A deliberately slow password hasher would make every persona cost half a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def account(db):
    return AccountFactory(name="Acme Messaging")


@pytest.fixture
def project(account):
    return ProjectFactory(account=account, name="Acme Production")


@pytest.fixture
def subproject(project):
    return ProjectFactory(parent=project, name="Taco Time")


@pytest.fixture
def admin_user(account):
    return MembershipFactory(account=account, role=Role.ADMIN).user


@pytest.fixture
def member(account, project):
    return granted(project, Role.MEMBER)


@pytest.fixture
def viewer(account, project):
    return granted(project, Role.VIEWER)


@pytest.fixture
def outsider(db):
    """Admin of another account: sees everything there, nothing here."""
    return MembershipFactory(role=Role.ADMIN).user


@pytest.fixture
def operator(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def client_for(client):
    """client_for(user) signs `user` in and returns the test client."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def database_queue(settings):
    """Tasks go to the database queue (as in production) until run_worker() runs them
    (tests.support.tasks); Django resets its task backends when TASKS changes."""
    from tests.support.tasks import DATABASE_QUEUE

    settings.TASKS = DATABASE_QUEUE
