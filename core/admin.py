from django.contrib import admin

from .admin_readonly import ReadOnlyModelAdmin
from .models import JobRun


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyModelAdmin):
    """The scheduled jobs' last runs (core.jobs): read-only, written by the jobs."""

    list_display = [
        "name",
        "last_success_at",
        "last_duration_ms",
        "last_counts",
        "last_failure_at",
        "last_error",
        "last_skipped_at",
    ]
    ordering = ["name"]
