"""`feeds sftp pull`: download new report files from an SFTP server, exactly once.

Configuration (command-line options win over the environment, the environment over the env file):

  FEEDS_SFTP_HOST, FEEDS_SFTP_PORT (22), FEEDS_SFTP_USER
  FEEDS_SFTP_KEY_FILE (+ FEEDS_SFTP_KEY_PASSPHRASE) or FEEDS_SFTP_PASSWORD; neither: the SSH agent
  FEEDS_SFTP_REMOTE_DIR   (default /home/vinkOS/archivosVisitas)
  FEEDS_SFTP_LOCAL_DIR    (default /tmp/visitas)
  FEEDS_SFTP_PATTERN      (optional: only names this regex finds, among those a job takes)
  FEEDS_SFTP_KNOWN_HOSTS  (default ~/.ssh/known_hosts)
  FEEDS_SFTP_RETRIES (5), FEEDS_SFTP_BACKOFF (1.0 s), FEEDS_SFTP_BACKOFF_MAX (30 s), FEEDS_SFTP_TIMEOUT (30 s)
  FEEDS_SFTP_ENV_FILE     KEY=VALUE lines with any of the above; must be mode 0600 (no group or
                          other bits), because it may hold the password.

The server's host key must be in the known_hosts file: an unknown or changed key stops the pull
(exit 1). `--accept-new-host-key` adds an unknown key to the file; a changed key is always refused.

The database decides what to download and what to delete (ask, act, confirm):
dba.sftp_to_download(source, listing) names the regular files of the remote directory that an
enabled job takes (dba.match_config) in a version (name, size, mtime) not downloaded before; each
goes to a temporary dot-name in the local directory, its size is checked against the server's, it
is renamed (0660, group etl_group when that group exists), and dba.sftp_downloaded() records it in
dba.tsftpdownload. `--delete-remote` removes the remote files dba.sftp_to_delete() names (their
content is in a committed load, dba.tloadstatus.is_loaded) when their size and mtime are unchanged,
and confirms each with dba.sftp_deleted(). A lock file in the local directory keeps two pulls apart.

Exit codes: 0 ok, 1 the pull failed (host key, login, connection after retries), 2 bad configuration.
"""
from __future__ import annotations

import argparse
import dataclasses
import fcntl
import hashlib
import os
import re
import stat
import sys
from pathlib import Path

import paramiko
import psycopg
import tenacity
from psycopg.types.json import Jsonb

from shims import fsutil, logs
from shims.retry import backoff
from shims.config import ConfigError, read_env_file  # noqa: F401 (ConfigError is part of this module's API)

DEFAULTS = {
    "port": "22",
    "remote_dir": "/home/vinkOS/archivosVisitas",
    "local_dir": "/tmp/visitas",
    "pattern": "",
    "known_hosts": "~/.ssh/known_hosts",
    "retries": "5",
    "backoff": "1.0",
    "backoff_max": "30",
    "timeout": "30",
}
FIELDS = ["host", "port", "user", "key_file", "key_passphrase", "password", "remote_dir", "local_dir",
          "pattern", "known_hosts", "retries", "backoff", "backoff_max", "timeout"]
CHUNK = 1 << 20
err = logs.cli("sftp pull")


class PullError(Exception):
    """The pull failed and retrying will not help (host key, login): exit 1."""


class HostKeyError(PullError, paramiko.SSHException):
    pass


@dataclasses.dataclass
class Config:
    host: str
    port: int
    user: str
    key_file: str | None
    key_passphrase: str | None
    password: str | None
    remote_dir: str
    local_dir: Path
    pattern: re.Pattern | None
    known_hosts: Path
    retries: int
    backoff: float
    backoff_max: float
    timeout: float
    accept_new_host_key: bool = False

    def __repr__(self) -> str:  # never print secrets
        return f"Config({self.user}@{self.host}:{self.port}{self.remote_dir} -> {self.local_dir})"


@dataclasses.dataclass
class Downloaded:
    name: str
    path: Path
    size: int
    mtime: int
    sha256: str


def load_config(args: argparse.Namespace | None = None, environ: dict | None = None) -> Config:
    environ = os.environ if environ is None else environ
    env_file = getattr(args, "env_file", None) or environ.get("FEEDS_SFTP_ENV_FILE")
    merged: dict[str, str] = dict(DEFAULTS)
    if env_file:
        file_vars = read_env_file(env_file)
        merged.update({f: file_vars[f"FEEDS_SFTP_{f.upper()}"] for f in FIELDS if f"FEEDS_SFTP_{f.upper()}" in file_vars})
    merged.update({f: environ[f"FEEDS_SFTP_{f.upper()}"] for f in FIELDS if environ.get(f"FEEDS_SFTP_{f.upper()}")})
    if args is not None:
        merged.update({f: str(getattr(args, f)) for f in FIELDS if getattr(args, f, None) is not None})
    for f in ("host", "user"):
        if not merged.get(f):
            raise ConfigError(f"no SFTP {f}: set FEEDS_SFTP_{f.upper()} (environment or env file)"
                              + (f" or --{f}" if hasattr(args, f) else ""))
    try:
        pattern = re.compile(merged["pattern"]) if merged["pattern"] else None
    except re.error as e:
        raise ConfigError(f"pattern {merged['pattern']!r} does not compile: {e}") from None
    try:
        port, retries = int(merged["port"]), int(merged["retries"])
        backoff, backoff_max, timeout = float(merged["backoff"]), float(merged["backoff_max"]), float(merged["timeout"])
    except ValueError as e:
        raise ConfigError(f"bad number in the SFTP configuration: {e}") from None
    if not 0 < port < 65536 or retries < 0:
        raise ConfigError("FEEDS_SFTP_PORT must be 1-65535 and FEEDS_SFTP_RETRIES >= 0")
    key_file = merged.get("key_file") or None
    if key_file and not Path(key_file).expanduser().is_file():
        raise ConfigError(f"key file {key_file} does not exist")
    return Config(
        host=merged["host"], port=port, user=merged["user"],
        key_file=str(Path(key_file).expanduser()) if key_file else None,
        key_passphrase=merged.get("key_passphrase") or None, password=merged.get("password") or None,
        remote_dir=merged["remote_dir"].rstrip("/") or "/", local_dir=Path(merged["local_dir"]).expanduser(),
        pattern=pattern, known_hosts=Path(merged["known_hosts"]).expanduser(),
        retries=retries, backoff=backoff,
        backoff_max=backoff_max, timeout=timeout,
        accept_new_host_key=bool(getattr(args, "accept_new_host_key", False)))


# --- what the database knows ------------------------------------------------------------------

def source(cfg: Config) -> str:
    """How dba.tsftpdownload names this server and directory: user@host:port/remote/dir."""
    return f"{cfg.user}@{cfg.host}:{cfg.port}{cfg.remote_dir}"


class PullLock:
    """A lock file in the local directory, held for the whole pull, so that two pulls never
    download into it at once."""

    def __init__(self, cfg: Config):
        fsutil.ensure_dir(cfg.local_dir)
        self.path = cfg.local_dir / ".sftp_pull.lock"
        self._file = open(self.path, "a")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            raise PullError(f"another sftp pull holds the lock {self.path}; try again when it has finished") from None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()


def _rows(db, sql: str, params) -> list[tuple]:
    """A statement through a shims.db.Db (retried) or a psycopg connection."""
    if hasattr(db, "call"):
        return db.call(sql, params)
    cur = db.execute(sql, params)
    return cur.fetchall() if cur.description else []


# --- connection ---------------------------------------------------------------------------------

class _RejectUnknown(paramiko.MissingHostKeyPolicy):
    def __init__(self, cfg: Config):
        self.cfg = cfg

    def missing_host_key(self, client, hostname, key):
        raise HostKeyError(
            f"host key of {hostname} ({key.get_name()} {key.fingerprint}) is not in {self.cfg.known_hosts}; "
            f"check the fingerprint with the server's administrator, then add it with "
            f"`ssh-keyscan -p {self.cfg.port} {self.cfg.host} >> {self.cfg.known_hosts}` "
            f"or run once with --accept-new-host-key")


class _AcceptNew(_RejectUnknown):
    def missing_host_key(self, client, hostname, key):
        path = self.cfg.known_hosts
        ensure = not path.exists()
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(paramiko.hostkeys.HostKeyEntry([hostname], key).to_line())
        if ensure:
            os.chmod(path, 0o600)
        client.get_host_keys().add(hostname, key.get_name(), key)
        err.warning(f"added the new host key of {hostname} ({key.get_name()} {key.fingerprint}) "
              f"to {path}")


def open_client(cfg: Config) -> paramiko.SSHClient:
    client = paramiko.SSHClient()
    if cfg.known_hosts.exists():
        try:
            client.load_host_keys(str(cfg.known_hosts))
        except (OSError, paramiko.SSHException) as e:
            raise ConfigError(f"known_hosts file {cfg.known_hosts} is unreadable: {e}") from None
    client.set_missing_host_key_policy(_AcceptNew(cfg) if cfg.accept_new_host_key else _RejectUnknown(cfg))
    pkey = None
    if cfg.key_file:
        try:
            pkey = paramiko.PKey.from_path(cfg.key_file, password=cfg.key_passphrase)
        except (paramiko.SSHException, OSError, ValueError) as e:
            raise ConfigError(f"cannot read the key file {cfg.key_file}: {e}") from None
    try:
        client.connect(cfg.host, port=cfg.port, username=cfg.user, pkey=pkey, password=cfg.password,
                       allow_agent=pkey is None and cfg.password is None, look_for_keys=False,
                       timeout=cfg.timeout, banner_timeout=cfg.timeout, auth_timeout=cfg.timeout)
    except paramiko.BadHostKeyException as e:
        client.close()
        raise HostKeyError(
            f"HOST KEY CHANGED for {cfg.host}:{cfg.port}: the server offered {e.key.get_name()} "
            f"{e.key.fingerprint} but {cfg.known_hosts} has {e.expected_key.fingerprint}. This may be an "
            f"attack; nothing was downloaded. If the server was really re-keyed, remove the old line "
            f"(ssh-keygen -R '[{cfg.host}]:{cfg.port}' -f {cfg.known_hosts}) and add the new key") from None
    except paramiko.AuthenticationException as e:
        client.close()
        raise PullError(f"login as {cfg.user} on {cfg.host}:{cfg.port} was refused: {e}") from None
    except BaseException:
        client.close()
        raise
    return client


def with_retries(cfg: Config, action, log=None):
    """Run action(sftp) in a fresh SFTP session; retry lost or refused connections with backoff
    (tenacity); host key, login and configuration errors are not retried."""
    def once():
        client = open_client(cfg)
        try:
            sftp = client.open_sftp()
            sftp.get_channel().settimeout(cfg.timeout)
            return action(sftp)
        finally:
            client.close()

    def what(e: BaseException) -> str:
        return f"SFTP {cfg.host}:{cfg.port}: {e.__class__.__name__}: {e}"

    def give_up(state: tenacity.RetryCallState):
        raise PullError(f"{what(state.outcome.exception())} (gave up after {cfg.retries} retries)") from None

    lost = lambda e: isinstance(e, (OSError, EOFError, paramiko.SSHException)) and not isinstance(e, PullError)  # noqa: E731
    return tenacity.Retrying(
        stop=tenacity.stop_after_attempt(cfg.retries + 1), wait=backoff(cfg.backoff, cfg.backoff_max),
        retry=tenacity.retry_if_exception(lost), retry_error_callback=give_up,
        before_sleep=lambda state: _note(log, f"{what(state.outcome.exception())}; retrying in "
                                              f"{state.upcoming_sleep:.1f}s", "warning"))(once)


def _note(log, message: str, level: str = "info") -> None:
    if log is not None:
        log.log(message, level)
    else:
        err.log(logs.LEVELS[level], message)


# --- pull ---------------------------------------------------------------------------------------

def _download(sftp: paramiko.SFTPClient, cfg: Config, attr) -> Downloaded | None:
    name = attr.filename
    remote = f"{cfg.remote_dir.rstrip('/')}/{name}"
    final = cfg.local_dir / name
    tmp = cfg.local_dir / f".{name}.{os.getpid()}.part"
    h = hashlib.sha256()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o660)
    try:
        with os.fdopen(fd, "wb") as out, sftp.open(remote, "rb") as src:
            src.prefetch(attr.st_size)
            while True:
                chunk = src.read(CHUNK)
                if not chunk:
                    break
                h.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
            size = out.tell()
        again = sftp.stat(remote)
        if size != attr.st_size or again.st_size != attr.st_size or again.st_mtime != attr.st_mtime:
            # Still being written on the server: take it on a later pull.
            tmp.unlink()
            return None
        fsutil.set_perms(tmp)
        os.replace(tmp, final)
        fsutil.fsync_dir(cfg.local_dir)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Downloaded(name, final, size, int(attr.st_mtime), h.hexdigest())


def remote_listing(sftp: paramiko.SFTPClient, cfg: Config) -> list:
    try:
        entries = sftp.listdir_attr(cfg.remote_dir)
    except FileNotFoundError:
        raise PullError(f"remote directory {cfg.remote_dir} does not exist on {cfg.host}") from None
    except PermissionError:
        raise PullError(f"remote directory {cfg.remote_dir} on {cfg.host} is not readable by {cfg.user}") from None
    return sorted((a for a in entries if stat.S_ISREG(a.st_mode or 0)
                   and (cfg.pattern is None or cfg.pattern.search(a.filename))), key=lambda a: a.filename)


def pull(cfg: Config, log=None, db=None, job: str | None = None) -> list[Downloaded]:
    """Download what dba.sftp_to_download() names (of `job` only, when given); return what was
    downloaded by this call. `db`: a shims.db.Db or a connection (default: a Db of its own)."""
    from shims import db as dbm
    own = db is None
    db = dbm.Db() if own else db
    got: list[Downloaded] = []
    try:
        with PullLock(cfg):
            def action(sftp):
                listing = {a.filename: a for a in remote_listing(sftp, cfg)}
                wanted = _rows(db, "SELECT remote_name, job_name, skip_reason FROM dba.sftp_to_download("
                                   "p_source => %s, p_files => %s, p_job => %s)",
                               (source(cfg), Jsonb([{"name": a.filename, "size": a.st_size, "mtime": int(a.st_mtime)}
                                                    for a in listing.values()]), job))
                for name, job_name, skip in wanted:
                    if skip is not None:
                        _note(log, f"{name} left on the server: {skip}", "warning")
                        continue
                    d = _download(sftp, cfg, listing[name])
                    if d is None:
                        _note(log, f"{name} is still changing on the server; left for the next pull", "warning")
                        continue
                    _rows(db, "SELECT dba.sftp_downloaded(p_source => %s, p_remote_name => %s, p_remote_size => %s,"
                              " p_remote_mtime => %s, p_sha256 => %s, p_local_path => %s)",
                          (source(cfg), d.name, d.size, d.mtime, d.sha256, str(d.path)))
                    got.append(d)
                    _note(log, f"downloaded {d.name} ({d.size} bytes, sha256 {d.sha256[:12]}…) for job {job_name} "
                               f"to {d.path}")
            with_retries(cfg, action, log)
    finally:
        if own:
            db.close()
    return got


def delete_remote(cfg: Config, db, job: str | None = None, log=None) -> list[str]:
    """Remove the remote files dba.sftp_to_delete() names (their content is loaded), and confirm
    each. A remote file whose size or mtime changed since the download is a new version and stays.
    `db`: a shims.db.Db or a connection."""
    deleted: list[str] = []
    todo = _rows(db, "SELECT download_id, remote_name, remote_size, remote_mtime"
                     " FROM dba.sftp_to_delete(p_source => %s, p_job => %s)", (source(cfg), job))
    if not todo:
        return deleted

    def action(sftp):
        for download_id, name, size, mtime in todo:
            remote = f"{cfg.remote_dir.rstrip('/')}/{name}"
            try:
                attr = sftp.stat(remote)
            except FileNotFoundError:
                _rows(db, "SELECT dba.sftp_deleted(%s)", (download_id,))
                continue
            if attr.st_size != size or int(attr.st_mtime) != mtime:
                continue
            sftp.remove(remote)
            _rows(db, "SELECT dba.sftp_deleted(%s)", (download_id,))
            deleted.append(name)
            _note(log, f"deleted remote {remote} (its load committed)")
    with PullLock(cfg):
        with_retries(cfg, action, log)
    return deleted


def hand_to_inboxes(db, log, local_dir: Path, job: str | None = None) -> list[Path]:
    """Move each downloaded file that dba.match_config() gives to a job (or to `job` only) into that
    job's inbox, where the file watcher takes it. A name still waiting in the inbox stays here."""
    moved: list[Path] = []
    if not local_dir.is_dir():
        return moved
    from shims import file_watcher
    for path in sorted(local_dir.iterdir()):
        if not file_watcher.is_candidate(path.name, db) or not path.is_file():
            continue
        row = db.one("SELECT job_name, inbox_dir FROM dba.match_config(%s)", (path.name,))
        if row is None or (job is not None and row[0] != job):
            continue
        inbox = fsutil.ensure_dir(row[1])
        try:
            fsutil.move(path, inbox / path.name)
        except FileExistsError:
            _note(log, f"{path.name}: a file of that name still waits in {inbox}; kept in {local_dir} for the next run",
                  "warning")
            continue
        moved.append(inbox / path.name)
    return moved


def pull_for_run(run_uuid: str | None = None, log=None) -> None:
    """Hook of `feeds run` (shims/runner.py): when SFTP is configured (FEEDS_SFTP_HOST or
    FEEDS_SFTP_ENV_FILE), pull, then hand the files to their jobs' inboxes for the watcher.
    Raises PullError/ConfigError, which the runner logs; the run goes on with what is here."""
    if not (os.environ.get("FEEDS_SFTP_HOST") or os.environ.get("FEEDS_SFTP_ENV_FILE")):
        _note(log, "not configured (FEEDS_SFTP_HOST or FEEDS_SFTP_ENV_FILE is not set); skipped")
        return
    from shims import db as dbm
    cfg = load_config()
    db = dbm.Db()
    try:
        got = pull(cfg, log, db)
        moved = hand_to_inboxes(db, log, cfg.local_dir)
    finally:
        db.close()
    _note(log, f"{len(got)} new file(s) downloaded; {len(moved)} handed to job inboxes")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="feeds sftp pull", description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="Secrets (password, key passphrase) only through the environment or the env file.")
    p.add_argument("--env-file", help="KEY=VALUE file with FEEDS_SFTP_* settings (mode 0600)")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--user")
    p.add_argument("--key-file", dest="key_file")
    p.add_argument("--remote-dir", dest="remote_dir")
    p.add_argument("--local-dir", dest="local_dir")
    p.add_argument("--pattern")
    p.add_argument("--known-hosts", dest="known_hosts")
    p.add_argument("--retries", type=int)
    p.add_argument("--accept-new-host-key", action="store_true",
                   help="add an unknown host key to known_hosts (a changed key is still refused)")
    p.add_argument("--delete-remote", action="store_true",
                   help="after pulling, delete remote files whose content the database has loaded")
    p.add_argument("--job", help="only the files of this job (and with --delete-remote, only its loads)")
    return p


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        cfg = load_config(args)
    except ConfigError as e:
        err.error(str(e))
        return 2
    from shims import db as dbm
    log = dbm.RunLog("sftp_pull")
    db = dbm.Db()
    try:
        got = pull(cfg, log, db, args.job)
        for d in got:
            print(d.path)
        if args.delete_remote:
            delete_remote(cfg, db, args.job, log)
    except ConfigError as e:
        err.error(str(e))
        return 2
    except PullError as e:
        log.log(str(e), "error")
        err.error(str(e))
        return 1
    except psycopg.OperationalError as e:
        err.error(f"database unreachable, nothing more downloaded or deleted: {dbm.describe(e)}")
        return 1
    except psycopg.Error as e:
        err.error(f"the database refused: {dbm.describe(e)}")
        return 1
    finally:
        db.close()
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
