"""The team's pages, under /accounts/ beside the accounts app's: accepting an
invitation, and an account's Members page (its admins only: team.access)."""

from django.urls import path

from .views import invitations, members, sso


def _account_path(route: str, view):
    """A page of one account, `<pid:account_id>/` + `route`, named after its view."""
    return path(f"<pid:account_id>/{route}", view, name=view.__name__)


urlpatterns = [
    path("invitation/", invitations.invitation_accept, name="invitation_accept"),
    _account_path("members/", members.member_list),
    _account_path("members/invite/", members.member_invite),
    _account_path("members/two-factor/", members.two_factor_policy),
    _account_path("single-sign-on/", sso.sso_settings),
    _account_path("single-sign-on/off/", sso.sso_turn_off),
    _account_path("members/<pid:member_id>/", members.member_detail),
    _account_path("members/<pid:member_id>/role/", members.member_role),
    _account_path("members/<pid:member_id>/grants/", members.member_grants),
    _account_path("members/<pid:member_id>/remove/", members.member_remove),
    _account_path("invitations/<pid:invitation_id>/resend/", members.invitation_resend),
    _account_path("invitations/<pid:invitation_id>/cancel/", members.invitation_cancel),
]
