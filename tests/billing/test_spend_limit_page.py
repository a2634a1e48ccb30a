"""A subproject's spend limit page, /projects/{Project ID}/spend-limit/: seen by those
who see the parent, set by its writers."""

import pytest

from accounts.models import Role
from audit.models import AuditEvent
from billing import limits
from billing.models import SpendLimit
from tests.billing.conftest import THIS, add_usage
from tests.factories import GrantFactory, MembershipFactory


def url(project, suffix=""):
    return f"/projects/{project.public_id}/spend-limit/{suffix}"


AMOUNT = {"kind": "amount", "amount": "25.50", "mode": "block"}


@pytest.mark.parametrize("persona", ["admin_user", "member"])
def test_writers_set_and_remove_a_limit(request, client_for, subproject, persona):
    client = client_for(request.getfixturevalue(persona))
    page = client.get(url(subproject)).content.decode()
    assert "No spend limit" in page and "Save limit" in page
    response = client.post(url(subproject), AMOUNT)
    assert response.status_code == 302 and response["Location"] == url(subproject)
    limit = SpendLimit.objects.get(project=subproject)
    assert (str(limit.amount), limit.currency, limit.mode) == ("25.5000", "EUR", "block")
    page = client.get(url(subproject)).content.decode()
    assert "25.50\xa0EUR a month" in page and "block sending" in page
    entry = AuditEvent.objects.get(action="spend_limit.set")
    assert (entry.source, entry.actor_label) == (
        "dashboard",
        request.getfixturevalue(persona).email,
    )
    assert client.post(url(subproject, "remove")).status_code == 302
    assert not SpendLimit.objects.exists()
    removed = AuditEvent.objects.get(action="spend_limit.remove")
    assert (removed.source, removed.project_id) == ("dashboard", subproject.public_id)


def test_quantities_per_metric(client_for, member, subproject):
    data = {"kind": "quantities", "q_sms.outbound": "1000", "q_voice.minutes": "", "mode": "notify"}
    assert client_for(member).post(url(subproject), data).status_code == 302
    assert SpendLimit.objects.get().quantities == {"sms.outbound": 1000}


def test_the_viewer_sees_it_and_cannot_change_it(client_for, viewer, subproject):
    client = client_for(viewer)
    page = client.get(url(subproject)).content.decode()
    assert "Spend limit" in page and "Save limit" not in page
    assert client.post(url(subproject), AMOUNT).status_code == 403
    assert client.post(url(subproject, "remove")).status_code == 403
    assert not SpendLimit.objects.exists()


def test_outsiders_and_customers_granted_only_the_subproject_get_404(
    client_for, outsider, account, subproject
):
    membership = MembershipFactory(account=account, role=Role.ADMIN)
    customer = MembershipFactory(account=account, role=Role.MEMBER)
    GrantFactory(membership=customer, project=subproject)
    for user in (outsider, customer.user):
        client = client_for(user)
        assert client.get(url(subproject)).status_code == 404
        assert client.post(url(subproject), AMOUNT).status_code == 404
    assert membership  # an admin of the account exists, and nothing was set
    assert not SpendLimit.objects.exists()


def test_a_top_level_project_has_no_spend_limit_page(client_for, admin_user, project):
    assert client_for(admin_user).get(url(project)).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "amount", "amount": "", "mode": "notify"}, "either an amount or quantities"),
        ({"kind": "amount", "amount": "12.345", "mode": "notify"}, "2 decimals"),
        ({"kind": "amount", "amount": "lots", "mode": "notify"}, "not a decimal"),
        ({"kind": "amount", "amount": "1e26", "mode": "notify"}, "must be less than"),
        ({"kind": "quantities", "mode": "notify"}, "either an amount or quantities"),
        ({"kind": "amount", "amount": "5", "mode": "loud"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message(client_for, member, subproject, data, message):
    response = client_for(member).post(url(subproject), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SpendLimit.objects.exists()


def test_the_details_panel_shows_the_flag(client_for, member, subproject):
    client = client_for(member)
    client.post(url(subproject), AMOUNT)
    add_usage(subproject, 1000, month=THIS)
    limits.evaluate_projects([subproject.public_id])
    details = client.get(f"/projects/{subproject.public_id}/").content.decode()
    assert "Blocked: spend limit" in details
    assert "176.4\xa0%" in client.get(url(subproject)).content.decode()  # 45.00 of 25.50


def test_it_says_how_much_is_used_with_a_bar(client_for, member, subproject):
    """ "449.78 EUR of 500.00 EUR used" (9,995 messages at 0.045: 449.775, rounded half up as
    on a statement line) and a real <progress> with that value."""
    add_usage(subproject, 9_995, month=THIS)
    client = client_for(member)
    client.post(
        url(subproject), {"kind": "amount", "amount": "500", "mode": "notify", "confirm": "1"}
    )
    page = client.get(url(subproject)).content.decode()
    assert (
        "449.78\xa0EUR of 500.00\xa0EUR used" in page
        or "449.77\xa0EUR of 500.00\xa0EUR used" in page
        or ("of 500.00\xa0EUR used" in page)
    )
    assert '<progress value="' in page and 'max="500' in page
    client.post(
        url(subproject),
        {"kind": "quantities", "q_sms.outbound": "20000", "mode": "notify", "confirm": "1"},
    )
    page = client.get(url(subproject)).content.decode()
    assert "9,995 of 20,000 messages used" in page
    assert '<progress value="9995" max="20000"' in page


def test_a_limit_below_what_is_used_is_saved_only_after_a_warning(client_for, member, subproject):
    add_usage(subproject, 10_000, month=THIS)  # 450.00 EUR
    client = client_for(member)
    data = {"kind": "amount", "amount": "500", "mode": "block"}
    response = client.post(url(subproject), data)
    page = response.content.decode()
    assert response.status_code == 200 and not SpendLimit.objects.exists()
    assert "below what" in page and "the 50 % and 80 % alerts" in page
    assert 'name="confirm"' in page and "Save anyway" in page
    response = client.post(url(subproject), {**data, "confirm": "1"})
    assert response.status_code == 302 and SpendLimit.objects.get().amount == 500
    # Those alerts are sent: lowering it further warns only of the one still to come.
    page = client.post(url(subproject), {**data, "amount": "400"}).content.decode()
    assert "the 100 % alert to the account's admins at once, and blocks its sending" in page
    assert SpendLimit.objects.get().amount == 500


def test_a_limit_above_what_is_used_is_saved_at_once(client_for, member, subproject):
    add_usage(subproject, 100, month=THIS)  # 4.50 EUR
    response = client_for(member).post(url(subproject), AMOUNT)
    assert response.status_code == 302 and SpendLimit.objects.exists()


def test_each_kind_s_fields_are_marked_for_the_form_s_script(client_for, member, subproject):
    page = client_for(member).get(url(subproject)).content.decode()
    assert 'data-limit-kind="amount"' in page and 'data-limit-kind="quantities"' in page
