from django.contrib.auth import views as auth_views
from django.urls import path

from . import profile
from .forms import ThrottledPasswordChangeForm
from .sign_in import SignInView
from .views import password_reset, sessions

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
    path("switch/", sessions.account_switch, name="account_switch"),
    path("profile/", profile.profile, name="profile"),
]
