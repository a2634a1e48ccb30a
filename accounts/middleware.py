import zoneinfo

from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone

from . import sessions


class UserTimezoneMiddleware:
    """Show dates in the signed-in user's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tz_name = getattr(getattr(request, "user", None), "time_zone", None)
        try:
            timezone.activate(zoneinfo.ZoneInfo(tz_name)) if tz_name else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)


class TwoFactorPolicyMiddleware:
    """An account that requires two-factor sign-in: a member signed in without a second
    factor reaches only the two-factor page (to set it up), signing out and the static
    files; every other page sends them there. The flag comes with the signed-in user
    (their current account, accounts.backends), so checking it costs no query."""

    # The set-up itself, signing out, and moving to another of the user's accounts
    # (which may not require it).
    ALLOWED = (
        "two_factor",
        "two_factor_enable",
        "passkey_name",
        "passkey_register_begin",
        "passkey_register_complete",
        "passkey_script_text",
        "logout",
        "sign_out_everywhere",
        "login",
        "login_code",
        "account_switch",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and self._blocked(request, user):
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in self.ALLOWED:
                return redirect("two_factor")
        return self.get_response(request)

    @staticmethod
    def _blocked(request, user) -> bool:
        if request.path_info.startswith(("/api/", "/oauth2/")):
            return False  # access keys, not sessions
        account = getattr(user, "current_account", None)
        if account is None or not account.require_two_factor:
            return False
        return not user.is_verified()


class SessionActivityMiddleware:
    """The signed-in session's browser, address and last activity, for the profile's
    sessions list (accounts.sessions), written at most every few minutes per session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            sessions.touch(request)
        return self.get_response(request)
