#!/usr/bin/env bash
# Install what Wenku needs on Debian 12: system packages (when missing), .venv, the project.
#   scripts/bootstrap.sh          runtime (LibreOffice, CJK fonts, OCR, poppler)
#   scripts/bootstrap.sh --test   plus test tools (chromium, PostgreSQL, Redis, test extras)
set -euo pipefail
cd "$(dirname "$0")/.."

WANT_TEST=0
[[ "${1:-}" == "--test" ]] && WANT_TEST=1

RUNTIME_PKGS=(libreoffice-writer-nogui libreoffice-impress-nogui libreoffice-calc-nogui
  python3-uno fonts-noto-cjk fonts-noto-cjk-extra fonts-arphic-ukai fonts-arphic-uming
  fonts-liberation fonts-liberation2 fonts-crosextra-carlito fonts-crosextra-caladea
  fonts-dejavu-core
  poppler-utils tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng qpdf gettext
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
TEST_PKGS=(chromium postgresql redis-server rabbitmq-server)
# npm brings axe-core for the accessibility tests (tools/a11y); a machine that has
# Node.js and npm from elsewhere keeps them.
(( WANT_TEST )) && ! command -v npm >/dev/null 2>&1 && TEST_PKGS+=(npm)

SUDO=""
[[ "$(id -u)" != "0" ]] && SUDO="sudo"

missing=()
pkgs=("${RUNTIME_PKGS[@]}")
(( WANT_TEST )) && pkgs+=("${TEST_PKGS[@]}")
for pkg in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if (( ${#missing[@]} )); then
  echo "==> installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PY="${PYTHON:-python3}"
if [[ ! -x .venv/bin/python ]]; then
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
STAMP=.venv/.wenku-installed
(( WANT_TEST )) && STAMP=.venv/.wenku-installed-test
if [[ ! -f "$STAMP" || pyproject.toml -nt "$STAMP" ]]; then
  echo "==> installing Wenku into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  if (( WANT_TEST )); then
    .venv/bin/python -m pip install -q -e ".[test]"
  else
    .venv/bin/python -m pip install -q -e .
  fi
  touch "$STAMP"
fi

# Test tools from the npm registry, pinned in tools/a11y/package-lock.json.
if (( WANT_TEST )); then
  A11Y=tools/a11y
  if [[ ! -f "$A11Y/node_modules/.wenku-installed" || "$A11Y/package-lock.json" -nt "$A11Y/node_modules/.wenku-installed" ]]; then
    echo "==> installing test tools from npm ($A11Y: axe-core)"
    # From inside the folder, not with --prefix: --prefix also moves npm's global
    # config ($PREFIX/etc/npmrc), and with it a machine's registry CA settings.
    (cd "$A11Y" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$A11Y/node_modules/.wenku-installed"
  fi
fi
