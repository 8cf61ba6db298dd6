"""Database access for the shims: connect with retries, call entry points, log with a fallback.

Connection settings come from libpq (PGHOST, PGPORT, PGDATABASE, PGUSER, PGSERVICE, ~/.pgpass)
or FEEDS_DSN. Retries: FEEDS_DB_RETRIES (default 5) attempts, exponential backoff from
FEEDS_DB_BACKOFF seconds (default 1.0, capped at FEEDS_DB_BACKOFF_MAX, default 30) with jitter.
"""
from __future__ import annotations

import csv
import datetime as dt
import getpass
import os
import random
import time
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
LOG_COLUMNS = ["entry_uuid", "logged_at", "run_uuid", "process_type", "user_name", "level", "load_id", "message"]


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def backoff_delays(retries: int | None = None):
    """Yield the sleep before each retry: exponential with full jitter."""
    retries = int(os.environ.get("FEEDS_DB_RETRIES", 5)) if retries is None else retries
    base = _env_float("FEEDS_DB_BACKOFF", 1.0)
    cap = _env_float("FEEDS_DB_BACKOFF_MAX", 30.0)
    for attempt in range(retries):
        yield random.uniform(base / 2, min(cap, base * 2 ** attempt))


def connect(autocommit: bool = True, retries: int | None = None) -> psycopg.Connection:
    """Connect, retrying a refused or lost server with backoff; raise the last error at the end."""
    dsn = os.environ.get("FEEDS_DSN", "")
    last: Exception | None = None
    delays = backoff_delays(retries)
    while True:
        try:
            return psycopg.connect(dsn, autocommit=autocommit, connect_timeout=10)
        except psycopg.OperationalError as e:
            last = e
            delay = next(delays, None)
            if delay is None:
                raise last
            time.sleep(delay)


def describe(e: psycopg.Error) -> str:
    """A user-facing one-paragraph description of a database error (never a stack trace)."""
    d = getattr(e, "diag", None)
    if d is None or d.message_primary is None:
        return str(e).strip()
    parts = [f"{d.message_primary} [{d.sqlstate}]"]
    if d.message_detail:
        parts.append(f"detail: {d.message_detail}")
    if d.message_hint:
        parts.append(f"hint: {d.message_hint}")
    return "; ".join(parts)


def fallback_dir() -> Path:
    return Path(os.environ.get("FEEDS_LOG_DIR", ROOT / "logs"))


class RunLog:
    """Logs the steps of one run through dba.log(); when the database cannot be reached, writes
    the same line to logs/feeds_fallback_YYYYMMDD.csv (0660) for `feeds logs replay`."""

    def __init__(self, process_type: str, run_uuid: str | None = None, conn: psycopg.Connection | None = None):
        self.process_type = process_type
        self.run_uuid = run_uuid or str(uuid.uuid4())
        self.conn = conn
        self.user = getpass.getuser()

    def log(self, message: str, level: str = "info", load_id: int | None = None) -> None:
        entry = str(uuid.uuid4())
        now = dt.datetime.now(dt.timezone.utc)
        try:
            if self.conn is None or self.conn.closed:
                self.conn = connect(retries=0)
            self.conn.execute(
                "SELECT dba.log(p_run_uuid => %s, p_process_type => %s, p_message => %s, p_level => %s,"
                " p_load_id => %s, p_user_name => %s, p_entry_uuid => %s)",
                (self.run_uuid, self.process_type, message, level, load_id, self.user, entry))
        except psycopg.OperationalError:
            self._fallback([entry, now.isoformat(), self.run_uuid, self.process_type, self.user, level,
                            "" if load_id is None else load_id, message])

    def _fallback(self, row: list) -> None:
        d = fallback_dir()
        d.mkdir(parents=True, exist_ok=True)
        path = d / f"feeds_fallback_{dt.date.today():%Y%m%d}.csv"
        new = not path.exists()
        old = os.umask(0o007)
        try:
            with open(path, "a", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                if new:
                    w.writerow(LOG_COLUMNS)
                w.writerow(row)
        finally:
            os.umask(old)
        os.chmod(path, 0o660)
