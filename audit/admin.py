"""The audit trail in the operators' admin: read-only, never deletable.

Search takes a Project ID (the project's entries and, for a top-level project, its
subprojects'), an Account ID, a Key ID, or an actor (an email, a Key ID, a command's
name), each looked up by equality on its own index rather than a LIKE over every row
(on a million entries that is the difference between a few and a few hundred
milliseconds: bench/audit_activity.py).
"""

import json
import uuid

from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.actors import Kind, Source
from core.admin_readonly import ReadOnlyAdminMixin
from core.ids import looks_like_public_id

from .actions import LABELS
from .models import AuditEvent


class _ChoicesFilter(admin.SimpleListFilter):
    """A filter with fixed choices (a DISTINCT over millions of rows is what the
    default filter for a text field would run)."""

    options: list[tuple[str, str]] = []

    def lookups(self, request, model_admin):
        return self.options

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(**{self.parameter_name: value}) if value else queryset


class ActionFilter(_ChoicesFilter):
    title = _("action")
    parameter_name = "action"
    options = sorted(LABELS.items(), key=lambda choice: choice[1])


class SourceFilter(_ChoicesFilter):
    title = _("source")
    parameter_name = "source"
    options = [(value, value) for name, value in vars(Source).items() if name.isupper()]


class ActorTypeFilter(_ChoicesFilter):
    title = _("actor type")
    parameter_name = "actor_type"
    options = [(value, value) for name, value in vars(Kind).items() if name.isupper()]


def _search(term: str) -> Q:
    if looks_like_public_id(term.upper()):
        # An Account ID, or a Project ID: a top-level project's are its family's, its
        # subprojects' included (family_project_id); a subproject's (or a purged one's)
        # are its own.
        # Public IDs are unique across accounts and projects, so at most one of the
        # three matches, each through its own index.
        value = term.upper()
        return Q(account_id=value) | Q(family_project_id=value) | Q(project_id=value)
    try:
        key_id = str(uuid.UUID(term))
    except ValueError:
        pass
    else:
        return Q(key_id=key_id) | Q(actor_id=key_id)
    if "@" in term:
        return Q(actor_label=term.lower()) | Q(target_id=term.lower())
    return Q(actor_id=term) | Q(actor_label=term)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "time",
        "action",
        "actor",
        "source",
        "address",
        "project_id",
        "key_id",
        "target",
    ]
    list_filter = [ActionFilter, SourceFilter, ActorTypeFilter]
    search_fields = ["project_id", "key_id", "actor_label"]  # see get_search_results
    search_help_text = _(
        "A Project ID, a Key ID, or an actor: an email, a Key ID or a command's name."
    )
    date_hierarchy = None
    show_full_result_count = False
    list_per_page = 100
    fields = [
        "time",
        "action",
        "actor_type",
        "actor_id",
        "actor_label",
        "source",
        "address",
        "account_id",
        "project_id",
        "family_project_id",
        "key_id",
        "target_id",
        "target_label",
        "changes_json",
    ]
    readonly_fields = fields
    actions = None  # no "delete selected"

    @admin.display(description=_("actor"))
    def actor(self, event):
        return event.actor_label or event.actor_id or event.actor_type

    @admin.display(description=_("target"))
    def target(self, event):
        return format_html("{}<br><code>{}</code>", event.target_label, event.target_id)

    @admin.display(description=_("changes"))
    def changes_json(self, event):
        text = json.dumps(event.changes, indent=2, ensure_ascii=False, sort_keys=True)
        return format_html("<pre>{}</pre>", text)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(_search(term)), False
