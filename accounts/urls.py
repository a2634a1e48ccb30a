from django.contrib.auth import views as auth_views
from django.urls import path

import projects.urls  # noqa: F401 - registers the <pid:…> converter (public IDs) used below

from . import profile
from .forms import ThrottledPasswordChangeForm
from .sign_in import SignInView
from .views import invitations, members, password_reset, sessions

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-out-everywhere/", sessions.sign_out_everywhere, name="sign_out_everywhere"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(form_class=ThrottledPasswordChangeForm),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Password reset by email (sign-up stays closed: users come from invitations, the
    # operators' admin and commands).
    path("password/reset/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password/new/<str:uidb64>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("invitation/", invitations.invitation_accept, name="invitation_accept"),
    path("switch/", sessions.account_switch, name="account_switch"),
    # The team of an account: its admins only (accounts.access).
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
    path("profile/", profile.profile, name="profile"),
]
