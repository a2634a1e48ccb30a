"""Admin pages that operators read but never edit: rows written only by services (usage,
billing, the audit trail, invitations, access keys)."""


class ReadOnlyAdminMixin:
    """No add, change or delete in the admin; put it before admin.ModelAdmin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
