"""One JSON line per request, with a request ID returned in a header and shown on
error pages."""

import json
import logging

import pytest
from django.test import Client

from core.request_log import JsonFormatter
from tests.support.api_client import call, key_header

ID = "X-Request-ID"


@pytest.fixture
def lines(caplog):
    """The request lines logged so far, as the JSON the formatter writes."""
    caplog.set_level(logging.INFO, logger="console.request")

    def read():
        formatter = JsonFormatter()
        return [
            json.loads(formatter.format(record))
            for record in caplog.records
            if record.name == "console.request"
        ]

    return read


def test_one_line_per_request_without_the_query_string(client_for, member, project, lines):
    response = client_for(member).get("/projects/?q=secret-search&page=1")
    (line,) = lines()
    assert line["method"] == "GET" and line["path"] == "/projects/"
    assert "secret-search" not in json.dumps(line)
    assert line["status"] == 200 and line["user"] == member.pk
    assert line["request_id"] == response[ID] and len(response[ID]) == 32
    assert isinstance(line["duration_ms"], float) and line["client"] == "127.0.0.1"
    assert line["level"] == "INFO" and line["logger"] == "console.request"


def test_an_api_line_names_the_key(client, project, lines):
    auth = key_header(project)
    call(client, "get", f"/api/v1/projects/{project.public_id}/subprojects", auth)
    (line,) = lines()
    assert line["key"] == project.access_keys.get().key_id and "user" not in line
    assert "Authorization" not in json.dumps(line) and "csk_" not in json.dumps(line)


def test_each_request_gets_its_own_id(client, db):
    assert client.get("/healthz")[ID] != client.get("/healthz")[ID]


def test_a_trusted_proxys_request_id_is_kept(client, db, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    response = client.get("/healthz", headers={ID: "edge-1234"}, REMOTE_ADDR="10.0.0.2")
    assert response[ID] == "edge-1234"


def test_anyone_elses_request_id_is_replaced(client, db, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    response = client.get("/healthz", headers={ID: "forged"}, REMOTE_ADDR="203.0.113.9")
    assert response[ID] != "forged"


def test_a_malformed_request_id_is_replaced_even_from_a_proxy(client, db, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    response = client.get("/healthz", headers={ID: 'x" injected'}, REMOTE_ADDR="10.0.0.2")
    assert response[ID] != 'x" injected' and len(response[ID]) == 32


def test_other_records_of_the_request_carry_its_id(client, caplog, db):
    caplog.set_level(logging.WARNING, logger="django.request")
    response = client.get("/no-such-page/")
    warning = next(r for r in caplog.records if r.name == "django.request")
    formatted = json.loads(JsonFormatter().format(warning))
    assert formatted["request_id"] == response[ID]


def test_the_404_page_shows_the_request_id(client_for, member):
    response = client_for(member).get("/projects/01ARZ3NDEKTSV4RRFFQ69G5FAV/")
    assert response.status_code == 404
    assert f"Request ID: <code>{response[ID]}</code>" in response.content.decode()


def test_the_403_page_shows_the_request_id(client_for, viewer, project):
    response = client_for(viewer).get(f"/projects/{project.public_id}/subprojects/new/")
    assert response.status_code == 403
    assert response[ID] in response.content.decode()


def test_the_500_page_shows_the_request_id(client_for, member, project, monkeypatch):
    from projects.views import subprojects

    def boom(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(subprojects, "render", boom)
    client = client_for(member)
    client.raise_request_exception = False
    response = client.get(f"/projects/{project.public_id}/subprojects/new/")
    body = response.content.decode()
    assert response.status_code == 500 and "Something went wrong" in body
    assert f"Request ID: <code>{response[ID]}</code>" in body


def test_plain_format_for_a_terminal(monkeypatch):
    import importlib

    import dashboard.settings

    monkeypatch.setenv("LOG_FORMAT", "plain")
    assert importlib.reload(dashboard.settings).LOGGING["handlers"]["console"]["formatter"] == (
        "plain"
    )
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(Exception, match="LOG_FORMAT"):
        importlib.reload(dashboard.settings)
    monkeypatch.delenv("LOG_FORMAT")
    importlib.reload(dashboard.settings)


def test_no_client_needed_to_log(db):
    """Django's own 404 for an unknown path goes through the same line."""
    response = Client().get("/nothing-here")
    assert response.status_code == 404 and response[ID]
