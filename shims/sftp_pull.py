"""`feeds sftp pull`: download new report files from an SFTP server, exactly once.

Configuration (command-line options win over the environment, the environment over the env file):

  FEEDS_SFTP_HOST, FEEDS_SFTP_PORT (22), FEEDS_SFTP_USER
  FEEDS_SFTP_KEY_FILE (+ FEEDS_SFTP_KEY_PASSPHRASE) or FEEDS_SFTP_PASSWORD; neither: the SSH agent
  FEEDS_SFTP_REMOTE_DIR   (default /home/vinkOS/archivosVisitas)
  FEEDS_SFTP_LOCAL_DIR    (default /tmp/visitas)
  FEEDS_SFTP_PATTERN      (default ^report_\\d+\\.txt$, matched against the whole file name)
  FEEDS_SFTP_KNOWN_HOSTS  (default ~/.ssh/known_hosts)
  FEEDS_SFTP_STATE_FILE   (default <repo>/var/sftp_pull_state.json)
  FEEDS_SFTP_RETRIES (5), FEEDS_SFTP_BACKOFF (1.0 s), FEEDS_SFTP_BACKOFF_MAX (30 s), FEEDS_SFTP_TIMEOUT (30 s)
  FEEDS_SFTP_ENV_FILE     KEY=VALUE lines with any of the above; must be mode 0600 (no group or
                          other bits), because it may hold the password.

The server's host key must be in the known_hosts file: an unknown or changed key stops the pull
(exit 1). `--accept-new-host-key` adds an unknown key to the file; a changed key is always refused.

Each file goes to a temporary dot-name in the local directory, its size is checked against the
server's, then it is renamed (0660, group etl_group when that group exists). A file is remembered by
remote path, size and mtime in the state file and never downloaded twice. `--delete-remote` removes
a remote file only when dba.tdataloads shows its content (sha256) loaded in a committed load.

Exit codes: 0 ok, 1 the pull failed (host key, login, connection after retries), 2 bad configuration.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import fcntl
import hashlib
import json
import os
import random
import re
import stat
import sys
import time
from pathlib import Path

import paramiko

from shims import fsutil
from shims.config import ConfigError, read_env_file  # noqa: F401 (ConfigError is part of this module's API)

ROOT = Path(__file__).resolve().parent.parent
DEFAULTS = {
    "port": "22",
    "remote_dir": "/home/vinkOS/archivosVisitas",
    "local_dir": "/tmp/visitas",
    "pattern": r"^report_\d+\.txt$",
    "known_hosts": "~/.ssh/known_hosts",
    "state_file": str(ROOT / "var" / "sftp_pull_state.json"),
    "retries": "5",
    "backoff": "1.0",
    "backoff_max": "30",
    "timeout": "30",
}
FIELDS = ["host", "port", "user", "key_file", "key_passphrase", "password", "remote_dir", "local_dir",
          "pattern", "known_hosts", "state_file", "retries", "backoff", "backoff_max", "timeout"]
CHUNK = 1 << 20


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
    pattern: re.Pattern
    known_hosts: Path
    state_file: Path
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
            raise ConfigError(f"no SFTP {f}: set FEEDS_SFTP_{f.upper()} (environment or env file) or --{f}")
    try:
        pattern = re.compile(merged["pattern"])
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
        state_file=Path(merged["state_file"]).expanduser(), retries=retries, backoff=backoff,
        backoff_max=backoff_max, timeout=timeout,
        accept_new_host_key=bool(getattr(args, "accept_new_host_key", False)))


# --- state ----------------------------------------------------------------------------------------

class State:
    """What was downloaded: {"user@host:port/remote/path": {size, mtime, sha256, downloaded_at, deleted_at}}.
    Locked for the whole pull so that two pulls never download the same file at once."""

    def __init__(self, path: Path):
        self.path = path
        fsutil.ensure_dir(path.parent)
        self._lock = open(path.with_name(path.name + ".lock"), "a")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise PullError(f"another sftp pull holds the lock {self._lock.name}; try again when it has finished") from None
        try:
            self.data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        except (ValueError, OSError) as e:
            raise ConfigError(f"state file {path} is unreadable ({e}); move it away to start afresh "
                              "(files may then be downloaded again; the database still loads each content once)") from None

    def save(self) -> None:
        with fsutil.atomic_writer(self.path, "w", encoding="utf-8") as f:
            json.dump(self.data, f, indent=1, sort_keys=True)

    def close(self) -> None:
        self._lock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def state_key(cfg: Config, name: str) -> str:
    return f"{cfg.user}@{cfg.host}:{cfg.port}{cfg.remote_dir.rstrip('/')}/{name}"


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
        print(f"sftp pull: added the new host key of {hostname} ({key.get_name()} {key.fingerprint}) "
              f"to {path}", file=sys.stderr)


def delays(cfg: Config):
    for attempt in range(cfg.retries):
        yield random.uniform(cfg.backoff / 2, min(cfg.backoff_max, cfg.backoff * 2 ** attempt))


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
    """Run action(sftp) in a fresh SFTP session; retry lost or refused connections with backoff."""
    waits = delays(cfg)
    while True:
        client = None
        try:
            client = open_client(cfg)
            sftp = client.open_sftp()
            sftp.get_channel().settimeout(cfg.timeout)
            return action(sftp)
        except (PullError, ConfigError):
            raise
        except (OSError, EOFError, paramiko.SSHException) as e:
            wait = next(waits, None)
            what = f"SFTP {cfg.host}:{cfg.port}: {e.__class__.__name__}: {e}"
            if wait is None:
                raise PullError(f"{what} (gave up after {cfg.retries} retries)") from None
            _note(log, f"{what}; retrying in {wait:.1f}s", "warning")
            time.sleep(wait)
        finally:
            if client is not None:
                client.close()


def _note(log, message: str, level: str = "info") -> None:
    if log is not None:
        log.log(message, level)
    else:
        print(f"sftp pull: {message}", file=sys.stderr)


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
    return sorted((a for a in entries if stat.S_ISREG(a.st_mode or 0) and cfg.pattern.search(a.filename)),
                  key=lambda a: a.filename)


def pull(cfg: Config, log=None) -> list[Downloaded]:
    """Download every new matching file; return what was downloaded by this call."""
    fsutil.ensure_dir(cfg.local_dir)
    got: list[Downloaded] = []
    with State(cfg.state_file) as state:
        def action(sftp):
            for attr in remote_listing(sftp, cfg):
                key = state_key(cfg, attr.filename)
                seen = state.data.get(key)
                if seen and seen["size"] == attr.st_size and seen["mtime"] == int(attr.st_mtime):
                    continue
                d = _download(sftp, cfg, attr)
                if d is None:
                    _note(log, f"{attr.filename} is still changing on the server; left for the next pull", "warning")
                    continue
                state.data[key] = {"size": d.size, "mtime": d.mtime, "sha256": d.sha256,
                                   "downloaded_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
                state.save()
                got.append(d)
                _note(log, f"downloaded {d.name} ({d.size} bytes, sha256 {d.sha256[:12]}…) to {d.path}")
        with_retries(cfg, action, log)
    return got


def loaded_sha256s(conn, sha256s: list[str], job: str | None = None) -> set[str]:
    """The contents among sha256s that a committed load has loaded (dba.tdataloads)."""
    if not sha256s:
        return set()
    rows = conn.execute(
        "SELECT DISTINCT sha256 FROM dba.tdataloads WHERE sha256 = ANY(%s)"
        " AND status IN ('loaded', 'loaded_with_rejects') AND (%s::text IS NULL OR job_name = %s)",
        (sha256s, job, job)).fetchall()
    return {r[0] for r in rows}


def delete_remote(cfg: Config, conn, job: str | None = None, log=None) -> list[str]:
    """Remove remote files whose downloaded content the database shows as loaded. A remote file whose
    size or mtime changed since the download is a new version and stays."""
    deleted: list[str] = []
    with State(cfg.state_file) as state:
        prefix = state_key(cfg, "")
        candidates = {k: v for k, v in state.data.items()
                      if k.startswith(prefix) and "/" not in k[len(prefix):] and not v.get("deleted_at")}
        done = loaded_sha256s(conn, sorted({v["sha256"] for v in candidates.values()}), job)
        todo = {k: v for k, v in candidates.items() if v["sha256"] in done}
        if not todo:
            return deleted

        def action(sftp):
            for key, seen in sorted(todo.items()):
                if seen.get("deleted_at"):
                    continue
                name = key[len(prefix):]
                remote = f"{cfg.remote_dir.rstrip('/')}/{name}"
                try:
                    attr = sftp.stat(remote)
                except FileNotFoundError:
                    seen["deleted_at"] = "gone"
                    state.save()
                    continue
                if attr.st_size != seen["size"] or int(attr.st_mtime) != seen["mtime"]:
                    continue
                sftp.remove(remote)
                seen["deleted_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
                state.save()
                deleted.append(name)
                _note(log, f"deleted remote {remote} (its load committed)")
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
    got = pull(cfg, log)
    db = dbm.Db()
    try:
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
    p.add_argument("--state-file", dest="state_file")
    p.add_argument("--retries", type=int)
    p.add_argument("--accept-new-host-key", action="store_true",
                   help="add an unknown host key to known_hosts (a changed key is still refused)")
    p.add_argument("--delete-remote", action="store_true",
                   help="after pulling, delete remote files whose content the database has loaded")
    p.add_argument("--job", help="with --delete-remote: only count loads of this job")
    return p


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        cfg = load_config(args)
    except ConfigError as e:
        print(f"sftp pull: {e}", file=sys.stderr)
        return 2
    from shims import db
    log = db.RunLog("sftp_pull")
    try:
        got = pull(cfg, log)
        for d in got:
            print(d.path)
        if args.delete_remote:
            import psycopg
            try:
                conn = db.connect()
            except psycopg.OperationalError as e:
                print(f"sftp pull: database unreachable, nothing deleted on the server: {db.describe(e)}", file=sys.stderr)
                return 1
            with conn:
                delete_remote(cfg, conn, args.job, log)
    except ConfigError as e:
        print(f"sftp pull: {e}", file=sys.stderr)
        return 2
    except PullError as e:
        log.log(str(e), "error")
        print(f"sftp pull: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
