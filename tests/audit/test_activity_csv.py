"""The Activity page's CSV export: /projects/{id}/activity.csv, streamed."""

import json

from core.actors import Actor, Kind, Source
from projects import services
from tests.factories import bulk_subprojects
from tests.support.pages import csv_rows as rows


def url(project, query=""):
    return f"/projects/{project.public_id}/activity.csv{query}"


def test_exports_every_entry_newest_first(client_for, admin_user, project, subproject):
    actor = Actor(Kind.USER, str(admin_user.pk), Source.DASHBOARD, "198.51.100.4", admin_user)
    services.project_update(project=subproject, labels={"tier": "gold"}, actor=actor)
    services.subproject_remove(subproject=subproject, actor=actor)
    response = client_for(admin_user).get(url(project))
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="activity-{project.public_id}-'
    )
    exported = rows(response)
    assert [r["action"] for r in exported] == ["subproject.remove", "subproject.relabel"]
    relabel = exported[1]
    assert relabel["actor_type"] == "user" and relabel["actor"] == admin_user.email
    assert (relabel["source"], relabel["client_address"]) == ("dashboard", "198.51.100.4")
    assert relabel["project_id"] == relabel["target_id"] == subproject.public_id
    assert relabel["time"].endswith("Z")
    assert json.loads(relabel["changes"]) == {"labels": {"before": {}, "after": {"tier": "gold"}}}


def test_the_filters_apply(client_for, admin_user, project, subproject):
    services.project_update(project=subproject, name="Renamed")
    services.subproject_remove(subproject=subproject)
    exported = rows(client_for(admin_user).get(url(project, "?action=subproject.rename")))
    assert [r["action"] for r in exported] == ["subproject.rename"]
    bad = client_for(admin_user).get(url(project, "?since=never"))
    assert bad.status_code == 400 and "Enter a date" in bad.content.decode()


def test_cells_that_look_like_formulas_are_made_text(client_for, admin_user, project):
    services.project_update(project=project, name='=HYPERLINK("http://evil","x")')
    exported = rows(client_for(admin_user).get(url(project)))
    assert exported[0]["target_name"] == '\'=HYPERLINK("http://evil","x")'


def test_outsiders_get_404(client_for, outsider, project, subproject):
    assert client_for(outsider).get(url(project)).status_code == 404


def test_linked_from_the_page_with_the_filters(client_for, admin_user, project):
    body = client_for(admin_user).get(
        f"/projects/{project.public_id}/activity/?action=subproject.remove"
    )
    assert f'href="{url(project)}?action=subproject.remove"' in body.content.decode()


def test_streamed_in_a_fixed_number_of_queries(
    client_for, admin_user, project, django_assert_num_queries
):
    for sub in bulk_subprojects(project, 250):
        services.project_update(project=sub, labels={"n": "1"})
    client = client_for(admin_user)
    # session, user, the project, the entries (one query; fetched in chunks)
    with django_assert_num_queries(4):
        exported = rows(client.get(url(project)))
    assert len(exported) == 250
