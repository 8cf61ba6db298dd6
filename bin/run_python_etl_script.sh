#!/usr/bin/env bash
# Runs one `feeds` command (a Python shim) in the project's .venv for cron, appending everything it
# prints to logs/feeds_<command>_YYYYMMDD.log (0660, group etl_group), and exits with its exit code.
#
#   bin/run_python_etl_script.sh run                 # the weekly run
#   bin/run_python_etl_script.sh logs replay         # fallback log lines into dba.tlogentry
#   bin/run_python_etl_script.sh mail send --save-dir /srv/feeds/reports
#
# Settings: libpq (PGHOST, PGPORT, PGDATABASE, PGUSER, PGSERVICE, ~/.pgpass) and FEEDS_*; when the
# file named by FEEDS_ENV_FILE (default /etc/feeds/feeds.env) exists, its KEY=VALUE lines are
# exported first. The file is read by Feeds' one parser (shims/config.py, which states the mode
# rule: 0600, or 0640 with group etl_group), never sourced by bash: nothing in it is expanded or run.
# Keep secrets there, never in the repository or the crontab. A loose mode stops here with exit 2.
# FEEDS_LOG_DIR moves the logs (default <repo>/logs). A second start of the same command while the
# first still runs exits 0 at once and says so in the log.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
umask 007

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [args]   (a feeds command, e.g. run, watch --once, logs replay)" >&2
  exit 2
fi
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  echo "run_python_etl_script: $ROOT/.venv is missing; run bin/setup first" >&2
  exit 2
fi

ENV_FILE=${FEEDS_ENV_FILE:-/etc/feeds/feeds.env}
if [ -e "$ENV_FILE" ] || [ -L "$ENV_FILE" ]; then
  exports=$(PYTHONPATH="$ROOT" "$ROOT/.venv/bin/python" -m shims.config --export "$ENV_FILE") || exit 2
  eval "$exports"
fi

LOG_DIR=${FEEDS_LOG_DIR:-$ROOT/logs}
export FEEDS_LOG_DIR=$LOG_DIR
if [ ! -d "$LOG_DIR" ]; then
  mkdir -p "$LOG_DIR"
  chgrp etl_group "$LOG_DIR" 2>/dev/null || true
  chmod 2770 "$LOG_DIR"
fi

# The log is named after the command: "run", "logs replay" -> logs_replay, "errors 42" -> errors.
name=$1
[[ ${2:-} =~ ^[a-z]+$ ]] && name="${1}_$2"
name=$(printf '%s' "$name" | tr -c 'A-Za-z0-9_' '_')
log="$LOG_DIR/feeds_${name}_$(date +%Y%m%d).log"
touch "$log" && chmod 0660 "$log"
chgrp etl_group "$log" 2>/dev/null || true

exec 9>>"$LOG_DIR/.feeds_${name}.lock"
if ! flock -n 9; then
  echo "=== $(date -Is) feeds $* not started: the previous one still runs" >>"$log"
  exit 0
fi

{
  echo "=== $(date -Is) feeds $* (pid $$, user $(id -un))"
  "$ROOT/bin/feeds" "$@"
  rc=$?
  echo "=== $(date -Is) exit $rc"
  exit $rc
} >>"$log" 2>&1
