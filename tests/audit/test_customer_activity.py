"""What an ASP's customer sees of its subproject's history (issue 20, item 8): its
login's Activity page and CSV, and its subproject's own key's auditEvents, show no ASP
staff email, no address, no spend-limit entry and no labels; the ASP's staff read
"<ASP account name> staff". The ASP's own people still see everything."""

import csv
import io
from decimal import Decimal

import pytest

from accounts.models import Role
from billing import services as billing_services
from core.actors import Actor, Kind, Source
from projects import services
from tests.factories import GrantFactory, MembershipFactory, granted
from tests.support.api_client import call, key_header

STAFF_ADDRESS = "203.0.113.77"
CUSTOMER_ADDRESS = "198.51.100.23"


@pytest.fixture
def customer(account, subproject):
    return granted(subproject, Role.VIEWER)


@pytest.fixture
def history(admin_user, customer, subproject, project):
    """The ASP's admin renames and relabels the subproject and sets its spend limit; the
    parent's key makes a key for it; a customer's colleague (a member granted it
    alone) creates a key of their own."""
    staff = Actor(Kind.USER, str(admin_user.pk), Source.DASHBOARD, STAFF_ADDRESS, admin_user)
    services.project_update(
        project=subproject, name="Taco Time GmbH", labels={"tier": "gold"}, actor=staff
    )
    billing_services.spend_limit_set(
        project=subproject, mode="notify", amount=Decimal("500"), actor=staff
    )
    parent_key, _ = services.access_key_create(project=project, display_name="ASP automation")
    asp_key = Actor(Kind.ACCESS_KEY, parent_key.key_id, Source.API, STAFF_ADDRESS)
    services.access_key_create(project=subproject, display_name="made by ASP", actor=asp_key)
    colleague = MembershipFactory(account=subproject.account, role=Role.MEMBER)
    GrantFactory(membership=colleague, project=subproject)
    mine = Actor(
        Kind.USER, str(colleague.user.pk), Source.DASHBOARD, CUSTOMER_ADDRESS, colleague.user
    )
    services.access_key_create(project=subproject, display_name="ours", actor=mine)
    return {"admin": admin_user, "colleague": colleague.user, "parent_key": parent_key}


def assert_nothing_of_the_asp(text: str, history) -> None:
    assert history["admin"].email not in text
    assert STAFF_ADDRESS not in text and CUSTOMER_ADDRESS not in text
    assert "spend_limit" not in text and "Spend limit" not in text
    assert "gold" not in text  # the labels
    assert history["parent_key"].key_id not in text


def test_a_customer_login_s_activity(client_for, customer, subproject, history):
    client = client_for(customer)
    body = client.get(f"/projects/{subproject.public_id}/activity/").content.decode()
    assert_nothing_of_the_asp(body, history)
    assert "Acme Messaging staff" in body
    assert "Subproject renamed" in body or "Subproject renamed and relabelled" in body
    assert history["colleague"].email in body  # the customer's own people stay named


def test_a_customer_cannot_confirm_a_staff_email_by_filtering(
    client_for, customer, subproject, history
):
    """Filtering by the ASP admin's email finds nothing (as a stranger's would), so the
    filter does not tell the customer who is on the ASP's staff; its own colleague's
    email still finds the colleague's entries, in the page and the CSV."""
    client = client_for(customer)
    base = f"/projects/{subproject.public_id}/activity"
    staff = client.get(f"{base}/", {"actor": history["admin"].email}).content.decode()
    assert "Acme Messaging staff" not in staff
    staff_csv = client.get(f"{base}.csv", {"actor": history["admin"].email})
    assert len(b"".join(staff_csv.streaming_content).decode().splitlines()) == 1  # header
    own = client.get(f"{base}/", {"actor": history["colleague"].email}).content.decode()
    assert history["colleague"].email in own and "ours" in own


def test_a_customer_login_s_activity_csv(client_for, customer, subproject, history):
    response = client_for(customer).get(f"/projects/{subproject.public_id}/activity.csv")
    text = b"".join(response.streaming_content).decode()
    assert_nothing_of_the_asp(text, history)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["actor_type"] for row in rows} >= {"staff", "user"}
    assert all(row["client_address"] == "" for row in rows)


def test_the_subproject_s_own_key_reads_the_same(client, project, subproject, history):
    response = call(
        client,
        "GET",
        f"/api/v1/projects/{subproject.public_id}/auditEvents",
        key_header(subproject, name="customer automation"),
    )
    assert response.status_code == 200
    assert_nothing_of_the_asp(response.content.decode(), history)
    actors = [event["actor"] for event in response.json()["auditEvents"]]
    assert {"type": "staff", "id": ""} in actors
    assert {"type": "user", "id": history["colleague"].email} in actors


def test_the_asp_still_sees_everything(
    client_for, client, admin_user, project, subproject, history
):
    body = client_for(admin_user).get(f"/projects/{subproject.public_id}/activity/").content
    body = body.decode()
    assert admin_user.email in body and STAFF_ADDRESS in body and "Spend limit set" in body
    response = call(
        client, "GET", f"/api/v1/projects/{subproject.public_id}/auditEvents", key_header(project)
    )
    text = response.content.decode()
    assert admin_user.email in text and STAFF_ADDRESS in text and "spend_limit.set" in text
