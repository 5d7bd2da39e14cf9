#!/usr/bin/env bash
# Starts the web server and the task worker together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait' INT TERM EXIT
$PY manage.py db_worker --queue-name '*' &
$PY manage.py runserver 127.0.0.1:8000 --noreload &
cat <<MSG

  Ghișeu runs on http://127.0.0.1:8000/  (Ctrl-C stops the web server and the worker)
  Mails (e.g. a new account's confirmation link) are written to var/mail/; staff MFA is relaxed here.
MSG
$PY manage.py demo_logins
wait -n
