"""What projects tells the apps above it, without depending on them.

`subprojects_purging` is sent inside the purge's transaction, just before subprojects
are deleted for good, with `projects`: a queryset of them. A receiver keeps what it
needs of them in that same transaction (usage keeps their names for the usage history,
usage.receivers); if it fails, the purge rolls back with it.
"""

from django.dispatch import Signal

subprojects_purging = Signal()
