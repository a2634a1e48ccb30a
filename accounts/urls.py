from django.contrib.auth import views as auth_views
from django.urls import path

from . import profile
from .sign_in import SignInView, sign_in_code
from .views import passkeys, password_change, password_reset, sessions, sso, two_factor

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("login/code/", sign_in_code, name="login_code"),
    path("login/passkey/begin/", passkeys.SignInPasskeyBegin.as_view(), name="login_passkey_begin"),
    path(
        "login/passkey/complete/",
        passkeys.SignInPasskeyComplete.as_view(),
        name="login_passkey_complete",
    ),
    path("passkeys/script-text/", passkeys.passkey_script_text, name="passkey_script_text"),
    path("login/sso/", sso.sso_start, name="sso_start"),
    path("login/sso/callback/", sso.sso_callback, name="sso_callback"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-out-everywhere/", sessions.sign_out_everywhere, name="sign_out_everywhere"),
    path(
        "password/",
        password_change.PasswordChangeView.as_view(),
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
    path("sessions/<pid:session_id>/sign-out/", profile.session_sign_out, name="session_sign_out"),
    path("two-factor/", two_factor.two_factor_page, name="two_factor"),
    path("two-factor/enable/", two_factor.two_factor_enable, name="two_factor_enable"),
    path(
        "two-factor/recovery-codes/",
        two_factor.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("two-factor/disable/", two_factor.two_factor_disable, name="two_factor_disable"),
    path("passkeys/name/", passkeys.passkey_name, name="passkey_name"),
    path(
        "passkeys/register/begin/",
        passkeys.PasskeyRegisterBegin.as_view(),
        name="passkey_register_begin",
    ),
    path(
        "passkeys/register/complete/",
        passkeys.PasskeyRegisterComplete.as_view(),
        name="passkey_register_complete",
    ),
    path("passkeys/<int:passkey_id>/remove/", passkeys.passkey_remove, name="passkey_remove"),
]
