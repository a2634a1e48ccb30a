from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.actors import Actor
from core.admin_errors import ServiceErrorsAdminMixin
from core.admin_lookups import NoSecretLookupsMixin

from . import services, two_factor
from .models import Account, Membership, User


class AuditedPasswordChangeForm(AdminPasswordChangeForm):
    """Sets the password on the user without saving it: UserAdmin.log_change saves it
    through the service, with its audit entry, in the same transaction."""

    def save(self, commit=True):
        user = self.set_password_and_save(self.user, commit=False)  # or an unusable one
        user.password_pending = True
        return user


def _access(user: User) -> dict:
    return {
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "user_permissions": sorted(
            f"{app}.{codename}"
            for app, codename in user.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        ),
    }


@admin.register(User)
class UserAdmin(NoSecretLookupsMixin, ServiceErrorsAdminMixin, DjangoUserAdmin):
    """Every change is saved through accounts.services (its audit entry, with the
    operator as actor), and the last-admin guard holds for deactivation and deletion."""

    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "time_zone")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]
    actions = ["turn_off_two_factor"]
    change_password_form = AuditedPasswordChangeForm

    def save_model(self, request, obj, form, change):
        actor = Actor.for_admin(request)
        if change:
            services.user_update(user=obj, actor=actor)
        else:
            services.user_create(user=obj, actor=actor)

    def save_related(self, request, form, formsets, change):
        # Groups and permissions are saved by the form itself: recorded around it.
        before = _access(form.instance) if change else {"groups": [], "user_permissions": []}
        super().save_related(request, form, formsets, change)
        services.user_access_record(
            user=form.instance,
            before=before,
            after=_access(form.instance),
            actor=Actor.for_admin(request),
        )

    def delete_model(self, request, obj):
        services.user_delete(user=obj, actor=Actor.for_admin(request))

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():  # the password, its entry and the admin's log together
            return super().user_change_password(request, id, form_url)

    def log_change(self, request, obj, message):
        if getattr(obj, "password_pending", False):
            obj.password_pending = False
            services.user_password_change(user=obj, password=None, actor=Actor.for_admin(request))
        return super().log_change(request, obj, message)

    @admin.action(description=_("Turn off two-factor sign-in of selected users"))
    def turn_off_two_factor(self, request, queryset):
        for user in queryset:
            two_factor.two_factor_disable(user=user, actor=Actor.for_admin(request))
        self.message_user(request, f"Two-factor sign-in is off for {len(queryset)} user(s).")


# Accounts and memberships are written through accounts.services, like everywhere
# else, so that each change has its audit entry.


def save_membership(request, membership: Membership, *, was=None) -> Membership:
    """Save an added or edited membership through the services. `was`: the stored row
    of an edited one (whose user or account may have been changed)."""
    actor = Actor.for_admin(request)
    if was is not None and (was.user_id, was.account_id) != (
        membership.user_id,
        membership.account_id,
    ):
        services.membership_remove(membership=was, actor=actor)
    saved = services.membership_set(
        account=membership.account, user=membership.user, role=membership.role, actor=actor
    )
    membership.pk = saved.pk
    return saved


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Account)
class AccountAdmin(NoSecretLookupsMixin, ServiceErrorsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "public_id", "created_at"]
    search_fields = ["name", "public_id"]
    readonly_fields = ["public_id", "created_at"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        if change:
            services.account_rename(account=obj, name=obj.name, actor=Actor.for_admin(request))
            return
        created = services.account_create(name=obj.name, actor=Actor.for_admin(request))
        obj.pk, obj.public_id = created.pk, created.public_id

    def save_formset(self, request, form, formset, change):
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            services.membership_remove(membership=membership, actor=Actor.for_admin(request))
        for membership in memberships:
            was = Membership.objects.filter(pk=membership.pk).first() if membership.pk else None
            save_membership(request, membership, was=was)


@admin.register(Membership)
class MembershipAdmin(NoSecretLookupsMixin, ServiceErrorsAdminMixin, admin.ModelAdmin):
    list_display = ["user", "account", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "account"]
    search_fields = ["user__email", "account__name", "account__public_id"]
    autocomplete_fields = ["user", "account"]

    def save_model(self, request, obj, form, change):
        was = Membership.objects.filter(pk=obj.pk).first() if change else None
        save_membership(request, obj, was=was)

    def delete_model(self, request, obj):
        services.membership_remove(membership=obj, actor=Actor.for_admin(request))
