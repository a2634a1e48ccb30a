"""The lasting navigation on every dashboard page (templates/includes/site_nav.html).

For the current project (the one the top bar names: projects.menu.current_project),
its sections as every app registered them (projects.contributions: Details,
Subprojects, Access keys, Usage, Billing, Activity, Settings); for the account, its
Members page (its admins) and the user's profile. The link of the page being shown is
marked aria-current="page": a section is current on the pages it lists in
`current_for`, when the page is about that project. No query of its own: the current
project is the top bar's (loaded once per page, or the one the view opened).
"""

from dataclasses import dataclass

from django.urls import reverse

from accounts.models import Role
from projects import contributions
from projects.customers import is_customer_login, may_see

ACCOUNT_PAGES = {
    "Members": (
        "member_list",
        "member_invite",
        "member_detail",
        "member_role",
        "member_grants",
        "member_remove",
    ),
    "Profile": ("profile", "password_change", "password_change_done"),
}


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool


def _page(request) -> tuple[str, str]:
    """(URL name, Project ID or "") of the page being shown."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "", ""
    return match.url_name or "", str(match.kwargs.get("public_id", ""))


def project_links(request, project) -> list[Link]:
    if project is None:
        return []
    url_name, public_id = _page(request)
    here = public_id == project.public_id
    customer = is_customer_login(project)
    found = contributions.sections(
        subproject=project.is_subproject,
        customer_sees=lambda what: may_see(project, what, customer=customer),
    )
    links = []
    for section in found:
        url = reverse(section.url_name, args=[project.public_id])
        if section.anchor:
            url += f"#{section.anchor}"
        links.append(Link(section.label, url, here and url_name in section.current_for))
    return links


def account_links(request, user) -> list[Link]:
    url_name, _ = _page(request)
    links = []
    if user.current_account_id and getattr(user, "current_role", None) == Role.ADMIN:
        url = reverse("member_list", args=[user.current_account.public_id])
        links.append(Link("Members", url, url_name in ACCOUNT_PAGES["Members"]))
    links.append(Link("Profile", reverse("profile"), url_name in ACCOUNT_PAGES["Profile"]))
    return links
