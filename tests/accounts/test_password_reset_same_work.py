"""A password reset request does the same work for an address with a user and one
without (one row in the task queue; no lookup of the user, no email in the request), so
it answers in the same time and says the same; the worker then sends the link to the
user, and nothing for the unknown address."""

import re

from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from tests.support.tasks import run_worker


def ask(email, address):
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/accounts/password/reset/", {"email": email}, REMOTE_ADDR=address)
    # The statements, without their values (the email, times, the task's ID).
    shapes = [re.sub(r"'[^']*'|\d+", "?", q["sql"]) for q in queries.captured_queries]
    return response, shapes


def test_known_and_unknown_addresses_cost_the_same(db, database_queue):
    UserFactory(email="ann@example.com")
    known, known_work = ask("ann@example.com", "10.0.0.1")
    unknown, unknown_work = ask("nobody@example.com", "10.0.0.2")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known_work == unknown_work
    assert not any("accounts_user" in sql for sql in known_work)
    assert mail.outbox == []  # nothing sent in the request

    run_worker()
    run_worker()  # the reset task queues the email's own task (with its retries)
    assert [message.to for message in mail.outbox] == [["ann@example.com"]]
    assert "/accounts/password/new/" in mail.outbox[0].body
