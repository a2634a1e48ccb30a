"""The operators' admin for usage: totals and records read-only, platform tokens
created (the token shown once, on the page that answers the form) and revoked."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from core.actors import Actor
from core.admin_errors import ServiceErrorsAdminMixin, report
from core.admin_lookups import NoSecretLookupsMixin
from core.admin_readonly import ReadOnlyModelAdmin
from core.errors import ServiceError

from . import services
from .models import (
    PLATFORM_SCOPES,
    DailyUsage,
    MonthlyUsage,
    PlatformToken,
    PurgedProject,
    UsageRecord,
)


@admin.register(MonthlyUsage)
class MonthlyUsageAdmin(ReadOnlyModelAdmin):
    list_display = ["project_public_id", "family_public_id", "metric", "month", "quantity"]
    list_filter = ["metric"]
    search_fields = ["=project_public_id", "=family_public_id"]
    search_help_text = "A Project ID: the project's own usage, or a top-level project's family."
    ordering = ["-id"]  # newest first on the primary key: no sort of the whole table


@admin.register(DailyUsage)
class DailyUsageAdmin(ReadOnlyModelAdmin):
    list_display = ["project_public_id", "family_public_id", "metric", "day", "quantity"]
    list_filter = ["metric"]
    search_fields = ["=project_public_id", "=family_public_id"]
    search_help_text = MonthlyUsageAdmin.search_help_text
    ordering = ["-id"]


@admin.register(UsageRecord)
class UsageRecordAdmin(ReadOnlyModelAdmin):
    """Found by record ID (the table's only B-tree); a project's usage is in the daily
    and monthly totals."""

    list_display = ["record_id", "project_public_id", "metric", "hour", "quantity", "received_at"]
    search_fields = ["=record_id"]
    search_help_text = "A record ID."
    ordering = ["record_id"]


@admin.register(PurgedProject)
class PurgedProjectAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "public_id", "parent_public_id", "account", "removed_at", "purged_at"]
    list_select_related = ["account"]
    search_fields = ["name", "=public_id", "=parent_public_id"]


class PlatformTokenForm(forms.ModelForm):
    """A name and the scopes (checkboxes); the service checks them again."""

    scopes = forms.MultipleChoiceField(
        choices=list(PLATFORM_SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        initial=list(PLATFORM_SCOPES),
        help_text="What the token may call; a call outside them answers 403 PERMISSION_DENIED.",
    )

    class Meta:
        model = PlatformToken
        fields = ["name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["scopes"] = self.instance.scopes.split()


@admin.register(PlatformToken)
class PlatformTokenAdmin(NoSecretLookupsMixin, ServiceErrorsAdminMixin, admin.ModelAdmin):
    """Add asks for a name and scopes; the answer is a page with the token, shown this
    once (it is kept nowhere: not in the session, not in a message). Changing a token
    changes its scopes only. Revoke is an action."""

    form = PlatformTokenForm
    list_display = [
        "name",
        "token_id",
        "scopes",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
    ]
    search_fields = ["name", "=token_id"]
    readonly_fields = ["token_id", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke_tokens"]

    def get_fields(self, request, obj=None):
        return ["name", "scopes"] if obj is None else ["name", "scopes", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return ["name", *fields] if obj is not None else fields

    def has_change_permission(self, request, obj=None):
        # Only the scopes of a token still in use; revoke with the action.
        if obj is not None and obj.is_revoked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row stays for the record

    @method_decorator(never_cache)
    @method_decorator(sensitive_post_parameters())
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)

    @sensitive_variables("secret")
    def save_model(self, request, obj, form, change):
        scopes = form.cleaned_data["scopes"]
        if change:
            services.platform_token_set_scopes(
                token=obj, scopes=scopes, actor=Actor.for_admin(request)
            )
            return
        token, secret = services.platform_token_create(
            name=obj.name, scopes=scopes, actor=Actor.for_admin(request)
        )
        obj.pk, obj.token_id = token.pk, token.token_id
        request.platform_token_secret = secret  # for response_add, this request only

    @sensitive_variables()
    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Platform token created",
            "token": obj,
            "secret": request.platform_token_secret,
        }
        return TemplateResponse(request, "usage/admin/platform_token_created.html", context)

    @admin.action(description="Revoke selected platform tokens", permissions=["revoke"])
    def revoke_tokens(self, request, queryset):
        done = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                services.platform_token_revoke(token=token, actor=Actor.for_admin(request))
                done += 1
            except ServiceError as error:
                report(self, request, error, about=token.name)
        self.message_user(request, f"{done} platform token(s) revoked.", messages.SUCCESS)

    def has_revoke_permission(self, request):
        return request.user.has_perm("usage.change_platformtoken")
