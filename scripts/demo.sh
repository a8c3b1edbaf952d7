#!/usr/bin/env bash
# Run the demo: seed documents and demo users in a local SQLite database, served by gunicorn.
#
#   scripts/demo.sh               # http://127.0.0.1:8000/
#   scripts/demo.sh --port 8001   # or PORT=8001 scripts/demo.sh
#
# DEMO_MODE=true lets the demo users sign in; settings refuse it next to a real SECRET_KEY.
# Stop with Ctrl-C. Re-running is safe: migrate and load_seeds leave what exists as it is.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

port="${PORT:-8000}"
while (($#)); do
  case "$1" in
    --port)
      (($# >= 2)) || die "--port needs a number"
      port="$2"
      shift 2
      ;;
    --port=*)
      port="${1#--port=}"
      shift
      ;;
    -h | --help)
      sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
done
[[ "$port" =~ ^[0-9]+$ ]] || die "the port must be a number, not '$port'"
# Fail now rather than after seeding if the port is taken (gunicorn would retry for a while).
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  die "something already listens on 127.0.0.1:$port; choose another with --port"
fi

scripts/setup.sh

# The demo always uses the local SQLite file, whatever DATABASE_URL the shell has.
export DEMO_MODE=true
export DATABASE_URL="sqlite:///db.sqlite3"
PYTHON="$ROOT/.venv/bin/python"

printf '==> %s\n' "Migrating db.sqlite3"
"$PYTHON" manage.py migrate --noinput -v 0
printf '==> %s\n' "Loading seed documents and demo users"
"$PYTHON" manage.py load_seeds --demo-users
printf '==> %s\n' "Giving the demo accounts that need one a fixed second factor"
"$PYTHON" manage.py demo_code
printf '==> %s\n' "Collecting static files"
"$PYTHON" manage.py collectstatic --noinput -v 0

cat <<EOF

  +------------------------------------------------------------+
    CSP Tracker demo:  http://127.0.0.1:$port/

    Sign in as any demo user listed above; their password is
    printed with them. Each user has a different role.
    The coordinator and board member also give a code: type
    their key above into an authenticator app, or run
      DEMO_MODE=true .venv/bin/python manage.py demo_code thanet-coordinator
    Ctrl-C stops the server.
  +------------------------------------------------------------+

EOF

# No control socket: gunicorn's default one is a single file in $HOME shared by every instance.
exec "$ROOT/.venv/bin/gunicorn" csp_tracker.wsgi --bind "127.0.0.1:$port" --workers 2 \
  --no-control-socket
