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
            delay = None if _is_configuration_error(e) else next(delays, None)
            if delay is None:
                raise last
            time.sleep(delay)


# Refusals that no retry cures (libpq gives no SQLSTATE for them; the server's English wording).
_CONFIG_ERRORS = ("does not exist", "authentication failed", "no pg_hba.conf entry", "permission denied",
                  "no password supplied", "invalid connection option", "invalid dsn", "missing \"=\"")


def _is_configuration_error(e: Exception) -> bool:
    text = str(e)
    return any(m in text for m in _CONFIG_ERRORS)


def _is_connection_loss(e: psycopg.Error, conn: psycopg.Connection | None) -> bool:
    """A lost or refused connection (worth a retry), as opposed to an error of the statement."""
    if conn is None or conn.closed or conn.broken:
        return not _is_configuration_error(e)
    state = getattr(getattr(e, "diag", None), "sqlstate", None) or ""
    return state.startswith("08") or state in ("57P01", "57P02", "57P03")


class Db:
    """One connection for a shim's entry-point calls. Every call retries a lost or refused
    connection with backoff and jitter (reconnecting), so a server restart in the middle of a run
    costs a pause, not the run. Each call is one autocommit statement: after a retry the
    statement runs again, so entry points called through here must be safe to repeat (the
    engine's are: they record each file's fate once)."""

    def __init__(self, retries: int | None = None, on_retry=None):
        self.retries = retries
        self.on_retry = on_retry  # default callback(error, delay) before each retry, e.g. to log it
        self.conn: psycopg.Connection | None = None

    def _connection(self) -> psycopg.Connection:
        if self.conn is None or self.conn.closed or self.conn.broken:
            self.close()
            self.conn = connect(retries=0)
        return self.conn

    def call(self, sql, params=None, on_retry=None, already_done=None) -> list[tuple]:
        """Run one statement, return its rows (empty list when it returns none).

        already_done=(sql, params): a query run before each retry; when it returns rows, the
        lost attempt had committed after all and its rows are returned instead of repeating it
        (for statements that are not safe to repeat, e.g. registering a file)."""
        delays = backoff_delays(self.retries)
        on_retry = on_retry or self.on_retry
        attempt = 0
        while True:
            try:
                conn = self._connection()
                if attempt and already_done is not None:
                    done = conn.execute(*already_done).fetchall()
                    if done:
                        return done
                attempt += 1
                cur = conn.execute(sql, params)
                return cur.fetchall() if cur.description else []
            except psycopg.OperationalError as e:
                if not _is_connection_loss(e, self.conn):
                    raise
                self.close()
                delay = next(delays, None)
                if delay is None:
                    raise
                if on_retry is not None:
                    on_retry(e, delay)
                time.sleep(delay)

    def one(self, sql, params=None, **kw):
        rows = self.call(sql, params, **kw)
        return rows[0] if rows else None

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass
            self.conn = None


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

    def __init__(self, process_type: str, run_uuid: str | None = None, conn: psycopg.Connection | None = None,
                 echo=None):
        self.process_type = process_type
        self.run_uuid = run_uuid or str(uuid.uuid4())
        self.conn = conn
        self.user = getpass.getuser()
        self.echo = echo  # a stream (e.g. sys.stderr) that also gets each line, for cron logs

    def child(self, process_type: str) -> "RunLog":
        """A log for another part of the same run (same run uuid, own process type)."""
        return RunLog(process_type, self.run_uuid, echo=self.echo)

    def log(self, message: str, level: str = "info", load_id: int | None = None) -> None:
        message = message.encode("utf-8", "backslashreplace").decode("utf-8")  # a name that is not UTF-8
        entry = str(uuid.uuid4())
        now = dt.datetime.now(dt.timezone.utc)
        if self.echo is not None:
            print(f"{now.astimezone():%Y-%m-%d %H:%M:%S} {level:<7} {self.process_type}: {message}",
                  file=self.echo, flush=True)
        try:
            if self.conn is None or self.conn.closed or self.conn.broken:
                self.conn = connect(retries=0)
            self.conn.execute(
                "SELECT dba.log(p_run_uuid => %s, p_process_type => %s, p_message => %s, p_level => %s,"
                " p_load_id => %s, p_user_name => %s, p_entry_uuid => %s)",
                (self.run_uuid, self.process_type, message, level, load_id, self.user, entry))
        except psycopg.OperationalError:
            self._fallback([entry, now.isoformat(), self.run_uuid, self.process_type, self.user, level,
                            "" if load_id is None else load_id, message])

    def close(self) -> None:
        if self.conn is not None and not self.conn.closed:
            self.conn.close()

    def _fallback(self, row: list) -> None:
        d = fallback_dir()
        d.mkdir(parents=True, exist_ok=True)
        path = d / f"feeds_fallback_{dt.date.today():%Y%m%d}.csv"
        new = not path.exists() or path.stat().st_size == 0
        old = os.umask(0o007)
        try:
            with open(path, "a+", newline="", encoding="utf-8") as f:
                if not new:  # a line cut short by a crash must not swallow this one
                    f.seek(0, os.SEEK_END)
                    f.seek(f.tell() - 1)
                    if f.read(1) != "\n":
                        f.write("\r\n")
                w = csv.writer(f)
                if new:
                    w.writerow(LOG_COLUMNS)
                w.writerow(row)
        finally:
            os.umask(old)
        os.chmod(path, 0o660)
