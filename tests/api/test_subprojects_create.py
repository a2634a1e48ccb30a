"""POST /api/v1/projects/{parentProjectId}/subprojects"""

import pytest

from projects.models import Project
from tests.factories import ProjectFactory
from tests.support.api_client import call, error_of, key_header


@pytest.fixture
def parent_auth(project):
    return key_header(project)


def url(parent):
    return f"/api/v1/projects/{parent.public_id}/subprojects"


def test_creates_a_subproject(client, project, parent_auth):
    response = call(
        client,
        "post",
        url(project),
        parent_auth,
        {"displayName": "  Taco Time ", "labels": {"region": "US-Northwest"}},
    )
    assert response.status_code == 200
    body = response.json()
    created = Project.objects.get(public_id=body["subprojectId"])
    assert created.parent == project and created.account_id == project.account_id
    assert body == {
        "subprojectId": created.public_id,
        "parentProjectId": project.public_id,
        "displayName": "Taco Time",
        "labels": {"region": "US-Northwest"},
        "createTime": body["createTime"],
        "updateTime": body["updateTime"],
        "deleted": False,
        "state": "ACTIVE",
        "suspendReason": "",
    }
    assert body["createTime"].endswith("Z") and "T" in body["createTime"]


def test_read_only_fields_in_the_body_are_ignored(client, project, parent_auth):
    other = ProjectFactory()
    response = call(
        client,
        "post",
        url(project),
        parent_auth,
        {
            "displayName": "Taco Time",
            "parentProjectId": other.public_id,
            "subprojectId": "X",
            "deleted": True,
            "createTime": 5,
            "updateTime": None,
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["parentProjectId"] == project.public_id and body["deleted"] is False
    assert body["subprojectId"] != "X"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "displayName"),
        ({"displayName": None}, "displayName"),
        ({"displayName": 7}, "displayName"),
        ({"displayName": "   "}, "displayName"),
        ({"displayName": "x" * 256}, "displayName"),
        ({"displayName": "evil\u202ename"}, "displayName"),
        ({"displayName": "ok", "labels": []}, "labels"),
        ({"displayName": "ok", "labels": {"a": 1}}, "labels.a"),
        ({"displayName": "ok", "labels": {"": "v"}}, "labels"),
        ({"displayName": "ok", "labels": {"k": "v" * 256}}, "labels"),
        ({"displayName": "ok", "labels": {f"k{i}": "v" for i in range(256)}}, "labels"),
        ({"displayName": "ok", "colour": "red"}, "colour"),
    ],
)
def test_bad_bodies_are_invalid_argument_naming_the_field(
    client, project, parent_auth, body, field
):
    response = call(client, "post", url(project), parent_auth, body)
    code, status, message = error_of(response)
    assert (code, status) == (400, "INVALID_ARGUMENT")
    assert message.startswith(f"{field}:"), message
    assert not Project.objects.filter(parent=project).exists()


@pytest.mark.parametrize("raw", ["{", "[]", '"text"', "", "null", b"\xff\xfe"])
def test_bodies_that_are_not_a_json_object_are_refused(client, project, parent_auth, raw):
    response = call(client, "post", url(project), parent_auth, raw=raw)
    assert error_of(response)[:2] == (400, "INVALID_ARGUMENT")


def test_under_a_subproject_is_failed_precondition(client, project, subproject, parent_auth):
    response = call(client, "post", url(subproject), parent_auth, {"displayName": "Nested"})
    code, status, message = error_of(response)
    assert (code, status) == (400, "FAILED_PRECONDITION")
    assert "cannot have subprojects" in message


def test_unknown_and_out_of_scope_parents_get_the_same_answer(client, project, parent_auth):
    other = ProjectFactory()
    answers = [
        error_of(
            call(
                client,
                "post",
                f"/api/v1/projects/{pid}/subprojects",
                parent_auth,
                {"displayName": "x"},
            )
        )
        for pid in (other.public_id, "01ARZ3NDEKTSV4RRFFQ69G5FAV", "nonsense")
    ]
    assert answers[0][:2] == (400, "FAILED_PRECONDITION")
    assert answers[0] == answers[1] == answers[2]
    assert not Project.objects.filter(parent=other).exists()


def test_a_subproject_key_cannot_create(client, project, subproject):
    auth = key_header(subproject)
    for parent in (project, subproject):
        code, status, message = error_of(
            call(client, "post", url(parent), auth, {"displayName": "Sneaky"})
        )
        assert (code, status) == (400, "FAILED_PRECONDITION")
        assert "parent project's key" in message
    assert Project.objects.filter(parent=project).count() == 1


def test_without_credentials_is_401(client, project):
    response = client.post(url(project), {"displayName": "x"}, content_type="application/json")
    assert error_of(response)[:2] == (401, "UNAUTHENTICATED")


def test_deeply_nested_json_is_invalid_argument_not_500(client, project, parent_auth):
    response = call(client, "post", url(project), parent_auth, raw="[" * 100_000)
    assert error_of(response)[:2] == (400, "INVALID_ARGUMENT")


def test_a_body_over_the_upload_limit_is_invalid_argument(client, project, parent_auth, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"displayName": "x", "labels": {"k": "v" * 2000}}
    response = call(client, "post", url(project), parent_auth, body)
    assert error_of(response)[:2] == (400, "INVALID_ARGUMENT")


@pytest.mark.parametrize(
    "raw",
    ['{"displayName": "ok", "labels": {"\\ud800": "x"}}', '{"displayName": "\\udfff"}'],
)
def test_lone_surrogates_are_refused_and_nothing_is_saved(client, project, parent_auth, raw):
    response = call(client, "post", url(project), parent_auth, raw=raw)
    assert error_of(response)[:2] == (400, "INVALID_ARGUMENT")
    assert not Project.objects.filter(parent=project).exists()
    listing = call(client, "get", url(project), parent_auth)
    assert listing.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        b'{"displayName": "\\ud800"}',
        # json.loads takes UTF-16 and UTF-32 too: their escapes are not UTF-8 bytes.
        '{"displayName": "\\ud800"}'.encode("utf-16"),
        '{"displayName": "\\udfff"}'.encode("utf-32"),
        # The surrogate's own bytes, which json.loads decodes ("surrogatepass").
        b'{"displayName": "\xed\xa0\x80"}',
    ],
)
def test_read_json_refuses_a_lone_surrogate_however_it_is_sent(rf, body):
    from core.api.bodies import read_json
    from core.api.errors import ApiError

    request = rf.post("/", data=body, content_type="application/json")
    with pytest.raises(ApiError) as refused:
        read_json(request)
    assert refused.value.code == 400 and "lone surrogate" in refused.value.message


def test_an_escaped_backslash_before_u_d800_is_plain_text(client, project, parent_auth):
    response = call(client, "post", url(project), parent_auth, raw='{"displayName": "a\\\\ud800"}')
    assert response.status_code == 200, response.content
    assert Project.objects.get(parent=project).name == "a\\ud800"
