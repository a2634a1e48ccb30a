"""Dashboard views of accounts: the team (members.py), accepting an invitation
(invitations.py), the account switcher and sessions (sessions.py), password reset by
email (password_reset.py). One small function per page or action."""
