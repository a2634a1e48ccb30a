"""Nothing leaks: no Key Secret in the database, the logs or error reports.

Keys are made through the API and the dashboard with every logger at DEBUG (SQL too),
then the whole database is searched: dumpdata and a raw scan of every table.
"""

import base64
import json
import logging
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.views.debug import ExceptionReporter

from core import credentials
from projects import services
from tests.support.api_client import basic


def database_text() -> str:
    out = StringIO()
    call_command("dumpdata", stdout=out)
    parts = [out.getvalue()]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            parts.append(repr(cursor.fetchall()))
    return "\n".join(parts)


def session_text() -> str:
    """The sessions, decoded: signed and compressed, but not encrypted."""
    return repr([s.get_decoded() for s in Session.objects.all()])


@pytest.fixture
def session_writes():
    """Every session row as saved, decoded: what the session held at any point."""
    written = []

    def record(sender, instance, **kwargs):
        written.append(repr(instance.get_decoded()))

    post_save.connect(record, sender=Session, weak=False)
    yield written
    post_save.disconnect(record, sender=Session)


def assert_nowhere(secret, *texts):
    random_part = secret[len(credentials.PREFIX) :]
    for text in texts:
        assert secret not in text
        assert random_part not in text
        assert base64.b64encode(secret.encode()).decode() not in text


@pytest.fixture
def all_logs(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.db.backends", "django.request", "django.server"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def test_no_secret_in_database_or_logs(client, member, project, all_logs, session_writes):
    existing, existing_secret = services.access_key_create(project=project, display_name="root")
    api = Client()
    with CaptureQueriesContext(connection) as queries:  # also logs every SQL statement
        # Through the API.
        response = api.post(
            f"/api/v1/projects/{project.public_id}/accessKeys",
            json.dumps({"displayName": "from the API"}),
            content_type="application/json",
            headers={"Authorization": basic(existing.key_id, existing_secret)},
        )
        api_secret = response.json()["secret"]
        # A token, then a call with it.
        token = api.post(
            "/oauth2/token",
            {"grant_type": "client_credentials"},
            headers={"Authorization": basic(existing.key_id, existing_secret)},
        ).json()["access_token"]
        # Through the dashboard.
        client.force_login(member)
        form_url = f"/projects/{project.public_id}/keys/new/"
        form = client.get(form_url).content.decode()
        form_token = form.split('name="token" value="')[1].split('"')[0]
        page = client.post(form_url, {"display_name": "dashboard", "token": form_token})
        dashboard_secret = page.content.decode().split("data-key-secret>")[1].split("<")[0]
        sessions_right_after = session_text()
        client.get(f"/projects/{project.public_id}/")  # and the page after it
        # Through the command.
        out = StringIO()
        call_command("create_access_key", project.public_id, "command", stdout=out)
        command_secret = out.getvalue().split("Key Secret:")[1].strip()

    secrets = [existing_secret, api_secret, dashboard_secret, command_secret]
    assert all(credentials.is_well_formed(s) for s in secrets)
    sql = repr(queries.captured_queries)
    logs = all_logs.text + repr([r.__dict__ for r in all_logs.records])
    assert "SELECT" in logs  # SQL was logged, so the search below means something
    assert session_writes  # sessions were saved, so the search below means something
    for secret in secrets:
        assert_nowhere(secret, database_text(), session_text(), sql, logs)
        assert_nowhere(secret, sessions_right_after, *session_writes)
    assert token not in database_text()


def test_no_secret_in_401_404_or_500_answers_and_reports(client, project, all_logs, monkeypatch):
    key, secret = services.access_key_create(project=project, display_name="root")
    header = {"Authorization": basic("00000000-0000-4000-8000-000000000000", secret)}
    answers = [
        client.get(f"/api/v1/projects/{project.public_id}/accessKeys", headers=header),
        client.get("/api/v1/no-such-thing", headers=header),
        client.post(
            "/oauth2/token",
            {"grant_type": "client_credentials", "client_id": "x", "client_secret": secret},
        ),
    ]
    assert [a.status_code for a in answers] == [401, 404, 401]

    # A server error while the secret is being checked: the 500 page, the log record
    # and the error report (what a debug page or an admin email shows) stay clean.
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(credentials, "match", explode)
    raising = Client(raise_request_exception=False)
    response = raising.get(
        f"/api/v1/projects/{project.public_id}/accessKeys",
        headers={"Authorization": basic(key.key_id, secret)},
    )
    assert response.status_code == 500
    report = ExceptionReporter(response.wsgi_request, *response.exc_info)
    texts = [report.get_traceback_text(), report.get_traceback_html()]
    assert "boom" in texts[0] and "_key_for_well_formed" in texts[0]
    for answer in [*answers, response]:
        texts.append(answer.content.decode())
    assert_nowhere(secret, *texts, all_logs.text, repr([r.__dict__ for r in all_logs.records]))
