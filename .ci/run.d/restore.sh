#!/usr/bin/env bash
# CI: a backup restores (docs/operations.md, "Backup and restore"). On PostgreSQL: a
# database with demo data and an access key is dumped with pg_dump, dropped, restored
# with pg_restore into a new database, and the key is checked there, with the same
# pepper and with the pepper rotated (the old one in ACCESS_KEY_PEPPER_FALLBACKS).
set -euo pipefail
cd "$(dirname "$0")/../.."

server="postgres://postgres@127.0.0.1:5432"
source_db="${RESTORE_DB_PREFIX:-console}_backup_source"
restored_db="${RESTORE_DB_PREFIX:-console}_backup_restored"
work="$(mktemp -d)"
trap 'rm -rf "$work"; dropdb -h 127.0.0.1 -U postgres --if-exists "$source_db"; dropdb -h 127.0.0.1 -U postgres --if-exists "$restored_db"' EXIT

export DEBUG=0 SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=127.0.0.1 VAR_DIR="$work" LOG_LEVEL=WARNING
export SECRET_KEY="restore-test-$(openssl rand -hex 24)"
export ACCESS_KEY_PEPPER="restore-pepper-$(openssl rand -hex 24)"
py=.venv/bin/python

dropdb -h 127.0.0.1 -U postgres --if-exists "$source_db"
dropdb -h 127.0.0.1 -U postgres --if-exists "$restored_db"
createdb -h 127.0.0.1 -U postgres "$source_db"
export DATABASE_URL="$server/$source_db"
$py manage.py migrate --no-input -v0
$py manage.py createcachetable
$py manage.py demo --url http://127.0.0.1:8000 >/dev/null
project_id="$($py manage.py list_projects --json | $py -c 'import json,sys; print(json.load(sys.stdin)[0]["projectId"])')"
created="$($py manage.py create_access_key "$project_id" "restore check")"
key_id="$(sed -n 's/^Key ID: *//p' <<<"$created" | head -n1)"
key_secret="$(sed -n 's/^Key Secret: *//p' <<<"$created" | head -n1)"
test -n "$key_id" && test -n "$key_secret"

# The backup: the database (custom format), as the operations guide says.
pg_dump -h 127.0.0.1 -U postgres -Fc -f "$work/console.dump" "$source_db"
dropdb -h 127.0.0.1 -U postgres "$source_db"

# The restore, into a new database.
createdb -h 127.0.0.1 -U postgres "$restored_db"
pg_restore -h 127.0.0.1 -U postgres --no-owner -d "$restored_db" "$work/console.dump"
export DATABASE_URL="$server/$restored_db"
$py manage.py migrate --check >/dev/null   # nothing left to apply
$py manage.py check --deploy --fail-level ERROR >/dev/null 2>&1 || $py manage.py check --deploy --fail-level ERROR

check_key() {
  KEY_ID="$key_id" KEY_SECRET="$key_secret" $py manage.py shell -v0 -c '
import os, sys
from projects.api.auth import key_for_credentials
sys.exit(0 if key_for_credentials(os.environ["KEY_ID"], os.environ["KEY_SECRET"]) else 1)'
}
check_key || { echo "The key does not work after the restore"; exit 1; }
# The pepper rotated after the restore: the old one as a fallback keeps the key working.
ACCESS_KEY_PEPPER_FALLBACKS="$ACCESS_KEY_PEPPER" ACCESS_KEY_PEPPER="rotated-$(openssl rand -hex 24)" check_key \
  || { echo "The key does not work with the old pepper as a fallback"; exit 1; }
# Without the pepper that was backed up, no key works: the pepper is part of the backup.
if ACCESS_KEY_PEPPER="another-$(openssl rand -hex 24)" check_key; then
  echo "A key worked without its pepper"; exit 1
fi
echo "Restore OK: $(psql -h 127.0.0.1 -U postgres -Atc 'SELECT count(*) FROM projects_project' "$restored_db") projects, the key works (and with the pepper rotated)."
