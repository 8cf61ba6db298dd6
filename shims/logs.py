"""Logging for the shims: the standard `logging` module, with one Handler that writes dba.log().

    from shims import logs
    log = logs.get("sftp_pull", run_uuid)              # a LoggerAdapter of the logger feeds.sftp_pull
    log.info("downloaded %s", name)                     # -> dba.log(p_level => 'info', …)
    log.warning("left %s", name, extra={"load_id": 7})  # a line about one load
    log.close()                                         # closes the connection it opened

Every record of a `feeds.*` logger goes to `DbHandler`, which calls dba.log() (run uuid, process
type, level, load id, user, a uuid of its own per line) and, when the database cannot take the
line, appends it to logs/feeds_fallback_YYYYMMDD.csv (0660, FEEDS_LOG_DIR), the file
`feeds logs replay` loads later (shims/log_replay.py; columns LOG_COLUMNS, unchanged).
Timestamps carry their zone: dba.tlogentry.logged_at is timestamptz, the fallback CSV writes
ISO 8601 with the UTC offset. `echo=stream` (e.g. sys.stderr, for cron logs) also writes each line
of that logger to the stream as `2026-12-01 09:43:56+01:00 info    sftp_pull: message`: local
time with its UTC offset, so cron logs of machines in other zones (or across a change of daylight
saving time) read unambiguously.

Messages of a command to the person who ran it (bad usage, "database unreachable") go through
`logs.cli("mail send")`: stderr as "mail send: message", not to the database.

Levels: DEBUG, INFO, WARNING and ERROR are dba.log()'s debug, info, warning, error (CRITICAL is
written as error).
"""
from __future__ import annotations

import csv
import datetime as dt
import getpass
import logging
import os
import sys
import uuid
from pathlib import Path

import psycopg

from shims import fsutil

LOG_COLUMNS = ["entry_uuid", "logged_at", "run_uuid", "process_type", "user_name", "level", "load_id", "message"]
ROOT_LOGGER = "feeds"
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}
_PROCESS_RUN = str(uuid.uuid4())  # the run of records logged without one (a plain logging call)


def level_name(levelno: int) -> str:
    """dba.log()'s level for a logging level."""
    if levelno >= logging.ERROR:
        return "error"
    if levelno >= logging.WARNING:
        return "warning"
    return "info" if levelno >= logging.INFO else "debug"


def fallback_dir() -> Path:
    return Path(os.environ.get("FEEDS_LOG_DIR", Path(__file__).resolve().parent.parent / "logs"))


class Sink:
    """The connection one logger writes through: the caller's, or one it opens (and closes)."""

    def __init__(self, conn: psycopg.Connection | None = None):
        self.conn = conn
        self.own = conn is None

    def connection(self) -> psycopg.Connection:
        if self.conn is None or self.conn.closed or self.conn.broken:
            from shims import db  # db imports this module at its end
            self.conn = db.connect(retries=0)
        return self.conn

    def close(self) -> None:
        if self.own and self.conn is not None and not self.conn.closed:
            self.conn.close()
        self.conn = None if self.own else self.conn


class DbHandler(logging.Handler):
    """dba.log() for each record; the fallback CSV when the database cannot take it."""

    def __init__(self):
        super().__init__()
        self.sink = Sink()  # for records logged without a logs.get() adapter

    def emit(self, record: logging.LogRecord) -> None:
        entry = str(uuid.uuid4())
        when = dt.datetime.fromtimestamp(record.created, dt.timezone.utc)
        run = getattr(record, "run_uuid", None) or _PROCESS_RUN
        process = getattr(record, "process_type", None) or record.name.removeprefix(ROOT_LOGGER + ".")
        load_id = getattr(record, "load_id", None)
        # Every line names the database role that wrote it, as the lines the database writes
        # itself; a fallback line names the role libpq would have used (PGUSER, else the OS user).
        user = getattr(record, "user_name", None) or os.environ.get("PGUSER") or getpass.getuser()
        level, message = level_name(record.levelno), record.getMessage()
        sink = getattr(record, "feeds_sink", None) or self.sink
        try:
            conn = sink.connection()
            user = getattr(record, "user_name", None) or conn.info.user
            conn.execute(
                "SELECT dba.log(p_run_uuid => %s, p_process_type => %s, p_message => %s, p_level => %s,"
                " p_load_id => %s, p_user_name => %s, p_entry_uuid => %s)",
                (run, process, message, level, load_id, user, entry))
        except psycopg.Error:
            # Unreachable, or the line refused: it waits in the fallback file (replay reports a refusal).
            try:
                write_fallback([entry, when.isoformat(), run, process, user, level,
                                "" if load_id is None else load_id, message])
            except OSError:
                self.handleError(record)

    def close(self) -> None:
        self.sink.close()
        super().close()


def write_fallback(row: list) -> None:
    """Append one line to today's fallback CSV (created 0660 with a header)."""
    d = fsutil.ensure_dir(fallback_dir())  # 2770 etl_group, whichever shim makes it first
    path = d / f"feeds_fallback_{dt.date.today():%Y%m%d}.csv"
    new = not path.exists() or path.stat().st_size == 0
    with fsutil.group_modes():
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
    fsutil.set_perms(path)  # 0660 etl_group


class ZoneFormatter(logging.Formatter):
    """`2026-12-01 09:43:56+01:00 info    process: message`: local time with its UTC offset."""

    def format(self, record: logging.LogRecord) -> str:
        when = dt.datetime.fromtimestamp(record.created).astimezone().isoformat(sep=" ", timespec="seconds")
        process = getattr(record, "process_type", None) or record.name.removeprefix(ROOT_LOGGER + ".")
        return f"{when} {level_name(record.levelno):<7} {process}: {record.getMessage()}"


class _EchoTo(logging.Filter):
    def __init__(self, stream):
        super().__init__()
        self.stream = stream

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "echo", None) is self.stream


_echo_handlers: dict[int, logging.Handler] = {}
_db_handler: DbHandler | None = None


def _root() -> logging.Logger:
    """The `feeds` logger with its DbHandler (installed once per process)."""
    global _db_handler
    root = logging.getLogger(ROOT_LOGGER)
    if _db_handler is None:
        _db_handler = DbHandler()
        root.addHandler(_db_handler)
        root.setLevel(logging.DEBUG)
    return root


def _echo(stream) -> None:
    if id(stream) not in _echo_handlers:
        h = logging.StreamHandler(stream)
        h.setFormatter(ZoneFormatter())
        h.addFilter(_EchoTo(stream))
        _root().addHandler(h)
        _echo_handlers[id(stream)] = h


class RunLogger(logging.LoggerAdapter):
    """A logger of one process type in one run; `extra` of a call (load_id) adds to the run's."""

    def __init__(self, process_type: str, run_uuid: str, conn: psycopg.Connection | None = None, echo=None):
        _root()
        if echo is not None:
            _echo(echo)
        self.sink = Sink(conn)
        super().__init__(logging.getLogger(f"{ROOT_LOGGER}.{process_type}"),
                         {"run_uuid": run_uuid, "process_type": process_type, "feeds_sink": self.sink, "echo": echo})

    def process(self, msg, kwargs):
        kwargs["extra"] = {**self.extra, **(kwargs.get("extra") or {})}
        return msg, kwargs

    def close(self) -> None:
        self.sink.close()


def get(process_type: str, run_uuid: str | None = None, conn: psycopg.Connection | None = None,
        echo=None) -> RunLogger:
    """The logger of `process_type` in run `run_uuid` (a new uuid when None)."""
    return RunLogger(process_type, str(run_uuid or uuid.uuid4()), conn=conn, echo=echo)


class _Stderr(logging.StreamHandler):
    """The stderr of the moment (pytest swaps sys.stderr per test)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def cli(prog: str) -> logging.Logger:
    """Messages of command `prog` to the person who ran it: stderr as "prog: message"."""
    logger = logging.getLogger(f"feeds_cli.{prog.replace(' ', '_')}")
    if not logger.handlers:
        h = _Stderr()
        h.setFormatter(logging.Formatter(f"{prog}: %(message)s"))
        logger.addHandler(h)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger
