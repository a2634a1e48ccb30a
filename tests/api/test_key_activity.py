"""Key activity (projects.activity): last use time and address and the 30-day request
count, in the keys table and the API, written in batches: a request costs no write."""

from datetime import timedelta

from django.utils import timezone

from projects import activity, services
from projects.models import AccessKey, AccessKeyDailyUse
from tests.support.api_client import basic


def list_url(project):
    return f"/api/v1/projects/{project.public_id}/accessKeys"


def test_requests_are_counted_in_batches_without_a_write_each(
    client, project, django_assert_num_queries
):
    key, secret = services.access_key_create(project=project, display_name="counted")
    header = {"Authorization": basic(key.key_id, secret)}
    url = f"/api/v1/projects/{project.public_id}/subprojects"
    client.get(url, headers=header, REMOTE_ADDR="10.1.2.3")  # first use: written at once
    for _ in range(5):
        with django_assert_num_queries(2):  # the key with its project, the page: no write
            assert client.get(url, headers=header).status_code == 200
    key.refresh_from_db()
    assert key.last_used_from == "10.1.2.3"
    assert AccessKeyDailyUse.objects.get(key=key).requests == 1
    # Five minutes later the process writes what it counted in between, in one batch.
    later = timezone.now() + activity.RESOLUTION + timedelta(seconds=1)
    record = AccessKey.objects.get(pk=key.pk)
    activity.key_used(record, "10.9.9.9", now=later)
    total = sum(AccessKeyDailyUse.objects.filter(key=key).values_list("requests", flat=True))
    assert total == 7  # the first, the five, this one
    key.refresh_from_db()
    assert key.last_used_from == "10.9.9.9"


def test_the_api_and_the_keys_table_show_30_days(client, client_for, admin_user, project):
    key, secret = services.access_key_create(project=project, display_name="busy")
    today = timezone.now().date()
    AccessKeyDailyUse.objects.bulk_create(
        [
            AccessKeyDailyUse(key=key, day=today - timedelta(days=1), requests=40),
            AccessKeyDailyUse(key=key, day=today - timedelta(days=29), requests=2),
            AccessKeyDailyUse(key=key, day=today - timedelta(days=30), requests=1000),  # older
        ]
    )
    response = client.get(list_url(project), headers={"Authorization": basic(key.key_id, secret)})
    (listed,) = response.json()["accessKeys"]
    assert listed["requestsLast30Days"] == 43  # 40 + 2 + this request
    single = client.get(
        f"{list_url(project)}/{key.key_id}", headers={"Authorization": basic(key.key_id, secret)}
    )
    assert single.json()["requestsLast30Days"] == 43  # counted in this process, not yet written
    page = client_for(admin_user).get(f"/projects/{project.public_id}/").content.decode()
    assert "<span data-key-requests>43</span> requests in 30 days" in page
    assert "data-key-address>127.0.0.1<" in page


def test_the_keys_table_costs_no_extra_query_per_key(
    client_for, admin_user, project, django_assert_num_queries
):
    client = client_for(admin_user)
    url = f"/projects/{project.public_id}/"
    services.access_key_create(project=project, display_name="one")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(5):
        services.access_key_create(project=project, display_name=f"more {i}")
    with CaptureQueriesContext(connection) as six:
        client.get(url)
    assert len(six) == len(one)


def test_purge_key_activity_deletes_only_days_no_window_counts(project):
    from io import StringIO

    from django.conf import settings
    from django.core.management import call_command

    key, _ = services.access_key_create(project=project, display_name="old and new")
    today = timezone.now().date()
    first_counted = today - timedelta(days=activity.WINDOW_DAYS - 1)
    for day in [first_counted - timedelta(days=1), first_counted, today]:
        AccessKeyDailyUse.objects.create(key=key, day=day, requests=1)

    out = StringIO()
    call_command("purge_key_activity", stdout=out)

    assert out.getvalue() == "Purged 1 daily request count(s) of access keys.\n"
    assert sorted(AccessKeyDailyUse.objects.values_list("day", flat=True)) == [
        first_counted,
        today,
    ]
    assert "purge_key_activity" in settings.TASK_SCHEDULE
