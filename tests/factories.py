import factory
from django.utils import timezone

from accounts.models import Account, Membership, Role, User
from projects.models import Project, ProjectGrant

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # persist the hashed password
        if create:
            obj.save()


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Account {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    account = factory.SubFactory(AccountFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER

    @factory.post_generation
    def _current_account(obj, create, extracted, **kwargs):
        # As accounts.services.membership_set does: a user's first account is the one
        # the dashboard shows them.
        if create and obj.user.current_account_id is None:
            User.objects.filter(pk=obj.user_id).update(current_account=obj.account)
            obj.user.current_account = obj.account


class ProjectFactory(factory.django.DjangoModelFactory):
    """A top-level project; pass `parent=` for a subproject (same account follows)."""

    class Meta:
        model = Project

    class Params:
        removed = factory.Trait(removed_at=factory.LazyFunction(timezone.now))

    name = factory.Sequence(lambda n: f"Project {n}")
    parent = None
    account = factory.LazyAttribute(lambda o: o.parent.account if o.parent else AccountFactory())

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        project = super()._create(model_class, *args, **kwargs)
        if project.parent_id is not None and project.removed_at is None:
            count_subprojects(project.parent, 1)  # as projects.services does
        return project


def count_subprojects(parent, added: int) -> None:
    """Keep the parent's subproject_count as the services would, for rows made here."""
    from django.db.models import F

    Project.objects.filter(pk=parent.pk).update(subproject_count=F("subproject_count") + added)
    parent.subproject_count += added


class GrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectGrant

    membership = factory.SubFactory(MembershipFactory)
    project = factory.SubFactory(ProjectFactory)


def granted(project, role):
    """A login of `project`'s account with `role`, granted `project` alone (for a
    subproject: an ASP's customer login)."""
    membership = MembershipFactory(account=project.account, role=role)
    GrantFactory(membership=membership, project=project)
    return membership.user


def bulk_subprojects(parent, count, *, name="Customer {i}"):
    """Many subprojects at once (query-count tests, benchmarks): one INSERT per 500."""
    from core.ids import new_public_id

    rows = [
        Project(
            account_id=parent.account_id,
            parent=parent,
            name=name.format(i=i),
            public_id=new_public_id(),
        )
        for i in range(count)
    ]
    made = Project.objects.bulk_create(rows, batch_size=500)
    count_subprojects(parent, count)
    return made


def bulk_projects(account, count, *, name="Project {i}"):
    from core.ids import new_public_id

    rows = [
        Project(account=account, name=name.format(i=i), public_id=new_public_id())
        for i in range(count)
    ]
    return Project.objects.bulk_create(rows, batch_size=500)


# Names that must come back escaped and intact: markup, quotes, right-to-left text, emoji.
NASTY_NAME = '<script>alert("x")</script> O\'Brien & «Co» שלום עולם 🌮👩🏽‍💻'
