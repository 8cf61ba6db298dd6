"""Database access for the shims: connect with retries, call entry points, log with a fallback.

Connection settings come from libpq (PGHOST, PGPORT, PGDATABASE, PGUSER, PGSERVICE, ~/.pgpass)
or FEEDS_DSN. Retries (tenacity): FEEDS_DB_RETRIES (default 5) retries, exponential backoff from
FEEDS_DB_BACKOFF seconds (default 1.0, capped at FEEDS_DB_BACKOFF_MAX, default 30) with jitter.

An outage is told from a configuration error by SQLSTATEs and connection states, never by the
wording of libpq's messages (which follows the server's lc_messages): see is_configuration_error.
Logging is shims/logs.py; RunLog here is the older interface over it.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg
import tenacity

from shims import logs
from shims.retry import backoff, env_float

ROOT = Path(__file__).resolve().parent.parent
LOG_COLUMNS = logs.LOG_COLUMNS
fallback_dir = logs.fallback_dir

# SQLSTATE classes of a server that is there but cannot take the connection or statement now:
# connection exceptions (08), insufficient resources (53, e.g. too many connections), and
# operator intervention (57P01 shutdown, 57P02 crash shutdown, 57P03 starting up).
TRANSIENT_SQLSTATES = ("08", "53", "57P01", "57P02", "57P03")


def retrying(retries: int | None, retry, before_sleep=None) -> tenacity.Retrying:
    """tenacity's Retrying for database calls: `retries` retries (FEEDS_DB_RETRIES when None)."""
    retries = int(env_float("FEEDS_DB_RETRIES", 5)) if retries is None else retries
    return tenacity.Retrying(
        stop=tenacity.stop_after_attempt(retries + 1),
        wait=backoff(env_float("FEEDS_DB_BACKOFF", 1.0), env_float("FEEDS_DB_BACKOFF_MAX", 30.0)),
        retry=tenacity.retry_if_exception(retry), before_sleep=before_sleep, reraise=True)


def is_configuration_error(e: Exception, dsn: str | None = None) -> bool:
    """A refusal that no retry cures, told by codes and states, never by libpq's wording (which
    follows the server's lc_messages).

    An error with a SQLSTATE (one the server sent on an open connection) is configuration unless
    its class is transient (TRANSIENT_SQLSTATES). A connection attempt that failed carries no
    SQLSTATE (libpq keeps the server's code to itself), so its connection state decides: libpq
    gave up because the server asked for a password and none was configured (needs_password);
    otherwise libpq's ping of the same DSN: the server is up and accepting connections (so it
    refused these credentials, this role, database or pg_hba.conf entry: 28P01, 28000, 3D000 on
    the server's side), or the parameters are unusable -> configuration; the server did not
    answer, or answers that it cannot take connections now (starting up, shutting down) -> an
    outage. A server that answers the ping is asked once more: one that came up between the
    refusal and the ping (the refusal said "starting up") takes that connection -> an outage
    that has just ended."""
    state = getattr(e, "sqlstate", None)
    if state:
        return not state.startswith(TRANSIENT_SQLSTATES)
    pgconn = getattr(e, "pgconn", None)
    if pgconn is None:
        return False
    if pgconn.needs_password and not pgconn.used_password:
        return True
    dsn = os.environ.get("FEEDS_DSN", "") if dsn is None else dsn
    ping = psycopg.pq.PGconn.ping(dsn.encode())
    if ping == psycopg.pq.Ping.OK:
        # The server answers now, but it may have finished starting (or recovering) between the
        # refusal and the ping: only a second refusal while it is up is a configuration error.
        try:
            psycopg.connect(dsn, connect_timeout=10).close()
        except psycopg.OperationalError:
            return psycopg.pq.PGconn.ping(dsn.encode()) == psycopg.pq.Ping.OK
        return False
    return ping == psycopg.pq.Ping.NO_ATTEMPT


def connect(autocommit: bool = True, retries: int | None = None, on_retry=None) -> psycopg.Connection:
    """Connect, retrying a refused or lost server with backoff; raise the last error at the end.
    A configuration error (bad DSN, role, password, database) is raised at once.
    on_retry(error, delay) is called before each retry."""
    dsn = os.environ.get("FEEDS_DSN", "")
    outage = lambda e: isinstance(e, psycopg.OperationalError) and not is_configuration_error(e, dsn)  # noqa: E731
    before_sleep = None if on_retry is None else \
        (lambda state: on_retry(state.outcome.exception(), state.upcoming_sleep))
    return retrying(retries, outage, before_sleep)(psycopg.connect, dsn, autocommit=autocommit, connect_timeout=10)


def is_connection_loss(e: BaseException, conn: psycopg.Connection | None) -> bool:
    """A lost or refused connection (worth a retry), as opposed to an error of the statement."""
    if not isinstance(e, psycopg.OperationalError):
        return False
    if conn is None or conn.closed or conn.broken:
        return not is_configuration_error(e)
    state = getattr(getattr(e, "diag", None), "sqlstate", None) or ""
    return state.startswith(TRANSIENT_SQLSTATES)


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
        on_retry = on_retry or self.on_retry

        def before_sleep(state: tenacity.RetryCallState) -> None:
            self.close()
            if on_retry is not None:
                on_retry(state.outcome.exception(), state.upcoming_sleep)

        for attempt in retrying(self.retries, lambda e: is_connection_loss(e, self.conn), before_sleep):
            with attempt:
                conn = self._connection()
                if attempt.retry_state.attempt_number > 1 and already_done is not None:
                    done = conn.execute(*already_done).fetchall()
                    if done:
                        return done
                cur = conn.execute(sql, params)
                return cur.fetchall() if cur.description else []

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


class RunLog:
    """Logs the steps of one run through dba.log() (shims/logs.py: the `feeds.<process_type>`
    logger); when the database cannot be reached, the line goes to the fallback CSV file for
    `feeds logs replay`. New code may use `logs.get()` (a logging.LoggerAdapter) directly;
    `RunLog.logger` is that adapter."""

    def __init__(self, process_type: str, run_uuid: str | None = None, conn: psycopg.Connection | None = None,
                 echo=None):
        self.process_type = process_type
        self.run_uuid = run_uuid or str(uuid.uuid4())
        self.echo = echo  # a stream (e.g. sys.stderr) that also gets each line, for cron logs
        self.logger = logs.get(process_type, self.run_uuid, conn=conn, echo=echo)

    @property
    def conn(self) -> psycopg.Connection | None:
        return self.logger.sink.conn

    def child(self, process_type: str) -> "RunLog":
        """A log for another part of the same run (same run uuid, own process type)."""
        return RunLog(process_type, self.run_uuid, echo=self.echo)

    def log(self, message: str, level: str = "info", load_id: int | None = None) -> None:
        message = message.encode("utf-8", "backslashreplace").decode("utf-8")  # a name that is not UTF-8
        self.logger.log(logs.LEVELS.get(level, logs.logging.INFO), message, extra={"load_id": load_id})

    def close(self) -> None:
        self.logger.close()
