from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core import credentials
from projects import services
from projects.models import AccessKey


def run(*args, **options):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue()


def test_create_prints_key_id_and_secret_once(project):
    output = run("create_access_key", project.public_id, "ops")
    lines = dict(line.split(":", 1) for line in output.strip().splitlines())
    key = AccessKey.objects.get(key_id=lines["Key ID"].strip())
    secret = lines["Key Secret"].strip()
    assert key.project == project and key.display_name == "ops"
    assert credentials.secret_matches(secret, key.secret_hash)
    assert key.expires_at is None and "Expires" not in output


@pytest.mark.parametrize("days", ["1", "30", 365])
def test_create_with_an_expiry(project, days):
    before = timezone.now()
    if isinstance(days, str):
        output = run("create_access_key", project.public_id, "ops", "--expires-in-days", days)
    else:
        output = run("create_access_key", project.public_id, "ops", expires_in_days=days)
    after = timezone.now()
    lines = dict(line.split(":", 1) for line in output.strip().splitlines())
    key = AccessKey.objects.get(key_id=lines["Key ID"].strip())
    delta = timedelta(days=int(days))
    assert before + delta <= key.expires_at <= after + delta
    assert datetime.fromisoformat(lines["Expires"].strip()) == key.expires_at
    assert AccessKey.objects.active().filter(pk=key.pk).exists()


@pytest.mark.parametrize("days", ["0", "-3", "1.5", "seven", "", " ", "99999999999"])
def test_create_refuses_a_bad_expiry(project, days):
    with pytest.raises(CommandError, match="--expires-in-days"):
        run("create_access_key", project.public_id, "ops", f"--expires-in-days={days}")
    with pytest.raises(CommandError, match="--expires-in-days"):
        run("create_access_key", project.public_id, "ops", expires_in_days=days)
    assert not AccessKey.objects.exists()


def test_help_mentions_the_expiry():
    from projects.management.commands.create_access_key import Command

    parser = Command().create_parser("manage.py", "create_access_key")
    assert "--expires-in-days N" in parser.format_help()


def test_create_refuses_mistakes(project, subproject):
    with pytest.raises(CommandError, match="No project"):
        run("create_access_key", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "x")
    run("create_access_key", project.public_id, "dup")
    with pytest.raises(CommandError, match="already exists"):
        run("create_access_key", project.public_id, "dup")
    with pytest.raises(CommandError, match="cannot be empty"):
        run("create_access_key", project.public_id, " ")
    services.subproject_remove(subproject=subproject)
    with pytest.raises(CommandError, match="removed"):
        run("create_access_key", subproject.public_id, "late")
    assert AccessKey.objects.count() == 1


def test_revoke(project):
    key, _ = services.access_key_create(project=project, display_name="ops")
    assert "Revoked" in run("revoke_access_key", key.key_id)
    assert AccessKey.objects.get(pk=key.pk).is_revoked
    with pytest.raises(CommandError, match="already revoked"):
        run("revoke_access_key", key.key_id)


def test_revoke_unknown(db):
    for key_id in ("nope", "00000000-0000-4000-8000-000000000000"):
        with pytest.raises(CommandError, match="No access key"):
            run("revoke_access_key", key_id)
