from django import template

from accounts.models import Membership
from team.models import Invitation

register = template.Library()


@register.simple_tag
def people_with_access(project):
    """Who was given this project (a subproject's customer logins), and the open
    invitations for it: (memberships, invitations). Two queries; for the account's
    admins only (the details page shows it to them alone)."""
    memberships = list(
        Membership.objects.filter(account_id=project.account_id, grants__project=project)
        .select_related("user")
        .order_by("user__email")
    )
    invitations = list(
        Invitation.objects.open()
        .filter(account_id=project.account_id, projects=project)
        .order_by("email", "pk")
    )
    return memberships, invitations
