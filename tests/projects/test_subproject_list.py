import pytest
from django.db.models.functions import Lower
from django.utils.html import escape

from tests.factories import NASTY_NAME, ProjectFactory, bulk_subprojects
from tests.support.pages import ids_in_order, link, main


def url(project):
    return f"/projects/{project.public_id}/subprojects/"


def test_lists_subprojects_newest_first_with_id_and_date(client_for, member, project, subproject):
    newer = ProjectFactory(parent=project, name="Newer customer")
    ProjectFactory(parent=project, name="Gone", removed=True)
    response = client_for(member).get(url(project))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Subprojects</h1>" in body
    assert body.index("Newer customer") < body.index("Taco Time")
    assert newer.public_id in body and subproject.public_id in body
    assert subproject.created_at.strftime("%-d %b %Y, %H:%M") in body
    assert "Gone" not in body
    assert "CREATE SUBPROJECT" in body


def test_dates_are_in_the_users_time_zone(client_for, member, project):
    from datetime import UTC, datetime

    from projects.models import Project

    sub = ProjectFactory(parent=project, name="Late")
    Project.objects.filter(pk=sub.pk).update(created_at=datetime(2026, 1, 1, 23, 30, tzinfo=UTC))
    member.time_zone = "Asia/Tokyo"
    member.save()
    body = client_for(member).get(url(project)).content.decode()
    assert "2 Jan 2026, 08:30" in body  # date and time: "newest first" shows


def test_empty_state_explains_subprojects(client_for, member, project):
    body = client_for(member).get(url(project)).content.decode()
    assert "No subprojects yet" in body
    assert "one of your own customers" in body


def test_filter_by_name_or_id(client_for, member, project, subproject):
    other = ProjectFactory(parent=project, name="Other customer")
    client = client_for(member)
    body = client.get(url(project) + "?q=taco").content.decode()
    assert "Taco Time" in body and "Other customer" not in body
    body = client.get(url(project) + f"?q={other.public_id}").content.decode()
    assert "Other customer" in body and "Taco Time" not in body
    assert "No subproject matches" in client.get(url(project) + "?q=zzz").content.decode()


def test_outsider_gets_404(client_for, outsider, project):
    assert client_for(outsider).get(url(project)).status_code == 404


def test_unknown_or_malformed_id_gets_404(client_for, admin_user):
    client = client_for(admin_user)
    assert client.get("/projects/01ARZ3NDEKTSV4RRFFQ69G5FAV/subprojects/").status_code == 404
    assert client.get("/projects/nope/subprojects/").status_code == 404


def test_viewer_sees_no_create_button(client_for, viewer, project, subproject):
    body = client_for(viewer).get(url(project)).content.decode()
    assert "Taco Time" in body
    assert "CREATE SUBPROJECT" not in body
    assert "<dialog" not in body


def test_a_subprojects_page_has_no_list_and_says_why(client_for, member, subproject):
    body = client_for(member).get(url(subproject)).content.decode()
    assert "is itself a subproject" in body
    assert "CREATE SUBPROJECT" not in body


def test_visiting_makes_it_the_current_project(client_for, member, project):
    client_for(member).get(url(project))
    member.refresh_from_db()
    assert member.current_project_id == project.pk


def test_names_are_escaped(client_for, member, project):
    ProjectFactory(parent=project, name=NASTY_NAME)
    body = client_for(member).get(url(project)).content.decode()
    assert "<script>alert" not in body
    assert escape(NASTY_NAME) in body


def test_total_comes_from_the_parents_count(client_for, member, project, subproject):
    ProjectFactory(parent=project, name="Gone", removed=True)
    body = client_for(member).get(url(project)).content.decode()
    assert "<strong>1 subproject</strong>" in body


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["c-new", "B-mid", "a-old"]),  # newest first
        ("?sort=-created", ["c-new", "B-mid", "a-old"]),
        ("?sort=created", ["a-old", "B-mid", "c-new"]),
        ("?sort=name", ["a-old", "B-mid", "c-new"]),  # whatever the letter case
        ("?sort=-name", ["c-new", "B-mid", "a-old"]),
    ],
)
def test_sorted_by_name_or_creation_both_ways(client_for, member, project, sort, expected):
    for name in ("a-old", "B-mid", "c-new"):
        ProjectFactory(parent=project, name=name)
    body = main(client_for(member).get(url(project) + sort).content.decode())
    assert sorted(expected, key=body.index) == expected


def test_the_sort_stays_in_the_links(client_for, member, project):
    bulk_subprojects(project, 60)
    body = client_for(member).get(url(project) + "?sort=name&q=Customer").content.decode()
    assert "sort=name" in link(body, "Next") and "q=Customer" in link(body, "Next")
    assert f'href="/projects/{project.public_id}/subprojects.csv?sort=name&amp;q=Customer"' in body
    # The Name header now offers the other direction; Created its usual first one.
    assert 'aria-sort="ascending"><a class="sort-link" href="/projects/' in body
    assert "?q=Customer&amp;sort=-name" in body or "?sort=-name&amp;q=Customer" in body


def test_an_unknown_sort_or_a_bad_page_link_is_refused_with_a_message(
    client_for, member, project, subproject
):
    client = client_for(member)
    response = client.get(url(project) + "?sort=password")
    assert response.status_code == 400
    assert "cannot be sorted that way" in response.content.decode()
    response = client.get(url(project) + "?cursor=not-a-real-cursor")
    assert response.status_code == 400
    body = response.content.decode()
    assert "This page link is no longer valid" in body and "Taco Time" in main(body)


def test_a_page_link_belongs_to_its_sort_and_filter(client_for, member, project):
    bulk_subprojects(project, 60)
    client = client_for(member)
    next_by_name = link(client.get(url(project) + "?sort=name").content.decode(), "Next")
    swapped = next_by_name.replace("sort=name", "sort=-name")
    assert client.get(swapped).status_code == 400


def every_page(client, first_url, *, direction="Next"):
    """The public IDs of every page, following `direction` links from `first_url`."""
    from projects.models import Project

    known = list(Project.objects.filter(parent__isnull=False).values_list("public_id", flat=True))
    pages, address = [], first_url
    while address:
        body = client.get(address).content.decode()
        pages.append(ids_in_order(body, known))
        address = link(body, direction)
    return pages


@pytest.mark.parametrize("sort", ["name", "-name", "created", "-created"])
def test_pages_visit_each_subproject_once_in_order_both_ways(client_for, member, project, sort):
    from projects.models import Project

    bulk_subprojects(project, 120, name="Customer {i}")
    order = ("sort_name", "public_id") if "name" in sort else ("created_at", "public_id")
    order = tuple(f"-{f}" for f in order) if sort.startswith("-") else order
    expected = list(
        Project.objects.filter(parent=project)
        .annotate(sort_name=Lower("name"))
        .order_by(*order)
        .values_list("public_id", flat=True)
    )
    client = client_for(member)
    forward = every_page(client, url(project) + f"?sort={sort}")
    assert [len(page) for page in forward] == [50, 50, 20]
    assert [pid for page in forward for pid in page] == expected
    backward = every_page(client, url(project) + f"?sort={sort}&cursor=last", direction="Previous")
    assert [pid for page in reversed(backward) for pid in page] == expected


def test_10000_subprojects_fixed_queries(client_for, member, project, django_assert_num_queries):
    bulk_subprojects(project, 10_000)
    client = client_for(member)
    client.get(url(project))  # becomes the current project
    # session, user, project (with its count of subprojects), page of 50
    for sort in ("", "?sort=name", "?sort=-name", "?sort=created"):
        with django_assert_num_queries(4):
            body = client.get(url(project) + sort).content.decode()
        assert "<strong>10,000 subprojects</strong>" in body
        with django_assert_num_queries(4):
            body = client.get(link(body, "Next")).content.decode()
        assert body.count("<tr") == 51
        assert "51\u2013100 of 10,000 subprojects" in body
    with django_assert_num_queries(4):
        body = client.get(link(body, "Last")).content.decode()
    assert "9,951\u201310,000 of 10,000 subprojects" in body
    with django_assert_num_queries(4):
        body = client.get(link(body, "Previous")).content.decode()
    assert "9,901\u20139,950 of 10,000 subprojects" in body


def test_10000_subprojects_filtered_and_counted_fixed_queries(
    client_for, member, project, django_assert_num_queries
):
    bulk_subprojects(project, 10_000)
    client = client_for(member)
    client.get(url(project))
    # session, user, project, count of the matches, page of 50
    with django_assert_num_queries(5):
        body = client.get(url(project) + "?q=Customer%20999&sort=name").content.decode()
    assert "<strong>11 subprojects</strong> match" in body  # 999 and 9990-9999
    with django_assert_num_queries(5):
        body = client.get(url(project) + "?q=Customer").content.decode()
    assert "<strong>10,000 subprojects</strong> match" in body
    with django_assert_num_queries(5):
        body = client.get(link(body, "Next")).content.decode()
    assert body.count("<tr") == 51
