"""Team management: personas of tests/conftest.py, plus an ASP's customer (a viewer
granted one subproject) and a second account for users of several accounts."""

import re

import pytest

from accounts.models import Role
from tests.factories import AccountFactory, ProjectFactory, granted


@pytest.fixture
def customer(account, subproject):
    """An ASP's customer: a viewer granted the subproject "Taco Time" alone."""
    return granted(subproject, Role.VIEWER)


@pytest.fixture
def admin_membership(admin_user, account):
    return admin_user.memberships.get(account=account)


@pytest.fixture
def other_account(db):
    return AccountFactory(name="Globex")


@pytest.fixture
def other_project(other_account):
    return ProjectFactory(account=other_account, name="Globex Main")


def members_url(account) -> str:
    return f"/accounts/{account.public_id}/members/"


def link_in(message) -> str:
    """The first http(s) link in an email's body."""
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    return match.group(0)


def path_of(link: str) -> str:
    """The path and query of an absolute link, for the test client."""
    return re.sub(r"^https?://[^/]+", "", link)
