from django.contrib import admin

from core.admin_lookups import NoSecretLookupsMixin
from core.admin_readonly import ReadOnlyAdminMixin

from .models import Invitation


@admin.register(Invitation)
class InvitationAdmin(NoSecretLookupsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: invitations are made, resent and cancelled by the accounts' admins
    (team.services); operators look them up here. The token's hash is never shown."""

    list_display = [
        "email",
        "account",
        "role",
        "sent_at",
        "expires_at",
        "accepted_at",
        "cancelled_at",
    ]
    list_filter = ["role"]
    list_select_related = ["account"]
    search_fields = ["email", "account__name", "account__public_id"]
    fields = [
        "public_id",
        "account",
        "email",
        "role",
        "projects",
        "invited_by",
        "created_at",
        "sent_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "cancelled_at",
    ]
    readonly_fields = fields
