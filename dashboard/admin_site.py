"""The operators' admin site: Django's, with the throttled sign-in form and, where
ADMIN_REQUIRES_TWO_FACTOR is on (unless DEBUG), only for sessions signed in with a
second factor (django-otp's `is_verified`)."""

from django.conf import settings
from django.contrib import admin

from accounts.forms import AdminLoginForm


class OperatorsAdminSite(admin.AdminSite):
    site_header = "Console operators"
    site_title = "Console operators"
    login_form = AdminLoginForm  # failed sign-ins throttled, as on the dashboard
    login_template = "admin/login_two_factor.html"

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not settings.ADMIN_REQUIRES_TWO_FACTOR or request.user.is_verified()
