"""`feeds install` and `feeds uninstall`: put Feeds on a machine, as root, idempotently.

    feeds [-h HOST -p PORT] install [--dry-run] [--root DIR] [--etl-user etl_user] [--etl-group etl_group]
                                    [--database Feeds] [--admin-role yostfundsadmin] [--ca FILE --cert F --key F]
    feeds uninstall [--dry-run] [--root DIR] [--purge --yes-really]

Each step says what it did, or "ok, unchanged"; --dry-run says what each would do and does
nothing. The steps, in order: the group and the service account; the PostgreSQL server's OS user
in the group (so server-side COPY reads processing/); the directory tree (2770, setgid); the
application and its venv; the env file; the database, the roles and `sqitch deploy`; the
feeds_etl password (generated, only ever written to ~etl_user/.pgpass, 0600); scram-sha-256 and
TLS-only TCP in pg_hba.conf; TLS on the server; the cron schedule; the sshd snippet for client
uploads (checked with `sshd -t`).

The database steps run as the server's OS user (`--pg-os-user`, default postgres) through psql
and sqitch, over the libpq settings of the environment (PGHOST, PGPORT; `feeds -h … -p …`).
--root DIR puts every file under DIR (the tests install into a temporary tree); accounts and the
database are real. Exit codes: 0 done, 1 a step failed, 2 bad usage or not root.
"""
from __future__ import annotations

import argparse
import base64
import filecmp
import grp
import hashlib
import hmac
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from shims import exitcodes

PROJECT = Path(__file__).resolve().parent.parent
# What the application is: copied to <root>/opt/feeds, owned by root, read-only for etl_user.
APP_PARTS = ("bin", "shims", "deploy", "revert", "verify", "db", "etc", "docs", "sqitch.plan", "sqitch.conf",
             "requirements.txt", "pyproject.toml", "README.md")
TREE = ("file_watcher", "processing", "archive", "failed", "logs", "state")
HBA_BEGIN, HBA_END = "# BEGIN feeds install", "# END feeds install"


class StepFailed(Exception):
    """A step could not be done; the message says what to do."""


@dataclass
class Install:
    root: Path
    etl_user: str = "etl_user"
    etl_group: str = "etl_group"
    sftp_group: str = "sftp_upload"
    database: str = "Feeds"
    admin_role: str = "yostfundsadmin"
    pg_os_user: str = "postgres"
    etl_host: str = "localhost"
    venv_from: Path | None = None
    python: str = "/usr/bin/python3"
    cert: Path | None = None
    key: Path | None = None
    ca: Path | None = None
    dry_run: bool = False
    changed: list[str] = field(default_factory=list)

    # --- where things go -------------------------------------------------------------------
    def path(self, p: str) -> Path:
        return self.root / p.lstrip("/")

    @property
    def app(self) -> Path:
        return self.path("/opt/feeds")

    @property
    def data(self) -> Path:
        return self.path("/srv/feeds")

    @property
    def home(self) -> Path:
        return self.path(f"/home/{self.etl_user}")

    @property
    def env_file(self) -> Path:
        return self.path("/etc/feeds/feeds.env")

    @property
    def manifest(self) -> Path:
        return self.path("/etc/feeds/install.json")

    @property
    def cron_file(self) -> Path:
        return self.path("/etc/cron.d/feeds")

    @property
    def sshd_snippet(self) -> Path:
        return self.path("/etc/ssh/sshd_config.d/feeds-upload.conf")

    @property
    def sftp_root(self) -> Path:
        return self.path("/srv/sftp")

    @property
    def keys_dir(self) -> Path:
        return self.path("/etc/ssh/authorized_keys")

    @property
    def pgpass(self) -> Path:
        return self.home / ".pgpass"

    @property
    def port(self) -> str:
        return os.environ.get("PGPORT", "5432")

    # --- running things --------------------------------------------------------------------
    def as_server(self, *cmd: str) -> list[str]:
        if self.pg_os_user and os.geteuid() == 0 and self.pg_os_user != "root":
            return ["runuser", "-u", self.pg_os_user, "--", *cmd]
        return list(cmd)

    def sql(self, statements: str, db: str = "postgres") -> list[list[str]]:
        """Run SQL through psql as the server's OS user (statements on stdin, never on a command line)."""
        r = subprocess.run(self.as_server("psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-F", "\t", "-d", db, "-f", "-"),
                           input=statements, capture_output=True, text=True, cwd="/")
        if r.returncode != 0:
            raise StepFailed(f"psql on database {db}: {r.stderr.strip()}")
        return [line.split("\t") for line in r.stdout.splitlines() if line]

    def value(self, query: str, db: str = "postgres") -> str | None:
        rows = self.sql(query, db)
        return rows[0][0] if rows else None

    def sqitch(self, *args: str) -> subprocess.CompletedProcess:
        env = dict(os.environ, SQITCH_FULLNAME=os.environ.get("SQITCH_FULLNAME", "feeds install"),
                   SQITCH_EMAIL=os.environ.get("SQITCH_EMAIL", "feeds-install@localhost"))
        return subprocess.run(self.as_server("sqitch", *args, f"db:pg:{self.database}"), cwd=self.app, env=env,
                              capture_output=True, text=True)

    def do(self, what: str, action) -> str:
        """Do an action that changes something (unless --dry-run) and say so."""
        if self.dry_run:
            return f"would {what}"
        action()
        self.changed.append(what)
        return what


def run(cmd: list[str], **kw) -> str:
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise StepFailed(f"{' '.join(cmd)}: {(r.stderr or r.stdout).strip()}")
    return r.stdout


def group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores (what psql's \\password sends): the password
    itself never reaches the server, its log or pg_stat_statements."""
    salt = os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(hashlib.sha256(client_key).digest())}:{b64(server_key)}"


def write_if_changed(path: Path, text: str, mode: int, uid: int = 0, gid: int = 0) -> bool:
    """Write text to path (atomically) unless it is already there with that mode and owner."""
    try:
        st = path.stat()
        if (path.read_text() == text and (st.st_mode & 0o7777) == mode and (st.st_uid, st.st_gid) == (uid, gid)):
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chown(tmp, uid, gid)
    os.chmod(tmp, mode)
    os.replace(tmp, path)
    return True


def ensure_dir(path: Path, mode: int, uid: int, gid: int) -> bool:
    """mkdir path (and root-owned 0755 parents) with this mode and owner; True when something changed."""
    changed = False
    for parent in reversed(path.parents):
        if not parent.exists():
            parent.mkdir(mode=0o755)
            changed = True
    if not path.is_dir():
        path.mkdir()
        changed = True
    st = path.stat()
    if (st.st_uid, st.st_gid) != (uid, gid):
        os.chown(path, uid, gid)
        changed = True
    if (st.st_mode & 0o7777) != mode:
        os.chmod(path, mode)
        changed = True
    return changed


def check_sshd_config(snippet: Path, root: Path) -> str:
    """`sshd -t` on the system's configuration (which includes sshd_config.d/*.conf) when root is /;
    under another root, on a configuration of a throwaway host key and the snippet."""
    sshd = shutil.which("sshd") or "/usr/sbin/sshd"
    if not Path(sshd).exists():
        raise StepFailed("sshd is not installed (apt-get install openssh-server)")
    if str(root) == "/":
        run([sshd, "-t"])
        return "sshd -t: ok"
    with tempfile.TemporaryDirectory() as d:
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", f"{d}/hostkey"])
        Path(d, "sshd_config").write_text(f"HostKey {d}/hostkey\nUsePAM no\nInclude {snippet}\n")
        run([sshd, "-t", "-f", f"{d}/sshd_config"])
    return "sshd -t: ok"


# --- the steps -----------------------------------------------------------------------------------

def step_group(i: Install) -> str:
    if group_exists(i.etl_group):
        return "ok, unchanged"

    def act():
        run(["groupadd", "--system", i.etl_group])
        record(i, created_group=True)
    return i.do(f"created group {i.etl_group}", act)


def step_user(i: Install) -> str:
    if user_exists(i.etl_user):
        if group_exists(i.etl_group) and pwd.getpwnam(i.etl_user).pw_gid != grp.getgrnam(i.etl_group).gr_gid:
            return i.do(f"set the primary group of {i.etl_user} to {i.etl_group}",
                        lambda: run(["usermod", "-g", i.etl_group, i.etl_user]))
        return "ok, unchanged"

    def act():
        i.home.parent.mkdir(parents=True, exist_ok=True)
        run(["useradd", "--system", "--gid", i.etl_group, "--home-dir", str(i.home), "--create-home",
             "--shell", "/usr/sbin/nologin", "--comment", "Feeds ETL", i.etl_user])
        os.chmod(i.home, 0o750)
    return i.do(f"created user {i.etl_user} (group {i.etl_group}, home {i.home}, no login shell)", act)


def step_server_in_group(i: Install) -> str:
    if not user_exists(i.pg_os_user):
        raise StepFailed(f"the PostgreSQL server's OS user {i.pg_os_user} does not exist "
                         "(apt-get install postgresql, or --pg-os-user NAME)")
    if group_exists(i.etl_group) and i.pg_os_user in grp.getgrnam(i.etl_group).gr_mem:
        return "ok, unchanged"
    return i.do(f"added {i.pg_os_user} to {i.etl_group} (restart PostgreSQL once so the running server "
                f"joins it: systemctl restart postgresql)",
                lambda: run(["usermod", "-a", "-G", i.etl_group, i.pg_os_user]))


def step_tree(i: Install) -> str:
    if i.dry_run and not group_exists(i.etl_group):
        return f"would create {i.data}/{{{','.join(TREE)}}} (2770, {i.etl_user}:{i.etl_group})"
    uid = pwd.getpwnam(i.etl_user).pw_uid if user_exists(i.etl_user) else 0
    gid = grp.getgrnam(i.etl_group).gr_gid
    todo = [d for d in (i.data, *(i.data / t for t in TREE))
            if not d.is_dir() or (d.stat().st_mode & 0o7777, d.stat().st_uid, d.stat().st_gid) != (0o2770, uid, gid)]
    if not todo:
        return "ok, unchanged"
    return i.do(f"made {', '.join(str(d) for d in todo)} (2770, {i.etl_user}:{i.etl_group})",
                lambda: [ensure_dir(d, 0o2770, uid, gid) for d in todo])


def _app_differs(i: Install) -> list[str]:
    out = []
    for part in APP_PARTS:
        src, dst = PROJECT / part, i.app / part
        if src.is_dir():
            cmp = filecmp.dircmp(src, dst, ignore=["__pycache__"]) if dst.is_dir() else None
            if cmp is None or _dircmp_differs(cmp):
                out.append(part)
        elif src.exists() and (not dst.exists() or not filecmp.cmp(src, dst, shallow=False)):
            out.append(part)
    return out


def _dircmp_differs(c: filecmp.dircmp) -> bool:
    if c.left_only or c.right_only or c.funny_files:
        return True
    if filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)[1:] != ([], []):
        return True
    return any(_dircmp_differs(s) for s in c.subdirs.values())


def step_app(i: Install) -> str:
    parts = _app_differs(i)
    if not parts:
        return "ok, unchanged"

    def act():
        ensure_dir(i.app, 0o755, 0, 0)
        for part in parts:
            src, dst = PROJECT / part, i.app / part
            if dst.is_dir() and not dst.is_symlink():
                shutil.rmtree(dst)
            if src.is_dir():
                shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(src, dst)
        run(["chmod", "-R", "u=rwX,go=rX", *(str(i.app / p) for p in parts)])
    return i.do(f"copied {', '.join(parts)} to {i.app} (root-owned, read-only for {i.etl_user})", act)


def step_venv(i: Install) -> str:
    venv = i.app / ".venv"
    if i.venv_from is not None:
        target = i.venv_from.resolve()
        if venv.is_symlink() and venv.resolve() == target:
            return "ok, unchanged"
        return i.do(f"linked {venv} to the existing venv {target}", lambda: (
            shutil.rmtree(venv) if venv.is_dir() and not venv.is_symlink() else venv.unlink(missing_ok=True),
            venv.symlink_to(target)))
    want = hashlib.sha256((PROJECT / "requirements.txt").read_bytes()).hexdigest()
    stamp = venv / ".requirements.sha256"
    if (venv / "bin/python").exists() and stamp.exists() and stamp.read_text().strip() == want:
        return "ok, unchanged"

    def act():
        if venv.is_symlink():
            venv.unlink()
        run([i.python, "-m", "venv", str(venv)])
        run([str(venv / "bin/python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
             "-r", str(i.app / "requirements.txt")])
        stamp.write_text(want + "\n")
        run(["chmod", "-R", "u=rwX,go=rX", str(venv)])
    return i.do(f"created {venv} from the pinned requirements.txt", act)


def env_text(i: Install) -> str:
    lines = ["# Feeds settings for cron's wrapper and the shims (written by feeds install).",
             "# The env-file rule (shims/config.py): mode 0600, or 0640 with group etl_group. No secrets here:",
             f"# the feeds_etl password is in {i.pgpass} (0600).",
             f"PGHOST={i.etl_host}", f"PGPORT={i.port}", f"PGDATABASE={i.database}", "PGUSER=feeds_etl",
             f"PGSSLMODE={'verify-full' if i.ca else 'require'}"]
    if i.ca:
        lines.append(f"PGSSLROOTCERT={i.path('/etc/feeds/root.crt')}")
    lines += [f"FEEDS_LOG_DIR={i.data / 'logs'}", f"FEEDS_STATE_DIR={i.data / 'state'}",
              f"FEEDS_REPORT_DIR={i.data / 'state' / 'reports'}", f"FEEDS_GROUP={i.etl_group}"]
    return "\n".join(lines) + "\n"


def step_env_file(i: Install) -> str:
    if i.dry_run and not group_exists(i.etl_group):
        return f"would write {i.env_file} (root:{i.etl_group} 0640)"
    gid = grp.getgrnam(i.etl_group).gr_gid

    def act():
        if i.ca:
            write_if_changed(i.path("/etc/feeds/root.crt"), i.ca.read_text(), 0o644)
        write_if_changed(i.env_file, env_text(i), 0o640, 0, gid)
    try:
        same = i.env_file.read_text() == env_text(i) and (i.env_file.stat().st_mode & 0o7777, i.env_file.stat().st_gid) == (0o640, gid)
    except FileNotFoundError:
        same = False
    if same:
        return "ok, unchanged"
    return i.do(f"wrote {i.env_file} (root:{i.etl_group} 0640)", act)


def step_database(i: Install) -> str:
    done = []
    if i.value(f"SELECT 1 FROM pg_roles WHERE rolname = {quote_literal(i.admin_role)}") is None:
        done.append(i.do(f"created role {i.admin_role} (LOGIN CREATEDB; set its password with \\password)",
                         lambda: i.sql(f"CREATE ROLE {quote_ident(i.admin_role)} LOGIN CREATEDB")))
    if i.value(f"SELECT 1 FROM pg_database WHERE datname = {quote_literal(i.database)}") is None:
        done.append(i.do(f"created database {i.database} (owner {i.admin_role})",
                         lambda: i.sql(f"CREATE DATABASE {quote_ident(i.database)} OWNER {quote_ident(i.admin_role)}")))
    return "; ".join(done) or "ok, unchanged"


def step_sqitch(i: Install) -> str:
    if i.dry_run and i.value(f"SELECT 1 FROM pg_database WHERE datname = {quote_literal(i.database)}") is None:
        return f"would deploy every change of sqitch.plan to {i.database} (verify on)"
    status = i.sqitch("status")
    if status.returncode == 0 and "Nothing to deploy (up-to-date)" in status.stdout:
        return "ok, unchanged (sqitch status: up-to-date)"

    def act():
        r = i.sqitch("deploy", "--verify")
        if r.returncode != 0:
            raise StepFailed(f"sqitch deploy failed:\n{r.stdout}{r.stderr}")
    return i.do(f"sqitch deploy --verify to {i.database}", act)


def pgpass_line(i: Install, password: str) -> str:
    return f"{i.etl_host}:{i.port}:{i.database}:feeds_etl:{password}"


def has_pgpass_entry(i: Install) -> bool:
    try:
        return any(line.startswith(f"{i.etl_host}:{i.port}:{i.database}:feeds_etl:")
                   for line in i.pgpass.read_text().splitlines())
    except FileNotFoundError:
        return False


def step_password(i: Install) -> str:
    has_password = i.value("SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = 'feeds_etl'") == "t"
    if has_password and has_pgpass_entry(i):
        return "ok, unchanged"

    def act():
        password = secrets.token_urlsafe(24)
        i.sql(f"ALTER ROLE feeds_etl LOGIN PASSWORD {quote_literal(scram_verifier(password))}")
        pw = pwd.getpwnam(i.etl_user)
        keep = []
        if i.pgpass.exists():
            keep = [ln for ln in i.pgpass.read_text().splitlines()
                    if not ln.startswith(f"{i.etl_host}:{i.port}:{i.database}:feeds_etl:")]
        write_if_changed(i.pgpass, "\n".join(keep + [pgpass_line(i, password)]) + "\n", 0o600, pw.pw_uid, pw.pw_gid)
    return i.do(f"set a generated password for feeds_etl (scram-sha-256), written only to {i.pgpass} (0600)", act)


def hba_block(i: Install) -> str:
    roles = f"feeds_etl,{i.admin_role}"
    return "\n".join([
        f"{HBA_BEGIN} (database {i.database}; feeds uninstall --purge removes it)",
        "# Feeds roles: scram-sha-256 only (not md5, see docs/install.md); over TCP only with TLS.",
        f"local      {i.database}  {roles}                 scram-sha-256",
        f"hostssl    {i.database}  {roles}  all            scram-sha-256",
        f"hostnossl  {i.database}  {roles}  all            reject",
        HBA_END, ""])


def strip_hba_block(text: str, database: str) -> str:
    out, skip = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith(HBA_BEGIN) and f"(database {database};" in line:
            skip = True
        elif skip and line.startswith(HBA_END):
            skip = False
            continue
        if not skip:
            out.append(line)
    return "".join(out)


def step_hba(i: Install) -> str:
    hba = Path(i.value("SHOW hba_file"))
    text = hba.read_text()
    new = hba_block(i) + strip_hba_block(text, i.database)
    if new == text:
        return "ok, unchanged"

    def act():
        st = hba.stat()
        write_if_changed(hba, new, st.st_mode & 0o7777, st.st_uid, st.st_gid)
        reload(i)
    return i.do(f"put scram-sha-256, TLS-only TCP lines for the Feeds roles at the top of {hba}; reloaded", act)


def step_tls(i: Install) -> str:
    if i.value("SHOW ssl") == "on" and not i.cert:
        return "ok, unchanged (ssl = on)"
    data_dir = Path(i.value("SHOW data_directory"))
    crt, key = data_dir / "feeds-server.crt", data_dir / "feeds-server.key"
    if i.cert and crt.exists() and filecmp.cmp(i.cert, crt, shallow=False) and i.value("SHOW ssl") == "on":
        return "ok, unchanged (ssl = on, the given certificate)"

    def act():
        pw = pwd.getpwnam(i.pg_os_user)
        if i.cert:
            shutil.copyfile(i.cert, crt)
            shutil.copyfile(i.key, key)
        else:
            host = socket.getfqdn()
            run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj", f"/CN={host}",
                 "-addext", f"subjectAltName=DNS:{host},DNS:localhost,IP:127.0.0.1",
                 "-keyout", str(key), "-out", str(crt)])
        for f, mode in ((crt, 0o644), (key, 0o600)):
            os.chown(f, pw.pw_uid, pw.pw_gid)
            os.chmod(f, mode)
        i.sql(f"ALTER SYSTEM SET ssl_cert_file = {quote_literal(str(crt))};\n"
              f"ALTER SYSTEM SET ssl_key_file = {quote_literal(str(key))};\nALTER SYSTEM SET ssl = on;")
        reload(i, ready=lambda: i.value("SHOW ssl") == "on", error="the server did not turn ssl on after the "
               "reload (see its log: the certificate or key may be unreadable)")
    what = "the given certificate" if i.cert else "a self-signed certificate"
    return i.do(f"turned TLS on with {what} ({crt})", act)


def reload(i: Install, ready=lambda: True, error: str = "the server did not reload its configuration") -> None:
    """pg_reload_conf(), then wait until a new connection sees the reloaded configuration (the
    postmaster reloads asynchronously; a connection made too early still gets the old pg_hba/TLS)."""
    before = i.value("SELECT pg_conf_load_time()")
    i.sql("SELECT pg_reload_conf()")
    wait_for(lambda: i.value("SELECT pg_conf_load_time()") != before and ready(), error)


def wait_for(cond, error: str, timeout: float = 10.0) -> None:
    import time
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise StepFailed(error)
        time.sleep(0.1)


def cron_text(i: Install) -> str:
    text = (PROJECT / "etc/cron.d/feeds").read_text()
    text = text.replace("/opt/feeds", str(i.app)).replace("etl_user  ", f"{i.etl_user}  ")
    text = text.replace(f"{i.app}/logs/", f"{i.data}/logs/")
    return text.replace("SHELL=/bin/bash\n", f"SHELL=/bin/bash\nFEEDS_ENV_FILE={i.env_file}\n", 1)


def step_cron(i: Install) -> str:
    text = cron_text(i)
    if i.cron_file.exists() and i.cron_file.read_text() == text and (i.cron_file.stat().st_mode & 0o7777) == 0o644:
        return "ok, unchanged"
    return i.do(f"installed {i.cron_file} (Monday 02:00 feeds run as {i.etl_user}, logs in {i.data / 'logs'})",
                lambda: write_if_changed(i.cron_file, text, 0o644))


def sshd_text(i: Install) -> str:
    """etc/sshd/feeds-upload.conf with this installation's group and paths."""
    text = (PROJECT / "etc/sshd/feeds-upload.conf").read_text()
    return (text.replace("Match Group sftp_upload", f"Match Group {i.sftp_group}")
            .replace("ChrootDirectory /srv/sftp/%u", f"ChrootDirectory {i.sftp_root}/%u")
            .replace("AuthorizedKeysFile /etc/ssh/authorized_keys/%u", f"AuthorizedKeysFile {i.keys_dir}/%u"))


def step_sshd(i: Install) -> str:
    text = sshd_text(i)
    same = i.sshd_snippet.exists() and i.sshd_snippet.read_text() == text
    if not same and not i.dry_run:
        if not group_exists(i.sftp_group):
            run(["groupadd", "--system", i.sftp_group])
            record(i, created_sftp_group=True)
        ensure_dir(i.sftp_root, 0o755, 0, 0)
        ensure_dir(i.keys_dir, 0o755, 0, 0)
        write_if_changed(i.sshd_snippet, text, 0o644)
        i.changed.append("sshd snippet")
    if i.dry_run:
        return "ok, unchanged" if same else f"would install {i.sshd_snippet} and check it with sshd -t"
    checked = check_sshd_config(i.sshd_snippet, i.root)
    return f"ok, unchanged ({checked})" if same else f"installed {i.sshd_snippet} (group {i.sftp_group}); {checked}"


INSTALL_STEPS = [
    ("group", step_group), ("account", step_user), ("server in group", step_server_in_group),
    ("directories", step_tree), ("application", step_app), ("venv", step_venv), ("env file", step_env_file),
    ("database", step_database), ("sqitch", step_sqitch), ("feeds_etl password", step_password),
    ("pg_hba.conf", step_hba), ("tls", step_tls), ("cron", step_cron), ("sshd", step_sshd),
]


def record(i: Install, **facts) -> None:
    """Remember what install created (so uninstall removes only that)."""
    data = read_manifest(i)
    data.update(facts)
    write_if_changed(i.manifest, json.dumps(data, indent=1, sort_keys=True) + "\n", 0o644)


def read_manifest(i: Install) -> dict:
    try:
        return json.loads(i.manifest.read_text())
    except FileNotFoundError:
        return {}


def run_steps(i: Install, steps) -> int:
    for name, fn in steps:
        try:
            message = fn(i)
        except (StepFailed, OSError, KeyError) as e:
            print(f"[{name}] FAILED: {e}", file=sys.stderr)
            return exitcodes.FAILED
        print(f"[{name}] {message}", flush=True)
    if not i.dry_run:
        print("install: " + (f"{len(i.changed)} change(s)" if i.changed else "nothing changed"))
    return exitcodes.OK


# --- uninstall -----------------------------------------------------------------------------------

def uninstall(i: Install, purge: bool) -> int:
    def gone(path: Path) -> str:
        if not path.exists() and not path.is_symlink():
            return "ok, nothing to remove"
        return i.do(f"removed {path}", lambda: shutil.rmtree(path) if path.is_dir() and not path.is_symlink()
                    else path.unlink())

    manifest = read_manifest(i)
    steps = [("cron", lambda i: gone(i.cron_file)), ("pg_cron", step_unschedule),
             ("sshd", lambda i: gone(i.sshd_snippet)), ("application", lambda i: gone(i.app)),
             ("env file", lambda i: gone(i.env_file)), ("account", step_remove_user)]
    if purge:
        steps += [("data", lambda i: gone(i.data)), ("database", step_drop_database),
                  ("pg_hba.conf", step_remove_hba)]
        if manifest.get("created_group"):
            steps.append(("group", lambda i: step_remove_group(i, i.etl_group)))
        if manifest.get("created_sftp_group"):
            steps.append(("sftp group", lambda i: step_remove_group(i, i.sftp_group)))
        steps.append(("manifest", lambda i: gone(i.manifest)))
    rc = run_steps(i, steps)
    if rc == exitcodes.OK and not purge:
        print(f"kept: the data in {i.data}, the database {i.database}, the group {i.etl_group} "
              "(feeds uninstall --purge --yes-really removes them)")
    return rc


def step_unschedule(i: Install) -> str:
    try:
        if i.value(f"SELECT 1 FROM pg_database WHERE datname = {quote_literal(i.database)}") is None:
            return "ok, no database"
        if i.value("SELECT to_regprocedure('dba.unschedule_in_database()') IS NOT NULL", i.database) != "t":
            return "ok, nothing scheduled"
        if i.dry_run:
            return "would remove the pg_cron jobs feeds-*"
        n = i.value("SELECT dba.unschedule_in_database()", i.database)
    except StepFailed as e:
        return f"skipped (database not reachable: {e})"
    return "ok, nothing scheduled" if n == "0" else f"removed {n} pg_cron job(s)"


def step_remove_user(i: Install) -> str:
    if not user_exists(i.etl_user):
        return "ok, nothing to remove"
    home = Path(pwd.getpwnam(i.etl_user).pw_dir)

    def act():
        run(["userdel", i.etl_user])
        if home.is_relative_to(i.path("/home")) and home.is_dir():
            shutil.rmtree(home)
    return i.do(f"removed user {i.etl_user} and its home {home} (with .pgpass)", act)


def step_remove_group(i: Install, name: str) -> str:
    if not group_exists(name):
        return "ok, nothing to remove"
    return i.do(f"removed group {name}", lambda: run(["groupdel", name]))


def step_drop_database(i: Install) -> str:
    if i.value(f"SELECT 1 FROM pg_database WHERE datname = {quote_literal(i.database)}") is None:
        return "ok, nothing to remove"
    return i.do(f"dropped database {i.database} (roles are cluster-wide and stay)",
                lambda: i.sql(f"DROP DATABASE {quote_ident(i.database)} WITH (FORCE)"))


def step_remove_hba(i: Install) -> str:
    hba = Path(i.value("SHOW hba_file"))
    text = hba.read_text()
    new = strip_hba_block(text, i.database)
    if new == text:
        return "ok, nothing to remove"

    def act():
        st = hba.stat()
        write_if_changed(hba, new, st.st_mode & 0o7777, st.st_uid, st.st_gid)
        reload(i)
    return i.do(f"removed the Feeds lines of {hba}; reloaded", act)


# --- command line --------------------------------------------------------------------------------

def parser(prog: str) -> argparse.ArgumentParser:
    """The options that name an installation (install, uninstall, doctor)."""
    p = argparse.ArgumentParser(prog=f"feeds {prog}", description=__doc__.split("\n\n")[0])
    if prog != "doctor":
        p.add_argument("--dry-run", action="store_true", help="say what each step would do; change nothing")
    p.add_argument("--root", type=Path, default=Path("/"), help="install every file under this directory (tests)")
    p.add_argument("--etl-user", default="etl_user")
    p.add_argument("--etl-group", default="etl_group")
    p.add_argument("--sftp-group", default="sftp_upload", help="group of the client upload accounts")
    p.add_argument("--database", default="Feeds")
    p.add_argument("--admin-role", default="yostfundsadmin", help="the admin login (CREATEDB) of the seeds")
    p.add_argument("--pg-os-user", default="postgres", help="the server's OS user (psql and sqitch run as it)")
    return p


def make(args) -> Install:
    return Install(root=args.root.resolve(), etl_user=args.etl_user, etl_group=args.etl_group,
                   sftp_group=args.sftp_group, database=args.database, admin_role=args.admin_role,
                   pg_os_user=args.pg_os_user, dry_run=getattr(args, "dry_run", False),
                   **{k: getattr(args, k) for k in ("etl_host", "venv_from", "python", "cert", "key", "ca") if hasattr(args, k)})


def main(argv: list[str]) -> int:
    command, argv = argv[0], argv[1:]
    p = parser(command)
    if command == "install":
        p.add_argument("--etl-host", default="localhost", help="host name the ETL user connects to (TLS)")
        p.add_argument("--venv-from", type=Path, help="reuse this venv instead of building one (tests)")
        p.add_argument("--python", default="/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable,
                       help="the Python the venv is made from; etl_user must be able to run it (default the system's)")
        p.add_argument("--cert", type=Path, help="server certificate (else a self-signed one is made)")
        p.add_argument("--key", type=Path, help="its private key")
        p.add_argument("--ca", type=Path, help="CA that signed --cert: the ETL user then uses sslmode=verify-full")
    else:
        p.add_argument("--purge", action="store_true", help="also delete the data tree and the database")
        p.add_argument("--yes-really", action="store_true", help="confirm --purge")
    try:
        args = p.parse_args(argv)
    except SystemExit as e:
        return exitcodes.USAGE if e.code else exitcodes.OK
    if os.geteuid() != 0 and not args.dry_run:
        print(f"feeds {command}: run as root (sudo feeds {command} …), or try --dry-run", file=sys.stderr)
        return exitcodes.USAGE
    i = make(args)
    if command == "install":
        if not (PROJECT / "sqitch.plan").exists():
            print(f"feeds install: {PROJECT} is not a clone of the Feeds repository (no sqitch.plan); run "
                  "bin/feeds install from the clone", file=sys.stderr)
            return exitcodes.USAGE
        if bool(args.cert) != bool(args.key) or (args.ca and not args.cert):
            print("feeds install: --cert and --key go together, and --ca needs them", file=sys.stderr)
            return exitcodes.USAGE
        return run_steps(i, INSTALL_STEPS)
    if args.purge and not args.yes_really:
        print(f"feeds uninstall: --purge deletes {i.data} (archive, failed files, logs) and the database "
              f"{i.database}; add --yes-really to confirm", file=sys.stderr)
        return exitcodes.USAGE
    return uninstall(i, args.purge)
