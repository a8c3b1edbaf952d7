#!/usr/bin/env bash
# Install what CSP Tracker needs to run and test: Debian packages, Python >= 3.12, .venv.
#
#   scripts/setup.sh            # as a developer: installs .venv, names missing apt packages
#   scripts/setup.sh --system   # as root (CI): also apt-get installs the missing packages
#
# Idempotent and quick when nothing changed: each step checks before it acts. See docs/setup.md.
set -euo pipefail

UV_VERSION="0.13.9"
MIN_PYTHON="3.12"
# WeasyPrint's libraries, Arial-metric fonts for PDFs, pdftotext/pdftoppm for the PDF tests,
# and the Chromium that Playwright drives (Playwright cannot download its own browsers here).
APT_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2
  poppler-utils chromium)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

step() { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

system=false
for arg in "$@"; do
  case "$arg" in
    --system) system=true ;;
    -h | --help)
      sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

is_root() { [[ "$(id -u)" == 0 ]]; }

# Install Debian packages when allowed (root), else print the command to run and go on.
apt_install() {
  local -a missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  if is_root; then
    step "Installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Explicit checks: callers use this in an `if`, where set -e does not apply.
    apt-get update -qq || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
      die "apt-get install failed: ${missing[*]}"
  elif $system; then
    die "--system installs packages and needs root: sudo $0 --system"
  else
    warn "missing Debian packages: ${missing[*]}"
    warn "PDF and browser tests will fail until you run:"
    printf '    sudo apt-get install -y --no-install-recommends %s\n' "${missing[*]}" >&2
    return 1
  fi
}

# --- 1. Debian packages --------------------------------------------------------------------
if command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; then
  if apt_install "${APT_PACKAGES[@]}"; then
    step "Debian packages: all present"
  fi
else
  warn "not a Debian system: install Pango, HarfBuzz (subset), Liberation fonts 2, poppler-utils"
  warn "and Chromium with your package manager, or PDF and browser tests will fail."
fi

# --- 2. A Python >= 3.12 ---------------------------------------------------------------------
# Prints the interpreter's real path if it runs and is new enough (pyenv shims of versions that
# are not selected exit non-zero, so they are skipped here).
python_ok() {
  "$1" -c "import sys; assert sys.version_info >= (${MIN_PYTHON/./, }); print(sys.executable)" \
    2>/dev/null
}

find_python() {
  local candidate found pyenv_bin version
  for candidate in python3.13 python3.12 python3; do
    if command -v "$candidate" >/dev/null && python_ok "$candidate"; then
      return 0
    fi
  done
  pyenv_bin="$(command -v pyenv || true)"
  if [[ -z "$pyenv_bin" && -x "${PYENV_ROOT:-$HOME/.pyenv}/bin/pyenv" ]]; then
    pyenv_bin="${PYENV_ROOT:-$HOME/.pyenv}/bin/pyenv"
  fi
  if [[ -n "$pyenv_bin" ]]; then
    # Plain CPython releases only (no 3.13.0t, no -dev), newest first.
    for version in $("$pyenv_bin" versions --bare 2>/dev/null |
      grep -E '^3\.(1[2-9]|[2-9][0-9])\.[0-9]+$' | sort -rV); do
      found="$(PYENV_VERSION="$version" "$pyenv_bin" which python 2>/dev/null || true)"
      if [[ -n "$found" ]] && python_ok "$found"; then
        return 0
      fi
    done
  fi
  for found in $(compgen -G '/usr/bin/python3.[1-9][0-9]' | sort -rV); do
    if python_ok "$found"; then
      return 0
    fi
  done
  return 1
}

venv_ok() { [[ -x "$VENV/bin/python" ]] && python_ok "$VENV/bin/python" >/dev/null; }

if venv_ok; then
  step "Python: .venv has $("$VENV/bin/python" -V 2>&1)"
else
  if [[ -n "${PYTHON:-}" ]]; then
    PY="$(python_ok "$PYTHON")" || die "PYTHON=$PYTHON is not a working Python >= $MIN_PYTHON."
  else
    PY="$(find_python)" || die "no Python >= $MIN_PYTHON found. Install Python 3.12 or newer:
    apt-get install python3.12 python3.12-venv, or pyenv install 3.12
  then run this again (or point PYTHON=/path/to/python3.12 at one)."
  fi
  step "Python: $PY ($("$PY" -V 2>&1))"

  # --- 3. The virtual environment ----------------------------------------------------------
  # Debian splits venv's pip bootstrap (ensurepip) into python3.X-venv.
  if ! "$PY" -c 'import ensurepip' 2>/dev/null; then
    venv_pkg="$("$PY" -c 'import sys; print("python%d.%d-venv" % sys.version_info[:2])')"
    if command -v apt-get >/dev/null && is_root; then
      apt_install "$venv_pkg"
    else
      die "$PY cannot create a venv: install $venv_pkg (sudo apt-get install $venv_pkg)."
    fi
  fi
  if [[ -e "$VENV" ]]; then
    step "Replacing .venv (its Python is missing or older than $MIN_PYTHON)"
    rm -rf "$VENV"
  fi
  step "Creating .venv"
  "$PY" -m venv --prompt csp-tracker "$VENV"
fi

# --- 4. uv, pinned, in its own small venv inside .venv ----------------------------------------
# Not in .venv's site-packages: `uv sync` makes .venv match uv.lock exactly, and in a venv that
# uv created it uninstalls pip and uv themselves, so every run would reinstall them.
UV="$VENV/uv-tool/bin/uv"
if [[ "$("$UV" --version 2>/dev/null)" == "uv $UV_VERSION"* ]]; then
  step "uv: $UV_VERSION"
else
  step "Installing uv $UV_VERSION into .venv/uv-tool"
  rm -rf "$VENV/uv-tool"
  "$VENV/bin/python" -m venv "$VENV/uv-tool" ||
    die "could not create .venv/uv-tool: its Python lacks ensurepip (python3.X-venv on Debian)."
  "$VENV/uv-tool/bin/python" -m pip install -q -q "uv==$UV_VERSION"
fi

# --- 5. Dependencies from uv.lock ------------------------------------------------------------
step "Syncing .venv with uv.lock (dev group included)"
# uv may not download a Python here, and must sync this .venv whatever the caller's shell has
# activated or configured.
(
  cd "$ROOT"
  unset VIRTUAL_ENV
  UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT="$VENV" \
    "$UV" sync --locked --quiet --python "$VENV/bin/python"
)
step "Ready: $("$VENV/bin/python" -c 'import django; print("Django", django.get_version())') in .venv"
