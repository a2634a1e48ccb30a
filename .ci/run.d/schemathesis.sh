#!/usr/bin/env bash
# Schemathesis against a running server (gunicorn, DEBUG off, a throwaway SQLite
# database): first the published subprojects contract, then our own /api/openapi.json.
# Fails on any server error, response outside its schema, undocumented status code or
# wrong content type. The contracts are the copies in the repository; the seed is fixed
# (SCHEMATHESIS_SEED overrides it) so that a failure can be replayed.
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=.venv/bin/python
MAX_EXAMPLES=${MAX_EXAMPLES:-25}
CONTRACT=projects/api/contracts/sinch-subprojects-api-openapi.yaml
SEED=${SCHEMATHESIS_SEED:-20261127}

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export DEBUG=0 SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=127.0.0.1 VAR_DIR="$work" LOG_LEVEL=ERROR
export DATABASE_URL="sqlite:///$work/db.sqlite3" CACHE_URL="dbcache://django_cache"
export SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')"
export ACCESS_KEY_PEPPER="$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')"

$PY manage.py migrate --no-input -v 0
$PY manage.py createcachetable

# A parent project with three subprojects, and a key of the parent for the run.
ids=$($PY manage.py shell -v 0 -c '
from accounts.models import Account
from projects import services
account = Account.objects.create(name="Schemathesis")
parent = services.project_create(account=account, name="Schemathesis parent")
subs = [services.subproject_create(parent=parent, name=f"Customer {i}") for i in range(3)]
key, secret = services.access_key_create(project=parent, display_name="schemathesis")
print(key.key_id, secret, parent.public_id, *[s.public_id for s in subs])
' | tail -n 1)
read -r KEY_ID KEY_SECRET ST_PARENT_ID ST_SUBPROJECT_1 ST_SUBPROJECT_2 ST_SUBPROJECT_3 <<<"$ids"
[ -n "$ST_SUBPROJECT_3" ] || { echo "could not create the run's key and projects"; exit 1; }

# Most generated requests use these real IDs (success paths), the rest invented ones
# (error paths). Written here because schemathesis does not expand variables in
# dictionaries.
cat >"$work/schemathesis.toml" <<TOML
[dictionaries]
parents = { values = ["$ST_PARENT_ID"] }
subprojects = { values = ["$ST_SUBPROJECT_1", "$ST_SUBPROJECT_2", "$ST_SUBPROJECT_3"] }

[parameters]
"path.parentProjectId" = { dictionary = "parents", probability = 0.8 }
"path.projectId" = { dictionary = "parents", probability = 0.8 }
"path.subprojectId" = { dictionary = "subprojects", probability = 0.8 }
TOML

port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
.venv/bin/gunicorn dashboard.wsgi --bind "127.0.0.1:$port" --workers 2 \
  --access-logfile /dev/null --error-logfile - >"$work/gunicorn.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 50); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "$base/healthz" >/dev/null

run() {
  .venv/bin/schemathesis --config-file "$work/schemathesis.toml" run "$@" \
    --auth "$KEY_ID:$KEY_SECRET" \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance \
    --max-examples "$MAX_EXAMPLES" --workers 2 --seed "$SEED" \
    --no-color
}

echo "-- the published contract ($CONTRACT) at $base/api"
run "$CONTRACT" --url "$base/api"

echo "-- our own document at $base/api/openapi.json"
run "$base/api/openapi.json"

if grep -q "Traceback" "$work/gunicorn.log"; then
  cat "$work/gunicorn.log"
  exit 1
fi
