from django.utils.functional import SimpleLazyObject

from .models import Membership


def account_switcher(request):
    """The top bar's account switcher (templates/accounts/includes/account_switcher.html):
    the user's other accounts, queried only when they belong to more than one (the
    signed-in user is loaded with `account_count`, accounts.backends)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or (getattr(user, "account_count", 0) or 0) < 2:
        return {}

    def other_accounts():
        return list(
            Membership.objects.filter(user=user)
            .exclude(account_id=user.current_account_id)
            .select_related("account")
            .order_by("account__name", "account_id")
        )

    return {"other_memberships": SimpleLazyObject(other_accounts)}
