from django.utils.html import escape

from accounts.models import Role
from tests.factories import (
    NASTY_NAME,
    GrantFactory,
    MembershipFactory,
    ProjectFactory,
    bulk_subprojects,
)


def url(project):
    return f"/projects/{project.public_id}/"


def test_subproject_details_panel(client_for, member, project, subproject):
    response = client_for(member).get(url(subproject))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<bdi>Acme Production</bdi> &gt; <bdi>Taco Time</bdi>" in body
    assert '<h2 id="overview-title">Overview</h2>' in body
    assert f'data-copy="{subproject.public_id}"' in body
    assert "General settings" in body
    assert f'action="/projects/{subproject.public_id}/rename/"' in body
    assert f'action="/projects/{subproject.public_id}/labels/"' in body
    assert '<h2 id="access-keys-title">Access keys</h2>' in body
    assert f'href="/projects/{subproject.public_id}/remove/"' in body


def test_a_subproject_page_in_sections_danger_zone_last(client_for, admin_user, subproject):
    """Overview, access keys near the top, usage, billing, people with access, settings,
    and the danger zone last; the in-page navigation links each, in that order."""
    body = client_for(admin_user).get(url(subproject)).content.decode()
    order = ["overview", "access-keys", "usage", "billing", "people", "settings", "danger-zone"]
    places = [body.index(f'id="{anchor}"') for anchor in order]
    assert places == sorted(places)
    nav = body[body.index('aria-label="On this page"') :]
    nav = nav[: nav.index("</nav>")]
    assert [a for a in order if f'href="#{a}"' in nav] == order
    links = [nav.index(f'href="#{a}"') for a in order]
    assert links == sorted(links)
    # Suspend and remove are in the last section, after everything else.
    assert body.index('id="suspension"') > places[-1]
    assert body.index(f'href="/projects/{subproject.public_id}/remove/"') > places[-1]


def test_the_people_with_access_and_pending_invitations(
    client_for, admin_user, account, subproject
):
    from team import services as team_services

    membership = MembershipFactory(account=account, role=Role.VIEWER)
    GrantFactory(membership=membership, project=subproject)
    team_services.invitation_create(
        account=account, email="next@tacotime.example", role=Role.VIEWER, projects=[subproject]
    )
    body = client_for(admin_user).get(url(subproject)).content.decode()
    people = body[body.index('id="people"') : body.index('id="settings"')]
    assert membership.user.email in people and "Has access" in people
    assert "next@tacotime.example" in people and "Invited, until" in people
    assert "Send invitation" in people


def test_people_with_access_is_for_admins(client_for, member, subproject):
    body = client_for(member).get(url(subproject)).content.decode()
    assert 'id="people"' not in body


def test_subproject_details_lead_back_to_the_parent(client_for, member, project, subproject):
    body = client_for(member).get(url(subproject)).content.decode()
    subprojects_page = f'href="/projects/{project.public_id}/subprojects/"'
    assert f"<bdi>Acme Production</bdi></a> \u203a <a {subprojects_page}>Subprojects</a>" in body
    billing = f'href="/projects/{project.public_id}/billing/" data-billed-through'
    assert f"billed through <a {billing}><bdi>Acme Production" in body
    assert f'href="/projects/{subproject.public_id}/spend-limit/"' in body


def test_no_link_to_a_parent_the_user_cannot_open(client_for, account, project, subproject):
    membership = MembershipFactory(account=account, role=Role.MEMBER)
    GrantFactory(membership=membership, project=subproject)  # this subproject only
    client = client_for(membership.user)
    body = client.get(url(subproject)).content.decode()
    # The parent's name only in the `{Parent} > {Sub}` title (issue 15): billing goes
    # through the parent (issue 10), said without naming or linking it.
    assert "billed through its parent project" in body
    titles = body.count(f"{project.name} &gt;") + body.count(f"{project.name}</bdi> &gt;")
    assert body.count(project.name) == titles
    assert f"/projects/{project.public_id}/" not in body
    assert "billing" not in body.lower() and "spend-limit" not in body  # no prices, no link
    assert client.get(url(project)).status_code == 404


def test_top_level_project_details(client_for, member, project):
    body = client_for(member).get(url(project)).content.decode()
    assert '<h1 class="details-title"><bdi>Acme Production</bdi></h1>' in body
    assert f'href="/projects/{project.public_id}/subprojects/"' in body
    assert "/remove/" not in body  # only subprojects can be removed


def test_labels_are_shown_one_per_line(client_for, member, project):
    sub = ProjectFactory(parent=project, labels={"tier": "gold", "region": "US"})
    body = client_for(member).get(url(sub)).content.decode()
    assert "region=US\ntier=gold" in body  # sorted, the same on every database


def test_outsider_gets_404(client_for, outsider, subproject):
    assert client_for(outsider).get(url(subproject)).status_code == 404


def test_removed_subproject_gets_404(client_for, member, project):
    gone = ProjectFactory(parent=project, removed=True)
    assert client_for(member).get(url(gone)).status_code == 404


def test_viewer_sees_settings_read_only(client_for, viewer, project):
    sub = ProjectFactory(parent=project, name="Taco Time", labels={"region": "US"})
    body = client_for(viewer).get(url(sub)).content.decode()
    assert "Taco Time" in body and "region" in body
    assert "/rename/" not in body and "/labels/" not in body and "/remove/" not in body
    assert "Your role lets you view this project but not change it." in body


def test_names_and_labels_are_escaped(client_for, member, project):
    sub = ProjectFactory(parent=project, name=NASTY_NAME, labels={"<b>k</b>": NASTY_NAME})
    body = client_for(member).get(url(sub)).content.decode()
    assert "<script>alert" not in body and "<b>k</b>" not in body
    assert escape(NASTY_NAME) in body


def test_fixed_queries_whatever_the_number_of_subprojects(
    client_for, member, project, django_assert_num_queries
):
    bulk_subprojects(project, 2000)
    client = client_for(member)
    client.get(url(project))
    # session, user, project (with parent and role), access keys (the Projects menu's
    # rows are read when it opens; its button names this project, already read)
    with django_assert_num_queries(4):
        assert client.get(url(project)).status_code == 200


def test_one_title_in_text_and_in_html(account):
    """Project.title (text) and {% project_title %} (HTML) name a project the same way,
    every name escaped and isolated."""
    from django.template import Context, Template

    parent = ProjectFactory(account=account, name=NASTY_NAME)
    child = ProjectFactory(parent=parent, name="Taco <b>Time</b>")
    template = Template("{% load project_rows %}{% project_title p %}")
    assert child.title == f"{NASTY_NAME} > Taco <b>Time</b>"
    assert template.render(Context({"p": child})) == (
        f"<bdi>{escape(NASTY_NAME)}</bdi> &gt; <bdi>Taco &lt;b&gt;Time&lt;/b&gt;</bdi>"
    )
    assert parent.title == NASTY_NAME
    assert template.render(Context({"p": parent})) == f"<bdi>{escape(NASTY_NAME)}</bdi>"
