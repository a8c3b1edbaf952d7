#!/usr/bin/env bash
# Run every check CI runs, then the whole test suite (browser tests included).
#
#   scripts/test.sh                   # lint, format, templates, migrations, check, pytest
#   scripts/test.sh -k plans -x       # arguments go to pytest
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/csp_dev scripts/test.sh
#
# Stops at the first failing check. Runs scripts/setup.sh first, so a fresh checkout works.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="$ROOT/.venv/bin"

step() { printf '\n==> %s\n' "$*"; }

scripts/setup.sh

# Say which database the run uses, without its password.
db_url="${DATABASE_URL:-sqlite:///db.sqlite3 (default)}"
step "Database: $(printf '%s' "$db_url" | sed -E 's#^([a-z]+://[^:/@]*):[^@]*@#\1:***@#')"

step "ruff check"
"$BIN/ruff" check .

step "ruff format --check"
"$BIN/ruff" format --check .

step "djhtml --check (templates)"
# Project and app templates; hidden directories (.venv, .git) and collected static are skipped.
mapfile -d '' templates < <(
  find . \( -name '.?*' -o -name staticfiles -o -name node_modules \) -prune \
    -o -type f -name '*.html' -path '*/templates/*' -print0 | sort -z
)
if ((${#templates[@]})); then
  "$BIN/djhtml" --check "${templates[@]}"
else
  echo "no templates yet"
fi

step "makemigrations --check"
"$BIN/python" manage.py makemigrations --check --dry-run

step "manage.py check"
"$BIN/python" manage.py check

step "pytest${*:+ $*}"
"$BIN/pytest" "$@"
