"""The team's pages, under /accounts/ beside the accounts app's: accepting an
invitation, and an account's Members page (its admins only: team.access)."""

from django.urls import path

from .views import invitations, members

urlpatterns = [
    path("invitation/", invitations.invitation_accept, name="invitation_accept"),
    path("<pid:account_id>/members/", members.member_list, name="member_list"),
    path("<pid:account_id>/members/invite/", members.member_invite, name="member_invite"),
    path(
        "<pid:account_id>/members/<pid:member_id>/",
        members.member_detail,
        name="member_detail",
    ),
    path(
        "<pid:account_id>/members/<pid:member_id>/role/",
        members.member_role,
        name="member_role",
    ),
    path(
        "<pid:account_id>/members/<pid:member_id>/grants/",
        members.member_grants,
        name="member_grants",
    ),
    path(
        "<pid:account_id>/members/<pid:member_id>/remove/",
        members.member_remove,
        name="member_remove",
    ),
    path(
        "<pid:account_id>/invitations/<pid:invitation_id>/resend/",
        members.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<pid:account_id>/invitations/<pid:invitation_id>/cancel/",
        members.invitation_cancel,
        name="invitation_cancel",
    ),
]
