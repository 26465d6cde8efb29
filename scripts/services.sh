#!/usr/bin/env bash
# Make sure the local PostgreSQL, Redis and RabbitMQ used by the test suite are running.
set -euo pipefail

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "==> starting PostgreSQL"
  cluster_version="$(ls /etc/postgresql | sort -V | tail -1)"
  pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
# A fresh Debian install has no role for root and password auth on TCP: add one.
if ! psql -h 127.0.0.1 -U root -d postgres -Atc "select 1" >/dev/null 2>&1; then
  if ! PGPASSWORD=root psql -h 127.0.0.1 -U root -d postgres -Atc "select 1" >/dev/null 2>&1; then
    echo "==> creating PostgreSQL role root"
    su postgres -c "psql -q -c \"CREATE ROLE root SUPERUSER LOGIN PASSWORD 'root'\"" \
      || su postgres -c "psql -q -c \"ALTER ROLE root WITH SUPERUSER LOGIN PASSWORD 'root'\""
  fi
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "==> starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi

if ! (echo > /dev/tcp/127.0.0.1/5672) 2>/dev/null; then
  echo "==> starting RabbitMQ"
  rabbitmq-server -detached
  for _ in $(seq 1 60); do (echo > /dev/tcp/127.0.0.1/5672) 2>/dev/null && break; sleep 1; done
fi
