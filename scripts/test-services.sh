#!/usr/bin/env bash
# Starts the PostgreSQL and Redis that the PostgreSQL tier and the cluster tests use (Debian's
# packages), and gives PostgreSQL the test role: webqueue/webqueue, allowed to create databases.
# Safe to run again. Test-only settings: no fsync (a crash loses nothing a test needs).
set -euo pipefail
cluster_dir=/etc/postgresql/15/main
if [ ! -d "$cluster_dir" ]; then
  pg_createcluster 15 main >/dev/null
fi
if ! pg_lsclusters -h | awk '$1 == "15" && $2 == "main" {print $4}' | grep -q online; then
  pg_ctlcluster 15 main start
fi
su postgres -c "psql -q -c \"ALTER SYSTEM SET fsync = off\" -c \"ALTER SYSTEM SET synchronous_commit = off\" -c \"ALTER SYSTEM SET full_page_writes = off\" -c \"ALTER SYSTEM SET max_connections = 300\"" >/dev/null
pg_ctlcluster 15 main restart
su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'webqueue'\"" | grep -q 1 ||
  su postgres -c "psql -q -c \"CREATE ROLE webqueue LOGIN SUPERUSER PASSWORD 'webqueue'\""
su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'webqueue'\"" | grep -q 1 ||
  su postgres -c "psql -q -c \"CREATE DATABASE webqueue OWNER webqueue\""
if ! redis-cli -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --port 6379 --bind 127.0.0.1 --save '' --appendonly no >/dev/null
  for _ in $(seq 1 50); do redis-cli -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
redis-cli -p 6379 ping
