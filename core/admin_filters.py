"""Admin list filters with fixed choices, each narrowing the rows its own way."""

from collections.abc import Callable

from django.contrib import admin


class ChoicesFilter(admin.SimpleListFilter):
    """`options` maps each value of `parameter_name` to its label and to what it keeps of
    the rows (a function of the queryset); no value keeps them all."""

    options: dict[str, tuple[str, Callable]] = {}

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _keep) in self.options.items()]

    def queryset(self, request, queryset):
        option = self.options.get(self.value())
        return option[1](queryset) if option else queryset
