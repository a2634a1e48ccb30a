"""What an ASP's customer sees of its own subproject: one rule for the dashboard and
the API (ADR 0108).

An ASP's customer is a login granted a subproject without seeing its parent, or the
subproject's own access key (often in the customer's hands). It sees its subproject,
its keys, its usage and its activity (audit.models.CustomerView says how it sees the
entries; here is who its own people and keys are, so that those stay named). Its
labels (the ASP's notes) and its bill (what the ASP pays for it) are the ASP's: shown
to the customer only if the top-level project says so (`customers_see_labels`,
`customers_see_bills`, set in its Settings by the account's admins: the settings page
checks the role, projects.services.project_customers_see writes it), both off
unless the ASP turns them on. Everyone else who reaches the subproject (the ASP's
people, the parent's key) sees both.
"""

from accounts.models import Role
from audit.models import CustomerView

from .models import AccessKey, Project, ProjectGrant

LABELS = "labels"
BILL = "bill"
_SETTING = {LABELS: "customers_see_labels", BILL: "customers_see_bills"}


def shown_to_customer(subproject: Project, what: str) -> bool:
    """Whether the ASP shows `what` (LABELS or BILL) of `subproject` to its customer.
    Reads the parent (loaded with the subproject by projects.access and the key
    lookup)."""
    return bool(getattr(subproject.parent, _SETTING[what]))


def may_see(project: Project, what: str, *, customer: bool) -> bool:
    """THE rule: `what` of `project` shows to whoever reaches it, except that its
    customer (`customer`: is_customer_login in the dashboard, the subproject's own key
    in the API) sees it only if the ASP shows it."""
    return not customer or shown_to_customer(project, what)


def customer_view(subproject: Project) -> CustomerView:
    """The CustomerView of `subproject`'s customer. Three small queries."""
    parent_grants = ProjectGrant.objects.filter(project_id=subproject.parent_id)
    own_users = (
        ProjectGrant.objects.filter(project=subproject)
        .exclude(membership__role=Role.ADMIN)
        .exclude(membership__in=parent_grants.values("membership"))
        .values_list("membership__user_id", flat=True)
    )
    own_keys = AccessKey.objects.filter(project=subproject).values_list("key_id", flat=True)
    asp = Project.objects.filter(pk=subproject.pk).values_list("account__name", flat=True)
    return CustomerView(
        asp_name=asp.first() or "",
        show_labels=shown_to_customer(subproject, LABELS),
        own_users=frozenset(str(pk) for pk in own_users),
        own_keys=frozenset(key.lower() for key in own_keys),
    )


def is_customer_login(project: Project) -> bool:
    """Whether the user `project` was loaded for (projects.access) is its customer: a
    subproject whose parent they do not see."""
    return project.is_subproject and not getattr(project, "parent_visible", False)
