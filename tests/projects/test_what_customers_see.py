"""What an ASP's customer sees of its own subproject, by one rule in the dashboard and
the API (projects.customers, ADR 0108): its labels and its bill are the ASP's, hidden
from a login granted only the subproject and from the subproject's own key unless the
top-level project's admins show them in its Settings. The ASP's people and the parent's
key always see both."""

import json

import pytest
from django.test import Client

from accounts.models import Role
from audit.models import AuditEvent
from projects import services
from tests.billing.conftest import LAST, add_usage
from tests.factories import granted
from tests.support.api_client import call, error_of, key_header

LABELS = {"tier": "gold-internal"}


@pytest.fixture
def customer(account, subproject):
    """An ASP's customer: a member granted the subproject alone."""
    return granted(subproject, Role.MEMBER)


@pytest.fixture
def labelled(subproject):
    services.project_update(project=subproject, labels=LABELS)
    return subproject


def signed_in(user) -> Client:
    """A client of its own (client_for signs the one test client in as another user)."""
    client = Client()
    client.force_login(user)
    return client


def show(client, project, **shown):
    data = {name: "on" for name, on in shown.items() if on}
    return client.post(f"/projects/{project.public_id}/customers-see/", data)


def api_get(client, auth, path):
    return call(client, "GET", f"/api/v1/{path}", auth)


def test_labels_are_hidden_from_customers_until_the_asp_shows_them(
    client, client_for, admin_user, customer, project, labelled
):
    own_key, parent_key = key_header(labelled), key_header(project)
    details = f"/projects/{labelled.public_id}/"
    web = client_for(customer)
    # Hidden by default: the page, the form, the API (read and write), its activity.
    page = web.get(details).content.decode()
    assert "gold-internal" not in page and "Save labels" not in page
    assert web.post(f"{details}labels/", {"labels": "a=b"}).status_code == 403
    body = api_get(client, own_key, f"subprojects/{labelled.public_id}").json()
    assert "labels" not in body and body["displayName"] == labelled.name
    patch = call(
        client, "PATCH", f"/api/v1/subprojects/{labelled.public_id}", own_key, {"labels": {}}
    )
    assert error_of(patch)[:2] == (403, "PERMISSION_DENIED")
    events = api_get(client, own_key, f"projects/{labelled.public_id}/auditEvents").json()
    assert "gold-internal" not in json.dumps(events)
    activity = web.get(f"/projects/{labelled.public_id}/activity/").content.decode()
    assert "gold-internal" not in activity
    # The ASP's people and the parent's key see them.
    assert "gold-internal" in signed_in(admin_user).get(details).content.decode()
    parent_body = api_get(client, parent_key, f"subprojects/{labelled.public_id}").json()
    assert parent_body["labels"] == LABELS

    # The account's admin shows them: both interfaces follow.
    response = show(signed_in(admin_user), project, labels=True)
    assert response.status_code == 302
    page = web.get(details).content.decode()
    assert "gold-internal" in page and "Save labels" in page
    body = api_get(client, own_key, f"subprojects/{labelled.public_id}").json()
    assert body["labels"] == LABELS
    events = api_get(client, own_key, f"projects/{labelled.public_id}/auditEvents").json()
    assert "gold-internal" in json.dumps(events)
    assert "gold-internal" in web.get(f"/projects/{labelled.public_id}/activity/").content.decode()
    assert web.post(f"{details}labels/", {"labels": "tier=silver"}).status_code == 302
    entry = AuditEvent.objects.get(action="project.customers_see")
    assert entry.changes == {"customers_see_labels": {"before": False, "after": True}}


def test_a_customers_bill_follows_one_rule_in_the_dashboard_and_the_api(
    client, client_for, admin_user, customer, project, subproject
):
    add_usage(subproject, 1_000, month=LAST)
    own_key = key_header(subproject)
    web = client_for(customer)
    bill = f"/projects/{subproject.public_id}/billing/"
    month = f"{bill}{LAST:%Y-%m}/"
    api = f"subprojects/{subproject.public_id}/statements"
    # Hidden by default: 404 in the dashboard, the unknown ID's answer in the API.
    assert web.get(bill).status_code == 404
    assert web.get(month).status_code == 404
    assert web.get(f"{month}statement.csv").status_code == 404
    assert error_of(api_get(client, own_key, api))[:2] == (403, "PERMISSION_DENIED")
    assert error_of(api_get(client, own_key, f"{api}/{LAST:%Y-%m}"))[:2] == (404, "NOT_FOUND")
    assert (
        "data-subproject-bill" not in web.get(f"/projects/{subproject.public_id}/").content.decode()
    )

    show(signed_in(admin_user), project, bills=True)
    page = web.get(month)
    assert page.status_code == 200
    html = page.content.decode()
    assert "45.00\xa0EUR" in html  # 1,000 messages at 0.045
    # Nothing of the parent's own: no link to its statement, no spend limit.
    assert f"/projects/{project.public_id}/" not in html.split("<main", 1)[1]
    listing = web.get(bill).content.decode()
    assert "Spend limit" not in listing.split("<main", 1)[1]
    assert web.get(f"{month}statement.csv").status_code == 200
    one = api_get(client, own_key, f"{api}/{LAST:%Y-%m}").json()
    assert one["total"] == "45.00"
    assert api_get(client, own_key, api).status_code == 200
    details = web.get(f"/projects/{subproject.public_id}/").content.decode()
    assert "data-subproject-bill" in details
    # The navigation offers it now.
    assert f'href="{bill}"' in details
    # Its spend limit stays the ASP's.
    assert web.get(f"/projects/{subproject.public_id}/spend-limit/").status_code == 404


def test_only_the_account_s_admins_decide(client_for, member, viewer, project, subproject):
    for user in (member, viewer):
        assert show(signed_in(user), project, labels=True).status_code == 403
    project.refresh_from_db()
    assert not project.customers_see_labels and not project.customers_see_bills


def test_it_is_set_on_a_top_level_project(client_for, admin_user, subproject):
    response = show(signed_in(admin_user), subproject, labels=True)
    assert response.status_code == 403
    subproject.refresh_from_db()
    assert not subproject.customers_see_labels


def test_an_outsider_gets_404(client_for, outsider, project):
    assert show(signed_in(outsider), project, labels=True).status_code == 404


def test_the_settings_section_shows_the_choice(client_for, admin_user, viewer, project):
    page = signed_in(admin_user).get(f"/projects/{project.public_id}/").content.decode()
    assert "What your customers see" in page and "data-customers-see" in page
    assert 'name="labels"' in page and 'name="bills"' in page
    page = client_for(viewer).get(f"/projects/{project.public_id}/").content.decode()
    assert "What your customers see" in page and 'name="bills"' not in page
