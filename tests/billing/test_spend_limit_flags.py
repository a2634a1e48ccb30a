"""A subproject over its spend limit is flagged wherever it is listed (the Projects
menu, the Projects page, the Subprojects page), from the lists' own query."""

import pytest

from billing.models import LimitMode, SpendLimit
from tests.billing.conftest import LAST, THIS
from tests.factories import bulk_subprojects


def over(projects, *, mode=LimitMode.BLOCK, month=THIS):
    SpendLimit.objects.bulk_create(
        SpendLimit(project=p, amount=1, currency="EUR", mode=mode, month=month, exceeded_in=month)
        for p in projects
    )


@pytest.fixture
def flagged(project, subproject):
    over([subproject])
    return subproject


def test_the_subprojects_page(client_for, member, project, flagged):
    body = client_for(member).get(f"/projects/{project.public_id}/subprojects/").content.decode()
    row = body.split(f"/projects/{flagged.public_id}/")[1].split("</tr>")[0]
    assert "Blocked: spend limit" in row


def test_the_projects_menu_and_page(client_for, admin_user, flagged):
    client = client_for(admin_user)
    menu = client.get(f"/projects/menu/?partial=1&q={flagged.public_id}").content.decode()
    assert "Blocked: spend limit" in menu
    page = client.get(f"/projects/?q={flagged.public_id}").content.decode()
    assert "Blocked: spend limit" in page


def test_notify_mode_reads_over_spend_limit(client_for, member, project, subproject):
    over([subproject], mode=LimitMode.NOTIFY)
    body = client_for(member).get(f"/projects/{project.public_id}/subprojects/").content.decode()
    assert "Over spend limit" in body and "Blocked" not in body


def test_last_months_crossing_is_not_flagged(client_for, member, project, subproject):
    over([subproject], month=LAST)
    body = client_for(member).get(f"/projects/{project.public_id}/subprojects/").content.decode()
    assert "spend limit" not in body.lower().replace("spend-limit", "")


def test_no_query_per_row(client_for, member, project, django_assert_num_queries):
    over(bulk_subprojects(project, 60))
    client = client_for(member)
    client.get(f"/projects/{project.public_id}/subprojects/")
    with django_assert_num_queries(4):  # as without limits (tests/test_subproject_list.py)
        body = client.get(f"/projects/{project.public_id}/subprojects/").content.decode()
    assert body.count("Blocked: spend limit") == 50
    with django_assert_num_queries(5):
        body = client.get("/projects/?q=Customer").content.decode()
    assert body.count("Blocked: spend limit") == 50


def test_exceeded_reads_the_same_in_a_query_and_on_a_loaded_limit(project):
    """SpendLimit.exceeded (lists' flags, flags_of) and is_exceeded_in / blocks_sending_in
    (the API, the spend limit page, the platform's may-it-send) are one rule."""
    from billing import flags, limits
    from projects.models import Project
    from tests.factories import ProjectFactory

    states = [
        (THIS, LimitMode.BLOCK),
        (THIS, LimitMode.NOTIFY),
        (LAST, LimitMode.BLOCK),
        (None, LimitMode.BLOCK),
    ]
    for exceeded_in, mode in states:
        SpendLimit.objects.create(
            project=ProjectFactory(parent=project),
            amount=1,
            currency="EUR",
            mode=mode,
            month=THIS,
            exceeded_in=exceeded_in,
        )
    loaded = list(SpendLimit.objects.select_related("project"))
    in_sql = set(SpendLimit.objects.filter(SpendLimit.exceeded(THIS)))
    assert in_sql == {limit for limit in loaded if limit.is_exceeded_in(THIS)}
    assert len(in_sql) == 2
    flagged = flags.with_limit_flag(Project.objects.filter(parent=project))
    assert (
        {p.public_id: p.limit_flag for p in flagged if p.limit_flag}
        == {limit.project.public_id: limit.mode for limit in in_sql}
        == limits.flags_of(project)
    )
    assert [limit.blocks_sending_in(THIS) for limit in loaded] == [
        limit in in_sql and limit.mode == LimitMode.BLOCK for limit in loaded
    ]
