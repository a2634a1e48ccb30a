"""Writes to projects, subprojects and access keys.

The dashboard views, the API, the admin and the management commands all call these
functions, so each rule (one level only, same account, valid names, removal and restore,
key limits) is enforced in one place. A refusal is one of core.errors' typed errors,
which each interface turns into its own answer.

Concurrency: every write locks the row it reads before deciding (SELECT … FOR UPDATE on
PostgreSQL; SQLite serialises writers) and saves only the fields it changes, so two
simultaneous requests (a rename and a relabel, say) both take effect.

Audit trail: every change writes one entry (audit.trail.record, one INSERT) in its own
transaction, after the change: both commit or neither does. A call that changes nothing
(a rename to the same name, revoking a revoked key) writes no entry. The locks read the
project's parent and account with it, which the entry names, so recording costs no
other query.

One module per subdomain: projects (name, labels), subprojects (create, remove,
restore, purge), access_keys, suspension, grants, decisions (who removes, restores,
suspends and resumes); rows holds what they all do to the row
they change. Import the functions from here: `from projects import services`.
"""

from .access_keys import (
    access_key_create,
    access_key_rename,
    access_key_revoke,
    access_key_rotate,
    rotated_name,
)
from .decisions import is_platform, may_decide, require_decider
from .grants import check_grantable, grant_remove, grant_set, membership_grants_set
from .projects import project_create, project_customers_see, project_update, reminder_dismiss
from .subprojects import (
    PURGE_BATCH,
    REMOVE_MANY_LIMIT,
    purge_removed_subprojects,
    subproject_counts_refresh,
    subproject_create,
    subproject_remove,
    subproject_restore,
    subprojects_purge,
    subprojects_remove,
)
from .suspension import project_resume, project_suspend

__all__ = [
    "PURGE_BATCH",
    "REMOVE_MANY_LIMIT",
    "access_key_create",
    "access_key_rename",
    "access_key_revoke",
    "access_key_rotate",
    "check_grantable",
    "grant_remove",
    "grant_set",
    "is_platform",
    "may_decide",
    "membership_grants_set",
    "project_create",
    "project_customers_see",
    "project_resume",
    "project_suspend",
    "project_update",
    "purge_removed_subprojects",
    "reminder_dismiss",
    "require_decider",
    "rotated_name",
    "subproject_counts_refresh",
    "subproject_create",
    "subproject_remove",
    "subproject_restore",
    "subprojects_purge",
    "subprojects_remove",
]
