"""What the server itself answers, before Django runs, is JSON in the API's error shape
too (gunicorn.conf.py): a request line over 4094 bytes (414), too many or too long
header fields (431), a request that is not HTTP (400). And what Django refuses before
the API's code runs (a foreign Host header) is JSON under /api/ and /oauth2/."""

import socket

import pytest
import requests

pytestmark = pytest.mark.servers


@pytest.fixture
def server(start_server):
    return start_server(workers=1)


def raw(server, request: bytes) -> tuple[int, dict, bytes]:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


def assert_api_error(status, headers, body, code, word):
    import json

    assert status == code
    assert headers["Content-Type"] == "application/json"
    error = json.loads(body)["error"]
    assert error["code"] == code and error["status"] == word and error["details"] == []
    assert error["message"]


def test_a_request_line_too_long_is_a_json_414(server):
    path = "/api/v1/projects/" + "a" * 5000
    answer = raw(server, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    assert_api_error(*answer, 414, "INVALID_ARGUMENT")


def test_too_many_header_fields_is_a_json_431(server):
    fields = "".join(f"X-Field-{i}: 1\r\n" for i in range(150))
    answer = raw(server, f"GET /api/v1/x HTTP/1.1\r\nHost: 127.0.0.1\r\n{fields}\r\n".encode())
    assert_api_error(*answer, 431, "INVALID_ARGUMENT")


def test_a_header_field_too_long_is_a_json_431(server):
    request = f"GET /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {'b' * 9000}\r\n\r\n"
    assert_api_error(*raw(server, request.encode()), 431, "INVALID_ARGUMENT")


def test_a_request_that_is_not_http_is_a_json_400(server):
    assert_api_error(*raw(server, b"HELLO\x01 there\r\n\r\n"), 400, "INVALID_ARGUMENT")


@pytest.mark.parametrize("path", ["/api/v1/projects/x/subprojects", "/api/openapi.json"])
def test_a_foreign_host_is_a_json_400_under_api(server, path):
    response = requests.get(server.url(path), headers={"Host": "evil.example"}, timeout=30)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT" and "host name" in error["message"]
    assert response.headers["X-Request-ID"]


def test_a_foreign_host_is_an_oauth_json_400_under_oauth2(server):
    response = requests.post(
        server.url("/oauth2/token"), headers={"Host": "evil.example"}, timeout=30
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_the_dashboard_keeps_its_html_error_page(server):
    response = requests.get(server.url("/projects/"), headers={"Host": "evil.example"}, timeout=30)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/html")
    assert "host name" in response.text and response.headers["X-Request-ID"] in response.text
    assert server.server_errors() == []
