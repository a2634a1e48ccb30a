"""Projects and subprojects, and the grants that let members and viewers reach them."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import Account, Membership, Role
from core.errors import InvalidParent
from core.ids import new_public_id

from . import scopes
from .validation import clean_display_name, clean_labels


def restore_window() -> timedelta:
    """How long a removed subproject can be restored (then it is purged): one setting."""
    return timedelta(days=settings.SUBPROJECT_RESTORE_DAYS)


def held_by(user):
    """What `user` holds in their current account, as subqueries: the account if they
    administer it (account IDs), and the projects they are granted there (project IDs).
    Scoping both to the current account scopes everything reached through them."""
    memberships = Membership.objects.filter(user=user, account_id=user.current_account_id)
    admin_accounts = memberships.filter(role=Role.ADMIN).values("account_id")
    granted = ProjectGrant.objects.filter(membership__in=memberships).values("project_id")
    return admin_accounts, granted


def sees(*, admin, granted, parent_granted):
    """Whether a user sees a project: the rule, written once. An admin of the
    project's account sees it; anyone else if they are granted the project or its
    parent (a grant on a project covers its subprojects; a grant may also name one
    subproject). Only the user's current account counts (accounts.current).

    The facts are those of one user and one project: booleans, for a project read with
    them (projects.access.get_project_for_user, which also asks it of the parent), or
    conditions on Project rows from visibility(user), for querysets (visible_to; the
    Projects menu builds its parts from the same facts, projects.menu). `|` is "or" for
    both."""
    return admin | granted | parent_granted


def decides(*, role, is_subproject: bool, parent_granted: bool) -> bool:
    """Whether a user decides a project's existence and suspension for the customer
    (remove, restore, suspend, resume): the rule, written once. An account admin decides
    for any project of the account; a member for a subproject of a project they are
    granted (an ASP removing or pausing one of its customers). Never a viewer, and never
    a login granted only the subproject itself (the ASP's own customer: removing a
    customer is the ASP's decision). Asked by the dashboard on a project read with these
    facts (projects.access.can_decide) and by the services for every interface
    (projects.services.decisions)."""
    if role == Role.ADMIN:
        return True
    return role == Role.MEMBER and is_subproject and parent_granted


def visibility(user) -> dict[str, Q]:
    """The facts `sees` takes, for `user` and any project, as conditions on Project
    rows: subqueries on what the user holds in their current account (held_by)."""
    admin_accounts, granted = held_by(user)
    return {
        "admin": Q(account_id__in=Subquery(admin_accounts)),
        "granted": Q(pk__in=Subquery(granted)),
        "parent_granted": Q(parent_id__in=Subquery(granted)),
    }


class ProjectQuerySet(models.QuerySet):
    def alive(self):
        """Projects that have not been removed."""
        return self.filter(removed_at__isnull=True)

    def removed(self):
        return self.filter(removed_at__isnull=False)

    def restorable(self, now=None):
        """Removed, and still within the restore window."""
        return self.filter(removed_at__gt=(now or timezone.now()) - restore_window())

    def purgeable(self, now=None):
        """Removed, and past the restore window: the purge command deletes these."""
        return self.filter(removed_at__lte=(now or timezone.now()) - restore_window())

    def visible_to(self, user):
        """The projects this user may see (`sees`): account admins every project of the
        account, members and viewers what they are granted and its subprojects. Only in
        the user's current account (accounts.current): a user of several accounts sees
        one at a time. Subqueries (not joins) keep each project once in the result.
        """
        if not user.is_authenticated:
            return self.none()
        return self.filter(sees(**visibility(user)))

    def reachable_by_key(self, project_id: int):
        """What an access key of the project `project_id` (its database key) reaches: the
        project itself and, for a top-level project, its subprojects; a subproject's key
        reaches only that subproject (it has none). Removed ones included: callers say
        whether they want them. The one place the rule is written: the API's scope
        (projects.api.auth.Principal) reads through it, and the key lookup's
        hand-written join is tested against it (tests/api/test_key_lookup.py)."""
        return self.filter(Q(pk=project_id) | Q(parent_id=project_id))


class Project(models.Model):
    """A project, or a subproject when `parent` is set (one level only)."""

    public_id = models.CharField(
        "Project ID", max_length=26, unique=True, default=new_public_id, editable=False
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="projects")
    # Set once at creation and never changed: a subproject stays with its parent.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subprojects",
        help_text="Leave empty for a top-level project. Cannot be changed later.",
    )
    name = models.CharField(max_length=255)
    labels = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Removal is soft for restore_window(), then the purge command deletes the row.
    removed_at = models.DateTimeField(null=True, blank=True)
    # Suspension (services.project_suspend): its keys, and its subprojects' keys, are
    # refused while it lasts. A suspension by the platform (operators) cannot be lifted
    # by customers.
    suspended_at = models.DateTimeField(null=True, blank=True, editable=False)
    suspend_reason = models.CharField(max_length=255, blank=True, editable=False)
    suspended_by_platform = models.BooleanField(default=False, editable=False)
    # How many subprojects it has that are not removed, kept by projects.services in the
    # transaction that creates, removes or restores one (with this row locked), so that
    # a list's total costs nothing to read: a COUNT grows with the list (about 3.5 ms
    # per 100,000 rows through an index-only scan, on PostgreSQL and SQLite alike).
    subproject_count = models.PositiveIntegerField(default=0, editable=False)
    # What a top-level project's ASP shows its customers of their own subproject (a
    # login granted only the subproject, or the subproject's own key): its labels (the
    # ASP's notes) and its bill (the ASP's cost). Hidden unless the ASP says so
    # (projects.customers, the one rule; ADR 0108). Unused on a subproject.
    customers_see_labels = models.BooleanField(default=False, db_default=False)
    customers_see_bills = models.BooleanField(default=False, db_default=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-public_id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="project_not_own_parent"
            ),
        ]
        indexes = [
            # Newest-first listing of a project's subprojects, and its keyset pagination.
            models.Index(fields=["parent", "-created_at", "-public_id"], name="project_children"),
            # The Subprojects page sorted by name (either way), keyset-paginated.
            models.Index(
                "parent",
                Lower("name"),
                "public_id",
                name="project_children_by_name",
                condition=Q(removed_at__isnull=True),
            ),
            # The Removed tab: a parent's removed subprojects, most recently removed
            # first, without reading its alive ones.
            models.Index(
                fields=["parent", "-removed_at", "-public_id"],
                name="project_children_removed",
                condition=Q(removed_at__isnull=False),
            ),
            # The Projects menu and page: an account's alive top-level projects by name
            # (projects/menu.py), without reading its subprojects.
            models.Index(
                "account",
                Lower("name"),
                name="project_top_level_by_name",
                condition=Q(parent__isnull=True, removed_at__isnull=True),
            ),
            # The menu's search: an account's alive projects and subprojects in name
            # order, read until the menu is full (a broad search stops after 21 rows).
            models.Index(
                "account",
                Lower("name"),
                name="project_alive_by_name",
                condition=Q(removed_at__isnull=True),
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        # Remember the stored parent so clean() can refuse a change of parent.
        instance._loaded_parent_id = instance.__dict__.get("parent_id")
        return instance

    @property
    def is_subproject(self) -> bool:
        return self.parent_id is not None

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def is_suspended(self) -> bool:
        """Suspended itself (see `suspension` for the effect of a suspended parent)."""
        return self.suspended_at is not None

    @property
    def suspension(self) -> "Project | None":
        """The project whose suspension applies to this one, or None: itself, or its
        parent (a suspended parent suspends its subprojects in effect, without changing
        their own state). Reads the parent, so load it with select_related.

        The one place that rule is written: the pages' badges (project_rows), the API's
        key check (projects.api.auth, whose lookup reads the parent with the key) and
        billing's "may it send" (billing.limits.sending) ask it."""
        if self.suspended_at is not None:
            return self
        if self.parent_id is not None and self.parent.suspended_at is not None:
            return self.parent
        return None

    @property
    def restore_deadline(self):
        """Until when a removed project can be restored (None if it is not removed)."""
        return None if self.removed_at is None else self.removed_at + restore_window()

    TITLE_SEPARATOR = " > "

    @property
    def title_names(self) -> tuple[str, ...]:
        """The names its title is made of: its parent's and its own (a subproject), or
        its own. Reads the parent, so load it with select_related."""
        if self.parent_id is not None:
            return (self.parent.name, self.name)
        return (self.name,)

    @property
    def title(self) -> str:
        """How the dashboard names it: `{Parent Project Name} > {Subproject Name}`, as
        plain text (emails, attributes, the admin). In HTML: the project_title tag
        (projects/templatetags/project_rows.py), made of the same names."""
        return self.TITLE_SEPARATOR.join(self.title_names)

    def clean_fields(self, exclude=None):
        # Name and labels are checked by projects.validation in clean(), with one
        # message each; the field's own blank/length checks would only repeat them.
        super().clean_fields(exclude={*(exclude or ()), "name", "labels"})

    def clean(self):
        """The structural rules of projects; every write path runs them."""
        errors = {}
        try:
            self.name = clean_display_name(self.name)
        except ValidationError as e:
            errors["name"] = e.messages
        try:
            self.labels = clean_labels(self.labels)
        except ValidationError as e:
            errors["labels"] = e.messages
        if (
            self.pk is not None
            and hasattr(self, "_loaded_parent_id")
            and self.parent_id != self._loaded_parent_id
        ):
            errors["parent"] = [InvalidParent("The parent of a project cannot be changed.")]
        if self.parent_id is not None and "parent" not in errors:
            parent = self.parent
            if parent.parent_id is not None:
                errors["parent"] = [
                    InvalidParent(
                        "A subproject cannot have subprojects: only top-level projects can."
                    )
                ]
            elif self.pk is None and parent.removed_at is not None:
                errors["parent"] = [InvalidParent("The parent project has been removed.")]
            elif self.account_id is not None and self.account_id != parent.account_id:
                errors["account"] = [
                    InvalidParent(
                        "A subproject must belong to the same account as its parent project.",
                        field="account",
                    )
                ]
        if errors:
            raise ValidationError(errors)


class SubprojectManager(models.Manager.from_queryset(ProjectQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(parent__isnull=False)


class Subproject(Project):
    """Subprojects only, so that the admin, views and API can speak of them by name."""

    objects = SubprojectManager()

    class Meta:
        proxy = True
        ordering = ["-created_at", "-public_id"]


class ProjectGrant(models.Model):
    """Gives a member or viewer one project (and its subprojects) or one subproject."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="grants")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="grants")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "project"], name="grant_unique"),
        ]

    def __str__(self):
        return f"{self.membership.user} → {self.project}"

    def clean(self):
        if (
            self.membership_id
            and self.project_id
            and self.membership.account_id != self.project.account_id
        ):
            raise ValidationError(
                {"project": "The project belongs to another account than the membership."}
            )


def _active_keys(now) -> Q:
    """Keys that authenticate: not expired, not revoked, project not removed."""
    return (
        (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        & Q(revoked_at__isnull=True)
        & Q(project__removed_at__isnull=True)
    )


class AccessKeyQuerySet(models.QuerySet):
    def listed(self):
        """Keys that are not revoked: those a project's pages list (an expired key is
        still listed, marked expired, until someone revokes it)."""
        return self.filter(revoked_at__isnull=True)

    def revoked(self):
        """Keys that are revoked: the rest (kept for the audit trail, listed nowhere but
        in the admin)."""
        return self.filter(revoked_at__isnull=False)

    def active(self, now=None):
        """Keys that authenticate: not revoked, not expired, project not removed; those
        that count against ACCESS_KEYS_PER_PROJECT.

        The one place the rule is written (_active_keys): with_active() reads it per
        key; the API's hand-written key lookup (projects.api.auth.key_by_sql) writes it
        out in its SQL and the check after it, and tests/api/test_key_lookup.py holds
        that to this in every state."""
        return self.filter(_active_keys(now or timezone.now()))

    def with_active(self, now=None):
        """Each key with `is_active`: whether it is one of active(), read in the same
        query (the details page lists a project's keys and counts the active ones)."""
        condition = _active_keys(now or timezone.now())
        return self.annotate(is_active=ExpressionWrapper(condition, BooleanField()))


class AccessKey(models.Model):
    """Credentials of one project or subproject.

    The secret is shown once, at creation, and only its HMAC is stored (see
    core.credentials). A project's key also acts on the project's subprojects; a
    subproject's key acts on that subproject only.
    """

    key_id = models.CharField("Key ID", max_length=36, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="access_keys")
    display_name = models.CharField(max_length=255)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the key may do (projects.scopes): "" for everything, else its permissions
    # ("subprojects:read usage:read"). Fixed at creation; read in the key's lookup.
    # db_default: keys inserted by the previous release during a rolling upgrade get it too.
    scope = models.CharField(max_length=512, blank=True, default="", db_default="", editable=False)
    # Written at most every few minutes per key (see projects.api.auth.LAST_USED_RESOLUTION),
    # with the client address of that use (projects.activity).
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_from = models.CharField(max_length=64, blank=True, default="", editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The key this one was made to replace (services.access_key_rotate); the old key
    # keeps working until someone revokes it.
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = AccessKeyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "display_name"],
                condition=Q(revoked_at__isnull=True),
                name="access_key_unique_name",
                violation_error_code="already_exists",
                violation_error_message="An access key with this name already exists "
                "in this project.",
            ),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.key_id})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def scope_label(self) -> str:
        """Its scope in words (projects.scopes.describe): "Everything", or each permission."""
        return scopes.describe(self.scope)

    def clean_fields(self, exclude=None):
        # The name is checked by clean_display_name in clean(), with one message.
        super().clean_fields(exclude={*(exclude or ()), "display_name"})

    def clean(self):
        try:
            self.display_name = clean_display_name(self.display_name, what="Key name")
        except ValidationError as e:
            raise ValidationError({"display_name": e.messages}) from None


class AccessKeyDailyUse(models.Model):
    """How many API requests a key made on a day (UTC), written in batches by
    projects.activity (never a write per request); the keys table and the Access Keys
    API show the last 30 days' sum."""

    key = models.ForeignKey(AccessKey, on_delete=models.CASCADE, related_name="daily_use")
    day = models.DateField()
    requests = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "day"], name="access_key_daily_use_unique"),
        ]

    def __str__(self):
        return f"{self.key_id} on {self.day}: {self.requests}"


class ReminderDismissal(models.Model):
    """A user said "got it" to a reminder about one project (the Service API step on a
    subproject's details page), which then stops showing to that user."""

    SERVICE_API = "service-api"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    reminder = models.CharField(max_length=32, choices=[(SERVICE_API, "Service API step")])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "project", "reminder"], name="reminder_dismissed_once"
            ),
        ]

    def __str__(self):
        return f"{self.user} dismissed {self.reminder} on {self.project_id}"
