"""Invitations by email to join an account, with a role and the projects to grant."""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Account, Role, User
from core.ids import new_public_id

INVITATION_DAYS = 7


def invitation_expiry():
    return timezone.now() + timedelta(days=INVITATION_DAYS)


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted nor cancelled (expired ones included: they can be resent)."""
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True)


class Invitation(models.Model):
    """An invitation by email to join an account with a role and grants.

    The link's token is shown once, in the email, and stored only as its HMAC (like
    access-key secrets: projects.credentials.hash_secret). It works once, for
    INVITATION_DAYS days, for the invited email only (team.services).
    """

    public_id = models.CharField(max_length=26, unique=True, default=new_public_id, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    # The grants the membership gets (members and viewers; admins see every project).
    projects = models.ManyToManyField("projects.Project", blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        # The table it had when invitations were part of accounts.
        db_table = "accounts_invitation"
        ordering = ["-sent_at", "-id"]
        constraints = [
            # One open invitation per email and account: inviting again is a resend.
            models.UniqueConstraint(
                fields=["account", "email"],
                condition=Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="invitation_role_valid"),
        ]

    def __str__(self):
        return f"{self.email} to {self.account}"

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())
