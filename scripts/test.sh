#!/usr/bin/env bash
# The whole test suite: ruff, then pytest on SQLite and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --test
scripts/services.sh

export PATH="$PWD/.venv/bin:$PATH"
echo "==> ruff"
ruff check wenku bench conftest.py
ruff format --check wenku bench conftest.py
echo "==> import contracts (lint-imports)"
lint-imports
echo "==> mypy"
WENKU_DATA_DIR="$(mktemp -d)" mypy wenku/conversion wenku/wallet wenku/search \
  wenku/documents/services wenku/documents/selectors.py wenku/documents/access.py wenku/accounts/services.py \
  wenku/moderation/services wenku/moderation/selectors.py wenku/core/selectors.py wenku/community/services.py wenku/community/selectors.py \
  wenku/broker.py wenku/supervisor.py wenku/storage.py wenku/checkup.py wenku/jobs.py \
  wenku/notifications/services.py wenku/notifications/selectors.py wenku/moderation/review.py

export WENKU_REDIS_URL="${WENKU_REDIS_URL:-redis://127.0.0.1:6379/15}"
RUN_DIR="$(mktemp -d /tmp/wenku-test.XXXXXX)"
trap 'rm -rf "$RUN_DIR"' EXIT
status=0

echo "==> pytest on SQLite"
WENKU_DATA_DIR="$RUN_DIR/sqlite" WENKU_DATABASE_URL="sqlite:///$RUN_DIR/sqlite/wenku.sqlite3" \
  WENKU_TEST_DATABASE=sqlite python -m pytest -m "not scaleout" "$@" || status=$?

echo "==> pytest on PostgreSQL"
WENKU_DATA_DIR="$RUN_DIR/pg" WENKU_DATABASE_URL="postgres://root:root@127.0.0.1:5432/wenku" \
  WENKU_TEST_DATABASE=postgresql python -m pytest -m "not scaleout" "$@" || status=$?

echo "==> the scale-out shape as processes (PostgreSQL, Redis and RabbitMQ, S3)"
WENKU_DATA_DIR="$RUN_DIR/scaleout" python -m pytest -m scaleout "$@" || status=$?

exit $status
