"""Admin pages that operators read but never edit: rows written only by services (usage,
billing, the audit trail, invitations, access keys)."""

from django.contrib import admin


class ReadOnlyAdminMixin:
    """No add, change or delete in the admin; put it before admin.ModelAdmin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyModelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A read-only admin of a big table: no full COUNT(*) of millions of rows per page."""

    show_full_result_count = False
