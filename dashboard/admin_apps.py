from django.contrib.admin.apps import AdminConfig


class OperatorsAdminConfig(AdminConfig):
    """django.contrib.admin, with the operators' site (dashboard.admin_site)."""

    default_site = "dashboard.admin_site.OperatorsAdminSite"

    def ready(self):
        super().ready()  # every app's admin module registered
        from django.contrib import admin
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # django-otp registers its devices with their secrets (a TOTP key, recovery
        # codes): operators never see those. They turn a user's two-factor off with the
        # users' action (accounts.admin) for someone who lost their phone and codes.
        for model in (TOTPDevice, StaticDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
