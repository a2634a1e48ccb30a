"""One row per change: the audit trail. Append-only.

Targets are public IDs kept as text, not foreign keys: an entry outlives the project,
key or user it names (a purged subproject's history stays readable in its parent's
Activity). `family_project_id` names the entry's family, a top-level project and its
subprojects, by the top-level project's ID (the project itself, or a subproject's
parent), so a parent's Activity, which includes its subprojects', is one index range.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_datetime

from core import formatting
from core.actors import Kind, Source

from . import actions


class AppendOnly(Exception):
    """Raised by any attempt to change or delete an entry through the ORM."""

    def __init__(self, what: str = "changed or deleted"):
        super().__init__(
            f"Audit events cannot be {what}: the trail is append-only "
            "(purge_audit_events deletes entries past the retention period)."
        )


class AuditEventQuerySet(models.QuerySet):
    # Bulk writes bypass Model.save() and delete(): refuse them here too. bulk_update()
    # goes through update(). Retention deletes with audit.trail.purge_before().
    def update(self, **kwargs):
        raise AppendOnly()

    def delete(self):
        raise AppendOnly()

    def for_project(self, project):
        """A project's Activity: a top-level project's is its family's (its subprojects'
        included)."""
        if project.parent_id is None:
            return self.filter(family_project_id=project.public_id)
        return self.filter(project_id=project.public_id)

    def by_public_actor(self, value: str):
        """Entries by the actor customers see as `value` (public_actor's id): a user's
        email (never an operator's: customers do not see those), a Key ID, a platform
        token's ID or a command's name. Emails and Key IDs are stored in lower case."""
        value = value.strip().lower()
        user = Q(actor_type=Kind.USER, actor_label=value) & ~Q(source=Source.ADMIN)
        other = ~Q(actor_type=Kind.USER) & Q(actor_id=value)
        return self.filter(user | other)


# The ASP's own business, never shown to its customer (what it pays and how it limits
# the customer are between the ASP and the platform).
ASP_ONLY_ACTIONS = ("spend_limit.set", "spend_limit.remove", "statement.close")
# Fields of an entry's changes its customer does not see: labels are the ASP's notes.
ASP_ONLY_FIELDS = frozenset({"labels"})


@dataclass(frozen=True)
class CustomerView:
    """How an ASP's customer sees its own subproject's entries: a login granted only the
    subproject (the Activity page and its CSV) or the subproject's own key (the API).

    The ASP's spend-limit and statement entries are left out (`events`); its staff and
    its automation keys are "<ASP account name> staff" (type "staff"), without an email
    or a Key ID; no entry shows a client address; labels are left out of the changes
    unless the ASP shows them to its customers (`show_labels`, projects.customers).
    The customer's own logins and keys are named as usual."""

    asp_name: str
    show_labels: bool = False
    own_users: frozenset = frozenset()  # actor IDs (users' keys) of the customer's logins
    own_keys: frozenset = frozenset()  # the subproject's Key IDs

    def events(self, queryset):
        return queryset.exclude(action__in=ASP_ONLY_ACTIONS)

    def by_public_actor(self, queryset, value: str):
        """Entries by `value` among the customer's own logins and keys only: a staff
        member's email finds nothing, as a stranger's would, so the filter cannot tell a
        customer who is on the ASP's staff."""
        own = Q(actor_type=Kind.USER, actor_id__in=self.own_users) | (
            ~Q(actor_type=Kind.USER) & Q(actor_id__in=self.own_keys)
        )
        return queryset.by_public_actor(value).filter(own)

    def actor(self, event, actor: dict) -> dict:
        if actor["type"] == Kind.USER and event.actor_id not in self.own_users:
            return {"type": "staff", "id": ""}
        if actor["type"] == Kind.ACCESS_KEY and actor["id"] not in self.own_keys:
            return {"type": "staff", "id": ""}
        return actor


# Entries written by the platform itself (operators, commands, maintenance, platform
# services): customers see them as "the platform", without a staff email or address.
PLATFORM_SOURCES = frozenset({Source.ADMIN, Source.COMMAND, Source.INTERNAL})


class AuditEvent(models.Model):
    time = models.DateTimeField(default=timezone.now)  # stored in UTC (USE_TZ)
    action = models.CharField(max_length=64)  # see audit.actions
    # core.actors.Actor, as it was: kind, id (a user's database key, a Key ID, a platform
    # token's ID, a command's name), a label (a user's email at the time, or the email
    # a failed sign-in tried), the interface and the client address.
    actor_type = models.CharField(max_length=16)
    actor_id = models.CharField(max_length=64, blank=True)
    actor_label = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=16)
    address = models.CharField(max_length=64, blank=True)
    account_id = models.CharField("Account ID", max_length=26, blank=True)
    project_id = models.CharField("Project ID", max_length=26, blank=True)
    family_project_id = models.CharField(
        "Family Project ID",
        max_length=26,
        blank=True,
        help_text="The top-level project's Project ID: a subproject's parent, or the project "
        "itself.",
    )
    key_id = models.CharField("Key ID", max_length=36, blank=True)
    # What the action was done to (a Project ID, a Key ID, a user's email, a token ID),
    # and its name at the time.
    target_id = models.CharField(max_length=255, blank=True)
    target_label = models.CharField(max_length=255, blank=True)
    # {field: {"before": …, "after": …}} of the fields the change touched; never a
    # secret or a hash (audit.trail.record refuses such fields).
    changes = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEventQuerySet.as_manager()

    # A CustomerView when an ASP's customer is looking (set by the page, CSV or API
    # that shows the entry): the properties below then show what it may see.
    viewer: CustomerView | None = None

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [
            # Activity pages, newest first, keyset-paginated; with or without an action.
            models.Index(fields=["family_project_id", "-time", "-id"], name="audit_family_time"),
            models.Index(fields=["project_id", "-time", "-id"], name="audit_project_time"),
            models.Index(
                fields=["family_project_id", "action", "-time", "-id"], name="audit_family_action"
            ),
            # An account's entries (the admin's search; team pages to come).
            models.Index(fields=["account_id", "-time", "-id"], name="audit_account_time"),
            # The admin's search by Key ID and by actor.
            models.Index(fields=["key_id"], condition=~Q(key_id=""), name="audit_key"),
            models.Index(fields=["actor_label"], name="audit_actor_label"),
            # Retention: purge_audit_events deletes by age.
            models.Index(fields=["time"], name="audit_time"),
        ]

    def __str__(self):
        return f"{self.action} by {self.actor_label or self.actor_id or self.actor_type}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly()

    # --- How customers see an entry (dashboard, CSV, API) ---------------------------

    @property
    def action_label(self) -> str:
        return actions.label(self.action)

    @property
    def by_platform(self) -> bool:
        return self.source in PLATFORM_SOURCES or self.actor_type == Kind.PLATFORM_TOKEN

    @property
    def public_actor(self) -> dict:
        """{"type", "id"} as customers see it: a user by their email at the time (their
        database key is never published); an operator as "operator", unnamed."""
        if self.actor_type == Kind.USER and self.source == Source.ADMIN:
            actor = {"type": "operator", "id": ""}
        elif self.actor_type == Kind.USER:
            actor = {"type": Kind.USER, "id": self.actor_label}
        else:
            actor = {"type": self.actor_type, "id": self.actor_id}
        return actor if self.viewer is None else self.viewer.actor(self, actor)

    @property
    def actor_display(self) -> str:
        actor = self.public_actor
        return {
            "operator": "A platform operator",
            Kind.USER: actor["id"],
            Kind.ACCESS_KEY: f"Access key {actor['id']}",
            Kind.PLATFORM_TOKEN: f"Platform token {actor['id']}",
            Kind.COMMAND: f"Platform command {actor['id']}",
            Kind.SYSTEM: "The platform",
            "staff": f"{self.viewer.asp_name} staff" if self.viewer else "Staff",
        }.get(actor["type"], actor["id"])

    @property
    def public_changes(self) -> dict:
        """The changes, without those its viewer may not see (an ASP's customer: labels)."""
        if self.viewer is None or self.viewer.show_labels:
            return self.changes
        return {k: v for k, v in self.changes.items() if k not in ASP_ONLY_FIELDS}

    @property
    def change_lines(self) -> list[tuple[str, str, str]]:
        """(field, before, after) as text, for the dashboard (times in the current
        time zone; amounts with their currency, numbers grouped: core.formatting)."""
        changes = self.public_changes
        currency = changes.get("currency") if isinstance(changes.get("currency"), dict) else {}
        return [
            (
                actions.FIELD_LABELS.get(name, name),
                _as_text(change.get("before"), self._money_kind(name), currency.get("before")),
                _as_text(change.get("after"), self._money_kind(name), currency.get("after")),
            )
            for name, change in sorted(changes.items())
            # A field kept for context (the currency of an amount) that did not change.
            if isinstance(change, dict) and change.get("before") != change.get("after")
        ]

    def _money_kind(self, name: str) -> str:
        """ "amount" for the fields that are amounts in the entry's currency, "price"
        for a price list's unit prices (one field per metric), else ""."""
        if name in MONEY_FIELDS:
            return "amount"
        if self.action == "price_list.update" and name != "currency":
            return "price"
        return ""

    @property
    def public_address(self) -> str:
        """The client address, except the platform's own (operators, commands); none
        for an ASP's customer."""
        return "" if self.by_platform or self.viewer is not None else self.address


# Fields of the changes that are amounts, in the entry's "currency" (spend limits,
# closed statements); the trail keeps them as plain decimal strings.
MONEY_FIELDS = frozenset({"amount", "total"})


def _as_text(value, money: str = "", currency: str | None = None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_as_text(v)}" for k, v in sorted(value.items())) or "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return formatting.number(value)
    if money and isinstance(value, str):
        try:
            amount = Decimal(value)
        except InvalidOperation:
            return value
        if not amount.is_finite():
            return value
        if not currency:  # an entry from before amounts kept their currency beside them
            return formatting.number(amount)
        if money == "amount":
            return formatting.money(amount, currency)
        return formatting.unit_price(amount, currency)
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is not None and moment.tzinfo is not None:
        return dateformat.format(timezone.localtime(moment), "j M Y, H:i:s")
    return str(value)
