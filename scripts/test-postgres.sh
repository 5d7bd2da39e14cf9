#!/usr/bin/env bash
# The PostgreSQL half of `make test`. Uses DATABASE_URL when it names PostgreSQL, else 127.0.0.1:5432.
# Where no PostgreSQL answers it says so loudly, and fails when CI=true.
set -uo pipefail
cd "$(dirname "$0")/.."
url="${PG_DATABASE_URL:-}"
if [ -z "$url" ]; then
  case "${DATABASE_URL:-}" in postgres*) url="$DATABASE_URL" ;; *) url="postgres://postgres@127.0.0.1:5432/ghiseu" ;; esac
fi
if ! .venv/bin/python - "$url" <<'PY'
import sys, psycopg, dj_database_url
cfg = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(host=cfg["HOST"] or None, port=cfg["PORT"] or None, user=cfg["USER"] or None,
                    password=cfg["PASSWORD"] or None, dbname="postgres", connect_timeout=5).close()
except Exception as exc:
    print(exc, file=sys.stderr); sys.exit(1)
PY
then
  echo "" >&2
  echo "########################################################################" >&2
  echo "##  PostgreSQL is not reachable at $url" >&2
  echo "##  THE POSTGRESQL HALF OF THE TEST SUITE DID NOT RUN." >&2
  echo "########################################################################" >&2
  [ "${CI:-}" = "true" ] && exit 1
  exit 0
fi
echo ">> Test suite on PostgreSQL ($url)"
DATABASE_URL="$url" exec .venv/bin/pytest -m "not sqlite" "$@"
