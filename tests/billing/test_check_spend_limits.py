"""check_spend_limits: the cron safety net evaluates every limit."""

from io import StringIO

from django.core import mail
from django.core.management import call_command

from accounts.models import Role
from billing import services
from billing.models import SpendAlert, SpendLimit
from tests.billing.conftest import THIS, add_usage
from tests.factories import MembershipFactory, ProjectFactory


def run():
    out = StringIO()
    call_command("check_spend_limits", stdout=out)
    return out.getvalue()


def test_catches_usage_that_was_not_evaluated(
    account, project, subproject, django_capture_on_commit_callbacks
):
    MembershipFactory(account=account, role=Role.ADMIN)
    other = ProjectFactory(parent=project)
    services.spend_limit_set(project=subproject, amount="1.00", mode="block")
    services.spend_limit_set(project=other, amount="100.00", mode="notify")
    add_usage(subproject, 100, month=THIS)  # written without the ingest's signal
    with django_capture_on_commit_callbacks(execute=True):
        assert run() == "Checked 2 spend limit(s); 3 alert(s) sent.\n"
    assert SpendLimit.objects.get(project=subproject).exceeded_in == THIS
    assert len(mail.outbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert run() == "Checked 2 spend limit(s); 0 alert(s) sent.\n"
    assert SpendAlert.objects.count() == 3


def test_nothing_to_check(db):
    assert run() == "Checked 0 spend limit(s); 0 alert(s) sent.\n"
