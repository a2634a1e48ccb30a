"""Download CSV of the Subprojects page: /projects/{id}/subprojects.csv, the filtered
list in its sort, streamed."""

import json

from projects import services
from tests.factories import ProjectFactory, bulk_subprojects
from tests.support.pages import csv_rows as rows


def url(project, query=""):
    return f"/projects/{project.public_id}/subprojects.csv{query}"


def test_exports_the_list_newest_first(client_for, viewer, project, subproject):
    newer = ProjectFactory(parent=project, name="Newer", labels={"tier": "gold"})
    ProjectFactory(parent=project, name="Gone", removed=True)
    services.project_suspend(project=subproject, reason="Unpaid")
    response = client_for(viewer).get(url(project))  # reading: viewers too
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="subprojects-{project.public_id}-'
    )
    exported = rows(response)
    assert [r["name"] for r in exported] == ["Newer", "Taco Time"]
    assert exported[0]["project_id"] == newer.public_id
    assert json.loads(exported[0]["labels"]) == {"tier": "gold"}
    assert exported[0]["created"].endswith("Z") and exported[0]["state"] == "active"
    assert (exported[1]["state"], exported[1]["suspend_reason"]) == ("suspended", "Unpaid")


def test_filter_and_sort_as_on_the_page(client_for, member, project):
    for name in ("beta shop", "Alpha shop", "Gamma cafe"):
        ProjectFactory(parent=project, name=name)
    exported = rows(client_for(member).get(url(project, "?q=shop&sort=name")))
    assert [r["name"] for r in exported] == ["Alpha shop", "beta shop"]
    exported = rows(client_for(member).get(url(project, "?sort=-name")))
    assert [r["name"] for r in exported] == ["Gamma cafe", "beta shop", "Alpha shop"]


def test_cells_that_look_like_formulas_are_made_text(client_for, member, project):
    ProjectFactory(parent=project, name='=HYPERLINK("http://evil","x")')
    ProjectFactory(parent=project, name="@SUM(A1)")
    names = {r["name"] for r in rows(client_for(member).get(url(project)))}
    assert names == {'\'=HYPERLINK("http://evil","x")', "'@SUM(A1)"}


def test_outsider_gets_404_and_a_subproject_has_no_list(client_for, outsider, member, subproject):
    assert client_for(outsider).get(url(subproject.parent)).status_code == 404
    assert client_for(member).get(url(subproject)).status_code == 404


def test_10000_rows_in_a_fixed_number_of_queries(
    client_for, member, project, django_assert_num_queries
):
    bulk_subprojects(project, 10_000)
    client = client_for(member)
    # session, user, project, the rows (one query, read in chunks as they are sent)
    with django_assert_num_queries(4):
        exported = rows(client.get(url(project, "?sort=name")))
    assert len(exported) == 10_000
    assert exported[0]["name"] == "Customer 0" and exported[1]["name"] == "Customer 1"
