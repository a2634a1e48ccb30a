"""Users, the customer accounts they belong to, and their role in each account."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core.ids import new_public_id


class UserManager(BaseUserManager):
    """Users are identified by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def for_session(self):
        """Users as each request loads the signed-in one (accounts.backends): with their
        current account, their role in it and how many accounts they belong to, so the
        top bar's account switcher and Members link cost no query of their own."""
        role = Membership.objects.filter(user=OuterRef("pk"), account=OuterRef("current_account"))
        count = (
            Membership.objects.filter(user=OuterRef("pk"))
            .order_by()
            .values("user")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.select_related("current_account").annotate(
            current_role=Subquery(role.values("role")[:1]),
            account_count=Subquery(count),
        )


class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    # IANA name, e.g. "Europe/Stockholm"; dates in the dashboard are shown in it.
    time_zone = models.CharField(max_length=64, default="UTC")
    # The project the dashboard opens on; remembered across sessions and devices.
    current_project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The account the dashboard shows (a user may belong to several): every dashboard
    # query is scoped to it (ProjectQuerySet.visible_to, projects.access, projects.menu).
    # Remembered on the user like current_project, and changed with it, so the two
    # always agree; accounts.services keeps it on an account the user belongs to.
    current_account = models.ForeignKey(
        "Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Part of the session hash (get_session_auth_hash): raising it ends every session of
    # the user at its next request (removal from an account, "sign out everywhere").
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.email

    def _get_session_auth_hash(self, secret=None):
        # Django's own check, on every request, that a session still belongs to this
        # user (it ends sessions when the password changes): the session generation is
        # part of it too. Generation 0 hashes as Django does, so sessions made before
        # this field existed stay valid.
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "accounts.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class Account(models.Model):
    """A customer organisation. It owns projects; users reach them through membership."""

    public_id = models.CharField(max_length=26, unique=True, default=new_public_id, editable=False)
    name = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the account's admins (accounts.services.account_set_two_factor_policy):
    # members signed in without a second factor reach only the two-factor set-up page
    # (accounts.middleware.TwoFactorPolicyMiddleware).
    # db_default: rows inserted by the previous release during a rolling upgrade get it too.
    require_two_factor = models.BooleanField(default=False, db_default=False)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"  # every project of the account, may change anything
    MEMBER = "member", "Member"  # granted projects, may change them
    VIEWER = "viewer", "Viewer"  # granted projects, read-only, never sees secrets

    @classmethod
    def can_write(cls, role) -> bool:
        """The one write rule: admins and members change things, viewers never do."""
        return role in (cls.ADMIN, cls.MEMBER)


class Membership(models.Model):
    # In the Members page's URLs (never the database key).
    public_id = models.CharField(max_length=26, unique=True, default=new_public_id, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "user"], name="membership_unique_user"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]
        ordering = ["account_id", "user__email"]

    def __str__(self):
        return f"{self.user} in {self.account} ({self.role})"


class UserSession(models.Model):
    """A signed-in session as its user sees it on the profile (accounts.sessions): the
    browser, the address and the last activity. The session itself is Django's (its key
    is a secret, never shown: rows are named by public_id). Written at sign-in and then
    at most every few minutes, never on each request."""

    public_id = models.CharField(max_length=26, unique=True, default=new_public_id, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=512, blank=True, default="")
    address = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity = models.DateTimeField()

    class Meta:
        ordering = ["-last_activity", "-pk"]

    def __str__(self):
        return f"{self.user} from {self.address}"


class SingleSignOn(models.Model):
    """An account's single sign-on through OpenID Connect (accounts.sso): its provider
    (the issuer, found through its discovery document), the console's client there, the
    email domains it covers (SingleSignOnDomain) and what a first sign-in gets.

    The client secret is write-only: set by the account's admins, sent only to the
    provider's token endpoint, never shown, logged nor put in an audit entry."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="sso")
    issuer = models.URLField(max_length=500)
    client_id = models.CharField(max_length=255)
    client_secret = models.CharField(max_length=500)
    # Password sign-in refused for the covered addresses (accounts.forms.LoginForm).
    only_sso = models.BooleanField(default=False)
    # The role a covered address gets when it signs in to the account the first time.
    default_role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(default_role__in=Role.values), name="sso_default_role_valid"
            ),
        ]

    def __str__(self):
        return f"SSO of {self.account} through {self.issuer}"


class SingleSignOnDomain(models.Model):
    """An email domain an account's single sign-on covers: one account owns a domain."""

    sso = models.ForeignKey(SingleSignOn, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True)  # lower case, no "@"

    class Meta:
        ordering = ["domain"]

    def __str__(self):
        return self.domain
