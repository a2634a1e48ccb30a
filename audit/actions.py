"""The actions the audit trail records, with the words the dashboard shows for them.

An action is "<what>.<verb>". A project's and a subproject's changes are recorded
under "project." and "subproject." so that a filter can tell them apart.
"""

PROJECT_ACTIONS = {
    "project.create": "Project created",
    "project.rename": "Project renamed",
    "project.relabel": "Project labels changed",
    "project.update": "Project renamed and relabelled",
    "project.suspend": "Project suspended",
    "project.resume": "Project resumed",
    "project.customers_see": "What customers see changed",
    "subproject.create": "Subproject created",
    "subproject.rename": "Subproject renamed",
    "subproject.relabel": "Subproject labels changed",
    "subproject.update": "Subproject renamed and relabelled",
    "subproject.suspend": "Subproject suspended",
    "subproject.resume": "Subproject resumed",
    "subproject.remove": "Subproject removed",
    "subproject.restore": "Subproject restored",
    "subproject.purge": "Subproject purged",
    # A key's expiry is recorded in its create entry (changes.expires_at): a key passing
    # its expiry is not a change anyone makes, so it has no entry of its own.
    "access_key.create": "Access key created",
    "access_key.rename": "Access key renamed",
    "access_key.revoke": "Access key revoked",
    # A successor was created (its own access_key.create entry); the key still works.
    "access_key.rotate": "Access key rotated",
    "grant.create": "Access granted",
    "grant.remove": "Access withdrawn",
    "statement.close": "Monthly statement closed",
    "spend_limit.set": "Spend limit set",
    "spend_limit.remove": "Spend limit removed",
    "webhook_endpoint.create": "Webhook endpoint added",
    "webhook_endpoint.update": "Webhook endpoint changed",
    "webhook_endpoint.delete": "Webhook endpoint deleted",
    "webhook_endpoint.rotate_secret": "Webhook signing secret rotated",
}

# Not about one project: shown in the admin (and, later, an account's team pages).
ACCOUNT_ACTIONS = {
    "account.create": "Account created",
    "account.rename": "Account renamed",
    "account.two_factor_policy": "Two-factor requirement changed",
    "account.sso_configure": "Single sign-on set up or changed",
    "account.sso_remove": "Single sign-on turned off",
    "membership.create": "Member added",
    "membership.update": "Member's role changed",
    "membership.remove": "Member removed",
    "invitation.create": "Invitation sent",
    "invitation.resend": "Invitation sent again",
    "invitation.cancel": "Invitation cancelled",
    "invitation.accept": "Invitation accepted",
    "user.sign_out_everywhere": "Signed out everywhere",
    "user.password_reset": "Password reset by email",
    "user.password_change": "Password changed",
    "user.create": "User created",
    "user.update": "User changed",
    "user.access": "User's groups and permissions changed",
    "user.delete": "User deleted",
    "user.sign_in": "Signed in",
    "user.sign_in_failed": "Sign-in failed",
    "user.sso_sign_in": "Signed in through single sign-on",
    "user.time_zone": "Time zone changed",
    "user.two_factor_enable": "Two-factor sign-in turned on",
    "user.two_factor_disable": "Two-factor sign-in turned off",
    "user.passkey_add": "Passkey added",
    "user.passkey_remove": "Passkey removed",
    "user.recovery_codes": "Recovery codes replaced",
    "user.session_end": "Signed a session out",
    "platform_token.create": "Platform token created",
    "platform_token.update": "Platform token changed",
    "platform_token.revoke": "Platform token revoked",
    "audit.purge": "Old audit events deleted",
    "price_list.update": "Prices changed",
}

LABELS = {**PROJECT_ACTIONS, **ACCOUNT_ACTIONS}

# The changed fields, as the Activity page names them.
FIELD_LABELS = {
    "name": "Name",
    "labels": "Labels",
    "removed_at": "Removed",
    "deleted": "Deleted",
    "suspended_at": "Suspended",
    "suspend_reason": "Reason",
    "suspended_by_platform": "By the platform",
    "display_name": "Name",
    "expires_at": "Expires",
    "scope": "Permissions",
    "revoked_at": "Revoked",
    "replaced_by": "Replaced by",
    "time_zone": "Time zone",
    "require_two_factor": "Two-factor required",
    "issuer": "Issuer",
    "client_id": "Client ID",
    "client_key_replaced": "Client secret replaced",
    "domains": "Email domains",
    "only_sso": "Only through single sign-on",
    "default_role": "Role of a first sign-in",
    "address": "Address",
    "browser": "Browser",
    "user": "User",
    "role": "Role",
    "month": "Month",
    "total": "Total",
    "amount": "Amount",
    "quantities": "Quantities",
    "mode": "Mode",
    "email": "Email",
    "projects": "Projects",
    "accepted_at": "Accepted",
    "customers_see_labels": "Customers see their labels",
    "customers_see_bills": "Customers see their bill",
    "cancelled_at": "Cancelled",
    "first_name": "First name",
    "last_name": "Last name",
    "is_active": "Active",
    "is_staff": "Staff",
    "is_superuser": "Superuser",
    "groups": "Groups",
    "user_permissions": "Permissions",
    "usable": "Password sign-in",
    "scopes": "Scopes",
    "url": "URL",
    "description": "Description",
    "event_types": "Event types",
    "enabled": "Enabled",
    "old_signing_until": "Old secret signs until",
}


def label(action: str) -> str:
    return LABELS.get(action, action)


def project_action(project, verb: str) -> str:
    """ "project.<verb>" or "subproject.<verb>", as the project is one or the other."""
    return f"{'subproject' if project.parent_id is not None else 'project'}.{verb}"
