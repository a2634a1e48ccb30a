"""core.lists beyond the pages that use it: bounded counts, headers, page links."""

import pytest
from django.db.models.functions import Lower
from django.test import RequestFactory

from core.lists import Column, Sorts, keyset_list
from projects.models import Project
from tests.factories import bulk_subprojects

SORTS = Sorts(
    (
        Column("name", "Name", ("sort_name", "public_id"), "A to Z", "Z to A"),
        Column("created", "Created", ("created_at", "public_id"), descending_first=True),
    ),
    default="-created",
)


def page(query="", **options):
    request = RequestFactory().get("/list/" + query)
    rows = Project.objects.filter(parent__isnull=False).annotate(sort_name=Lower("name"))
    options.setdefault("total", rows)
    return keyset_list(request, rows, sorts=SORTS, context="test", **options)


@pytest.mark.django_db
def test_a_count_past_its_limit_says_more_than(project):
    bulk_subprojects(project, 12)
    listed = page(count_limit=10, noun=("thing", "things"), per_page=5)
    assert (listed.total, listed.total_is_bound) == (10, True)
    assert listed.count_text == "more than 10 things"
    assert listed.range_text == "1\u20135"
    last = keyset_list(
        RequestFactory().get("/list/?cursor=last"),
        Project.objects.filter(parent__isnull=False).annotate(sort_name=Lower("name")),
        sorts=SORTS,
        context="test",
        total=Project.objects.filter(parent__isnull=False),
        count_limit=10,
        per_page=5,
    )
    assert len(last.rows) == 5 and last.range_text == ""  # its place is not known


@pytest.mark.django_db
def test_counts_in_the_singular_and_plural(project):
    assert page(total=1, noun=("thing", "things")).count_text == "1 thing"
    assert page(total=10_000, noun=("thing", "things")).count_text == "10,000 things"
    assert page(total=None).count_text == ""


@pytest.mark.django_db
def test_headers_link_to_the_other_direction_and_say_so(project):
    listed = page("?sort=name&q=x")
    name, created = listed.headers["name"], listed.headers["created"]
    assert (name.aria_sort, name.url, name.action) == (
        "ascending",
        "?sort=-name&q=x",
        "sort Z to A",
    )
    # Not the sort: its first direction (newest first, here the default: no sort= at all).
    assert (created.aria_sort, created.url) == ("", "?q=x")
    assert page().headers["created"].aria_sort == "descending"


@pytest.mark.django_db
def test_no_page_links_on_a_single_page(project):
    bulk_subprojects(project, 3)
    listed = page()
    assert not listed.has_other_pages and listed.range_text == ""
    assert not listed.has_previous and not listed.has_next


@pytest.mark.django_db
def test_the_second_page_in_the_default_sort_links_back_to_the_list_itself(project):
    bulk_subprojects(project, 8)
    second = page(page(per_page=5).next_url, per_page=5)
    assert second.has_previous and not second.has_next
    assert second.previous_url == second.first_url == ""  # the list's own URL
    assert second.range_text == "6\u20138"


@pytest.mark.django_db
def test_a_cursor_from_another_list_is_refused(project):
    bulk_subprojects(project, 8)
    next_url = page(per_page=3).next_url
    request = RequestFactory().get("/list/" + next_url)
    rows = Project.objects.filter(parent__isnull=False).annotate(sort_name=Lower("name"))
    other = keyset_list(request, rows, sorts=SORTS, context="another", per_page=3)
    assert other.error.startswith("This page link is no longer valid")
    assert len(other.rows) == 3 and other.previous_url == ""  # the first page


@pytest.mark.django_db
def test_a_list_in_one_order_has_no_sorts_and_no_total(project):
    bulk_subprojects(project, 7)
    rows = Project.objects.filter(parent__isnull=False)
    order = ("-created_at", "-public_id")
    newest = [p.public_id for p in rows.order_by(*order)]

    def listed(query=""):
        request = RequestFactory().get("/list/" + query)
        return keyset_list(request, rows, order=order, context="fixed", per_page=3)

    first = listed("?sort=created")  # no sort to choose: ?sort= is not read
    assert [p.public_id for p in first.rows] == newest[:3]
    assert first.headers == {} and first.sort_choices == [] and first.count_text == ""
    second = listed(first.next_url)
    assert [p.public_id for p in second.rows] == newest[3:6] and second.range_text == "4\u20136"
    assert [p.public_id for p in listed("?cursor=last").rows] == newest[4:]


def test_a_list_of_rows_is_cut_by_position_in_python():
    rows = [{"key": f"k{i}", "value": i % 3} for i in range(8)]  # in the order to show

    def listed(query="", rows=rows):
        request = RequestFactory().get("/list/" + query)
        return keyset_list(
            request, rows, order=("key",), context="rows", total=len(rows), per_page=3
        )

    first = listed()
    second = listed(first.next_url)
    assert second.rows == rows[3:6] and second.range_text == "4\u20136"
    assert second.count_text == "8 rows"
    assert listed(second.next_url).rows == rows[6:]
    assert listed(second.previous_url).rows == rows[:3]
    assert listed("?cursor=last").rows == rows[5:]
    # The row a link continues after is gone (the list is computed for each page).
    gone = listed(second.next_url, rows=rows[:4] + rows[6:])
    assert gone.error.startswith("This page link is no longer valid") and gone.rows == rows[:3]
