"""The operators' admin.

Creating and changing projects goes through projects.services, the same functions as
the dashboard and the API, so the admin cannot break a rule the product keeps.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from core.actors import Actor
from core.admin_errors import ServiceErrorsAdminMixin, report
from core.admin_filters import ChoicesFilter
from core.admin_lookups import NoSecretLookupsMixin
from core.admin_readonly import ReadOnlyAdminMixin
from core.errors import ServiceError

from . import services
from .models import AccessKey, Project, ProjectGrant, Subproject


class KindFilter(ChoicesFilter):
    title = _("kind")
    parameter_name = "kind"
    options = {
        "top": (_("Top-level project"), lambda rows: rows.filter(parent__isnull=True)),
        "sub": (_("Subproject"), lambda rows: rows.filter(parent__isnull=False)),
    }


class RemovedFilter(ChoicesFilter):
    title = _("removed")
    parameter_name = "removed"
    options = {
        "no": (_("Active"), lambda rows: rows.alive()),
        "yes": (_("Removed"), lambda rows: rows.removed()),
    }


class SuspendedFilter(ChoicesFilter):
    title = _("suspended")
    parameter_name = "suspended"
    options = {
        "platform": (
            _("By the platform"),
            lambda rows: rows.filter(suspended_at__isnull=False, suspended_by_platform=True),
        ),
        "customer": (
            _("By the customer"),
            lambda rows: rows.filter(suspended_at__isnull=False, suspended_by_platform=False),
        ),
        "no": (_("Not suspended"), lambda rows: rows.filter(suspended_at__isnull=True)),
    }


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_(
            "Shown to the customer with the Suspended badge and to programs whose keys are "
            "refused. Customers cannot lift a suspension by the platform."
        ),
        widget=forms.TextInput(attrs={"size": 60}),
    )


class SubprojectInline(admin.TabularInline):
    """Read-only: subprojects are created through the product's rules, not a formset."""

    model = Subproject
    fk_name = "parent"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["name", "public_id", "created_at", "removed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class AccessKeyInline(admin.TabularInline):
    """Read-only list of a project's keys; never a secret or its hash."""

    model = AccessKey
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["display_name", "key_id", "created_at", "last_used_at", "expires_at", "revoked_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class GrantInline(admin.TabularInline):
    """Saved through projects.services (grant_set / grant_remove), for the audit trail:
    see ProjectAdmin.save_formset."""

    model = ProjectGrant
    extra = 0
    autocomplete_fields = ["membership"]


def save_grants(request, formset) -> None:
    """A formset of grants, saved through the services (each change one entry)."""
    actor = Actor.for_admin(request)
    grants = formset.save(commit=False)
    for grant in formset.deleted_objects:
        services.grant_remove(grant=grant, actor=actor)
    for grant in grants:
        if grant.pk is not None:  # an existing grant pointed elsewhere: withdraw, then give
            services.grant_remove(grant=ProjectGrant.objects.get(pk=grant.pk), actor=actor)
        saved = services.grant_set(membership=grant.membership, project=grant.project, actor=actor)
        grant.pk = saved.pk


# What a top-level project's ASP shows its customers (projects.customers), set here
# through the same service as the dashboard's Settings (audited); a subproject has none.
CUSTOMERS_SEE = ("customers_see_labels", "customers_see_bills")


@admin.register(Project)
class ProjectAdmin(NoSecretLookupsMixin, ServiceErrorsAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "public_id",
        "account",
        "parent",
        "created_at",
        "removed_at",
        "suspended_at",
    ]
    list_filter = [KindFilter, RemovedFilter, SuspendedFilter]
    list_select_related = ["account", "parent"]
    search_fields = ["name", "public_id", "account__name", "parent__public_id"]
    autocomplete_fields = ["account", "parent"]
    readonly_fields = [
        "public_id",
        "created_by",
        "created_at",
        "updated_at",
        "removed_at",
        "suspended_at",
        "suspend_reason",
        "suspended_by_platform",
    ]
    inlines = [SubprojectInline, GrantInline, AccessKeyInline]
    actions = ["remove_subprojects", "restore_subprojects", "suspend_projects", "resume_projects"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:  # account and parent are fixed once the project exists
            fields += ["account", "parent"]
        return fields

    def get_exclude(self, request, obj=None):
        if obj is None or obj.parent_id is not None:
            return CUSTOMERS_SEE  # (a new project starts with both off)
        return ()

    def get_fieldsets(self, request, obj=None):
        fields = self.get_fields(request, obj)
        shown = [f for f in fields if f in CUSTOMERS_SEE]
        if not shown:
            return [(None, {"fields": fields})]
        return [
            (None, {"fields": [f for f in fields if f not in CUSTOMERS_SEE]}),
            (
                "What your customers see",
                {
                    "fields": shown,
                    "description": "What this ASP shows its customers (a login granted "
                    "only their subproject, or the subproject's own key) of their "
                    "subproject. Both hidden unless turned on.",
                },
            ),
        ]

    def get_inlines(self, request, obj):
        if obj is None or obj.parent_id is not None:
            # One level only: a subproject has no subprojects.
            return [GrantInline] if obj is None else [GrantInline, AccessKeyInline]
        return super().get_inlines(request, obj)

    def save_model(self, request, obj, form, change):
        # The form already ran Project.clean(); the services run it again inside their
        # transaction and apply the rest of the rules.
        actor = Actor.for_admin(request)
        if change:
            services.project_update(project=obj, name=obj.name, labels=obj.labels, actor=actor)
            if any(field in form.changed_data for field in CUSTOMERS_SEE):
                services.project_customers_see(
                    project=obj,
                    labels=obj.customers_see_labels,
                    bills=obj.customers_see_bills,
                    actor=actor,
                )
        elif obj.parent_id is not None:
            created = services.subproject_create(
                parent=obj.parent, name=obj.name, labels=obj.labels, actor=actor
            )
            obj.pk, obj.public_id = created.pk, created.public_id
        else:
            created = services.project_create(
                account=obj.account, name=obj.name, labels=obj.labels, actor=actor
            )
            obj.pk, obj.public_id = created.pk, created.public_id

    def has_delete_permission(self, request, obj=None):
        # Only subprojects: a top-level project holds its subprojects, usage and
        # statements (suspend it instead). ADR 0113.
        if obj is not None and obj.parent_id is None:
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # The bulk action's confirmation names the top-level projects it will not delete.
        deletable, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = [*protected, *(str(p) for p in objs if p.parent_id is None)]
        return deletable, counts, perms_needed, protected

    def delete_model(self, request, obj):
        # The purge's own service: its audit entry, its tombstone, the parent's count.
        services.subprojects_purge(subprojects=[obj], actor=Actor.for_admin(request))

    def delete_queryset(self, request, queryset):
        try:
            services.subprojects_purge(
                subprojects=queryset.select_related("parent"), actor=Actor.for_admin(request)
            )
        except ServiceError as error:
            report(self, request, error)

    def save_formset(self, request, form, formset, change):
        if formset.model is ProjectGrant:
            save_grants(request, formset)
        else:
            super().save_formset(request, form, formset, change)

    @admin.action(
        description=f"Remove selected subprojects (restorable for "
        f"{settings.SUBPROJECT_RESTORE_DAYS} days)"
    )
    def remove_subprojects(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda p, actor: services.subproject_remove(subproject=p, actor=actor),
            "subproject(s) removed",
        )

    @admin.action(description=_("Restore selected subprojects"))
    def restore_subprojects(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda p, actor: services.subproject_restore(subproject=p, actor=actor),
            "subproject(s) restored",
        )

    @admin.action(
        description=_("Suspend selected projects (by the platform)…"), permissions=["change"]
    )
    def suspend_projects(self, request, queryset):
        """Asks for the reason on a page of its own, then suspends each project."""
        form = SuspendForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._apply(
                request,
                queryset,
                lambda p, actor: services.project_suspend(project=p, reason=reason, actor=actor),
                "project(s) suspended by the platform",
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Suspend projects"),
            "opts": self.model._meta,
            "projects": queryset,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/projects/project/suspend.html", context)

    @admin.action(description=_("Resume selected projects"), permissions=["change"])
    def resume_projects(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda p, actor: services.project_resume(project=p, actor=actor),
            "project(s) resumed",
        )

    def _apply(self, request, queryset, change, done_text):
        """change(project, actor) for each project; refusals reported one by one."""
        done = 0
        actor = Actor.for_admin(request)
        for project in queryset:
            try:
                change(project, actor)
                done += 1
            except ServiceError as error:
                report(self, request, error, about=project.name)
        if done:
            self.message_user(request, f"{done} {done_text}.", messages.SUCCESS)


@admin.register(ProjectGrant)
class ProjectGrantAdmin(NoSecretLookupsMixin, ServiceErrorsAdminMixin, admin.ModelAdmin):
    """Grants are given and withdrawn through projects.services (the audit trail)."""

    list_display = ["membership", "project", "created_at"]
    list_select_related = ["membership__user", "membership__account", "project__parent"]
    search_fields = ["membership__user__email", "project__name", "project__public_id"]
    autocomplete_fields = ["membership", "project"]

    def save_model(self, request, obj, form, change):
        actor = Actor.for_admin(request)
        if change and not form.changed_data:
            return
        if change:
            services.grant_remove(grant=ProjectGrant.objects.get(pk=obj.pk), actor=actor)
        obj.pk = services.grant_set(membership=obj.membership, project=obj.project, actor=actor).pk

    def delete_model(self, request, obj):
        services.grant_remove(grant=obj, actor=Actor.for_admin(request))

    def delete_queryset(self, request, queryset):
        for grant in queryset:
            self.delete_model(request, grant)


class KeyStateFilter(ChoicesFilter):
    title = _("state")
    parameter_name = "state"
    options = {
        "active": (_("Active"), lambda rows: rows.active()),
        "revoked": (_("Revoked"), lambda rows: rows.revoked()),
    }


@admin.register(AccessKey)
class AccessKeyAdmin(NoSecretLookupsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: keys are created by their owners (dashboard, API) or the
    create_access_key command, which is the only place a secret is shown. The hash is
    never displayed either. Operators can revoke."""

    list_display = [
        "display_name",
        "key_id",
        "project",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = [KeyStateFilter]
    list_select_related = ["project__parent"]
    search_fields = ["=key_id", "display_name", "=project__public_id"]
    fields = [
        "display_name",
        "key_id",
        "project",
        "created_by",
        "created_at",
        "updated_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    readonly_fields = fields
    actions = ["revoke_keys"]
    show_full_result_count = False

    # Read-only (ReadOnlyAdminMixin): no delete either; revoke instead, so the row stays
    # for the audit trail.

    def has_revoke_permission(self, request):
        return request.user.has_perm("projects.change_accesskey")

    @admin.action(description=_("Revoke selected access keys"), permissions=["revoke"])
    def revoke_keys(self, request, queryset):
        done = 0
        for key in queryset.listed():
            services.access_key_revoke(key=key, actor=Actor.for_admin(request))
            done += 1
        self.message_user(request, f"{done} access key(s) revoked.", messages.SUCCESS)
