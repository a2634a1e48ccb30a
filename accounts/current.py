"""The account a user is "in", and the project they are on.

Every dashboard query is scoped to the account.

A user may belong to several accounts; the dashboard shows one at a time, the user's
`current_account` (remembered on the user, like `current_project`, so every device opens
in the same place and the two always agree). While in one account a user never sees
another's projects: ProjectQuerySet.visible_to, projects.access.get_project_for_user and
projects.menu all filter on it. The top bar's switcher (accounts.views.sessions.account_switch)
changes it; accounts.services keeps it on an account the user belongs to.
"""

from .models import Account, Membership, User


def set_current_account(user: User, account: Account | None, *, role: str | None = None) -> None:
    """Put `user` in `account` (one they belong to, or None when they belong to none).
    The current project stays only if it is in that account (else the dashboard opens
    on the account's Projects page). Writes only these two fields."""
    current_project = user.current_project_id
    if current_project is not None and (
        account is None
        or not User.objects.filter(pk=user.pk, current_project__account=account).exists()
    ):
        current_project = None
    User.objects.filter(pk=user.pk).update(
        current_account=account, current_project_id=current_project
    )
    user.current_account = account
    user.current_project_id = current_project
    user.current_role = role


def remember_project(request, project) -> None:
    """Visiting a project makes it the user's current one (saved only when it changes),
    and the project the top bar names (projects.menu.current_project)."""
    request.current_project = project
    user = request.user
    if user.current_project_id != project.pk:
        User.objects.filter(pk=user.pk).update(current_project=project)
        user.current_project_id = project.pk


def first_membership(user: User, *, excluding: Account | None = None) -> Membership | None:
    """The user's membership in their first account by name (the default one)."""
    memberships = Membership.objects.filter(user=user).select_related("account")
    if excluding is not None:
        memberships = memberships.exclude(account=excluding)
    return memberships.order_by("account__name", "account_id").first()


def ensure_current_account(user: User) -> None:
    """A user whose current account is unset, or one they have left, is put in their
    first account (or none)."""
    membership = first_membership(user)
    if membership is None:
        set_current_account(user, None)
    else:
        set_current_account(user, membership.account, role=membership.role)
